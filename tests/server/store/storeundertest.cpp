#include "storeundertest.h"

#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitestore.h"

#include <QCoreApplication>

#include <cstdlib>
#include <string_view>

namespace imhere::test {

namespace {

Backends* g_programBackends = nullptr;

} // namespace

Backends::Backends()
{
    const char* chosen = std::getenv("IMHERE_TEST_STORE");
    m_postgres = chosen && std::string_view(chosen) == "postgresql";
    if (m_postgres)
        m_cluster = std::make_unique<PgCluster>("imhere");
}

Backends::~Backends() = default;

std::string Backends::problem() const
{
    if (m_postgres && !m_cluster->ok())
        return "the PostgreSQL cluster did not start: " + m_cluster->error();
    return {};
}

Result<std::unique_ptr<server::Store>> Backends::open(const Clock& clock, std::size_t connections)
{
    const std::string name = "store" + std::to_string(++m_opened);
    m_lastConnections = connections;
    if (!m_postgres) {
        m_last = m_dir.file(name + ".db");
        return reopen(clock);
    }
    if (!m_cluster->ok())
        return fail(Errc::Unavailable, problem());
    if (!m_cluster->createDatabase(name))
        return fail(Errc::Unavailable, "createdb " + name + ": " + m_cluster->error());
    m_last = m_cluster->url(name);
    return reopen(clock);
}

Result<std::unique_ptr<server::Store>> Backends::reopen(const Clock& clock)
{
    if (!m_postgres) {
        TRY_ASSIGN(store, server::SqliteStore::open(m_last, clock));
        return std::unique_ptr<server::Store>(std::move(store));
    }
    TRY_ASSIGN(store, server::PgStore::open(m_last, clock, {.connections = m_lastConnections}));
    return std::unique_ptr<server::Store>(std::move(store));
}

Backends& programBackends()
{
    if (!g_programBackends) {
        g_programBackends = new Backends();
        // Stopped while Qt is still there to run pg_ctl (a static would be
        // destroyed after it).
        qAddPostRoutine([] {
            delete g_programBackends;
            g_programBackends = nullptr;
        });
    }
    return *g_programBackends;
}

} // namespace imhere::test
