// PgStore: opening, transactions, health, the change log and the org keys.
// People are in pgstorepeople.cpp, courses in pgstorecourses.cpp, windows
// in pgstorewindows.cpp, events and records in pgstorerecords.cpp.

#include "pgstore.h"

#include "pgschema.h"

#include "core/limits.h"
#include "core/random.h"

namespace imhere::server {

namespace {
constexpr std::size_t k_masterKeyBytes = 32;
} // namespace

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& url, const Clock& clock, const Options& options)
{
    {
        // Migrating on a connection of its own, before the pool opens.
        TRY_ASSIGN(admin, PgConnection::connect(url));
        TRY(migratePg(*admin, pgMigrations()));
    }
    TRY_ASSIGN(pool, PgPool::open(url, options.connections));
    std::unique_ptr<PgStore> store(new PgStore(std::move(pool), url, clock));
    TRY(store->write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(insert, db.query("INSERT INTO org(id, badge_key) VALUES(1, $1) ON CONFLICT DO NOTHING"));
        TRY(insert->bindBlob(1, randomBytes(imhere::limits::k_kioskKeyBytes)).run());
        TRY_ASSIGN(master, db.query("UPDATE org SET master_key = $1 WHERE id = 1 AND master_key IS NULL"));
        return master->bindBlob(1, randomBytes(k_masterKeyBytes)).run();
    }));
    return store;
}

Result<void> PgStore::inTransaction(const std::function<Result<void>()>& work)
{
    return write([&](PgConnection&) { return work(); });
}

Result<void> PgStore::checkHealth()
{
    return read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT count(*) FROM org"));
        TRY_ASSIGN(row, s->step());
        if (!row || s->int64At(0) != 1)
            return fail(Errc::Corrupt, "the org row is missing");
        return {};
    });
}

Result<JobLease> PgStore::holdLease(std::string_view job)
{
    return m_leases.hold(job);
}

Result<void> PgStore::logChange(PgConnection& db, std::string_view kind, std::string_view ref,
                                std::optional<std::string_view> course, std::optional<std::uint32_t> origin)
{
    TRY(lockChangeLog(db)); // the pull's cursor (pgstorepull.cpp)
    TRY_ASSIGN(s, db.query("INSERT INTO change_log(kind, ref, course, kiosk) VALUES($1, $2, $3, $4)"));
    s->bind(1, kind).bind(2, ref);
    course ? s->bind(3, *course) : s->bind(3, nullptr);
    origin ? s->bind(4, std::int64_t{*origin}) : s->bind(4, nullptr);
    return s->run();
}

Result<Bytes> PgStore::badgeKey()
{
    Bytes key;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT badge_key FROM org WHERE id = 1"));
        TRY_ASSIGN(row, s->step());
        if (!row)
            return fail(Errc::Internal, "the organisation settings are missing");
        key = s->blobAt(0);
        return {};
    }));
    return key;
}

Result<Bytes> PgStore::masterKey()
{
    Bytes key;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT master_key FROM org WHERE id = 1 AND master_key IS NOT NULL"));
        TRY_ASSIGN(row, s->step());
        if (!row)
            return fail(Errc::Internal, "the organisation's master key is missing");
        key = s->blobAt(0);
        return {};
    }));
    return key;
}

} // namespace imhere::server
