// CheckInService on a real store file: what a trainee sees after a tap, and
// what is durably recorded before they see it.
#include "testsupport.h"

#include "kiosk/checkinservice.h"

#include "core/timezone.h"

#include <QSignalSpy>
#include <QTest>

using namespace imhere;
using namespace imhere::kiosk;
using namespace imhere::kiosk::test;
using Kind = TapFeedback::Kind;

class CheckInServiceTest : public QObject {
    Q_OBJECT

    std::unique_ptr<TempStore> m_temp;
    std::optional<KioskStore> m_store;
    ManualClock m_clock{k_t0};

    void seed(std::int64_t windowStart)
    {
        QVERIFY(m_store->applySync(schoolReply(windowStart), 0, k_t0).has_value());
    }
    TapFeedback tapAndWait(CheckInService& service, const QByteArray& badge,
                           hardware::BadgeSource source = hardware::BadgeSource::Nfc)
    {
        QSignalSpy spy(&service, &CheckInService::feedback);
        service.handleRead(tap(badge, source));
        if (spy.count() != 1)
            return TapFeedback{Kind::Failed, QStringLiteral("no feedback"), {}, {}, {}, false, 0};
        return spy.at(0).at(0).value<TapFeedback>();
    }

private Q_SLOTS:
    void init()
    {
        m_temp = std::make_unique<TempStore>();
        m_store.emplace(m_temp->open());
        m_clock.set(k_t0);
    }
    void cleanup()
    {
        m_store.reset();
        m_temp.reset();
    }

    void onTimeCheckInIsRecordedWithItsOutboxRow()
    {
        seed(k_t0 - 2 * 60'000);
        CheckInService service(*m_store, m_clock);
        QSignalSpy recorded(&service, &CheckInService::eventRecorded);
        const TapFeedback fb = tapAndWait(service, adaBadge());
        QCOMPARE(fb.kind, Kind::CheckedIn);
        QCOMPARE(fb.name, QStringLiteral("Ada Lovelace"));
        QCOMPARE(fb.detail, QStringLiteral("On time"));
        QCOMPARE(fb.windowTitle, QStringLiteral("Week 3 · Async"));
        QCOMPARE(recorded.count(), 1);
        QCOMPARE(m_store->outboxLength().value(), 1);
        auto batch = m_store->outboxBatch(10).value();
        auto event = sync::decodeEvent(batch.front().json).value();
        auto body = std::get<sync::CheckIn>(event.body);
        QCOMPARE(body.person, std::string(k_ada));
        QCOMPARE(body.window, std::string(k_window));
        QVERIFY(body.source == sync::CheckInSource::Nfc);
        QCOMPARE(event.at, k_t0);
        QCOMPARE(event.actor, std::string(k_ada));
    }

    void feedbackComesOnlyAfterTheCommit()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        bool durableAtSignal = false;
        // Another connection (as after a power cut) must already see both rows.
        connect(&service, &CheckInService::feedback, this, [this, &durableAtSignal](const TapFeedback&) {
            auto other = m_temp->open();
            auto checkIn = other.checkInFor(k_ada, k_window);
            durableAtSignal = checkIn && *checkIn && other.outboxLength().value() == 1;
        });
        service.handleRead(tap(adaBadge()));
        QVERIFY(durableAtSignal);
    }

    void lateArrivalSaysByHowMuch()
    {
        seed(k_t0 - 17 * 60'000 - 30'000);
        CheckInService service(*m_store, m_clock);
        const TapFeedback fb = tapAndWait(service, adaBadge());
        QCOMPARE(fb.kind, Kind::CheckedIn);
        QVERIFY(fb.late);
        QCOMPARE(fb.detail, QStringLiteral("Late by 17 min"));
    }

    void secondTapSaysWhenTheFirstWas()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        QCOMPARE(tapAndWait(service, adaBadge()).kind, Kind::CheckedIn);
        m_clock.advance(10 * 60'000);
        const TapFeedback fb = tapAndWait(service, adaBadge());
        QCOMPARE(fb.kind, Kind::AlreadyCheckedIn);
        const QString expected = QString::fromStdString(formatLocalTime("Europe/London", k_t0));
        QCOMPARE(fb.detail, QStringLiteral("Already checked in at %1").arg(expected));
        QCOMPARE(m_store->outboxLength().value(), 1);
    }

