// service/kiosksync: the rules a kiosk's events are held to, one event kind
// at a time, with the reason the kiosk is told (syncRejection); and a whole
// sync (syncKiosk): a batch is stored and acknowledged event by event, a
// replay is answered as the first time, the cursor moves on with the
// changes, and the first sync tells the kiosk who it is.

#include "servicefixture.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/kiosksync.h"
#include "sync-server/serverlimits.h"

#include "core/encoding.h"
#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;

namespace {

constexpr std::int64_t k_grace = server::limits::k_windowCloseGraceMs;

const char* statusName(AckStatus s)
{
    switch (s) {
    case AckStatus::Stored: return "stored";
    case AckStatus::Duplicate: return "duplicate";
    case AckStatus::Rejected: return "rejected";
    }
    return "?";
}

} // namespace

class KioskSyncTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;

    // The rejection reason of one event, "" when it would be stored, or
    // "error: ..." when the rules could not be applied.
    std::string reason(const Event& event)
    {
        const auto r = fx->rejection(event);
        if (!r)
            return "error: " + r.error().message;
        return r->value_or("");
    }

    Person nobody() const
    {
        Person p;
        p.publicId = "zzzzzzzzzz";
        return p;
    }

    Result<SyncResponse> sync(std::int64_t cursor, std::vector<Event> events)
    {
        SyncRequest request;
        request.kioskTimeMs = fx->clock.nowMs();
        request.cursor = cursor;
        for (auto& e : events)
            request.events.emplace_back(std::move(e));
        return syncKiosk(*fx->services, fx->kiosk, request);
    }

    static std::string acks(const SyncResponse& r)
    {
        std::string out;
        for (const Ack& a : r.acks)
            out += std::string(statusName(a.status)) + (a.reason.empty() ? "" : " " + a.reason) + "; ";
        return out;
    }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void eventsFromTheFutureAreRefused();
    void unknownActorsPeopleAndWindowsAreRefused();
    void onlyParticipantsOfTheWindowsCourseCheckIn();
    void aCourseTheKioskDoesNotServeIsForbidden();
    void checkInsOutsideTheWindowGetTheGraceAndNoMore();
    void remoteCheckInsComeFromPhonesNotKiosks();
    void aBadgeTapIsMadeByTheBadgeHolder();
    void manualCheckInsAreForTeachersAndTas();
    void correctionsAreTheTeachersAndFlagsTheTas();
    void windowsAreOpenedOnceByWhoeverRunsTheClass();
    void windowsAreClosedByWhoeverRunsTheClass();
    void aBadgeBelongsToOnePerson();
    void aRemoteConfirmationNeedsThatCheckIn();
    void aBatchIsStoredAndAcknowledgedEventByEvent();
    void aReplayGetsTheSameAcksAndStoresNothingMore();
    void anUnreadableEventIsRejectedAndTheRestGoOn();
    void aWindowOpenedAtTheKioskTakesCheckInsInTheSameBatch();
    void theFirstSyncTellsTheKioskWhoItIs();
    void theCursorAdvancesWithTheChanges();
    void aWindowTheServerClosesReachesTheKioskAtItsNextSync();
};

void KioskSyncTest::eventsFromTheFutureAreRefused()
{
    const auto now = fx->clock.nowMs();
    QCOMPARE(reason(fx->tap(fx->studentA, fx->openA, now + server::limits::k_maxEventFutureSkewMs + 1)), "from_future");
    QCOMPARE(reason(fx->tap(fx->studentA, fx->openA, now + server::limits::k_maxEventFutureSkewMs)), "");
    // Before anything else: even from someone unknown.
    QCOMPARE(reason(fx->tap(nobody(), fx->openA, now + 3'600'000)), "from_future");
}

