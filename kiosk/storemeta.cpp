// KioskStore: opening, and the key/value facts about the kiosk itself.
#include "kioskstore.h"
#include "storeschema.h"
#include "storesql.h"

#include <charconv>

namespace imhere::kiosk {

namespace {

std::optional<std::int64_t> toInt(const std::optional<std::string>& text)
{
    if (!text)
        return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size())
        return std::nullopt;
    return value;
}

} // namespace

Result<KioskStore> KioskStore::open(const std::string& path)
{
    OpenOptions options;
    options.migrations = kioskMigrations();
    TRY_ASSIGN(db, Database::open(path, options));
    return KioskStore(std::move(db));
}

Result<std::optional<std::string>> KioskStore::meta(std::string_view key)
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT value FROM meta WHERE key = ?"));
    stmt.bind(1, key);
    return stmt.first(readText);
}

Result<void> KioskStore::setMeta(std::string_view key, std::string_view value)
{
    return run(m_db,
               "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               key, value);
}

Result<std::optional<Identity>> KioskStore::identity()
{
    Identity identity;
    std::optional<std::string> fields[4];
    const char* keys[4] = {"kiosk_id", "kiosk_name", "kiosk_secret", "badge_key"};
    for (int i = 0; i < 4; ++i) {
        TRY_ASSIGN(value, meta(keys[i]));
        if (!value)
            return std::optional<Identity>{};
        fields[i] = std::move(value);
    }
    auto id = toInt(fields[0]);
    auto secret = base64UrlDecode(*fields[2]);
    auto badgeKey = base64UrlDecode(*fields[3]);
    if (!id || !secret || !badgeKey)
        return fail(Errc::Corrupt, "the stored kiosk identity is unreadable");
    identity.kioskId = static_cast<std::uint32_t>(*id);
    identity.name = *fields[1];
    identity.secret = std::move(*secret);
    identity.badgeKey = std::move(*badgeKey);
    return std::optional<Identity>{std::move(identity)};
}

Result<std::optional<Credentials>> KioskStore::credentials()
{
    TRY_ASSIGN(url, meta("server_url"));
    TRY_ASSIGN(token, meta("token"));
    TRY_ASSIGN(ca, meta("ca_file"));
    if (!url || !token)
        return std::optional<Credentials>{};
    return std::optional<Credentials>{Credentials{*url, *token, ca.value_or("")}};
}

Result<void> KioskStore::saveCredentials(const Credentials& credentials)
{
    TRY_ASSIGN(txn, Transaction::begin(m_db));
    for (auto [key, value] : {std::pair{"server_url", &credentials.serverUrl}, std::pair{"token", &credentials.token},
                              std::pair{"ca_file", &credentials.caFile}}) {
        TRY(setMeta(key, *value));
    }
    return txn.commit();
}

Result<std::int64_t> KioskStore::cursor()
{
    TRY_ASSIGN(value, meta("cursor"));
    return toInt(value).value_or(0);
}

Result<std::int64_t> KioskStore::clockOffsetMs()
{
    TRY_ASSIGN(value, meta("clock_offset_ms"));
    return toInt(value).value_or(0);
}

} // namespace imhere::kiosk
