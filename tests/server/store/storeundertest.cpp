#include "storeundertest.h"

#include "sync-server/store/pgconnection.h"
#include "sync-server/store/pgschema.h"
#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitestore.h"

#include <QCoreApplication>

#include <cstdlib>
#include <filesystem>
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
    TRY(createDatabase(name));
    m_last = m_cluster->url(name);
    return reopen(clock);
}

Result<void> Backends::createDatabase(const std::string& name, const std::string& copyOf)
{
    constexpr const char* k_migrated = "migrated";
    TRY_ASSIGN(admin, server::PgConnection::connect(m_cluster->url()));
    if (copyOf.empty() && !m_migratedMade) {
        TRY(admin->exec(std::string("CREATE DATABASE ") + k_migrated));
        {
            TRY_ASSIGN(migrated, server::PgConnection::connect(m_cluster->url(k_migrated)));
            TRY(server::migratePg(*migrated, server::pgMigrations()));
        }
        m_migratedMade = true;
    }
    // A database that was just in use (a seed the demo-data command wrote)
    // may still have its session ending: PostgreSQL waits a few seconds
    // for it before refusing.
    return admin->exec("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + (copyOf.empty() ? k_migrated : copyOf) + "\"");
}

Result<std::string> Backends::freshLocation()
{
    const std::string name = "store" + std::to_string(++m_opened);
    if (!m_postgres)
        return m_dir.file(name + ".db");
    if (!m_cluster->ok())
        return fail(Errc::Unavailable, problem());
    TRY(createDatabase(name));
    return m_cluster->url(name);
}

Result<std::string> Backends::freshCopy(const std::string& seed)
{
    const std::string name = "store" + std::to_string(++m_opened);
    if (!m_postgres) {
        const std::string file = m_dir.file(name + ".db");
        std::error_code failed;
        std::filesystem::copy_file(seed, file, failed);
        if (!failed && std::filesystem::exists(seed + "-wal"))
            std::filesystem::copy_file(seed + "-wal", file + "-wal", failed);
        if (failed)
            return fail(Errc::Unavailable, "copy " + seed + ": " + failed.message());
        return file;
    }
    if (!m_cluster->ok())
        return fail(Errc::Unavailable, problem());
    const std::string seedName = seed.substr(seed.rfind('/') + 1);
    TRY(createDatabase(name, seedName));
    return m_cluster->url(name);
}

Result<std::unique_ptr<server::Store>> Backends::openCopy(const std::string& seed, const Clock& clock,
                                                          std::size_t connections)
{
    TRY_ASSIGN(copy, freshCopy(seed));
    m_last = std::move(copy);
    m_lastConnections = connections;
    return reopen(clock);
}

Result<std::unique_ptr<server::Store>> Backends::openAt(const std::string& location, const Clock& clock,
                                                        std::size_t connections)
{
    if (!location.starts_with("postgresql://")) {
        TRY_ASSIGN(store, server::SqliteStore::open(location, clock));
        return std::unique_ptr<server::Store>(std::move(store));
    }
    TRY_ASSIGN(store, server::PgStore::open(location, clock, {.connections = connections}));
    return std::unique_ptr<server::Store>(std::move(store));
}

Result<std::unique_ptr<server::Store>> Backends::reopen(const Clock& clock)
{
    return openAt(m_last, clock, m_lastConnections);
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
