// PgStore: API keys (CredentialRepository): made, listed, revoked and their last use.

#include "pgstore.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_keyColumns =
    "SELECT k.id, k.person, k.hash, k.scope, k.prefix, k.name, k.created_at, k.expires_at, k.last_used_at,"
    " k.revoked_at, p.public_id, p.display_name FROM api_key k JOIN person p ON p.id = k.person";

ApiKey apiKeyFrom(const PgStatement& s)
{
    return ApiKey{s.int64At(0),          s.int64At(1),          s.blobAt(2),
                  s.textAt(3) == "write" ? ApiScope::Write : ApiScope::Read,
                  s.textAt(4),           s.textAt(5),           s.int64At(6),
                  s.optionalInt64At(7),  s.optionalInt64At(8),  s.optionalInt64At(9),
                  s.textAt(10),          s.textAt(11)};
}

} // namespace

Result<std::int64_t> PgStore::createApiKey(PersonId person, const std::string& prefix, const Bytes& hash,
                                           ApiScope scope, const ApiKeyTerms& terms)
{
    std::int64_t id = 0;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO api_key(prefix, hash, person, scope, created_at, name, expires_at)"
                               " VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id"));
        s->bind(1, prefix).bindBlob(2, hash);
        s->bind(3, person).bind(4, scope == ApiScope::Write ? "write" : "read").bind(5, m_clock.nowMs());
        TRY(s->bind(6, terms.name).bind(7, terms.expiresAt).step());
        id = s->int64At(0);
        return {};
    }));
    return id;
}

Result<std::optional<ApiKey>> PgStore::apiKeyWhere(std::string_view where, std::string_view prefix)
{
    std::optional<ApiKey> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query(std::string(k_keyColumns) + std::string(where)));
        TRY_ASSIGN(row, s->bind(1, prefix).step());
        if (row)
            found = apiKeyFrom(*s);
        return {};
    }));
    return found;
}

Result<std::optional<ApiKey>> PgStore::apiKeyByPrefix(std::string_view prefix)
{
    return apiKeyWhere(" WHERE k.prefix = $1 AND k.revoked = 0", prefix);
}

Result<std::optional<ApiKey>> PgStore::anyApiKey(std::string_view prefix)
{
    return apiKeyWhere(" WHERE k.prefix = $1", prefix);
}

Result<std::vector<ApiKey>> PgStore::apiKeys(std::optional<PersonId> owner)
{
    std::vector<ApiKey> keys;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query(std::string(k_keyColumns)
                               + " WHERE $1::bigint IS NULL OR k.person = $1 ORDER BY k.created_at DESC, k.id DESC"));
        s->bind(1, owner);
        TRY_ASSIGN(all, s->collect(apiKeyFrom));
        keys = std::move(all);
        return {};
    }));
    return keys;
}

Result<void> PgStore::revokeApiKey(std::int64_t id, PersonId actor)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE api_key SET revoked = 1, revoked_at = $1, revoked_by = $2"
                               " WHERE id = $3 AND revoked = 0"));
        return s->bindAll(m_clock.nowMs(), actor, id).run();
    });
}

Result<void> PgStore::noteApiKeyUse(std::int64_t id, std::int64_t atMs, std::int64_t resolutionMs)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE api_key SET last_used_at = $1 WHERE id = $2"
                               " AND (last_used_at IS NULL OR last_used_at <= $1::bigint - $3::bigint)"));
        return s->bindAll(atMs, id, resolutionMs).run();
    });
}

} // namespace imhere::server
