#include "pgleases.h"

#include <cstdint>

namespace imhere::server {

std::int32_t PgLeases::keyOf(std::string_view job)
{
    std::uint32_t hash = 2166136261u; // FNV-1a
    for (const char c : job) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619u;
    }
    return static_cast<std::int32_t>(hash & 0x7fffffffu); // positive: pg_locks shows it as the same oid
}

Result<bool> PgLeases::ask(std::string_view job)
{
    // Already ours in this session (pg_locks), or taken now if no other
    // session has it. Asking pg_try_advisory_lock again while holding it
    // would stack a second hold of the same lock.
    TRY_ASSIGN(s, m_connection->query(
                      "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                      " AND pid = pg_backend_pid() AND classid = $1::int4::oid AND objid = $2::int4::oid"
                      " AND objsubid = 2) THEN true ELSE pg_try_advisory_lock($1::int4, $2::int4) END"));
    TRY_ASSIGN(row, s->bindAll(int{k_namespace}, int{keyOf(job)}).step());
    if (!row)
        return fail(Errc::Internal, "no answer about the lease of " + std::string(job));
    return s->boolAt(0);
}

Result<JobLease> PgLeases::hold(std::string_view job)
{
    std::lock_guard lock(m_mutex);
    if (!m_connection) {
        TRY_ASSIGN(connection, PgConnection::connect(m_url));
        m_connection = std::move(connection);
    }
    auto asked = m_connection->broken() ? Result<bool>(fail(Errc::Unavailable, "connection lost")) : ask(job);
    if (!asked && m_connection->broken()) {
        // The session, and every lock it held, is gone.
        m_held.clear();
        TRY(m_connection->reconnect());
        asked = ask(job);
    }
    TRY(asked);
    if (!*asked) {
        m_held.erase(std::string(job));
        return JobLease::Elsewhere;
    }
    return m_held.emplace(job).second ? JobLease::Taken : JobLease::Held;
}

} // namespace imhere::server
