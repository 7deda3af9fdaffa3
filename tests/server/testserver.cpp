#include "testserver.h"

#include "sync-server/auth/tokens.h"

#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <cstdlib>
#include <unistd.h>

namespace imhere::test {

using namespace imhere::server;

TestServer::TestServer(unsigned connectionTimeoutSec, TrustedProxies trustedProxies) : clock(SystemClock().nowMs())
{
    start(connectionTimeoutSec, std::move(trustedProxies));
}

TestServer::TestServer(PublicApiSettings chosen, const std::filesystem::path& seed)
    : clock(SystemClock().nowMs()), publicSettings(chosen)
{
    if (!seed.empty()) {
        std::filesystem::copy_file(seed, dbPath());
        const std::filesystem::path wal = seed.string() + "-wal";
        if (std::filesystem::exists(wal))
            std::filesystem::copy_file(wal, dbPath() + "-wal");
    }
    start(0);
}

TestServer::TestServer(const std::filesystem::path& seed) : clock(SystemClock().nowMs())
{
    std::filesystem::copy_file(seed, dbPath());
    const std::filesystem::path wal = seed.string() + "-wal";
    if (std::filesystem::exists(wal))
        std::filesystem::copy_file(wal, dbPath() + "-wal");
    start(0);
}

void TestServer::start(unsigned connectionTimeoutSec, TrustedProxies trustedProxies)
{
    auto opened = SqliteStore::open(dbPath(), clock);
    if (!opened)
        throw std::runtime_error(opened.error().message);
    store = std::move(*opened);
    services = std::make_unique<Services>(*store, clock);
    api = std::make_unique<ApiContext>(*services);
    publicApi = std::make_unique<PublicApi>(*services, publicSettings);
    addAllRoutes(router, *api, *publicApi);
    http = std::make_unique<HttpServer>(router);
    HttpServerOptions options;
    options.threads = 2;
    options.connectionTimeoutSec = connectionTimeoutSec;
    options.trustedProxies = std::move(trustedProxies);
    options.onAnswered = [this](const Exchange& e) {
        services->metrics.recordRequest(e.routePattern, e.status, e.seconds);
    };
    if (auto started = http->start(options); !started)
        throw std::runtime_error(started.error().message);
}

TestServer::~TestServer()
{
    http->stop();
}

std::int64_t TestServer::countInFile(const std::string& sql) const
{
    // A file that cannot answer fails the running test and counts -1, which
    // no count it is compared with can be.
    std::int64_t count = -1;
    [&] {
        auto file = Database::open(dbPath(), {.readOnly = true});
        QVERIFY2(file, ("open " + dbPath()).c_str());
        auto s = file->prepare(sql);
        QVERIFY2(s, sql.c_str());
        const auto row = s->step();
        QVERIFY2(row && *row, sql.c_str());
        count = s->int64At(0);
    }();
    return count;
}

std::string TestServer::url() const
{
    return "http://127.0.0.1:" + std::to_string(http->port());
}

ServerProcess startServerProcess(const char* binary, const std::string& dbPath)
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execl(binary, binary, "serve", "--db", dbPath.c_str(), "--listen", "127.0.0.1:0", nullptr);
        _exit(127);
    }
    close(fds[1]);
    // The first line says where it listens.
    std::string out;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n')
        out.push_back(c);
    close(fds[0]);
    const auto at = out.find("http://");
    return {pid, at == std::string::npos ? std::string() : out.substr(at)};
}

Headers bearer(const std::string& token)
{
    return {"Authorization: Bearer " + token};
}

Person addPerson(Store& store, const std::string& name, std::optional<std::string> email)
{
    auto p = store.people().createPerson({name, std::move(email), std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                 false});
    if (!p)
        throw std::runtime_error(p.error().message);
    return *p;
}

namespace {

template <class T>
T must(Result<T> r)
{
    if (!r)
        throw std::runtime_error(std::string(errorCodeName(r.error().code)) + ": " + r.error().message);
    return std::move(*r);
}

void must(Result<void> r)
{
    if (!r)
        throw std::runtime_error(std::string(errorCodeName(r.error().code)) + ": " + r.error().message);
}

} // namespace

Headers School::sessionFor(TestServer& server, const Person& person)
{
    const std::string token = randomToken(32);
    const std::string csrf = randomToken(32);
    must(server.store->credentials().createSession(sha256(token), Session{person.id, csrf, server.clock.nowMs() + 3'600'000}));
    return {"Cookie: imhere_session=" + token, "X-CSRF-Token: " + csrf};
}

School School::build(TestServer& server)
{
    Store& store = *server.store;
    School s;
    s.admin = must(store.people().createPerson({"Org Admin", "admin@example.org", std::nullopt, std::nullopt, std::nullopt,
                                       std::nullopt, true}));
    s.teacherA = addPerson(store, "Tomás Teacher", "tomas@example.org");
    s.taA = addPerson(store, "Tara TA");
    s.studentA = addPerson(store, "Sam Student");
    s.studentA2 = addPerson(store, "Zoë Student");
    s.studentB = addPerson(store, "Bea Other");
    s.teacherB = addPerson(store, "Teo Other Teacher");
    s.outsider = addPerson(store, "Olu Outsider");
    // Everyone joined their course a month before, so every window below is theirs.
    const auto joined = server.clock.nowMs();
    server.clock.set(joined - 30 * 86'400'000LL);
    s.courseA = must(store.courses().createCourse({"WM5 · JS1", "Europe/London", 10, 60, {s.studentA.id, s.studentA2.id}},
                                        s.teacherA.id));
    s.courseB = must(store.courses().createCourse({"NW6 · React", "Europe/London", 10, 60, {s.studentB.id}}, s.teacherB.id));
    must(store.courses().setEnrollment(s.taA.id, s.courseA.id, sync::Role::Ta, s.teacherA.id));
    server.clock.set(joined);
    const auto now = server.clock.nowMs();
    s.openA = must(store.attendance().createWindow({newUuidV4(), s.courseA.id, "Week 1", now - 60'000, now - 120'000, s.teacherA.id}));
    s.openB = must(store.attendance().createWindow({newUuidV4(), s.courseB.id, "Week 1", now - 60'000, now - 120'000, s.teacherB.id}));
    s.closedA = must(store.attendance().createWindow({newUuidV4(), s.courseA.id, "Week 0", now - 7 * 86'400'000,
                                         now - 7 * 86'400'000, s.teacherA.id}));
    s.closedA = must(store.attendance().closeWindow(s.closedA.id, now - 7 * 86'400'000 + 3 * 3'600'000, s.teacherA.id));

    const IssuedToken kiosk = issueToken(k_kioskTokenPrefix);
    s.kiosk = must(store.kiosks().createKiosk({"Room 1 door", kiosk.lookup, kiosk.hash, randomBytes(32), {s.courseA.id}}));
    s.kioskToken = kiosk.token;
    const IssuedToken read = issueToken(k_apiKeyPrefix);
    must(store.credentials().createApiKey(s.teacherA.id, read.lookup, read.hash, ApiScope::Read));
    s.readKey = read.token;
    const IssuedToken write = issueToken(k_apiKeyPrefix);
    must(store.credentials().createApiKey(s.admin.id, write.lookup, write.hash, ApiScope::Write));
    s.writeKey = write.token;
    return s;
}

} // namespace imhere::test