void KioskSyncTest::unknownActorsPeopleAndWindowsAreRefused()
{
    QCOMPARE(reason(fx->tap(nobody(), fx->openA)), "unknown_actor");
    QCOMPARE(reason(fx->event(fx->teacher, CheckIn{"zzzzzzzzzz", fx->openA.id, CheckInSource::Manual})),
             "unknown_person");
    Window missing = fx->openA;
    missing.id = newUuidV4();
    QCOMPARE(reason(fx->tap(fx->studentA, missing)), "unknown_window");
    QCOMPARE(reason(fx->event(fx->teacher, Correction{"zzzzzzzzzz", fx->openA.id, true, "here", std::nullopt})),
             "unknown_person");
    QCOMPARE(reason(fx->event(fx->ta, FlagChange{fx->studentA.publicId, missing.id, Flag::CameraOff, true, ""})),
             "unknown_window");
}

void KioskSyncTest::onlyParticipantsOfTheWindowsCourseCheckIn()
{
    QCOMPARE(reason(fx->tap(fx->studentA, fx->openA)), "");
    QCOMPARE(reason(fx->tap(fx->ta, fx->openA)), "");
    QCOMPARE(reason(fx->tap(fx->studentB, fx->openA)), "not_enrolled");
    QCOMPARE(reason(fx->tap(fx->outsider, fx->openA)), "not_enrolled");
    QCOMPARE(reason(fx->tap(fx->teacher, fx->openA)), ""); // teachers are volunteers: they check in
    QCOMPARE(reason(fx->event(fx->teacher, CheckIn{fx->studentB.publicId, fx->openA.id, CheckInSource::Manual})),
             "not_enrolled");
}

void KioskSyncTest::aCourseTheKioskDoesNotServeIsForbidden()
{
    // Course B's own student, at a kiosk of course A.
    QCOMPARE(reason(fx->tap(fx->studentB, fx->openB)), "forbidden");
    QCOMPARE(reason(fx->event(fx->teacherB, CheckIn{fx->studentB.publicId, fx->openB.id, CheckInSource::Manual})),
             "forbidden");
    QCOMPARE(reason(fx->event(fx->teacherB,
                              Correction{fx->studentB.publicId, fx->openB.id, true, "here", std::nullopt})),
             "forbidden");
    QCOMPARE(reason(fx->event(fx->teacherB, WindowClose{fx->openB.id})), "forbidden");
    // A kiosk of course B takes them.
    Kiosk kioskB = fx->kiosk;
    kioskB.courses = {fx->courseB.id};
    const auto atB = fx->rejection(kioskB, fx->tap(fx->studentB, fx->openB));
    QVERIFY(atB);
    QCOMPARE(*atB, std::optional<std::string>());
}

void KioskSyncTest::checkInsOutsideTheWindowGetTheGraceAndNoMore()
{
    const Window& closed = fx->closedA;
    QCOMPARE(reason(fx->tap(fx->studentA, closed)), "window_closed");
    QCOMPARE(reason(fx->tap(fx->studentA, closed, *closed.closedAt + k_grace)), "");
    QCOMPARE(reason(fx->tap(fx->studentA, closed, *closed.closedAt + k_grace + 1)), "window_closed");
    QCOMPARE(reason(fx->tap(fx->studentA, closed, *closed.openedAt - k_grace)), "");
    QCOMPARE(reason(fx->tap(fx->studentA, closed, *closed.openedAt - k_grace - 1)), "window_not_open");
    // Scheduled, not opened: not open whatever the time.
    QCOMPARE(reason(fx->tap(fx->studentA, fx->scheduledA)), "window_not_open");
    QCOMPARE(reason(fx->tap(fx->studentA, fx->scheduledA, fx->clock.nowMs() + 4 * ServiceFixture::k_minute)),
             "window_not_open");
}

void KioskSyncTest::remoteCheckInsComeFromPhonesNotKiosks()
{
    QCOMPARE(reason(fx->event(fx->studentA, CheckIn{fx->studentA.publicId, fx->openA.id, CheckInSource::QrRemote})),
             "forbidden");
    QCOMPARE(reason(fx->event(fx->teacher, CheckIn{fx->studentA.publicId, fx->openA.id, CheckInSource::QrRemote})),
             "forbidden");
}

