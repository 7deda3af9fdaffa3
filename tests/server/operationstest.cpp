// What a sysadmin relies on: settings from the config file, IMHERE_*
// variables and options, in that order of strength, with bad values refused
// at start-up naming the setting, its value and why; who may read /metrics
// and what it shows; backup rotation; a backup that is not a database is
// not restored.

#include "testserver.h"

#include "sync-server/cli/commands.h"
#include "sync-server/cli/healthprobe.h"
#include "sync-server/service/kiosks.h"

#include "core/random.h"
#include "core/syncprotocol.h"

#include "tests/support/qtestsupport.h"

#include <QScopeGuard>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fstream>
#include <regex>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using namespace std::chrono_literals;

namespace {

struct Ran {
    int status = -1;
    std::string out; // stdout and stderr together
};

// imhere-server with `args` and extra environment `env` ("NAME=value"),
// waited for.
Ran run(const std::vector<std::string>& args, const std::vector<std::string>& env = {})
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        for (const auto& e : env)
            putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> argv{const_cast<char*>(IMHERE_SERVER_BIN)};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(IMHERE_SERVER_BIN, argv.data());
        _exit(127);
    }
    close(fds[1]);
    Ran ran;
    char buffer[512];
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
        ran.out.append(buffer, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ran.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ran;
}

void write(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream(path) << text;
}

// The value of one sample line of /metrics, or -1.
double sample(const std::string& metrics, const std::string& series)
{
    std::istringstream in(metrics);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(series + " "))
            return std::stod(line.substr(series.size() + 1));
    return -1;
}

} // namespace

class OperationsTest : public QObject {
    Q_OBJECT

private slots:
    void badSettingsStopStartUpNamingKeyValueAndReason();
    void optionsBeatEnvironmentBeatConfigFile();
    void metricsAccessModes();
    void metricsCountWhatHappens();
    void backupRotationKeepsTheNewest();
    void restoreRefusesWhatIsNotAGoodDatabase();
    void healthProbeNeedsTheStoreAndAnAnsweringServer();

private:
    long m_lastStatus = 0;
};

void OperationsTest::badSettingsStopStartUpNamingKeyValueAndReason()
{
    if (TestServer::postgres())
        QSKIP("serve's settings, read before any store is opened: once, on SQLite, is enough");
    TempDir dir;
    const auto conf = dir.path() / "server.conf";
    const std::string db = (dir.path() / "imhere.db").string();

    write(conf, "[server]\nthreads = many\n");
    Ran r = run({"serve", "--config", conf.string(), "--db", db});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find(conf.string() + ": threads=many: must be a whole number from 1 to 64") != std::string::npos,
             r.out.c_str());

    // IMHERE_CONFIG names the file when --config does not.
    r = run({"serve", "--db", db}, {"IMHERE_CONFIG=" + conf.string()});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find(conf.string() + ": threads=many") != std::string::npos, r.out.c_str());

    write(conf, "[server]\nlisten = 127.0.0.1:0\nlisen = 127.0.0.1:1\n");
    r = run({"serve", "--config", conf.string(), "--db", db});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find("lisen=127.0.0.1:1: unknown key") != std::string::npos, r.out.c_str());

    write(conf, "[server]\nlisten = 127.0.0.1:0\n");
    r = run({"serve", "--config", conf.string(), "--db", db}, {"IMHERE_METRICS=everyone"});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find("IMHERE_METRICS=everyone: must be one of off | loopback | token") != std::string::npos,
             r.out.c_str());

    r = run({"serve", "--config", conf.string(), "--db", db, "--connection-timeout", "0"});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find("--connection-timeout=0: must be a whole number from 1 to 3600") != std::string::npos,
             r.out.c_str());

    r = run({"serve", "--config", conf.string(), "--db", db, "--metrics", "token"});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find("metrics=token: needs metrics-token-file") != std::string::npos, r.out.c_str());

    write(dir.path() / "token", "short\n");
    r = run({"serve", "--config", conf.string(), "--db", db, "--metrics", "token", "--metrics-token-file",
             (dir.path() / "token").string()});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find("must hold a token of at least 16 characters") != std::string::npos, r.out.c_str());

    r = run({"serve", "--config", (dir.path() / "missing.conf").string(), "--db", db});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.out.find("cannot read") != std::string::npos, r.out.c_str());
    // Nothing was started or made.
    QVERIFY(!std::filesystem::exists(db));
}

