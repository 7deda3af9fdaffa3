#pragma once
// A real imhere-server in the test process: its store on the program's
// backend (tests/server/store/storeundertest.h: a SQLite file in a fresh
// temporary directory, or a fresh database in the program's PostgreSQL
// cluster when IMHERE_TEST_STORE=postgresql), libmicrohttpd on a free
// loopback port, the full route table, and a clock the test controls.
// School fills it with two courses and one person of every kind the access
// rules distinguish.

#include "httpclient.h"

#include "tests/server/store/storeundertest.h"
#include "tests/support/tempdir.h"

#include "sync-server/cli/routetable.h"
#include "sync-server/http/httpserver.h"
#include "sync-server/store/store.h"

#include "core/clock.h"

#include <filesystem>
#include <map>

namespace imhere::server {
class PgConnection;
}

namespace imhere::test {

class TestServer {
public:
    explicit TestServer(unsigned connectionTimeoutSec = 0, server::TrustedProxies trustedProxies = {});
    // Serves a copy of the store at `seed`: a database file (its -wal too,
    // if any), or on PostgreSQL a database of the program's cluster that no
    // one has open (seedLocation()).
    explicit TestServer(const std::string& seed);
    // With these public API settings (a required key, a small request budget).
    explicit TestServer(server::PublicApiSettings chosen, const std::string& seed = {});
    ~TestServer();

    // A fresh place on the program's backend for a store that a command
    // fills (`imhere-server demo-data --db LOCATION`), to serve copies of:
    // a file name, or the URL of a new database. Throws when the backend
    // is not there.
    [[nodiscard]] static std::string seedLocation();
    // A fresh copy of the store at `seed`, for a command to change
    // (`imhere-server person erase --db LOCATION`) before it is served.
    [[nodiscard]] static std::string copyOf(const std::string& seed);
    // The first column of every row `sql` selects in the store at
    // `location`, NULL as empty (the SQL must mean the same on both
    // backends); throws when the database cannot answer.
    [[nodiscard]] static std::vector<std::string> textsIn(const std::string& location, const std::string& sql);
    // A second server over what this one stored, as after a restart: the
    // same database on PostgreSQL, a copy of the file (its -wal too) on
    // SQLite.
    [[nodiscard]] std::unique_ptr<TestServer> restarted() const;
    // Whether the store is on PostgreSQL.
    [[nodiscard]] static bool postgres() { return programBackends().postgres(); }

    [[nodiscard]] std::string url() const;
    [[nodiscard]] HttpClient client() const { return HttpClient(url()); }
    // The database file (SQLite only).
    [[nodiscard]] std::string dbPath() const { return (dir.path() / "imhere.db").string(); }
    // The database file, or the URL of the database on PostgreSQL.
    [[nodiscard]] const std::string& location() const { return m_location; }
    // The one integer `sql` selects, read on a connection of its own to the
    // database (read-only for a file: what a restart would find); -1, and a
    // failure of the running Qt Test, when the database cannot answer. The
    // SQL must mean the same on SQLite and PostgreSQL.
    [[nodiscard]] std::int64_t countInFile(const std::string& sql) const;
    // The names of the database's tables, in order.
    [[nodiscard]] std::vector<std::string> tableNames() const;
    // The database refuses every insert into `table` (those where
    // `condition`, an SQL expression on NEW, holds), as a full disk refuses
    // a write, until allowInserts(table). False when it could not be set.
    [[nodiscard]] bool refuseInserts(const std::string& table, const std::string& condition = "true") const;
    [[nodiscard]] bool allowInserts(const std::string& table) const;

    ManualClock clock;
    TempDir dir;
    std::unique_ptr<server::Store> store;
    std::unique_ptr<server::Services> services;
    std::unique_ptr<server::ApiContext> api;
    std::unique_ptr<server::PublicApi> publicApi;
    server::Router router;
    std::unique_ptr<server::HttpServer> http;

private:
    server::PublicApiSettings publicSettings;
    std::string m_location;
    struct Restart {
        std::string location;
    };
    explicit TestServer(Restart of);
    // countInFile's connection on PostgreSQL, made on first use.
    mutable std::unique_ptr<server::PgConnection> m_reader;
    server::PgConnection* reader() const;
    // Opens the store (a copy of `seed` if not empty) and starts serving.
    void start(unsigned connectionTimeoutSec, server::TrustedProxies trustedProxies = {},
               const std::string& seed = {});
};

using Headers = std::vector<std::string>;

struct School {
    server::Person admin, teacherA, taA, studentA, studentA2, studentB, teacherB, outsider;
    server::Course courseA, courseB;
    server::Window openA, openB, closedA;
    server::Kiosk kiosk; // serves course A
    std::string kioskToken;
    std::string readKey;  // API key of teacherA, scope read
    std::string writeKey; // API key of the admin, scope write

    static School build(TestServer& server);
    // Cookie and CSRF headers of a fresh session (made in the store, so no
    // password hashing slows the tests down).
    static Headers sessionFor(TestServer& server, const server::Person& person);
};

// `imhere-server serve` as a child process on a free loopback port, for tests
// that kill it; url is empty when it did not start.
struct ServerProcess {
    int pid = -1;
    std::string url;
};
[[nodiscard]] ServerProcess startServerProcess(const char* binary, const std::string& dbPath);

[[nodiscard]] Headers bearer(const std::string& token);
[[nodiscard]] server::Person addPerson(server::Store& store, const std::string& name,
                                       std::optional<std::string> email = std::nullopt);

} // namespace imhere::test
