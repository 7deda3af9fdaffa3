// What a volunteer does at the kiosk reaches the real imhere-server: sign-in
// with the PIN hash the server synced, then open a class, correct presence,
// set a flag, confirm a remote check-in and give a new badge to a trainee.
// Each is acknowledged as stored (none rejected) and lands in its table.
#include "processes.h"
#include "schoolseed.h"

#include "tests/kiosk/testsupport.h"

#include "kiosk/adminservice.h"
#include "kiosk/checkinservice.h"
#include "kiosk/curltransport.h"
#include "kiosk/kiosklimits.h"
#include "kiosk/syncclient.h"

#include "core/crypto.h"

#include <QSignalSpy>
#include <QTest>

using namespace imhere;
using namespace imhere::e2e;
using namespace imhere::kiosk;

namespace {
constexpr int k_maxRounds = 20;
}

class KioskAdminTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_db;
    SeededSchool m_school;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<test::TempStore> m_temp;
    std::optional<KioskStore> m_store;
    std::optional<CurlGlobal> m_curl;
    std::unique_ptr<CurlTransport> m_transport;
    ManualClock m_system{SystemClock().nowMs()}; // real time, moved on by hand
    ManualClock m_monotonic{0}; // PIN lockouts
    std::optional<OffsetClock> m_clock;
    std::unique_ptr<SyncClient> m_sync;
    std::unique_ptr<CheckInService> m_checkIns;
    std::unique_ptr<AdminService> m_admin;

    QString hashOf(const QByteArray& uid) { return m_checkIns->hashCredential(uid); }
    std::int64_t serverCount(const std::string& sql, const std::string& arg = {})
    {
        return queryInt(m_db, sql, arg).value_or(-1);
    }
    // Sends the outbox; every event must be stored, none refused.
    void drain()
    {
        for (int round = 0; round < k_maxRounds && m_store->outboxLength().value() > 0; ++round)
            QVERIFY(m_sync->syncNow());
        QCOMPARE(m_store->outboxLength().value(), 0);
        const auto rejected = m_store->rejectedEvents(10).value();
        QVERIFY2(rejected.empty(), rejected.empty() ? "" : (rejected.front().type + ": " + rejected.front().reason).c_str());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(QStringLiteral("imhere.db")).toStdString();
        m_school = seedSchool(m_db, 4);
        m_server = std::make_unique<ServerProcess>(m_db);
        QVERIFY(m_server->start());
        m_temp = std::make_unique<test::TempStore>();
        m_store.emplace(m_temp->open());
        QVERIFY(m_store->saveCredentials({m_server->url(), m_school.kioskToken, ""}).has_value());
        m_curl.emplace();
        m_transport = std::make_unique<CurlTransport>(CurlTransport::Options{});
        m_clock.emplace(m_system);
        m_sync = std::make_unique<SyncClient>(*m_store, *m_transport, m_system, *m_clock);
        QVERIFY(m_sync->syncNow());
        m_checkIns = std::make_unique<CheckInService>(*m_store, *m_clock);
        m_admin = std::make_unique<AdminService>(*m_store, *m_clock, m_monotonic);
    }

    void theTeacherSignsInWithThePinTheServerSynced()
    {
        QSignalSpy started(m_admin.get(), &AdminService::sessionStarted);
        m_checkIns->setRoute(CheckInService::Route::Admin);
        connect(m_checkIns.get(), &CheckInService::adminBadge, m_admin.get(), &AdminService::handleBadge);
        m_checkIns->handleRead(test::tap(m_school.teacher.uid));
        m_admin->verifyPin(QString::fromStdString(m_school.teacherPin));
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.at(0).at(0).toString(), QStringLiteral("Tomás Teacher"));
        QVERIFY(m_admin->inSession());
    }

    void aClassOpenedAtTheKioskIsOpenOnTheServer()
    {
        m_admin->openWindow(QString::fromStdString(m_school.course), QStringLiteral("Extra help"));
        drain();
        QCOMPARE(serverCount("SELECT COUNT(*) FROM attendance_window WHERE title = ? AND opened_at IS NOT NULL "
                             "AND closed_at IS NULL",
                             "Extra help"),
                 1);
        QCOMPARE(serverCount("SELECT opened_by FROM attendance_window WHERE title = ?", "Extra help"), m_school.teacher.id);
        // The kiosk made the window's id, so check-ins made offline can name it.
        const auto local = m_store->openWindows(m_clock->nowMs()).value();
        const auto extra = std::find_if(local.begin(), local.end(), [](const Window& w) { return w.title == "Extra help"; });
        QVERIFY(extra != local.end());
        QCOMPARE(serverCount("SELECT COUNT(*) FROM attendance_window WHERE id = ?", extra->id), 1);
    }

    void correctionsAndFlagsReachTheRecord()
    {
        const Member& trainee = m_school.trainees.at(0);
        const QString person = QString::fromStdString(trainee.publicId);
        m_admin->selectWindow(QString::fromStdString(m_school.window));
        m_admin->markPresence(person, true, QStringLiteral("Badge left at home"), QString());
        m_admin->setFlag(person, QStringLiteral("LOW_PARTICIPATION"), true, QStringLiteral("asleep"));
        drain();
        QCOMPARE(serverCount("SELECT COUNT(*) FROM correction c JOIN person p ON p.id = c.person "
                             "WHERE p.public_id = ? AND c.present = 1 AND c.reason = 'Badge left at home'",
                             trainee.publicId),
                 1);
        QCOMPARE(serverCount("SELECT COUNT(*) FROM flag_event f JOIN person p ON p.id = f.person "
                             "WHERE p.public_id = ? AND f.flag = 'LOW_PARTICIPATION' AND f.is_set = 1",
                             trainee.publicId),
                 1);
    }

    void aRemoteCheckInIsConfirmed()
    {
        const auto pending = m_store->unconfirmedRemote(m_school.window).value();
        QCOMPARE(pending.size(), 1u);
        QCOMPARE(pending.front().id, m_school.remoteCheckIn);
        m_admin->confirmRemote(QString::fromStdString(pending.front().id), QString::fromStdString(pending.front().person),
                               QString::fromStdString(m_school.window));
        drain();
        QCOMPARE(serverCount("SELECT COUNT(*) FROM remote_confirm WHERE check_in = ?", m_school.remoteCheckIn), 1);
        QVERIFY(m_store->unconfirmedRemote(m_school.window).value().empty());
    }

    void aNewBadgeIsGivenToATraineeAndWorks()
    {
        const Member& trainee = m_school.trainees.at(1);
        const QByteArray newUid = uidFor(777'777);
        QSignalSpy captured(m_admin.get(), &AdminService::unknownBadgeCaptured);
        m_checkIns->handleRead(test::tap(newUid)); // still routed to the admin
        QCOMPARE(captured.count(), 1);
        m_admin->enrollBadge(captured.at(0).at(0).toString(), QString::fromStdString(trainee.publicId));
        drain();
        QCOMPARE(serverCount("SELECT COUNT(*) FROM badge b JOIN person p ON p.id = b.person "
                             "WHERE p.public_id = ? AND b.uid_hash = '" + hashOf(newUid).toStdString() + "'",
                             trainee.publicId),
                 1);

        // Signed out, the new badge checks the trainee in, and the server has it.
        m_system.advance(kiosk::limits::k_duplicateReadMs + 1'000); // not a repeat of the first read
        m_admin->endSession();
        m_checkIns->setRoute(CheckInService::Route::CheckIn);
        QSignalSpy feedback(m_checkIns.get(), &CheckInService::feedback);
        m_checkIns->handleRead(test::tap(newUid));
        QCOMPARE(feedback.count(), 1);
        QVERIFY(feedback.at(0).at(0).value<TapFeedback>().kind == TapFeedback::Kind::CheckedIn);
        drain();
        QCOMPARE(serverCount("SELECT COUNT(*) FROM check_in c JOIN person p ON p.id = c.person "
                             "WHERE p.public_id = ? AND c.kiosk IS NOT NULL",
                             trainee.publicId),
                 1);
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        m_checkIns.reset();
        m_sync.reset();
        m_server.reset();
    }
};

QTEST_GUILESS_MAIN(KioskAdminTest)
#include "kioskadmintest.moc"
