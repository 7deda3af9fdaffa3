// AdminService on a real store file: who may sign in, the PIN lockout (per
// staff member, growing, on the monotonic clock, also across a restart), and that every volunteer action is an outbox event whose
// local effect the kiosk shows at once.
#include "testsupport.h"

#include "kiosk/adminservice.h"
#include "kiosk/kiosklimits.h"

#include "core/crypto.h"
#include "core/random.h"

#include <QSignalSpy>
#include <QTest>

using namespace imhere;
using namespace imhere::kiosk;
using namespace imhere::kiosk::test;

namespace {
QString hashOf(const QByteArray& credential)
{
    return QString::fromStdString(badgeHash(badgeKey(), {reinterpret_cast<const std::uint8_t*>(credential.constData()),
                                                         static_cast<std::size_t>(credential.size())}));
}
const QString k_adaQ = QString::fromLatin1(k_ada);
const QString k_graceQ = QString::fromLatin1(k_grace);
const QString k_windowQ = QString::fromLatin1(k_window);
} // namespace

class AdminServiceTest : public QObject {
    Q_OBJECT

    std::unique_ptr<TempStore> m_temp;
    std::optional<KioskStore> m_store;
    ManualClock m_clock{k_t0};
    ManualClock m_monotonic{1'000};
    std::unique_ptr<AdminService> m_admin;

    static constexpr std::int64_t k_firstLockMs = kiosk::limits::k_pinCooldownMs;
    const QByteArray k_taBadge = QByteArray::fromHex("04c0ffee000180");

    // Five wrong PINs from Grace; the lockout (seconds) the last one started.
    int failFiveTimes()
    {
        m_admin->handleBadge(hashOf(graceBadge()), k_graceQ, QStringLiteral("Grace Hopper"));
        QSignalSpy rejected(m_admin.get(), &AdminService::pinRejected);
        for (int i = 0; i < kiosk::limits::k_pinMaxFailures; ++i)
            m_admin->verifyPin(QStringLiteral("0000"));
        return rejected.isEmpty() ? -1 : rejected.last().at(1).toInt();
    }
    // Whether Grace's right PIN opens a session now.
    bool graceSignsIn()
    {
        QSignalSpy started(m_admin.get(), &AdminService::sessionStarted);
        m_admin->handleBadge(hashOf(graceBadge()), k_graceQ, QStringLiteral("Grace Hopper"));
        m_admin->verifyPin(QString::fromLatin1(k_teacherPin));
        const bool in = started.count() == 1;
        m_admin->endSession();
        return in;
    }
    // A TA with PIN 2468 and a badge of her own.
    void addTa()
    {
        sync::SyncResponse ta;
        ta.serverTimeMs = k_t0;
        ta.cursor = 2;
        ta.changes.people = {{"taratassi2", "Tara Assistant", cheapPinHash("2468"), false}};
        ta.changes.badges = {{hashOf(k_taBadge).toStdString(), "taratassi2", false}};
        ta.changes.enrollments = {{"taratassi2", k_course, sync::Role::Ta, false}};
        QVERIFY(m_store->applySync(ta, 0, k_t0).has_value());
    }

    void signIn()
    {
        QSignalSpy started(m_admin.get(), &AdminService::sessionStarted);
        m_admin->handleBadge(hashOf(graceBadge()), k_graceQ, QStringLiteral("Grace Hopper"));
        m_admin->verifyPin(QString::fromLatin1(k_teacherPin));
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.at(0).at(0).toString(), QStringLiteral("Grace Hopper"));
    }
    // The newest outbox event, decoded.
    sync::Event lastEvent()
    {
        auto batch = m_store->outboxBatch(1000).value();
        if (batch.empty())
            return {};
        return sync::decodeEvent(batch.back().json).value();
    }

private Q_SLOTS:
    void init()
    {
        m_clock.set(k_t0);
        m_monotonic.set(1'000);
        m_temp = std::make_unique<TempStore>();
        m_store.emplace(m_temp->open());
        QVERIFY(m_store->applySync(schoolReply(k_t0 - 60'000), 0, k_t0).has_value());
        m_admin = std::make_unique<AdminService>(*m_store, m_clock, m_monotonic);
    }
    void cleanup()
    {
        m_admin.reset();
        m_store.reset();
        m_temp.reset();
    }

    void onlyStaffWithAPinAreAskedForIt()
    {
        QSignalSpy refused(m_admin.get(), &AdminService::loginRefused);
        QSignalSpy pin(m_admin.get(), &AdminService::pinRequested);
        m_admin->handleBadge(hashOf(strangerBadge()), {}, {});
        m_admin->handleBadge(hashOf(adaBadge()), k_adaQ, QStringLiteral("Ada Lovelace")); // a student
        QCOMPARE(refused.count(), 2);
        QCOMPARE(pin.count(), 0);
        m_admin->handleBadge(hashOf(graceBadge()), k_graceQ, QStringLiteral("Grace Hopper"));
        QCOMPARE(pin.count(), 1);
        QVERIFY(!m_admin->inSession());
    }

    void fiveWrongPinsLockThatStaffMemberEvenAcrossARestart()
    {
        m_admin->handleBadge(hashOf(graceBadge()), k_graceQ, QStringLiteral("Grace Hopper"));
        QSignalSpy rejected(m_admin.get(), &AdminService::pinRejected);
        for (int i = 0; i < kiosk::limits::k_pinMaxFailures; ++i)
            m_admin->verifyPin(QStringLiteral("0000"));
        QCOMPARE(rejected.count(), kiosk::limits::k_pinMaxFailures);
        QVERIFY(rejected.at(0).at(0).toString().contains(QStringLiteral("4 tries left")));
        QCOMPARE(rejected.at(3).at(1).toInt(), 0);
        QCOMPARE(rejected.last().at(1).toInt(), static_cast<int>(k_firstLockMs / 1000));

        // A restart does not clear the lockout; even the right PIN is refused.
        m_admin = std::make_unique<AdminService>(*m_store, m_clock, m_monotonic);
        QSignalSpy started(m_admin.get(), &AdminService::sessionStarted);
        QSignalSpy stillLocked(m_admin.get(), &AdminService::pinRejected);
        m_admin->handleBadge(hashOf(graceBadge()), k_graceQ, QStringLiteral("Grace Hopper"));
        m_monotonic.advance(k_firstLockMs - 1'000);
        m_admin->verifyPin(QString::fromLatin1(k_teacherPin));
        QCOMPARE(started.count(), 0);
        QCOMPARE(stillLocked.count(), 1);
        QVERIFY(stillLocked.at(0).at(1).toInt() > 0);

        m_monotonic.advance(2'000);
        m_admin->verifyPin(QString::fromLatin1(k_teacherPin));
        QCOMPARE(started.count(), 1);
        QVERIFY(m_admin->inSession());
    }

    void aLockedOutTeacherDoesNotLockOutTheirColleague()
    {
        addTa();
        QCOMPARE(failFiveTimes(), static_cast<int>(k_firstLockMs / 1000));
        QVERIFY(!graceSignsIn());
        QSignalSpy started(m_admin.get(), &AdminService::sessionStarted);
        m_admin->handleBadge(hashOf(k_taBadge), QStringLiteral("taratassi2"), QStringLiteral("Tara Assistant"));
        m_admin->verifyPin(QStringLiteral("2468"));
        QCOMPARE(started.count(), 1);
    }

    void eachLockoutIsLongerThanTheOneBefore()
    {
        QCOMPARE(failFiveTimes(), static_cast<int>(k_firstLockMs / 1000));
        m_monotonic.advance(k_firstLockMs);
        // Served: five more tries, then twice as long.
        QCOMPARE(failFiveTimes(), static_cast<int>(2 * k_firstLockMs / 1000));
        m_monotonic.advance(2 * k_firstLockMs - 1'000);
        QVERIFY(!graceSignsIn());
        m_monotonic.advance(1'000);
        QCOMPARE(failFiveTimes(), static_cast<int>(4 * k_firstLockMs / 1000));
        m_monotonic.advance(4 * k_firstLockMs);
        // The right PIN starts the count over: the next lockout is the first again.
        QVERIFY(graceSignsIn());
        QCOMPARE(failFiveTimes(), static_cast<int>(k_firstLockMs / 1000));
        QCOMPARE(PinLockout::lockoutMs(30), kiosk::limits::k_pinCooldownMaxMs);
    }

    void settingTheWallClockDoesNotShortenALockout()
    {
        QCOMPARE(failFiveTimes(), static_cast<int>(k_firstLockMs / 1000));
        m_clock.advance(24 * 3'600'000); // a day later by the wall clock (or a sync's correction)
        QVERIFY(!graceSignsIn());
        m_monotonic.advance(k_firstLockMs);
        QVERIFY(graceSignsIn());
    }

    void actionsNeedASession()
    {
        QSignalSpy failed(m_admin.get(), &AdminService::actionFailed);
        m_admin->closeWindow(k_windowQ);
        m_admin->enrollBadge(hashOf(strangerBadge()), k_adaQ);
        QCOMPARE(failed.count(), 2);
        QCOMPARE(m_store->outboxLength().value(), 0);
        QCOMPARE(m_store->openWindows(m_clock.nowMs()).value().size(), 1u);
    }

    void openAndCloseAWindow()
    {
        signIn();
        QSignalSpy recorded(m_admin.get(), &AdminService::eventRecorded);
        m_admin->openWindow(QString::fromLatin1(k_otherCourse), QStringLiteral("Week 4 · Joins"));
        QCOMPARE(recorded.count(), 1);
        sync::Event opened = lastEvent();
        QCOMPARE(opened.actor, std::string(k_grace));
        const auto body = std::get<sync::WindowOpen>(opened.body);
        QCOMPARE(body.course, std::string(k_otherCourse));
        QCOMPARE(body.title, std::string("Week 4 · Joins"));
        // Alan (only in the other course) can check in here at once, offline.
        auto alanWindows = m_store->openWindowsFor(k_alan, m_clock.nowMs()).value();
        QCOMPARE(alanWindows.size(), 1u);
        QCOMPARE(alanWindows.front().id, body.window);

        m_admin->closeWindow(QString::fromStdString(body.window));
        QCOMPARE(std::get<sync::WindowClose>(lastEvent().body).window, body.window);
        QVERIFY(m_store->openWindowsFor(k_alan, m_clock.nowMs()).value().empty());
        QCOMPARE(m_store->outboxLength().value(), 2);
    }

    void correctionsCarryTheReasonAndTheBase()
    {
        signIn();
        m_admin->selectWindow(k_windowQ);
        m_admin->markPresence(k_adaQ, true, QStringLiteral("Badge forgotten at home"), QString());
        auto present = std::get<sync::Correction>(lastEvent().body);
        QCOMPARE(present.person, std::string(k_ada));
        QCOMPARE(present.window, std::string(k_window));
        QVERIFY(present.present);
        QCOMPARE(present.reason, std::string("Badge forgotten at home"));
        QVERIFY(!present.base.has_value());
        const std::string firstId = lastEvent().id;

        m_admin->markPresence(k_adaQ, false, QStringLiteral("Left after ten minutes"), QString::fromStdString(firstId));
        auto absent = std::get<sync::Correction>(lastEvent().body);
        QVERIFY(!absent.present);
        QCOMPARE(absent.base, std::optional<std::string>(firstId));
        const auto roster = m_store->roster(k_window).value();
        const auto ada = std::find_if(roster.begin(), roster.end(), [](const RosterEntry& e) { return e.person == k_ada; });
        QVERIFY(ada != roster.end());
        QCOMPARE(ada->corrected, std::optional<bool>(false));
    }

    void flagsAreSetAndCleared()
    {
        signIn();
        m_admin->selectWindow(k_windowQ);
        m_admin->setFlag(k_adaQ, QStringLiteral("CAMERA_OFF"), true, QString());
        auto set = std::get<sync::FlagChange>(lastEvent().body);
        QVERIFY(set.set);
        QVERIFY(set.flag == sync::Flag::CameraOff);
        auto flagsOf = [this] {
            const auto roster = m_store->roster(k_window).value();
            for (const auto& e : roster)
                if (e.person == k_ada)
                    return e.flags;
            return std::vector<std::string>{};
        };
        QCOMPARE(flagsOf(), std::vector<std::string>{"CAMERA_OFF"});
        m_admin->setFlag(k_adaQ, QStringLiteral("CAMERA_OFF"), false, QString());
        QVERIFY(!std::get<sync::FlagChange>(lastEvent().body).set);
        QVERIFY(flagsOf().empty());

        QSignalSpy failed(m_admin.get(), &AdminService::actionFailed);
        m_admin->setFlag(k_adaQ, QStringLiteral("SLEEPING"), true, QString());
        QCOMPARE(failed.count(), 1);
        QCOMPARE(m_store->outboxLength().value(), 2);
    }

    void aRemoteCheckInIsConfirmed()
    {
        sync::SyncResponse pulled;
        pulled.serverTimeMs = k_t0;
        pulled.cursor = 2;
        const std::string remoteId = newUuidV4();
        pulled.changes.checkIns = {{remoteId, k_ada, k_window, k_t0, sync::CheckInSource::QrRemote, false}};
        QVERIFY(m_store->applySync(pulled, 0, k_t0).has_value());
        QCOMPARE(m_store->unconfirmedRemote(k_window).value().size(), 1u);

        signIn();
        m_admin->confirmRemote(QString::fromStdString(remoteId), k_adaQ, k_windowQ);
        auto confirm = std::get<sync::RemoteConfirm>(lastEvent().body);
        QCOMPARE(confirm.checkIn, remoteId);
        QCOMPARE(confirm.person, std::string(k_ada));
        QVERIFY(m_store->unconfirmedRemote(k_window).value().empty());
    }

    void anUnknownBadgeIsGivenToAPerson()
    {
        signIn();
        QSignalSpy captured(m_admin.get(), &AdminService::unknownBadgeCaptured);
        const QString stranger = hashOf(strangerBadge());
        m_admin->handleBadge(stranger, {}, {});
        QCOMPARE(captured.count(), 1);
        QCOMPARE(captured.at(0).at(0).toString(), stranger);

        m_admin->enrollBadge(stranger, k_adaQ);
        auto enroll = std::get<sync::BadgeEnroll>(lastEvent().body);
        QCOMPARE(enroll.uidHash, stranger.toStdString());
        QCOMPARE(enroll.person, std::string(k_ada));
        // The new badge works at this kiosk before the server has heard of it.
        auto person = m_store->personByBadge(stranger.toStdString()).value();
        QVERIFY(person.has_value());
        QCOMPARE(person->publicId, std::string(k_ada));
    }

    void aTaFlagsButOnlyTheTeacherMarksPresence()
    {
        addTa();

        QSignalSpy allowed(m_admin.get(), &AdminService::correctionsAllowedChanged);
        QSignalSpy failed(m_admin.get(), &AdminService::actionFailed);
        m_admin->handleBadge(hashOf(k_taBadge), QStringLiteral("taratassi2"), QStringLiteral("Tara Assistant"));
        m_admin->verifyPin(QStringLiteral("2468"));
        QVERIFY(m_admin->inSession());
        m_admin->selectWindow(k_windowQ);
        QVERIFY(!allowed.isEmpty());
        QCOMPARE(allowed.last().at(0).toBool(), false);
        m_admin->markPresence(k_adaQ, true, QStringLiteral("I saw her"), QString());
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("teacher")));
        QCOMPARE(m_store->outboxLength().value(), 0);
        m_admin->setFlag(k_adaQ, QStringLiteral("LEFT_EARLY"), true, QString());
        QCOMPARE(m_store->outboxLength().value(), 1);

        m_admin->endSession();
        signIn();
        m_admin->selectWindow(k_windowQ);
        QCOMPARE(allowed.last().at(0).toBool(), true);
    }

    void theViewListsWindowsCoursesAndTheRoster()
    {
        signIn();
        QSignalSpy view(m_admin.get(), &AdminService::viewChanged);
        m_admin->selectWindow(k_windowQ);
        QCOMPARE(view.count(), 1);
        const auto windows = view.at(0).at(0).value<QList<WindowRow>>();
        const auto courses = view.at(0).at(1).value<QList<WindowRow>>();
        const auto roster = view.at(0).at(3).value<QList<RosterRow>>();
        QCOMPARE(windows.size(), 1);
        QCOMPARE(windows.front().title, QStringLiteral("Week 3 · Async"));
        QCOMPARE(courses.size(), 2);
        QCOMPARE(view.at(0).at(2).toString(), k_windowQ);
        QStringList names;
        for (const auto& row : roster)
            names << row.name + QStringLiteral(":") + row.status;
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("Ada Lovelace:not in yet"), QStringLiteral("Grace Hopper:not in yet")}));
    }
};

QTEST_GUILESS_MAIN(AdminServiceTest)
#include "adminservicetest.moc"
