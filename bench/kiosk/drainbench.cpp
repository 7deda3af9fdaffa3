// A kiosk through an outage of imhere-server, two ways:
//
// 1. Draining: 10 000 taps are answered at the door while the server is down,
//    then the server comes back and the kiosk's SyncClient sends them, 500 a
//    round, until its outbox is empty. The floor, measured in the same run on
//    the same disk: a bare SQLite insert of the same number of rows, one
//    transaction per 500.
// 2. Taps across the outage: the server is SIGKILLed for the middle third of
//    10 000 taps and started again, while the SyncClient runs on a thread of
//    its own with its own store connection, as in the kiosk (station.cpp),
//    syncing as taps arrive and backing off while the server is away. Each
//    tap (read -> durable record -> feedback) is timed in each third, with a
//    bare SQLite commit (WAL, synchronous=FULL) on the same disk after each
//    tap as the floor; then the time until the last queued event is on the
//    server.
//
// Every check-in must be on the server exactly once, or the bench fails. The
// real imhere-server process and the kiosk's real services and store.
//
// Usage: bench_kiosk_drain [taps]   (default 10 000)

#include "bench/benchtable.h"
#include "bench/must.h"

#include "tests/e2e/processes.h"
#include "tests/e2e/schoolseed.h"
#include "tests/kiosk/testsupport.h"

#include "core/database.h"
#include "core/random.h"
#include "kiosk/checkinservice.h"
#include "kiosk/curltransport.h"
#include "kiosk/kiosklimits.h"
#include "kiosk/syncclient.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QThread>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <type_traits>
#include <vector>

using namespace imhere;
using imhere::bench::must;
using namespace imhere::kiosk;
using Steady = std::chrono::steady_clock;

namespace {

double secondsSince(Steady::time_point start)
{
    return std::chrono::duration<double>(Steady::now() - start).count();
}

// `rows` rows inserted one transaction per `batch`, as the server's floor.
double bareInsertSeconds(const std::string& path, int rows, int batch)
{
    Database db = must(Database::open(path), "open the floor's file");
    must(db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, person TEXT NOT NULL, at INTEGER NOT NULL) STRICT"), "create");
    const auto start = Steady::now();
    for (int done = 0; done < rows; done += batch) {
        auto txn = must(Transaction::begin(db), "begin");
        auto insert = must(db.prepare("INSERT INTO t (id, person, at) VALUES (?, ?, ?)"), "prepare");
        for (int i = done; i < std::min(rows, done + batch); ++i) {
            must(insert.bindAll(newUuidV4(), "p" + std::to_string(i), std::int64_t{i}).run(), "insert");
            insert.reset();
        }
        must(txn.commit(), "commit");
    }
    return secondsSince(start);
}

// The check-ins on the server from this kiosk, and the distinct people among them.
void requireExactlyOnce(const std::string& db, std::uint32_t kioskId, int taps)
{
    const std::string kiosk = std::to_string(kioskId);
    const auto onServer = e2e::queryInt(db, "SELECT COUNT(*) FROM check_in WHERE kiosk = ?", kiosk);
    const auto distinct = e2e::queryInt(db, "SELECT COUNT(DISTINCT person) FROM check_in WHERE kiosk = ?", kiosk);
    if (onServer != taps || distinct != taps)
        throw std::runtime_error("the server holds " + std::to_string(onServer.value_or(-1)) + " check-ins ("
                                 + std::to_string(distinct.value_or(-1)) + " people) of " + std::to_string(taps));
}

// Syncs on this thread until the kiosk has its identity and the whole roster.
void pullRoster(KioskStore& store, SyncClient& client)
{
    std::int64_t cursor = -1;
    for (int round = 0; round < 200 && (!must(store.identity(), "identity") || cursor != must(store.cursor(), "cursor"));
         ++round) {
        cursor = must(store.cursor(), "cursor");
        if (!client.syncNow())
            throw std::runtime_error("the first sync failed");
    }
}

// A school of `taps` trainees, each with a badge, on a running imhere-server,
// and a directory for the kiosk's store.
struct School {
    QTemporaryDir dir;
    std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
    e2e::SeededSchool school;
    e2e::ServerProcess server{db};
    kiosk::test::TempStore kioskStore;

