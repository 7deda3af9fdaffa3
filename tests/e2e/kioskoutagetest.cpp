// The server goes away (SIGKILL) for the middle third of 10 000 taps and
// comes back on the same port: every tap was answered at the door before the
// next one was read, whatever the server was doing, and afterwards every
// check-in is in the server's database exactly once. (How long a tap takes
// in each third, and how long the queue takes to drain: bench/kiosk.) The kiosk side is
// the real CheckInService, SyncClient and CurlTransport on a real store file;
// the server is the real imhere-server process.
#include "processes.h"
#include "schoolseed.h"

#include "tests/kiosk/testsupport.h"

#include "kiosk/checkinservice.h"
#include "kiosk/curltransport.h"
#include "kiosk/syncclient.h"

#include <QSignalSpy>
#include <QTest>

using namespace imhere;
using namespace imhere::e2e;
using namespace imhere::kiosk;

namespace {
constexpr int k_taps = 10'000;
constexpr int k_downFrom = k_taps / 3;
constexpr int k_downUntil = 2 * k_taps / 3;
constexpr int k_tapsPerSync = 10;
constexpr int k_maxDrainRounds = 400; // the roster of 10 000, then 10 000 events at 500 a batch
} // namespace

class KioskOutageTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyCheckInArrivesExactlyOnceAfterAnOutage()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
        const SeededSchool school = seedSchool(db, k_taps);
        ServerProcess server(db);
        QVERIFY(server.start());

        test::TempStore temp;
        KioskStore store = temp.open();
        QVERIFY(store.saveCredentials({server.url(), school.kioskToken, ""}).has_value());
        CurlGlobal curl;
        CurlTransport transport(CurlTransport::Options{});
        SystemClock system;
        OffsetClock corrected(system);
        SyncClient client(store, transport, system, corrected);
        // The first rounds bring keys and the whole roster.
        for (int round = 0; round < k_maxDrainRounds && !store.identity().value(); ++round)
            QVERIFY(client.syncNow());
        std::int64_t cursor = -1;
        for (int round = 0; round < k_maxDrainRounds && cursor != store.cursor().value(); ++round) {
            cursor = store.cursor().value();
            QVERIFY(client.syncNow());
        }
        QCOMPARE(store.openWindows(corrected.nowMs()).value().size(), 1u);

        CheckInService service(store, corrected);
        QSignalSpy feedback(&service, &CheckInService::feedback);
        std::int64_t queuedWhileDown = 0;
        for (int i = 0; i < k_taps; ++i) {
            if (i == k_downFrom)
                server.kill();
            if (i == k_downUntil) {
                queuedWhileDown = store.outboxLength().value();
                QVERIFY(!client.online());
                QVERIFY(server.start()); // same file, same port
            }
            service.handleRead(test::tap(school.trainees[static_cast<std::size_t>(i)].uid));
            // Answered at once, from the kiosk's own store: never waiting on the server.
            QCOMPARE(feedback.count(), i + 1);
            if (i % k_tapsPerSync == k_tapsPerSync - 1)
                (void)client.syncNow(); // fails while the server is down
        }
        for (int round = 0; round < k_maxDrainRounds && store.outboxLength().value() > 0; ++round)
            (void)client.syncNow();

        // At the door: every tap was answered as a check-in, server or not.
        QCOMPARE(feedback.count(), k_taps);
        for (const auto& args : feedback)
            QVERIFY(args.at(0).value<TapFeedback>().kind == TapFeedback::Kind::CheckedIn);
        QVERIFY2(queuedWhileDown >= k_downUntil - k_downFrom,
                 qPrintable(QStringLiteral("only %1 queued while the server was down").arg(queuedWhileDown)));
        QVERIFY(client.online());
        QCOMPARE(store.outboxLength().value(), 0);
        QVERIFY(store.rejectedEvents(10).value().empty());

        // On the server: all of them, each exactly once.
        const std::string kiosk = std::to_string(school.kioskId);
        QCOMPARE(queryInt(db, "SELECT COUNT(*) FROM check_in WHERE kiosk = ?", kiosk), std::optional<std::int64_t>(k_taps));
        QCOMPARE(queryInt(db, "SELECT COUNT(DISTINCT person) FROM check_in WHERE kiosk = ?", kiosk),
                 std::optional<std::int64_t>(k_taps));
        QCOMPARE(queryInt(db, "SELECT COUNT(*) FROM (SELECT person FROM check_in WHERE window_id = ? "
                              "GROUP BY person HAVING COUNT(*) > 1)",
                          school.window),
                 std::optional<std::int64_t>(0));
    }
};

QTEST_GUILESS_MAIN(KioskOutageTest)
#include "kioskoutagetest.moc"