void KioskSyncTest::aBadgeTapIsMadeByTheBadgeHolder()
{
    for (const auto source : {CheckInSource::Nfc, CheckInSource::Wedge, CheckInSource::QrBadge}) {
        QCOMPARE(reason(fx->event(fx->studentA, CheckIn{fx->studentA.publicId, fx->openA.id, source})), "");
        QCOMPARE(reason(fx->event(fx->studentA2, CheckIn{fx->studentA.publicId, fx->openA.id, source})), "forbidden");
        // Not even a teacher taps for someone: that is a manual check-in.
        QCOMPARE(reason(fx->event(fx->teacher, CheckIn{fx->studentA.publicId, fx->openA.id, source})), "forbidden");
    }
}

void KioskSyncTest::manualCheckInsAreForTeachersAndTas()
{
    const auto manual = [&](const Person& actor, const Person& who) {
        return reason(fx->event(actor, CheckIn{who.publicId, fx->openA.id, CheckInSource::Manual}));
    };
    QCOMPARE(manual(fx->teacher, fx->studentA), "");
    QCOMPARE(manual(fx->ta, fx->studentA), "");
    QCOMPARE(manual(fx->admin, fx->studentA), "");
    QCOMPARE(manual(fx->studentA2, fx->studentA), "forbidden");
    QCOMPARE(manual(fx->studentA, fx->studentA), "forbidden");
}

void KioskSyncTest::correctionsAreTheTeachersAndFlagsTheTas()
{
    const auto correction = [&](const Person& actor, const Person& who) {
        return reason(fx->event(actor, Correction{who.publicId, fx->openA.id, true, "was here", std::nullopt}));
    };
    const auto flag = [&](const Person& actor, const Person& who) {
        return reason(fx->event(actor, FlagChange{who.publicId, fx->openA.id, Flag::LeftEarly, true, ""}));
    };
    QCOMPARE(correction(fx->teacher, fx->studentA), "");
    QCOMPARE(correction(fx->admin, fx->studentA), "");
    QCOMPARE(correction(fx->ta, fx->studentA), "forbidden");
    QCOMPARE(correction(fx->studentA2, fx->studentA), "forbidden");
    QCOMPARE(correction(fx->teacher, fx->studentB), "not_enrolled");

    QCOMPARE(flag(fx->ta, fx->studentA), "");
    QCOMPARE(flag(fx->teacher, fx->studentA), "");
    QCOMPARE(flag(fx->studentA2, fx->studentA), "forbidden");
    QCOMPARE(flag(fx->outsider, fx->studentA), "forbidden");
    QCOMPARE(flag(fx->ta, fx->studentB), "not_enrolled");
    QCOMPARE(flag(fx->ta, fx->teacher), ""); // teachers are volunteers, with a record
}

void KioskSyncTest::windowsAreOpenedOnceByWhoeverRunsTheClass()
{
    const auto open = [&](const Person& actor, const std::string& window, const std::string& course) {
        return reason(fx->event(actor, WindowOpen{window, course, "Lab", std::nullopt}));
    };
    QCOMPARE(open(fx->teacher, newUuidV4(), fx->courseA.id), "");
    QCOMPARE(open(fx->ta, newUuidV4(), fx->courseA.id), "");
    QCOMPARE(open(fx->studentA, newUuidV4(), fx->courseA.id), "forbidden");
    QCOMPARE(open(fx->teacherB, newUuidV4(), fx->courseB.id), "forbidden"); // not this kiosk's course
    QCOMPARE(open(fx->teacher, newUuidV4(), newUuidV4()), "unknown_course");
    QCOMPARE(open(fx->teacher, fx->openA.id, fx->courseA.id), "window_exists");
    QCOMPARE(open(fx->teacher, fx->closedA.id, fx->courseA.id), "window_exists");
}

void KioskSyncTest::windowsAreClosedByWhoeverRunsTheClass()
{
    QCOMPARE(reason(fx->event(fx->ta, WindowClose{fx->openA.id})), "");
    QCOMPARE(reason(fx->event(fx->teacher, WindowClose{fx->openA.id})), "");
    QCOMPARE(reason(fx->event(fx->studentA, WindowClose{fx->openA.id})), "forbidden");
    QCOMPARE(reason(fx->event(fx->ta, WindowClose{newUuidV4()})), "unknown_window");
}