    explicit School(int taps) : school(e2e::seedSchool(db, taps))
    {
        if (!server.start())
            throw std::runtime_error("imhere-server did not start");
    }
    // A connection to the kiosk's store, which knows the server.
    KioskStore openKiosk()
    {
        KioskStore store = kioskStore.open();
        must(store.saveCredentials({server.url(), school.kioskToken, ""}), "credentials");
        return store;
    }
};

double msSince(Steady::time_point start)
{
    return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

void tapsAcrossAnOutage(int taps)
{
    School s(taps);
    const e2e::SeededSchool& school = s.school;
    e2e::ServerProcess& server = s.server;
    KioskStore tapStore = s.openKiosk();
    KioskStore syncStore = s.kioskStore.open();
    CurlGlobal curl;
    CurlTransport transport(CurlTransport::Options{});
    SystemClock system;
    OffsetClock corrected(system);
    SyncClient client(syncStore, transport, system, corrected);
    pullRoster(syncStore, client);
    CheckInService service(tapStore, corrected);
    service.reloadIdentity();

    QThread syncThread;
    client.moveToThread(&syncThread);
    QObject::connect(&service, &CheckInService::eventRecorded, &client, &SyncClient::syncSoon);
    syncThread.start();
    QMetaObject::invokeMethod(&client, &SyncClient::start, Qt::BlockingQueuedConnection);

    Database bare = must(Database::open(s.dir.filePath(QStringLiteral("bare.db")).toStdString()), "open the floor's file");
    must(bare.exec("CREATE TABLE t (id TEXT NOT NULL, at INTEGER NOT NULL) STRICT"), "create");
    Steady::time_point fedBack;
    int answered = 0;
    QObject::connect(&service, &CheckInService::feedback, &service, [&](const TapFeedback& fb) {
        fedBack = Steady::now();
        answered += fb.kind == TapFeedback::Kind::CheckedIn ? 1 : 0;
    });
    std::vector<double> tapMs[3];
    std::vector<double> commitMs;
    const int downFrom = taps / 3;
    const int downUntil = 2 * taps / 3;
    Steady::time_point lastTap;
    for (int i = 0; i < taps; ++i) {
        if (i == downFrom)
            server.kill();
        if (i == downUntil && !server.start())
            throw std::runtime_error("imhere-server did not start again");
        const auto t0 = Steady::now();
        service.handleRead(kiosk::test::tap(school.trainees[static_cast<std::size_t>(i)].uid));
        tapMs[i < downFrom ? 0 : i < downUntil ? 1 : 2].push_back(
            std::chrono::duration<double, std::milli>(fedBack - t0).count());
        lastTap = fedBack;
        const auto c0 = Steady::now();
        auto txn = must(Transaction::begin(bare), "begin");
        auto insert = must(bare.prepare("INSERT INTO t (id, at) VALUES (?, ?)"), "prepare");
        must(insert.bindAll(newUuidV4(), std::int64_t{i}).run(), "insert");
        must(txn.commit(), "commit");
        commitMs.push_back(msSince(c0));
    }
    if (answered != taps)
        throw std::runtime_error("only " + std::to_string(answered) + " of " + std::to_string(taps) + " taps answered");
    // The sync thread carries on by itself (backing off, then draining).
    const auto deadline = Steady::now() + std::chrono::minutes(10);
    while (must(tapStore.outboxLength(), "outbox") > 0 && Steady::now() < deadline)
        QThread::msleep(20);
    const double drainedMs = msSince(lastTap);
    QMetaObject::invokeMethod(&client, &SyncClient::stop, Qt::BlockingQueuedConnection);
    syncThread.quit();
    syncThread.wait();
    requireExactlyOnce(s.db, school.kioskId, taps);
    server.kill();

    const bench::Quantiles floor = bench::quantilesOf(commitMs);
    const char* phases[] = {"server up", "server down", "server back, draining"};
    std::printf("%d taps with the server SIGKILLed for the middle third; sync on its own thread\n", taps);
    std::printf("  %-39s p50 %7.2f ms   p99 %7.2f ms\n", "bare SQLite commit (FULL), each tap", floor.p50, floor.p99);
    for (int p = 0; p < 3; ++p) {
        const bench::Quantiles q = bench::quantilesOf(tapMs[p]);
        std::printf("  tap -> feedback, %-22s p50 %7.2f ms   p99 %7.2f ms   (x%.2f, x%.2f of the floor)\n", phases[p],
                    q.p50, q.p99, q.p50 / floor.p50, q.p99 / floor.p99);
        bench::tableRow((std::string("tap, ") + phases[p] + ", p50").c_str(), q.p50,
                        "bare FULL commit between taps, p50", floor.p50, "ms");
        bench::tableRow((std::string("tap, ") + phases[p] + ", p99").c_str(), q.p99,
                        "bare FULL commit between taps, p99", floor.p99, "ms");
    }
    std::printf("  last tap -> outbox empty (every check-in on the server once): %.2f s\n", drainedMs / 1000);
    bench::tableFigure("outage of the middle third: last tap -> every check-in on the server", drainedMs / 1000, "s",
                       "includes the sync's backoff while the server was away");
}

void drainAfterAnOutage(int taps)
{
    School s(taps);
    const e2e::SeededSchool& school = s.school;
    e2e::ServerProcess& server = s.server;
    KioskStore store = s.openKiosk();
    CurlGlobal curl;
    CurlTransport transport(CurlTransport::Options{});
    SystemClock system;
    OffsetClock corrected(system);
    SyncClient client(store, transport, system, corrected);
    pullRoster(store, client);

    server.kill();
    CheckInService service(store, corrected);
    int answered = 0;
    QObject::connect(&service, &CheckInService::feedback, &service, [&answered](const TapFeedback& fb) {
        answered += fb.kind == TapFeedback::Kind::CheckedIn ? 1 : 0;
    });
    const auto tapping = Steady::now();
    for (int i = 0; i < taps; ++i)
        service.handleRead(kiosk::test::tap(school.trainees[static_cast<std::size_t>(i)].uid));
    const double tapSeconds = secondsSince(tapping);
    const auto queued = must(store.outboxLength(), "outbox");
    if (answered != taps || queued < taps)
        throw std::runtime_error("only " + std::to_string(answered) + " taps answered, " + std::to_string(queued)
                                 + " queued");

    if (!server.start())
        throw std::runtime_error("imhere-server did not start again");
    const auto draining = Steady::now();
    int rounds = 0;
    while (must(store.outboxLength(), "outbox") > 0 && rounds < 10 * (taps / 500 + 2)) {
        if (!client.syncNow())
            throw std::runtime_error("a sync round failed while draining");
        ++rounds;
    }
    const double drainSeconds = secondsSince(draining);
    requireExactlyOnce(s.db, school.kioskId, taps);
    server.kill();

    const double floorSeconds = bareInsertSeconds(s.dir.filePath(QStringLiteral("floor.db")).toStdString(), taps,
                                                  static_cast<int>(kiosk::limits::k_syncBatchEvents));
    std::printf("%d taps answered offline in %.2f s (%.2f ms a tap); then the queue of %lld drained in %d rounds\n", taps,
                tapSeconds, tapSeconds * 1000 / taps, static_cast<long long>(queued), rounds);
    std::printf("  drain, kiosk outbox -> server, each exactly once: %8.2f s   %8.0f events/s\n", drainSeconds,
                taps / drainSeconds);
    std::printf("  bare SQLite insert, %zu rows a transaction:       %8.2f s   %8.0f rows/s\n", kiosk::limits::k_syncBatchEvents,
                floorSeconds, taps / floorSeconds);
    std::printf("  ratio drain / bare insert: %.2f\n", drainSeconds / floorSeconds);
    bench::tableRow(("draining " + std::to_string(taps) + " check-ins queued in an outage").c_str(), drainSeconds,
                    "bare SQLite insert of as many rows, 500 a transaction", floorSeconds, "s");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int taps = argc > 1 ? std::max(500, std::atoi(argv[1])) : 10'000;
    try {
        drainAfterAnOutage(taps);
        tapsAcrossAnOutage(taps);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_kiosk_drain: %s\n", e.what());
        return 1;
    }
}
