#include "testserver.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/pgconnection.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
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

TestServer::TestServer(PublicApiSettings chosen, const std::string& seed)
    : clock(SystemClock().nowMs()), publicSettings(chosen)
{
    start(0, {}, seed);
}

TestServer::TestServer(const std::string& seed) : clock(SystemClock().nowMs())
{
    start(0, {}, seed);
}

TestServer::TestServer(Restart of) : clock(SystemClock().nowMs())
{
    if (!postgres()) {
        start(0, {}, of.location);
        return;
    }
    m_location = of.location;
    start(0);
}

std::unique_ptr<TestServer> TestServer::restarted() const
{
    return std::unique_ptr<TestServer>(new TestServer(Restart{m_location}));
}

std::string TestServer::seedLocation()
{
    auto fresh = programBackends().freshLocation();
    if (!fresh)
        throw std::runtime_error(fresh.error().message);
    return *fresh;
}

std::string TestServer::copyOf(const std::string& seed)
{
    auto copy = programBackends().freshCopy(seed);
    if (!copy)
        throw std::runtime_error(copy.error().message);
    return *copy;
}

std::vector<std::string> TestServer::textsIn(const std::string& location, const std::string& sql)
{
    if (location.starts_with("postgresql://")) {
        auto connection = PgConnection::connect(location);
        if (!connection)
            throw std::runtime_error(connection.error().message);
        auto s = (*connection)->query(sql);
        if (!s)
            throw std::runtime_error(sql + ": " + s.error().message);
        auto texts = (*s)->collect([](PgStatement& row) { return row.optionalTextAt(0).value_or(""); });
        if (!texts)
            throw std::runtime_error(sql + ": " + texts.error().message);
        return *texts;
    }
    auto file = Database::open(location, {.readOnly = true});
    if (!file)
        throw std::runtime_error("open " + location + ": " + file.error().message);
    auto s = file->prepare(sql);
    if (!s)
        throw std::runtime_error(sql + ": " + s.error().message);
    std::vector<std::string> texts;
    for (auto row = s->step(); row && *row; row = s->step())
        texts.push_back(s->optionalTextAt(0).value_or(""));
    return texts;
}

void TestServer::start(unsigned connectionTimeoutSec, TrustedProxies trustedProxies, const std::string& seed)
{
    Backends& backends = programBackends();
    if (backends.postgres()) {
        // The HTTP workers, the check-in writer and a spare.
        constexpr std::size_t k_connections = 4;
        auto opened = !m_location.empty() ? Backends::openAt(m_location, clock, k_connections) // restarted
                      : seed.empty()      ? backends.open(clock, k_connections)
                                          : backends.openCopy(seed, clock, k_connections);
        if (!opened)
            throw std::runtime_error(opened.error().message);
        store = std::move(*opened);
        if (m_location.empty())
            m_location = backends.location();
    } else {
        // The file stays in this server's directory, beside what its tests
        // put there.
        m_location = dbPath();
        if (!seed.empty()) {
            std::filesystem::copy_file(seed, m_location);
            const std::filesystem::path wal = seed + "-wal";
            if (std::filesystem::exists(wal))
                std::filesystem::copy_file(wal, m_location + "-wal");
        }
        auto opened = SqliteStore::open(m_location, clock);
        if (!opened)
            throw std::runtime_error(opened.error().message);
        store = std::move(*opened);
    }
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

PgConnection* TestServer::reader() const
{
    if (!m_reader) {
        auto connected = PgConnection::connect(m_location);
        if (!connected)
            return nullptr;
        m_reader = std::move(*connected);
    }
    return m_reader.get();
}

std::int64_t TestServer::countInFile(const std::string& sql) const
{
    // A database that cannot answer fails the running test and counts -1,
    // which no count it is compared with can be.
    std::int64_t count = -1;
    if (postgres()) {
        [&] {
            PgConnection* connection = reader();
            QVERIFY2(connection, ("connect to " + m_location).c_str());
            auto s = connection->query(sql);
            QVERIFY2(s, (sql + ": " + (s ? "" : s.error().message)).c_str());
            const auto row = (*s)->step();
            QVERIFY2(row && *row, (sql + ": " + (row ? "no row" : row.error().message)).c_str());
            count = (*s)->int64At(0);
        }();
        return count;
    }
    [&] {
        auto file = Database::open(m_location, {.readOnly = true});
        QVERIFY2(file, ("open " + m_location).c_str());
        auto s = file->prepare(sql);
        QVERIFY2(s, sql.c_str());
        const auto row = s->step();
        QVERIFY2(row && *row, sql.c_str());
        count = s->int64At(0);
    }();
    return count;
}

std::vector<std::string> TestServer::tableNames() const
{
    std::vector<std::string> names;
    if (postgres()) {
        [&] {
            PgConnection* connection = reader();
            QVERIFY2(connection, ("connect to " + m_location).c_str());
            auto s = connection->query("SELECT table_name FROM information_schema.tables"
                                          " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                                          " ORDER BY table_name");
            QVERIFY2(s, "list the tables");
            auto all = (*s)->collect([](PgStatement& row) { return row.textAt(0); });
            QVERIFY2(all, "list the tables");
            names = std::move(*all);
        }();
        return names;
    }
    [&] {
        auto file = Database::open(m_location, {.readOnly = true});
        QVERIFY2(file, ("open " + m_location).c_str());
        auto s = file->prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        QVERIFY2(s, "list the tables");
        for (auto row = s->step(); row && *row; row = s->step())
            names.push_back(s->textAt(0));
    }();
    return names;
}

bool TestServer::refuseInserts(const std::string& table, const std::string& condition) const
{
    if (postgres()) {
        PgConnection* connection = reader();
        return connection
               && connection->exec("CREATE OR REPLACE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS"
                                   " $$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = 'disk_full'; END $$;"
                                   " CREATE TRIGGER refuse BEFORE INSERT ON "
                                   + table + " FOR EACH ROW WHEN (" + condition
                                   + ") EXECUTE FUNCTION refuse_insert()");
    }
    auto file = Database::open(m_location);
    return file
           && file->exec("CREATE TRIGGER refuse BEFORE INSERT ON " + table + " WHEN " + condition
                         + " BEGIN SELECT RAISE(ABORT, 'refused'); END");
}

bool TestServer::allowInserts(const std::string& table) const
{
    if (postgres()) {
        PgConnection* connection = reader();
        return connection && connection->exec("DROP TRIGGER refuse ON " + table);
    }
    auto file = Database::open(m_location);
    return file && file->exec("DROP TRIGGER refuse");
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
