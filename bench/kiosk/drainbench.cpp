// Draining a kiosk's queue after an outage: 10 000 taps are answered at the
// door while imhere-server is down, then the server comes back and the
// kiosk's SyncClient sends them, 500 a round, until its outbox is empty.
// The floor, measured in the same run on the same disk: a bare SQLite insert
// of the same number of rows, one transaction per 500. Every check-in must be
// on the server exactly once, or the bench fails.
//
// The real imhere-server process and the kiosk's real services and store.
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

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <type_traits>

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

int run(int taps)
{
    QTemporaryDir dir;
    const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
    const e2e::SeededSchool school = e2e::seedSchool(db, taps);
    e2e::ServerProcess server(db);
    if (!server.start())
        throw std::runtime_error("imhere-server did not start");

    kiosk::test::TempStore temp;
    KioskStore store = temp.open();
    must(store.saveCredentials({server.url(), school.kioskToken, ""}), "credentials");
    CurlGlobal curl;
    CurlTransport transport(CurlTransport::Options{});
    SystemClock system;
    OffsetClock corrected(system);
    SyncClient client(store, transport, system, corrected);
    // The roster first: every trainee and badge, a few rounds.
    std::int64_t cursor = -1;
    for (int round = 0; round < 200 && (!must(store.identity(), "identity") || cursor != must(store.cursor(), "cursor"));
         ++round) {
        cursor = must(store.cursor(), "cursor");
        if (!client.syncNow())
            throw std::runtime_error("the first sync failed");
    }

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
    const std::string kiosk = std::to_string(school.kioskId);
    const auto onServer = e2e::queryInt(db, "SELECT COUNT(*) FROM check_in WHERE kiosk = ?", kiosk);
    const auto distinct = e2e::queryInt(db, "SELECT COUNT(DISTINCT person) FROM check_in WHERE kiosk = ?", kiosk);
    if (onServer != taps || distinct != taps)
        throw std::runtime_error("the server holds " + std::to_string(onServer.value_or(-1)) + " check-ins of "
                                 + std::to_string(taps));
    server.kill();

    const double floorSeconds = bareInsertSeconds(dir.filePath(QStringLiteral("floor.db")).toStdString(), taps,
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
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int taps = argc > 1 ? std::max(500, std::atoi(argv[1])) : 10'000;
    try {
        return run(taps);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_kiosk_drain: %s\n", e.what());
        return 1;
    }
}