void OperationsTest::optionsBeatEnvironmentBeatConfigFile()
{
    if (TestServer::postgres())
        QSKIP("serve's settings, read before any store is opened: once, on SQLite, is enough");
    TempDir dir;
    const auto conf = dir.path() / "server.conf";
    const std::string db = (dir.path() / "imhere.db").string();
    // The file's bad value is hidden by the environment's, which the option beats.
    write(conf, "[server]\nlisten = 127.0.0.1:0\nmetrics = nobody\n");
    auto serve = [&](std::vector<std::string> extra, const char* env) {
        std::vector<std::string> args{"serve", "--config", conf.string(), "--db", db};
        args.insert(args.end(), extra.begin(), extra.end());
        int fds[2];
        QVERIFY(pipe(fds) == 0);
        const pid_t pid = fork();
        if (pid == 0) {
            dup2(fds[1], STDOUT_FILENO);
            putenv(const_cast<char*>(env));
            std::vector<char*> argv{const_cast<char*>(IMHERE_SERVER_BIN)};
            for (const auto& a : args)
                argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(IMHERE_SERVER_BIN, argv.data());
            _exit(127);
        }
        close(fds[1]);
        std::string line;
        char c;
        while (read(fds[0], &c, 1) == 1 && c != '\n')
            line.push_back(c);
        close(fds[0]);
        const auto at = line.find("http://");
        QVERIFY2(at != std::string::npos, line.c_str());
        HttpClient client(line.substr(at));
        m_lastStatus = client.get("/metrics").status;
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    };
    serve({}, "IMHERE_METRICS=off");
    QCOMPARE(m_lastStatus, 404L);
    serve({"--metrics", "loopback"}, "IMHERE_METRICS=off");
    QCOMPARE(m_lastStatus, 200L);
}

void OperationsTest::metricsAccessModes()
{
    TestServer server;
    HttpClient client = server.client();
    auto r = client.get("/metrics");
    QCOMPARE(r.status, 200L);
    QVERIFY(r.header("content-type").starts_with("text/plain; version=0.0.4"));
    QVERIFY(r.body.find("# TYPE imhere_http_requests_total counter") != std::string::npos);
    // Relayed by a proxy on this machine: not from here after all.
    QCOMPARE(client.get("/metrics", {"X-Forwarded-For: 203.0.113.7"}).status, 403L);
    QCOMPARE(client.get("/metrics", {"Forwarded: for=203.0.113.7"}).status, 403L);

    server.api->metricsAccess = {MetricsAccess::Mode::Token, "a-metrics-token-for-tests"};
    QCOMPARE(client.get("/metrics").status, 401L);
    QCOMPARE(client.get("/metrics", bearer("another-token-of-the-same-size")).status, 401L);
    r = client.get("/metrics", bearer("a-metrics-token-for-tests"));
    QCOMPARE(r.status, 200L);
    QVERIFY(r.body.find("a-metrics-token-for-tests") == std::string::npos);

    server.api->metricsAccess = {MetricsAccess::Mode::Off, {}};
    QCOMPARE(client.get("/metrics").status, 404L);
}