void KioskSyncTest::aBadgeBelongsToOnePerson()
{
    const std::string held(64, 'a');
    const std::string fresh(64, 'b');
    fx->addBadge(fx->studentA, held);
    const auto enroll = [&](const Person& actor, const std::string& who, const std::string& hash) {
        return reason(fx->event(actor, BadgeEnroll{who, hash}));
    };
    QCOMPARE(enroll(fx->teacher, fx->studentA2.publicId, held), "badge_in_use");
    QCOMPARE(enroll(fx->teacher, fx->studentA.publicId, held), ""); // their own again
    QCOMPARE(enroll(fx->teacher, fx->studentA2.publicId, fresh), "");
    QCOMPARE(enroll(fx->ta, fx->studentA2.publicId, fresh), "");
    QCOMPARE(enroll(fx->studentA, fx->studentA2.publicId, fresh), "forbidden");
    QCOMPARE(enroll(fx->teacher, fx->studentB.publicId, fresh), "not_enrolled");
    QCOMPARE(enroll(fx->teacherB, fx->studentB.publicId, fresh), "not_enrolled"); // course B is not served here
    QCOMPARE(enroll(fx->teacher, "zzzzzzzzzz", fresh), "unknown_person");
}

void KioskSyncTest::aRemoteConfirmationNeedsThatCheckIn()
{
    QCOMPARE(reason(fx->event(fx->ta, RemoteConfirm{fx->studentA.publicId, fx->openA.id, newUuidV4()})),
             "unknown_check_in");
    QCOMPARE(reason(fx->event(fx->studentA2, RemoteConfirm{fx->studentA.publicId, fx->openA.id, newUuidV4()})),
             "forbidden");
    QCOMPARE(reason(fx->event(fx->ta, RemoteConfirm{fx->studentB.publicId, fx->openA.id, newUuidV4()})),
             "not_enrolled");
}

void KioskSyncTest::aBatchIsStoredAndAcknowledgedEventByEvent()
{
    const std::vector<Event> batch{
        fx->tap(fx->studentA, fx->openA),
        fx->tap(fx->studentB, fx->openA),
        fx->event(fx->teacher, Correction{fx->studentA2.publicId, fx->openA.id, true, "forgot", std::nullopt}),
        fx->event(fx->ta, FlagChange{fx->studentA.publicId, fx->openA.id, Flag::CameraOff, true, ""}),
        fx->tap(fx->studentA2, fx->closedA),
    };
    const auto r = sync(1, batch);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->serverTimeMs, fx->clock.nowMs());
    QCOMPARE(acks(*r), "stored; rejected not_enrolled; stored; stored; rejected window_closed; ");
    for (std::size_t i = 0; i < batch.size(); ++i)
        QCOMPARE(r->acks[i].id, batch[i].id);

    QVERIFY(fx->hasCheckIn(fx->studentA, fx->openA));
    QVERIFY(!fx->hasCheckIn(fx->studentB, fx->openA));
    QVERIFY(!fx->hasCheckIn(fx->studentA2, fx->closedA));
    QVERIFY(fx->record(fx->openA, fx->studentA2).present);
    QVERIFY(fx->record(fx->openA, fx->studentA2).corrected);
    QCOMPARE(fx->record(fx->openA, fx->studentA).flags.size(), std::size_t(1));
    QCOMPARE(fx->record(fx->openA, fx->studentA).source, std::optional<CheckInSource>(CheckInSource::Nfc));
    QVERIFY(!r->kiosk); // not a first sync
}

