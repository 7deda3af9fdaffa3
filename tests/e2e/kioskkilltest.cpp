// The kiosk's check-in path is SIGKILLed at random moments during 10 000
// taps and restarted each time, on the same store file: the process
// (tapwriter.cpp) runs the real CheckInService and says which taps got their
// feedback. Afterwards the real SyncClient delivers the store's outbox to the
// real imhere-server: every tap that got "checked in" (or, tapped again after
// a kill, "already checked in") is on the server exactly once, and nothing
// is there twice.
#include "processes.h"
#include "schoolseed.h"

#include "tests/kiosk/testsupport.h"

#include "kiosk/curltransport.h"
#include "kiosk/stationtypes.h"
#include "kiosk/syncclient.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <random>
#include <set>

using namespace imhere;
using namespace imhere::e2e;
using namespace imhere::kiosk;

namespace {
constexpr int k_taps = 10'000;
constexpr int k_maxRestarts = 2'000;
constexpr int k_maxDrainRounds = 400;
} // namespace

class KioskKillTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyAcknowledgedTapArrivesExactlyOnceAcrossKills()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
        const SeededSchool school = seedSchool(db, k_taps);
        ServerProcess server(db);
        QVERIFY(server.start());

        const QString uids = dir.filePath(QStringLiteral("uids.txt"));
        {
            QFile file(uids);
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (const auto& trainee : school.trainees)
                file.write(trainee.uid.toHex() + '\n');
        }

        test::TempStore temp;
        CurlGlobal curl;
        CurlTransport transport(CurlTransport::Options{});
        SystemClock system;
        OffsetClock corrected(system);
        {
            // Keys and the whole roster first, as a kiosk gets them.
            KioskStore store = temp.open();
            QVERIFY(store.saveCredentials({server.url(), school.kioskToken, ""}).has_value());
            SyncClient client(store, transport, system, corrected);
            std::int64_t cursor = -1;
            for (int round = 0; round < k_maxDrainRounds && cursor != store.cursor().value(); ++round) {
                cursor = store.cursor().value();
                QVERIFY(client.syncNow());
            }
            QVERIFY(store.identity().value().has_value());
        }

        std::uint32_t seed = std::random_device{}();
        if (const auto chosen = qEnvironmentVariableIntValue("IMHERE_FAULT_SEED"))
            seed = static_cast<std::uint32_t>(chosen);
        std::mt19937 random(seed);
        std::set<int> acknowledged;
        int next = 0;
        int kills = 0;
        for (int restart = 0; restart < k_maxRestarts && next < k_taps; ++restart) {
            QProcess writer;
            writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            writer.start(QStringLiteral(IMHERE_TAPWRITER_BIN),
                         {QString::fromStdString(temp.path), uids, QString::number(next), QString::number(k_taps)});
            QVERIFY(writer.waitForStarted());
            // Killed somewhere between its start-up and a few hundred taps in.
            const int killAfterMs = std::uniform_int_distribution<int>(20, 600)(random);
            if (!writer.waitForFinished(killAfterMs)) {
                ::kill(static_cast<pid_t>(writer.processId()), SIGKILL);
                ++kills;
                QVERIFY(writer.waitForFinished(30'000));
            }
            for (const QByteArray& line : writer.readAllStandardOutput().split('\n')) {
                const auto fields = line.split(' ');
                if (fields.size() != 2)
                    continue; // the half line a kill cut off
                const int index = fields[0].toInt();
                const auto kind = static_cast<TapFeedback::Kind>(fields[1].toInt());
                QVERIFY2(kind == TapFeedback::Kind::CheckedIn || kind == TapFeedback::Kind::AlreadyCheckedIn,
                         line.constData());
                acknowledged.insert(index);
                next = std::max(next, index + 1);
            }
        }
        qInfo("seed %u: %d kills, %zu taps acknowledged", seed, kills, acknowledged.size());
        QCOMPARE(next, k_taps);
        QCOMPARE(acknowledged.size(), static_cast<std::size_t>(k_taps));
        QVERIFY(kills > 0);

        KioskStore store = temp.open();
        SyncClient client(store, transport, system, corrected);
        for (int round = 0; round < k_maxDrainRounds && store.outboxLength().value() > 0; ++round)
            (void)client.syncNow();
        QCOMPARE(store.outboxLength().value(), 0);
        QVERIFY(store.rejectedEvents(10).value().empty());

        const std::string kiosk = std::to_string(school.kioskId);
        QCOMPARE(queryInt(db, "SELECT COUNT(*) FROM check_in WHERE kiosk = ?", kiosk), std::optional<std::int64_t>(k_taps));
        QCOMPARE(queryInt(db, "SELECT COUNT(DISTINCT person) FROM check_in WHERE kiosk = ?", kiosk),
                 std::optional<std::int64_t>(k_taps));
    }
};

QTEST_GUILESS_MAIN(KioskKillTest)
#include "kioskkilltest.moc"