void OperationsTest::metricsCountWhatHappens()
{
    TestServer server;
    const School school = School::build(server);
    HttpClient client = server.client();

    // A kiosk sync with two taps, one of them sent twice, and a report of
    // what waits in its outbox; its clock 3 s ahead.
    const auto now = server.clock.nowMs();
    sync::SyncRequest request{sync::k_protocolVersion, now + 3'000, 0, {}};
    request.outbox = 7;
    const sync::Event tap{newUuidV4(), now, school.studentA.publicId,
                          sync::CheckIn{school.studentA.publicId, school.openA.id, sync::CheckInSource::Nfc}};
    request.events = {tap, tap,
                      sync::Event{newUuidV4(), now, school.studentA2.publicId,
                                  sync::CheckIn{school.studentA2.publicId, school.openA.id, sync::CheckInSource::Nfc}},
                      sync::Event{newUuidV4(), now, school.studentB.publicId,
                                  sync::CheckIn{school.studentB.publicId, school.openA.id, sync::CheckInSource::Nfc}}};
    QCOMPARE(client.json("POST", "/api/v1/kiosk/sync", sync::encode(request), bearer(school.kioskToken)).status, 200L);
    // A student's check-in to a closed window is refused; a TA checks in
    // through the API: one group commit.
    QCOMPARE(client.json("POST", "/api/v1/windows/" + school.closedA.id + "/check-ins", "{}",
                         School::sessionFor(server, school.studentA))
                 .status,
             409L);
    const auto ta = School::sessionFor(server, school.taA);
    QCOMPARE(client.json("POST", "/api/v1/windows/" + school.openA.id + "/check-ins", "{}", ta).status, 201L);

    const auto r = client.get("/metrics");
    QCOMPARE(r.status, 200L);
    const std::string& m = r.body;
    QCOMPARE(sample(m, R"(imhere_sync_events_total{outcome="stored"})"), 2.0);
    QCOMPARE(sample(m, R"(imhere_sync_events_total{outcome="duplicate"})"), 1.0);
    QCOMPARE(sample(m, R"(imhere_sync_events_total{outcome="rejected"})"), 1.0);
    QCOMPARE(sample(m, R"(imhere_check_ins_total{source="nfc"})"), 2.0);
    QCOMPARE(sample(m, R"(imhere_check_ins_total{source="manual"})"), 1.0); // the TA's, through the API
    const std::string kiosk = std::to_string(school.kiosk.id);
    QCOMPARE(sample(m, "imhere_kiosk_outbox_events{kiosk=\"" + kiosk + "\"}"), 7.0);
    QCOMPARE(sample(m, "imhere_kiosk_clock_skew_seconds{kiosk=\"" + kiosk + "\"}"), 3.0);
    QCOMPARE(sample(m, "imhere_kiosk_last_sync_timestamp_seconds{kiosk=\"" + kiosk + "\"}"),
             static_cast<double>(now) / 1000.0);
    QCOMPARE_GE(sample(m, "imhere_check_in_group_commit_size_count"), 1.0);
    QCOMPARE(sample(m, R"(imhere_http_requests_total{group="sync",code="200"})"), 1.0);
    QCOMPARE(sample(m, R"(imhere_http_requests_total{group="api",code="409"})"), 1.0);
    QCOMPARE(sample(m, R"(imhere_http_requests_total{group="api",code="201"})"), 1.0);
    QCOMPARE(sample(m, R"(imhere_http_request_duration_seconds_count{group="sync"})"), 1.0);
    QCOMPARE(sample(m, R"(imhere_http_request_duration_seconds_bucket{group="sync",le="+Inf"})"), 1.0);
    // After a restart, the last sync the store kept (to within a minute).
    const auto restarted = server.restarted();
    QVERIFY(loadKioskMetrics(*restarted->services));
    const auto kept = restarted->client().get("/metrics");
    QCOMPARE_GE(sample(kept.body, "imhere_kiosk_last_sync_timestamp_seconds{kiosk=\"" + kiosk + "\"}"),
                static_cast<double>(now - 60'000) / 1000.0);
    QCOMPARE(sample(kept.body, "imhere_kiosk_outbox_events{kiosk=\"" + kiosk + "\"}"), -1.0);

    // No secret or name leaks into the metrics.
    QVERIFY(m.find(school.kioskToken) == std::string::npos);
    QVERIFY(m.find(school.studentA.publicId) == std::string::npos);
}

void OperationsTest::backupRotationKeepsTheNewest()
{
    if (TestServer::postgres())
        QSKIP("backup copies a SQLite file (a PostgreSQL database is backed up with pg_dump)");
    TempDir dir;
    for (const char* name : {"imhere-20260101T023000Z.db", "imhere-20260102T023000Z.db", "imhere-20260103T023000Z.db",
                             "imhere-20260104T023000Z.db", "notes.txt"})
        write(dir.path() / name, "x");
    const auto old = cli::backupsToDelete(dir.path(), 2);
    QCOMPARE(old.size(), 2u);
    QCOMPARE(old[0].filename().string(), "imhere-20260101T023000Z.db");
    QCOMPARE(old[1].filename().string(), "imhere-20260102T023000Z.db");
    QVERIFY(cli::backupsToDelete(dir.path(), 4).empty());
    QVERIFY(std::regex_match(cli::backupFileName(std::chrono::system_clock::now()),
                             std::regex(R"(imhere-\d{8}T\d{6}Z\.db)")));

    // The command: a backup into the directory, older ones beyond --backup-keep removed.
    const std::string db = (dir.path() / "imhere.db").string();
    QCOMPARE(run({"init", "--db", db, "--config", "/dev/null"}).status, 0);
    const Ran r = run({"backup", "--db", db, "--config", "/dev/null", "--backup-dir", dir.path().string(),
                       "--backup-keep", "2"});
    QVERIFY2(r.status == 0, r.out.c_str());
    QVERIFY(!std::filesystem::exists(dir.path() / "imhere-20260103T023000Z.db"));
    QVERIFY(std::filesystem::exists(dir.path() / "imhere-20260104T023000Z.db"));
    QVERIFY(std::filesystem::exists(dir.path() / "notes.txt"));
    QCOMPARE(cli::backupsToDelete(dir.path(), 1).size(), 1u);
    // Each backup is one self-contained file: nothing beside it.
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        const std::string name = entry.path().filename().string();
        const bool stray = name.ends_with("-wal") || name.ends_with("-shm") || name.find(".partial") != std::string::npos;
        QVERIFY2(!stray || name.starts_with("imhere.db"), name.c_str()); // the live database's own are its business
    }
}

void OperationsTest::restoreRefusesWhatIsNotAGoodDatabase()
{
    if (TestServer::postgres())
        QSKIP("restore writes a SQLite file (a PostgreSQL database is restored with pg_restore)");
    TempDir dir;
    const std::string db = (dir.path() / "imhere.db").string();
    QCOMPARE(run({"init", "--db", db, "--config", "/dev/null"}).status, 0);
    write(dir.path() / "garbage.db", std::string(8192, 'g'));
    const Ran r = run({"restore", "--db", db, "--config", "/dev/null", "--from", (dir.path() / "garbage.db").string()});
    QCOMPARE(r.status, 1);
    QVERIFY2(r.out.find("not a database") != std::string::npos, r.out.c_str());
    const Ran missing = run({"restore", "--db", db, "--config", "/dev/null", "--from", "/no/such/backup.db"});
    QCOMPARE(missing.status, 1);
    QVERIFY2(missing.out.find("no such backup") != std::string::npos, missing.out.c_str());
}

void OperationsTest::healthProbeNeedsTheStoreAndAnAnsweringServer()
{
    TestServer server;
    cli::HealthProbe probe(*server.store, "127.0.0.1", server.http->port());
    const auto healthy = probe.check();
    QVERIFY2(healthy, healthy ? "" : healthy.error().message.c_str());

    // A port that takes connections and never answers: stuck HTTP threads.
    const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::bind(silent, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    QCOMPARE(::listen(silent, 8), 0);
    socklen_t length = sizeof address;
    ::getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length);
    cli::HealthProbe stuck(*server.store, "127.0.0.1", ntohs(address.sin_port));
    const auto answer = stuck.check();
    ::close(silent);
    QVERIFY(!answer);
    QVERIFY2(answer.error().message.starts_with("http: no answer to GET /healthz"), answer.error().message.c_str());

    // The server stopped: nothing listens any more.
    server.http->stop();
    const auto stopped = probe.check();
    QVERIFY(!stopped);
    QVERIFY2(stopped.error().message.starts_with("http: "), stopped.error().message.c_str());

    // The database gone (the file moved away, the PostgreSQL server
    // stopped): the store half fails first.
    PgCluster* cluster = programBackends().cluster();
    if (cluster)
        QVERIFY2(cluster->stop(), cluster->error().c_str());
    else
        std::filesystem::rename(server.dbPath(), server.dbPath() + ".away");
    const auto gone = probe.check();
    if (cluster)
        QVERIFY2(cluster->start(), cluster->error().c_str());
    else
        std::filesystem::rename(server.dbPath() + ".away", server.dbPath());
    QVERIFY(!gone);
    QVERIFY2(gone.error().message.starts_with("store: "), gone.error().message.c_str());
}

QTEST_GUILESS_MAIN(OperationsTest)
#include "operationstest.moc"