void KioskSyncTest::aReplayGetsTheSameAcksAndStoresNothingMore()
{
    const std::vector<Event> batch{fx->tap(fx->studentA, fx->openA), fx->tap(fx->studentB, fx->openA),
                                   fx->event(fx->ta, Correction{fx->studentA2.publicId, fx->openA.id, true, "x",
                                                                std::nullopt})};
    const auto first = sync(1, batch);
    QVERIFY(first);
    QCOMPARE(acks(*first), "stored; rejected not_enrolled; rejected forbidden; ");

    // The kiosk did not hear the answer and sends the batch again, later.
    fx->clock.advance(30'000);
    const auto replay = sync(1, batch);
    QVERIFY(replay);
    QCOMPARE(acks(*replay), "duplicate; rejected not_enrolled; rejected forbidden; ");
    QCOMPARE(replay->acks[0].id, batch[0].id);
    const auto again = sync(1, batch);
    QVERIFY(again);
    QCOMPARE(acks(*again), acks(*replay));
    QCOMPARE(fx->record(fx->openA, fx->studentA).firstCheckIn, std::optional<std::int64_t>(batch[0].at));

    // The same id twice in one batch is stored once, whatever it claims the second time.
    Event sameId = fx->tap(fx->studentA2, fx->openA);
    Event twin = fx->event(fx->ta, FlagChange{fx->studentA2.publicId, fx->openA.id, Flag::CameraOff, true, ""});
    twin.id = sameId.id;
    const auto twins = sync(1, {sameId, twin});
    QVERIFY(twins);
    QCOMPARE(acks(*twins), "stored; duplicate; ");
    QVERIFY(fx->record(fx->openA, fx->studentA2).flags.empty());
}

void KioskSyncTest::anUnreadableEventIsRejectedAndTheRestGoOn()
{
    SyncRequest request;
    request.kioskTimeMs = fx->clock.nowMs();
    request.cursor = 1;
    const std::string badId = newUuidV4();
    request.events.emplace_back(EventRejection{badId, "unknown type"});
    request.events.emplace_back(fx->tap(fx->studentA, fx->openA));
    const auto r = syncKiosk(*fx->services, fx->kiosk, request);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->acks.size(), std::size_t(2));
    QCOMPARE(r->acks[0].id, badId);
    QVERIFY(r->acks[0].status == AckStatus::Rejected);
    QCOMPARE(r->acks[0].reason, "invalid_event: unknown type");
    QVERIFY(r->acks[1].status == AckStatus::Stored);
    QVERIFY(fx->hasCheckIn(fx->studentA, fx->openA));
}

void KioskSyncTest::aWindowOpenedAtTheKioskTakesCheckInsInTheSameBatch()
{
    const std::string window = newUuidV4();
    const auto now = fx->clock.nowMs();
    Window made; // as the kiosk knows it, before the server does
    made.id = window;
    made.course = fx->courseA.id;
    const auto r = sync(1, {fx->event(fx->ta, WindowOpen{window, fx->courseA.id, "Offline lab", std::nullopt}, now),
                            fx->tap(fx->studentA, made, now + 1000)});
    QVERIFY(r);
    QCOMPARE(acks(*r), "stored; stored; ");
    Window opened = fx->window(window);
    QCOMPARE(opened.openedAt, std::optional<std::int64_t>(now));
    const auto checkIns = sync(1, {fx->tap(fx->studentA2, opened, now + 2000),
                                   fx->event(fx->ta, WindowClose{window}, now + 3000),
                                   fx->tap(fx->studentA, opened, now + 3000 + k_grace + 1)});
    QVERIFY(checkIns);
    QCOMPARE(acks(*checkIns), "stored; stored; rejected window_closed; ");
    QVERIFY(fx->hasCheckIn(fx->studentA, opened));
    QVERIFY(fx->hasCheckIn(fx->studentA2, opened));
    QCOMPARE(fx->window(window).closedAt, std::optional<std::int64_t>(now + 3000));
}

