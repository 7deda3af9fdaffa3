#pragma once
// A real imhere-server in the test process: SQLite in a fresh temporary
// directory, libmicrohttpd on a free loopback port, the full route table,
// and a clock the test controls. School fills it with two courses and one
// person of every kind the access rules distinguish.

#include "httpclient.h"

#include "tests/support/tempdir.h"

#include "sync-server/cli/routetable.h"
#include "sync-server/http/httpserver.h"
#include "sync-server/store/sqlitestore.h"

#include "core/clock.h"

#include <filesystem>
#include <map>

namespace imhere::test {

class TestServer {
public:
    explicit TestServer(unsigned connectionTimeoutSec = 0, server::TrustedProxies trustedProxies = {});
    // Serves a copy of the database file `seed` (its -wal too, if any).
    explicit TestServer(const std::filesystem::path& seed);
    // With these public API settings (a required key, a small request budget).
    explicit TestServer(server::PublicApiSettings chosen, const std::filesystem::path& seed = {});
    ~TestServer();

    [[nodiscard]] std::string url() const;
    [[nodiscard]] HttpClient client() const { return HttpClient(url()); }
    [[nodiscard]] std::string dbPath() const { return (dir.path() / "imhere.db").string(); }
    // The one integer `sql` selects, read from the database file on a
    // read-only connection of its own (what a restart would find); -1, and
    // a failure of the running Qt Test, when the file cannot answer.
    [[nodiscard]] std::int64_t countInFile(const std::string& sql) const;

    ManualClock clock;
    TempDir dir;
    std::unique_ptr<server::SqliteStore> store;
    std::unique_ptr<server::Services> services;
    std::unique_ptr<server::ApiContext> api;
    std::unique_ptr<server::PublicApi> publicApi;
    server::Router router;
    std::unique_ptr<server::HttpServer> http;

private:
    server::PublicApiSettings publicSettings;
    void start(unsigned connectionTimeoutSec, server::TrustedProxies trustedProxies = {});
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
