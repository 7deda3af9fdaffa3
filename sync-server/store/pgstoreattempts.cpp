// PgStore: rate-limited attempts shared by every instance (attemptlog.h).
// Each key's rows are read and written under a transaction-level advisory
// lock on the key, so that a check and the count it allows are one step
// even when two instances are asked at once; READ COMMITTED is enough
// under that lock.

#include "pgstore.h"

#include <atomic>
#include <vector>

namespace imhere::server {

namespace {

// Attempts older than this are gone whatever their key (the longest window
// is an hour); swept every k_sweepEvery writes.
constexpr std::int64_t k_keepMs = 24LL * 3'600'000;
constexpr unsigned k_sweepEvery = 256;
std::atomic<unsigned> g_writes{0};

} // namespace

Result<std::int64_t> PgStore::attemptWaitOn(PgConnection& db, std::string_view key, std::int64_t nowMs,
                                            std::int64_t windowMs, int max)
{
    TRY_ASSIGN(lock, db.query("SELECT pg_advisory_xact_lock(hashtext('attempt/' || $1))"));
    TRY(lock->bind(1, key).step());
    TRY_ASSIGN(aged, db.query("DELETE FROM attempt WHERE key = $1 AND at <= $2"));
    TRY(aged->bindAll(key, nowMs - windowMs).run());
    TRY_ASSIGN(s, db.query("SELECT at FROM attempt WHERE key = $1 ORDER BY at"));
    TRY_ASSIGN(times, s->bind(1, key).collect([](PgStatement& row) { return row.int64At(0); }));
    if (static_cast<int>(times.size()) < max)
        return std::int64_t{0};
    // Free again once the oldest attempt that keeps the count at the limit ages out.
    return times[times.size() - static_cast<std::size_t>(max)] + windowMs - nowMs;
}

Result<std::int64_t> PgStore::attemptWait(std::string_view key, std::int64_t nowMs, std::int64_t windowMs, int max)
{
    std::int64_t wait = 0;
    TRY(m_pool->transact(PgIsolation::ReadCommitted, [&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(found, attemptWaitOn(db, key, nowMs, windowMs, max));
        wait = found;
        return {};
    }));
    return wait;
}

Result<std::int64_t> PgStore::admitAttempt(std::string_view key, std::int64_t nowMs, std::int64_t windowMs, int max)
{
    std::int64_t wait = 0;
    TRY(m_pool->transact(PgIsolation::ReadCommitted, [&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(found, attemptWaitOn(db, key, nowMs, windowMs, max));
        wait = found;
        if (wait > 0)
            return {};
        TRY_ASSIGN(insert, db.query("INSERT INTO attempt(key, at) VALUES($1, $2)"));
        return insert->bindAll(key, nowMs).run();
    }));
    return wait;
}

Result<void> PgStore::recordAttempt(std::string_view key, std::int64_t nowMs, std::int64_t windowMs, int max)
{
    return m_pool->transact(PgIsolation::ReadCommitted, [&](PgConnection& db) -> Result<void> {
        TRY(attemptWaitOn(db, key, nowMs, windowMs, max));
        TRY_ASSIGN(insert, db.query("INSERT INTO attempt(key, at) VALUES($1, $2)"));
        TRY(insert->bindAll(key, nowMs).run());
        // No more than the limit needs, so that a flood cannot grow the table.
        TRY_ASSIGN(trim, db.query("DELETE FROM attempt WHERE ctid IN (SELECT ctid FROM attempt WHERE key = $1"
                                  " ORDER BY at DESC OFFSET $2)"));
        TRY(trim->bindAll(key, max).run());
        if (g_writes.fetch_add(1) % k_sweepEvery == 0) {
            TRY_ASSIGN(sweep, db.query("DELETE FROM attempt WHERE at <= $1"));
            TRY(sweep->bind(1, nowMs - k_keepMs).run());
        }
        return {};
    });
}

Result<void> PgStore::forgetAttempt(std::string_view key, std::int64_t atMs)
{
    return m_pool->transact(PgIsolation::ReadCommitted, [&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("DELETE FROM attempt WHERE ctid IN (SELECT ctid FROM attempt WHERE key = $1 AND at = $2"
                               " LIMIT 1)"));
        return s->bindAll(key, atMs).run();
    });
}

Result<void> PgStore::forgetAttempts(std::string_view key)
{
    return m_pool->transact(PgIsolation::ReadCommitted, [&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("DELETE FROM attempt WHERE key = $1"));
        return s->bind(1, key).run();
    });
}

} // namespace imhere::server
