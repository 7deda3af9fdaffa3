#pragma once
// The backend a store test runs against, chosen by the environment:
// IMHERE_TEST_STORE=sqlite (the default) or postgresql. CTest runs the same
// test program once for each (tests/server/store/CMakeLists.txt), so both
// backends pass the same cases rather than copies of them.
//
// For PostgreSQL the program starts one throwaway cluster
// (tests/support/pgcluster.h) and each store gets a fresh database in it;
// for SQLite each store is a fresh file in a temporary directory.

#include "sync-server/store/attendancerepository.h"
#include "sync-server/store/courserepository.h"
#include "sync-server/store/credentialrepository.h"
#include "sync-server/store/outboxrepository.h"
#include "sync-server/store/peoplerepository.h"
#include "sync-server/store/remoterepository.h"
#include "sync-server/store/trackerrepository.h"

#include "core/clock.h"
#include "core/result.h"

#include "tests/support/pgcluster.h"
#include "tests/support/tempdir.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace imhere::test {

// One open store: the repositories both backends implement so far.
class StoreUnderTest {
public:
    virtual ~StoreUnderTest() = default;
    virtual server::PeopleRepository& people() = 0;
    virtual server::CourseRepository& courses() = 0;
    virtual server::AttendanceRepository& attendance() = 0;
    virtual server::CredentialRepository& credentials() = 0;
    virtual server::OutboxRepository& outbox() = 0;
    virtual server::RemoteRepository& remote() = 0;
    virtual server::TrackerRepository& tracker() = 0;
    virtual Result<void> inTransaction(const std::function<Result<void>()>& work) = 0;
};

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
    // A fresh, empty store (new file or new database) with `connections`
    // pooled connections (PostgreSQL).
    [[nodiscard]] Result<std::unique_ptr<StoreUnderTest>> open(const Clock& clock, std::size_t connections = 4);
    // The cluster, for tests that restart it; nullptr for SQLite.
    [[nodiscard]] PgCluster* cluster() { return m_cluster.get(); }
    // The URL of the database of the last open() (PostgreSQL).
    [[nodiscard]] const std::string& lastUrl() const { return m_lastUrl; }

private:
    bool m_postgres = false;
    std::unique_ptr<PgCluster> m_cluster;
    TempDir m_dir{"imhere-store-test"};
    int m_opened = 0;
    std::string m_lastUrl;
};

} // namespace imhere::test
