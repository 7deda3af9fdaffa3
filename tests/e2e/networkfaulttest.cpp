// A bad network between the kiosk and the server. The kiosk side is the real
// CheckInService, SyncClient and CurlTransport on a real store file; the
// server is the real imhere-server process; between them runs FaultProxy
// (faultproxy.h), which drops, delays, cuts and replays requests.
//
// - Every sync batch sent three times: the second and third answers are the
//   first one's (a stored event now a duplicate), and the server's tables are
//   the same after three sends as after one.
// - Faults of every kind at random (seeded; the seed is printed): every tap
//   was answered at the door, and once the line is clean again every
//   check-in is on the server exactly once, none lost and none twice.
#include "faultproxy.h"
#include "processes.h"
#include "schoolseed.h"

#include "tests/kiosk/testsupport.h"

#include "kiosk/checkinservice.h"
#include "kiosk/curltransport.h"
#include "kiosk/syncclient.h"

#include <QSignalSpy>
#include <QTest>

#include <random>

using namespace imhere;
using namespace imhere::e2e;
using namespace imhere::kiosk;

namespace {

constexpr int k_tapsPerSync = 10;
constexpr int k_maxDrainRounds = 200;

// The server's event tables as one line, read from its file.
std::string serverState(const std::string& db)
{
    std::string state;
    for (const char* table : {"check_in", "correction", "flag_event", "window_event", "remote_confirm", "sync_receipt",
                              "change_log"}) {
        const auto n = queryInt(db, std::string("SELECT COUNT(*) FROM ") + table);
        state += std::string(table) + "=" + (n ? std::to_string(*n) : "?") + " ";
    }
    return state;
}

struct Kiosk {
    test::TempStore temp;
    KioskStore store = temp.open();
    CurlGlobal curl;
    CurlTransport transport{CurlTransport::Options{}};
    SystemClock system;
    OffsetClock corrected{system};
    SyncClient client{store, transport, system, corrected};
    CheckInService service{store, corrected};
};

// Brings keys and roster over a clean line; false when the kiosk could not.
bool firstSync(Kiosk& kiosk)
{
    for (int round = 0; round < k_maxDrainRounds && !kiosk.store.identity().value(); ++round)
        (void)kiosk.client.syncNow();
    std::int64_t cursor = -1;
    for (int round = 0; round < k_maxDrainRounds && cursor != kiosk.store.cursor().value(); ++round) {
        cursor = kiosk.store.cursor().value();
        (void)kiosk.client.syncNow();
    }
    return kiosk.store.identity().value().has_value();
}

} // namespace

class NetworkFaultTest : public QObject {
    Q_OBJECT

    // Taps every trainee once through a proxy making `faults`, syncing every
    // k_tapsPerSync taps, then cleans the line and drains; checks
    // exactly-once on the server.
    void tapThrough(const std::vector<FaultProxy::Fault>& faults, int taps)
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
        const SeededSchool school = seedSchool(db, taps);
        ServerProcess server(db);
        QVERIFY(server.start());
        FaultProxy proxy(server.port(), m_seed);
        proxy.setStateProbe([db] { return serverState(db); });

        Kiosk kiosk;
        QVERIFY(kiosk.store.saveCredentials({proxy.url(), school.kioskToken, ""}).has_value());
        QVERIFY(firstSync(kiosk));
        QCOMPARE(kiosk.store.openWindows(kiosk.corrected.nowMs()).value().size(), 1u);

        proxy.useFaults(faults);
        QSignalSpy feedback(&kiosk.service, &CheckInService::feedback);
        for (int i = 0; i < taps; ++i) {
            kiosk.service.handleRead(test::tap(school.trainees[static_cast<std::size_t>(i)].uid));
            if (i % k_tapsPerSync == k_tapsPerSync - 1)
                (void)kiosk.client.syncNow(); // fails when the proxy drops or cuts it
        }
        proxy.useFaults({FaultProxy::Pass});
        for (int round = 0; round < k_maxDrainRounds && kiosk.store.outboxLength().value() > 0; ++round)
            (void)kiosk.client.syncNow();
        // Whatever replays are left go out now, after every ack.
        for (int round = 0; round < k_maxDrainRounds && proxy.pendingReplays() > 0; ++round)
            (void)kiosk.client.syncNow();

        const auto counts = proxy.counts();
        QString seen;
        for (int f = 0; f < FaultProxy::k_faultCount; ++f)
            seen += QStringLiteral("%1=%2 ").arg(FaultProxy::nameOf(static_cast<FaultProxy::Fault>(f))).arg(counts[static_cast<std::size_t>(f)]);
        qInfo("seed %u; requests by fault: %s", m_seed, qPrintable(seen));
        for (const auto f : faults)
            QVERIFY2(counts[static_cast<std::size_t>(f)] > 0, FaultProxy::nameOf(f));
        const auto mismatches = proxy.mismatches();
        QVERIFY2(mismatches.empty(), mismatches.empty() ? "" : mismatches.front().c_str());

        // At the door: every tap was answered as a check-in.
        QCOMPARE(feedback.count(), taps);
        for (const auto& args : feedback)
            QVERIFY(args.at(0).value<TapFeedback>().kind == TapFeedback::Kind::CheckedIn);
        QCOMPARE(kiosk.store.outboxLength().value(), 0);
        QVERIFY(kiosk.store.rejectedEvents(10).value().empty());

        // On the server: all of them, each exactly once.
        const std::string kioskId = std::to_string(school.kioskId);
        QCOMPARE(queryInt(db, "SELECT COUNT(*) FROM check_in WHERE kiosk = ?", kioskId),
                 std::optional<std::int64_t>(taps));
        QCOMPARE(queryInt(db, "SELECT COUNT(DISTINCT person) FROM check_in WHERE kiosk = ?", kioskId),
                 std::optional<std::int64_t>(taps));
        QCOMPARE(queryInt(db, "SELECT COUNT(*) FROM sync_receipt WHERE kiosk = ? AND status = 'rejected'", kioskId),
                 std::optional<std::int64_t>(0));
    }

    std::uint32_t m_seed = std::random_device{}();

private Q_SLOTS:
    void initTestCase()
    {
        if (const auto chosen = qEnvironmentVariableIntValue("IMHERE_FAULT_SEED"))
            m_seed = static_cast<std::uint32_t>(chosen);
    }

    void everyBatchSentThreeTimesIsAnsweredAlikeAndStoredOnce()
    {
        tapThrough({FaultProxy::Thrice}, 300);
    }

    void exactlyOnceThroughDropsDelaysCutsAndReplays()
    {
        tapThrough({FaultProxy::Pass, FaultProxy::Drop, FaultProxy::Delay, FaultProxy::CutRequest,
                    FaultProxy::CutResponse, FaultProxy::Replay, FaultProxy::Thrice},
                   1'000);
    }
};

QTEST_GUILESS_MAIN(NetworkFaultTest)
#include "networkfaulttest.moc"
