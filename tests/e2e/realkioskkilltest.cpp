// The real imhere-kiosk (offscreen, --print-taps, the simulated reader on a
// Unix socket, syncing to the real imhere-server as it runs) is SIGKILLed at
// random moments during 2 000 taps, mid-tap and mid-sync, and started again
// on its data directory each time. A tap counts as acknowledged when the
// kiosk printed its feedback, which it shows only after the check-in is
// committed; a tap a kill cut off before its feedback is tapped again after
// the restart ("checked in" or "already checked in"). At the end every
// trainee is on the server exactly once and nothing was refused.
//
// The 10 000-tap kill test (kioskkilltest.cpp) runs the kiosk's check-in
// path alone; this one runs the whole program with its screen, sync thread
// and store thread.
#include "processes.h"
#include "schoolseed.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <random>

using namespace imhere;
using namespace imhere::e2e;

namespace {
constexpr int k_taps = 2'000;
constexpr int k_meanTapsBetweenKills = 50;
constexpr int k_feedbackDeadlineMs = 20'000;

// Complete lines of --print-taps feedback so far: "ok " for a check-in (or
// already checked in), "-- " for anything else.
struct Printed {
    int ok = 0;
    int other = 0;
};

Printed printed(const QString& output)
{
    Printed p;
    const auto lines = QStringView(output).split(u'\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) { // the last piece has no newline yet
        if (lines[i].startsWith(u"ok "))
            ++p.ok;
        else if (lines[i].startsWith(u"-- "))
            ++p.other;
    }
    return p;
}
} // namespace

class RealKioskKillTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyAcknowledgedTapReachesTheServerOnceAcrossKills()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
        const SeededSchool school = seedSchool(db, k_taps);
        ServerProcess server(db);
        QVERIFY(server.start());

        KioskProcess kiosk(dir.filePath(QStringLiteral("kiosk")));
        QVERIFY(kiosk.start({QStringLiteral("--server"), QString::fromStdString(server.url()), QStringLiteral("--token"),
                             QString::fromStdString(school.kioskToken), QStringLiteral("--print-taps")}));
        const std::string store = kiosk.storePath().toStdString();
        // The first syncs bring the roster: every badge and enrolment, and the open class.
        QVERIFY2(waitUntil([&] {
                     return queryInt(store, "SELECT COUNT(*) FROM badges").value_or(0) >= k_taps
                         && queryInt(store, "SELECT COUNT(*) FROM enrollments").value_or(0) >= k_taps
                         && queryInt(store, "SELECT COUNT(*) FROM windows").value_or(0) >= 1;
                 }),
                 qPrintable(kiosk.output()));

        std::uint32_t seed = std::random_device{}();
        if (const auto chosen = qEnvironmentVariableIntValue("IMHERE_FAULT_SEED"))
            seed = static_cast<std::uint32_t>(chosen);
        std::mt19937 random(seed);
        std::uniform_int_distribution<int> gap(1, 2 * k_meanTapsBetweenKills);
        std::uniform_int_distribution<int> delayUs(0, 8'000);
        int kills = 0;
        int cutOff = 0;
        int next = 0;
        int killAt = gap(random);
        while (next < k_taps) {
            const int before = printed(kiosk.output()).ok;
            QVERIFY(kiosk.tap(school.trainees[static_cast<std::size_t>(next)].uid));
            if (next == killAt) {
                // Anywhere from before the read to after the feedback.
                QThread::usleep(static_cast<unsigned long>(delayUs(random)));
                kiosk.kill();
                ++kills;
                if (printed(kiosk.output()).ok > before)
                    ++next;
                else
                    ++cutOff; // tapped again below
                QVERIFY2(kiosk.start({QStringLiteral("--print-taps")}), qPrintable(kiosk.output()));
                killAt = next + gap(random);
                continue;
            }
            QVERIFY2(kiosk.waitForOutput([&](const QString& out) { return printed(out).ok > before; },
                                         k_feedbackDeadlineMs),
                     qPrintable(kiosk.output().right(2'000)));
            ++next;
        }
        qInfo("seed %u: %d kills, %d of them before the tap's feedback", seed, kills, cutOff);
        QVERIFY(kills > 0);
        QCOMPARE(printed(kiosk.output()).other, 0);

        // The last run delivers the outbox by itself.
        QVERIFY2(waitUntil([&] { return queryInt(store, "SELECT COUNT(*) FROM outbox") == 0; }),
                 qPrintable(kiosk.output().right(2'000)));
        QVERIFY2(kiosk.stop(), qPrintable(kiosk.output().right(2'000)));
        QCOMPARE(queryInt(store, "SELECT COUNT(*) FROM rejected"), std::optional<std::int64_t>(0));
        const std::string id = std::to_string(school.kioskId);
        QCOMPARE(queryInt(db, "SELECT COUNT(*) FROM check_in WHERE kiosk = ?", id), std::optional<std::int64_t>(k_taps));
        QCOMPARE(queryInt(db, "SELECT COUNT(DISTINCT person) FROM check_in WHERE kiosk = ?", id),
                 std::optional<std::int64_t>(k_taps));
    }
};

QTEST_GUILESS_MAIN(RealKioskKillTest)
#include "realkioskkilltest.moc"
