// API keys (CredentialRepository): made, listed, revoked and their last use.

#include "sqlitestore.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_keyColumns =
    "k.id, k.person, k.hash, k.scope, k.prefix, k.name, k.created_at, k.expires_at, k.last_used_at, k.revoked_at,"
    " p.public_id, p.display_name FROM api_key k JOIN person p ON p.id = k.person";

ApiKey apiKeyFrom(Statement& s)
{
    return ApiKey{s.int64At(0),          s.int64At(1),          s.blobAt(2),
                  s.textAt(3) == "write" ? ApiScope::Write : ApiScope::Read,
                  s.textAt(4),           s.textAt(5),           s.int64At(6),
                  s.optionalInt64At(7),  s.optionalInt64At(8),  s.optionalInt64At(9),
                  s.textAt(10),          s.textAt(11)};
}

} // namespace

Result<std::int64_t> SqliteStore::createApiKey(PersonId person, const std::string& prefix, const Bytes& hash,
                                               ApiScope scope, const ApiKeyTerms& terms)
{
    std::int64_t id = 0;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO api_key(prefix, hash, person, scope, created_at, name, expires_at)"
                            " VALUES(?, ?, ?, ?, ?, ?, ?)"));
        s->bind(1, prefix).bindBlob(2, hash);
        s->bind(3, person).bind(4, scope == ApiScope::Write ? "write" : "read").bind(5, m_clock.nowMs());
        TRY(s->bind(6, terms.name).bind(7, terms.expiresAt).run());
        id = m_db.lastInsertRowId();
        return {};
    }));
    return id;
}

Result<std::optional<ApiKey>> SqliteStore::apiKeyByPrefix(std::string_view prefix)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string("SELECT ").append(k_keyColumns).append(" WHERE k.prefix = ? AND k.revoked = 0")));
    s->bind(1, prefix);
    return s->first(apiKeyFrom);
}

Result<std::optional<ApiKey>> SqliteStore::anyApiKey(std::string_view prefix)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string("SELECT ").append(k_keyColumns).append(" WHERE k.prefix = ?")));
    s->bind(1, prefix);
    return s->first(apiKeyFrom);
}

Result<std::vector<ApiKey>> SqliteStore::apiKeys(std::optional<PersonId> owner)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string("SELECT ").append(k_keyColumns).append(
                      " WHERE ?1 IS NULL OR k.person = ?1 ORDER BY k.created_at DESC, k.id DESC")));
    s->bind(1, owner);
    return s->collect(apiKeyFrom);
}

Result<void> SqliteStore::revokeApiKey(std::int64_t id, PersonId actor)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE api_key SET revoked = 1, revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked = 0"));
        return s->bindAll(m_clock.nowMs(), actor, id).run();
    });
}

Result<void> SqliteStore::noteApiKeyUse(std::int64_t id, std::int64_t atMs, std::int64_t resolutionMs)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE api_key SET last_used_at = ?1 WHERE id = ?2"
                            " AND (last_used_at IS NULL OR last_used_at <= ?1 - ?3)"));
        return s->bindAll(atMs, id, resolutionMs).run();
    });
}

} // namespace imhere::server
