#pragma once
// The backend a test runs its store on, chosen by the environment:
// IMHERE_TEST_STORE=sqlite (the default) or postgresql. CTest runs the same
// test programs once for each (imhere_add_postgresql_run in
// tests/CMakeLists.txt), so both backends pass the same cases rather than
// copies of them.
//
// For PostgreSQL a program starts one throwaway cluster
// (tests/support/pgcluster.h) and each store gets a fresh database in it;
// for SQLite each store is a fresh file in a temporary directory.

#include "sync-server/store/store.h"

#include "core/clock.h"
#include "core/result.h"

#include "tests/support/pgcluster.h"
#include "tests/support/tempdir.h"

#include <memory>
#include <string>

namespace imhere::test {

class Backends {
public:
    // Reads IMHERE_TEST_STORE; for postgresql, starts the cluster.
    Backends();
    ~Backends();
    Backends(const Backends&) = delete;
    Backends& operator=(const Backends&) = delete;

    [[nodiscard]] bool postgres() const { return m_postgres; }
    [[nodiscard]] const char* name() const { return m_postgres ? "postgresql" : "sqlite"; }
    // Empty when the backend is ready, else why not.
    [[nodiscard]] std::string problem() const;
    // A fresh, empty store (a new file or a new database) with
    // `connections` pooled connections (PostgreSQL).
    [[nodiscard]] Result<std::unique_ptr<server::Store>> open(const Clock& clock, std::size_t connections = 4);
    // The last store open() made, opened again: a server restarting.
    [[nodiscard]] Result<std::unique_ptr<server::Store>> reopen(const Clock& clock);
    // The file or the URL of the last store open() made.
    [[nodiscard]] const std::string& lastOpened() const { return m_last; }
    // Where the last open() put its store: the file, or the database's URL.
    [[nodiscard]] const std::string& location() const { return m_last; }
    // A fresh, empty place for a store that a command fills
    // (`imhere-server demo-data --db LOCATION`): a file name, or the URL of
    // a new database.
    [[nodiscard]] Result<std::string> freshLocation();
    // A fresh place holding a copy of the store at `seed` (a location from
    // freshLocation() or location(), which nothing may have open).
    [[nodiscard]] Result<std::string> freshCopy(const std::string& seed);
    // A fresh store holding a copy of the store at `seed`, as freshCopy.
    [[nodiscard]] Result<std::unique_ptr<server::Store>> openCopy(const std::string& seed, const Clock& clock,
                                                                   std::size_t connections = 4);
    // The store at `location` (a file, or a postgresql:// URL).
    [[nodiscard]] static Result<std::unique_ptr<server::Store>> openAt(const std::string& location,
                                                                        const Clock& clock,
                                                                        std::size_t connections = 4);
    // The cluster, for tests that restart it; nullptr for SQLite.
    [[nodiscard]] PgCluster* cluster() { return m_cluster.get(); }

private:
    // A new database `name` in the cluster, a copy of `copyOf`, or when that
    // is empty of a database the schema was migrated into once: made
    // through SQL, not a createdb process, as servers are made by the
    // hundred.
    [[nodiscard]] Result<void> createDatabase(const std::string& name, const std::string& copyOf = {});

    bool m_postgres = false;
    bool m_migratedMade = false; // the migrated database, copied for each empty store
    std::unique_ptr<PgCluster> m_cluster;
    TempDir m_dir{"imhere-store-test"};
    int m_opened = 0;
    std::string m_last; // the file or the URL of the last open()
    std::size_t m_lastConnections = 4;
};

// One Backends for the whole test program, for fixtures made per test case
// (the service suites): made on first use, its cluster stopped when the
// program's QCoreApplication ends.
[[nodiscard]] Backends& programBackends();

} // namespace imhere::test