void KioskSyncTest::theFirstSyncTellsTheKioskWhoItIs()
{
    const auto r = sync(0, {});
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QVERIFY(r->kiosk);
    QCOMPARE(r->kiosk->id, fx->kiosk.id);
    QCOMPARE(r->kiosk->name, "Room 1 door");
    QCOMPARE(r->kiosk->secret, base64UrlEncode(fx->kiosk.secret));
    QCOMPARE(r->kiosk->badgeKey, base64UrlEncode(fx->badgeKey()));
    QVERIFY(r->cursor > 0);

    // What course A needs, and nothing of course B.
    const auto& c = r->changes;
    const auto hasCourse = [&](const Course& course) {
        return std::ranges::any_of(c.courses, [&](const CourseChange& x) { return x.id == course.id; });
    };
    const auto hasPerson = [&](const Person& p) {
        return std::ranges::any_of(c.people, [&](const PersonChange& x) { return x.publicId == p.publicId; });
    };
    const auto hasWindow = [&](const Window& w) {
        return std::ranges::any_of(c.windows, [&](const WindowChange& x) { return x.id == w.id; });
    };
    QVERIFY(hasCourse(fx->courseA));
    QVERIFY(!hasCourse(fx->courseB));
    QVERIFY(hasPerson(fx->studentA));
    QVERIFY(hasPerson(fx->ta));
    QVERIFY(!hasPerson(fx->studentB));
    QVERIFY(!hasPerson(fx->outsider));
    QVERIFY(hasWindow(fx->openA));
    QVERIFY(!hasWindow(fx->openB));

    // Later syncs do not repeat the identity.
    const auto next = sync(r->cursor, {});
    QVERIFY(next);
    QVERIFY(!next->kiosk);
}

void KioskSyncTest::theCursorAdvancesWithTheChanges()
{
    const auto first = sync(0, {});
    QVERIFY(first);
    const auto cursor = first->cursor;

    const auto quiet = sync(cursor, {});
    QVERIFY(quiet);
    // Nothing new for the kiosk. The cursor may skip ahead over changes of
    // other courses, never back.
    QVERIFY(quiet->changes == Changes{});
    QVERIFY(!quiet->more);
    QVERIFY(quiet->cursor >= cursor);
    const auto stillQuiet = sync(quiet->cursor, {});
    QVERIFY(stillQuiet);
    QCOMPARE(stillQuiet->cursor, quiet->cursor);
    QVERIFY(stillQuiet->changes == Changes{});

    // "Add TA to Class" on the dashboard reaches the kiosk.
    fx->clock.advance(1000);
    QVERIFY(assignMember(*fx->services, fx->as(fx->teacher), fx->courseA.id, fx->outsider.publicId, Role::Ta));
    const auto changed = sync(quiet->cursor, {});
    QVERIFY(changed);
    QVERIFY2(changed->cursor > quiet->cursor, std::to_string(changed->cursor).c_str());
    const auto& e = changed->changes.enrollments;
    QVERIFY(std::ranges::any_of(e, [&](const EnrollmentChange& x) {
        return x.person == fx->outsider.publicId && x.course == fx->courseA.id && x.role == Role::Ta && !x.removed;
    }));
    // A change in course B does not.
    QVERIFY(assignMember(*fx->services, fx->as(fx->teacherB), fx->courseB.id, fx->outsider.publicId, Role::Student));
    const auto unrelated = sync(changed->cursor, {});
    QVERIFY(unrelated);
    QVERIFY(std::ranges::none_of(unrelated->changes.enrollments,
                                 [&](const EnrollmentChange& x) { return x.course == fx->courseB.id; }));
}

void KioskSyncTest::aWindowTheServerClosesReachesTheKioskAtItsNextSync()
{
    auto first = sync(0, {});
    QVERIFY(first);
    // Past the window's end (the course's 120 minutes) and grace (15).
    fx->clock.set(fx->openA.startMs().value() + 135 * ServiceFixture::k_minute);
    const auto closed = closeDueWindows(*fx->services);
    QVERIFY(closed && !closed->empty());
    auto next = sync(first->cursor, {});
    QVERIFY(next);
    const auto it = std::ranges::find_if(next->changes.windows, [&](const WindowChange& w) { return w.id == fx->openA.id; });
    QVERIFY(it != next->changes.windows.end());
    QCOMPARE(it->closedAt, std::optional(fx->openA.startMs().value() + 135 * ServiceFixture::k_minute));
    // A tap a few minutes after that is refused, as for any closed window.
    fx->clock.advance(5 * ServiceFixture::k_minute);
    const auto late = sync(next->cursor, {fx->tap(fx->studentA, fx->openA)});
    QVERIFY(late);
    QCOMPARE(late->acks.size(), std::size_t{1});
    QVERIFY2(late->acks[0].status == AckStatus::Rejected, acks(*late).c_str());
}

QTEST_GUILESS_MAIN(KioskSyncTest)
#include "kiosksynctest.moc"