    void repeatedReadsWithinThreeSecondsAreIgnored()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        QSignalSpy spy(&service, &CheckInService::feedback);
        service.handleRead(tap(adaBadge()));
        m_clock.advance(1'000);
        service.handleRead(tap(adaBadge()));
        m_clock.advance(1'999);
        service.handleRead(tap(adaBadge()));
        QCOMPARE(spy.count(), 1);
        m_clock.advance(1);
        service.handleRead(tap(adaBadge()));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).value<TapFeedback>().kind, Kind::AlreadyCheckedIn);
    }

    void unknownBadgeAsksForAVolunteer()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        const TapFeedback fb = tapAndWait(service, strangerBadge());
        QCOMPARE(fb.kind, Kind::UnknownBadge);
        QVERIFY(fb.detail.contains(QStringLiteral("volunteer")));
        QCOMPARE(m_store->outboxLength().value(), 0);
    }

    void personWithNoOpenWindowIsRefused()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        const TapFeedback fb = tapAndWait(service, alanBadge());
        QCOMPARE(fb.kind, Kind::NoOpenWindow);
        QCOMPARE(fb.name, QStringLiteral("Alan Turing"));
        QCOMPARE(m_store->outboxLength().value(), 0);
    }

    void closedWindowRefusesTaps()
    {
        auto reply = schoolReply(k_t0 - 60'000);
        reply.changes.windows.front().closedAt = k_t0 - 1'000;
        QVERIFY(m_store->applySync(reply, 0, k_t0).has_value());
        CheckInService service(*m_store, m_clock);
        QCOMPARE(tapAndWait(service, adaBadge()).kind, Kind::NoOpenWindow);
    }

    void tapSourceIsRecorded()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        QCOMPARE(tapAndWait(service, adaBadge(), hardware::BadgeSource::Wedge).kind, Kind::CheckedIn);
        QCOMPARE(tapAndWait(service, graceBadge(), hardware::BadgeSource::QrBadge).kind, Kind::CheckedIn);
        QCOMPARE(m_store->checkInFor(k_ada, k_window).value()->source, std::string("wedge"));
        QCOMPARE(m_store->checkInFor(k_grace, k_window).value()->source, std::string("qr_badge"));
    }

    void withoutKeysTheKioskSaysItIsNotReady()
    {
        CheckInService service(*m_store, m_clock);
        QCOMPARE(tapAndWait(service, adaBadge()).kind, Kind::NotReady);
        seed(k_t0);
        service.reloadIdentity();
        QCOMPARE(tapAndWait(service, graceBadge()).kind, Kind::CheckedIn);
    }

    void adminRouteHandsTheBadgeToTheAdminInsteadOfCheckingIn()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        service.setRoute(CheckInService::Route::Admin);
        QSignalSpy admin(&service, &CheckInService::adminBadge);
        QSignalSpy fb(&service, &CheckInService::feedback);
        service.handleRead(tap(graceBadge()));
        service.handleRead(tap(strangerBadge()));
        QCOMPARE(fb.count(), 0);
        QCOMPARE(admin.count(), 2);
        QCOMPARE(admin.at(0).at(1).toString(), QString::fromLatin1(k_grace));
        QVERIFY(admin.at(1).at(1).toString().isEmpty());
        QCOMPARE(admin.at(1).at(0).toString().size(), 64);
        QCOMPARE(m_store->outboxLength().value(), 0);
    }

    void statusShowsTheWindowCountsAndShortNames()
    {
        seed(k_t0);
        CheckInService service(*m_store, m_clock);
        tapAndWait(service, adaBadge());
        QSignalSpy spy(&service, &CheckInService::statusChanged);
        service.refreshStatus();
        QCOMPARE(spy.count(), 1);
        const auto status = spy.at(0).at(0).value<StationStatus>();
        QVERIFY(status.ready);
        QCOMPARE(status.kioskId, 7u);
        QCOMPARE(status.windowId, QString::fromLatin1(k_window));
        QCOMPARE(status.courseName, QStringLiteral("WM5 · JS1"));
        QCOMPARE(status.presentCount, 1);
        QCOMPARE(status.queueLength, 1);
        QCOMPARE(status.recent.size(), 1);
        QCOMPARE(status.recent.front().shortName, QStringLiteral("Ada L."));
    }
};

QTEST_GUILESS_MAIN(CheckInServiceTest)
#include "checkinservicetest.moc"
