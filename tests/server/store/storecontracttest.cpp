// The store's contract: what the people, course and attendance repositories
// keep and answer, the same for SQLite and PostgreSQL (storeundertest.h
// chooses the backend; CTest runs this program once for each).

#include "storeundertest.h"

#include "core/random.h"

#include "tests/support/must.h"
#include "tests/support/qtestsupport.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using imhere::test::must;

namespace {

constexpr std::int64_t k_start = 1'760'001'600'000; // 2025-10-09 09:20 UTC
constexpr std::int64_t k_minute = 60'000;
constexpr std::int64_t k_day = 24 * 60 * k_minute;

std::string hashOf(char c)
{
    return std::string(64, c);
}

} // namespace

class StoreContractTest : public QObject {
    Q_OBJECT

    std::unique_ptr<Backends> backends;
    ManualClock clock{k_start};
    std::unique_ptr<Store> store;

    PeopleRepository& people() { return store->people(); }
    CourseRepository& courses() { return store->courses(); }
    AttendanceRepository& attendance() { return store->attendance(); }

    Person person(const std::string& name, std::optional<std::string> email = std::nullopt)
    {
        return must(people().createPerson({name, std::move(email), std::nullopt, std::nullopt, std::nullopt,
                                           std::nullopt, false}),
                    "add a person");
    }
    Window openWindow(const Course& course, const Person& by, std::int64_t at)
    {
        return must(attendance().createWindow({newUuidV4(), course.id, "Class", std::nullopt, at, by.id}),
                    "open a window");
    }
    CheckInEvent checkIn(const Person& who, const Window& w, std::int64_t at)
    {
        return {newUuidV4(), who.id, w.id, at, CheckInSource::Nfc, who.id, std::nullopt};
    }

private slots:
    void initTestCase()
    {
        backends = std::make_unique<Backends>();
        qInfo("backend: %s", backends->name());
        QVERIFY2(backends->problem().empty(), backends->problem().c_str());
    }
    void cleanupTestCase() { backends.reset(); }
    void init()
    {
        clock.set(k_start);
        auto opened = backends->open(clock);
        QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
        store = std::move(*opened);
    }
    void cleanup() { store.reset(); }

    void theOrgKeysAreMadeOnceAndKept();
    void peopleAreFoundByIdPublicIdAndEmailInAnyCase();
    void anEmailBelongsToOnePerson();
    void peopleAreListedByName();
    void passwordAndPinHashesAreKept();
    void aBadgeBelongsToOnePersonAtATime();
    void aQrBadgeReplacesTheLastOne();
    void theAdminAndLeadFlagsChange();
    void optingOutAndErasingChangeThePublicMark();
    void aCourseStartsWithItsTeacherAndStudents();
    void coursesAreListedForAPersonOrForEveryone();
    void aRemovedCourseCannotBeChanged();
    void rolesChangeAndMembersLeaveOnce();
    void anAlertIsFollowedUpOnce();
    void aWindowOpensClosesAndReopensOnce();
    void windowsAreOrderedByTheirStart();
    void eventsAreStoredOnceById();
    void anEventSentByManyAtOnceIsStoredOnce();
    void aGroupOfCheckInsIsDecidedInOrder();
    void recordInputsNarrowToAWindowAndAPerson();
    void theHistoryOfARecordIsOldestFirst();
    void aTransactionSpansRepositoriesAndFailsWhole();
};

void StoreContractTest::theOrgKeysAreMadeOnceAndKept()
{
    const Bytes badge = must(people().badgeKey(), "badge key");
    const Bytes master = must(people().masterKey(), "master key");
    QCOMPARE(badge.size(), std::size_t{32});
    QCOMPARE(master.size(), std::size_t{32});
    QVERIFY(badge != master);
    QVERIFY(must(people().badgeKey(), "badge key again") == badge);
    QVERIFY(must(people().masterKey(), "master key again") == master);
}

void StoreContractTest::peopleAreFoundByIdPublicIdAndEmailInAnyCase()
{
    const Person ada = person("Ada", "Ada@Example.org");
    QVERIFY(ada.id > 0);
    QCOMPARE(ada.publicId.size(), newPublicId().size());
    const auto byId = must(people().personById(ada.id), "by id");
    QVERIFY(byId);
    QCOMPARE(byId->displayName, "Ada");
    QCOMPARE(byId->email, std::optional<std::string>("Ada@Example.org"));
    QVERIFY(!byId->isAdmin && !byId->isLead);
    QCOMPARE(must(people().personByPublicId(ada.publicId), "by public id")->id, ada.id);
    QCOMPARE(must(people().personByEmail("ada@example.ORG"), "by email")->id, ada.id);
    QVERIFY(!must(people().personByEmail("bea@example.org"), "nobody"));
    QVERIFY(!must(people().personById(ada.id + 1000), "no id"));
}

void StoreContractTest::anEmailBelongsToOnePerson()
{
    person("Ada", "ada@example.org");
    const auto second = people().createPerson({"Other Ada", "ADA@example.org", {}, {}, {}, {}, false});
    QVERIFY(!second);
    QCOMPARE(second.error().code, Errc::AlreadyExists);
    // People without an email are as many as you like.
    person("No Mail");
    person("No Mail Either");
    QCOMPARE(must(people().listPeople(), "list").size(), std::size_t{3});
}

void StoreContractTest::peopleAreListedByName()
{
    const Person zoe = person("Zoë");
    const Person bea = person("Bea");
    const Person bea2 = person("Bea");
    const Person lower = person("adam"); // byte order: after the capitals
    const auto listed = must(people().listPeople(), "list");
    QCOMPARE(listed.size(), std::size_t{4});
    QCOMPARE(listed[0].id, bea.id);
    QCOMPARE(listed[1].id, bea2.id);
    QCOMPARE(listed[2].id, zoe.id);
    QCOMPARE(listed[3].id, lower.id);
}

void StoreContractTest::passwordAndPinHashesAreKept()
{
    const Person ada = person("Ada");
    must(people().setPasswordHash(ada.id, "$argon2id$pw"), "password");
    must(people().setPinHash(ada.id, "$argon2id$pin"), "pin");
    const auto read = must(people().personById(ada.id), "read");
    QCOMPARE(read->passwordHash, std::optional<std::string>("$argon2id$pw"));
    QCOMPARE(read->pinHash, std::optional<std::string>("$argon2id$pin"));
}

void StoreContractTest::aBadgeBelongsToOnePersonAtATime()
{
    const Person ada = person("Ada");
    const Person bea = person("Bea");
    must(people().addBadge(ada.id, hashOf('a')), "badge");
    must(people().addBadge(ada.id, hashOf('a')), "the same badge again changes nothing");
    QCOMPARE(must(people().badgeCount(ada.id), "count"), std::size_t{1});
    const auto taken = people().addBadge(bea.id, hashOf('a'));
    QVERIFY(!taken);
    QCOMPARE(taken.error().code, Errc::AlreadyExists);
    QCOMPARE(must(people().badgeCount(bea.id), "count"), std::size_t{0});
    // Erasing Ada revokes her badge, which Bea may then have.
    must(people().erasePerson(ada.id, "Erased person", "test"), "erase");
    QCOMPARE(must(people().badgeCount(ada.id), "count"), std::size_t{0});
    must(people().addBadge(bea.id, hashOf('a')), "a revoked badge passes on");
    QCOMPARE(must(people().badgeCount(bea.id), "count"), std::size_t{1});
}

void StoreContractTest::aQrBadgeReplacesTheLastOne()
{
    const Person ada = person("Ada");
    must(people().addBadge(ada.id, hashOf('c')), "card");
    must(people().replaceQrBadge(ada.id, hashOf('1')), "first QR");
    QCOMPARE(must(people().badgeCount(ada.id), "count"), std::size_t{2});
    must(people().replaceQrBadge(ada.id, hashOf('2')), "second QR");
    QCOMPARE(must(people().badgeCount(ada.id), "count"), std::size_t{2}); // the card and the newest QR
    must(people().revokeQrBadges(ada.id), "revoke");
    QCOMPARE(must(people().badgeCount(ada.id), "count"), std::size_t{1});
}

void StoreContractTest::theAdminAndLeadFlagsChange()
{
    const Person ada = person("Ada");
    const Person bea = person("Bea");
    must(people().setAdmin(bea.id, true, ada.id), "admin");
    must(people().setLead(bea.id, true, 0), "lead from the command line");
    auto read = must(people().personById(bea.id), "read");
    QVERIFY(read->isAdmin);
    QVERIFY(read->isLead);
    must(people().setAdmin(bea.id, true, ada.id), "again changes nothing");
    must(people().setAdmin(bea.id, false, ada.id), "not admin");
    read = must(people().personById(bea.id), "read");
    QVERIFY(!read->isAdmin);
    QVERIFY(read->isLead);
}

void StoreContractTest::optingOutAndErasingChangeThePublicMark()
{
    const Person ada = person("Ada", "ada@example.org");
    const Person bea = person("Bea");
    const std::string before = must(people().publicDataMark(), "mark");
    QCOMPARE(must(people().publicDataMark(), "mark again"), before);
    must(people().setPublicOptOut(ada.id, true, "ada"), "opt out");
    must(people().setPublicOptOut(ada.id, true, "ada"), "twice");
    QVERIFY(must(people().publicOptOut(ada.id), "opted out"));
    QVERIFY(!must(people().publicOptOut(bea.id), "not opted out"));
    QCOMPARE(must(people().publicOptOuts(), "list"), std::vector<std::string>{ada.publicId});
    const std::string afterOptOut = must(people().publicDataMark(), "mark");
    QVERIFY(afterOptOut != before);
    must(people().setPublicOptOut(ada.id, false, "ada"), "opt in");
    QVERIFY(must(people().publicOptOuts(), "list").empty());

    must(people().erasePerson(ada.id, "Erased person", "admin"), "erase");
    const auto erased = must(people().personById(ada.id), "read");
    QCOMPARE(erased->displayName, "Erased person");
    QVERIFY(!erased->email);
    QVERIFY(!must(people().personByEmail("ada@example.org"), "no email"));
    QVERIFY(must(people().publicDataMark(), "mark") != afterOptOut);
    // A day later the mark moves without any write.
    const std::string today = must(people().publicDataMark(), "mark");
    clock.advance(k_day);
    QVERIFY(must(people().publicDataMark(), "mark") != today);
}

void StoreContractTest::aCourseStartsWithItsTeacherAndStudents()
{
    const Person teacher = person("Tomás");
    const Person sam = person("Sam");
    const Person zoe = person("Zoë");
    const Course course = must(courses().createCourse({"WM5", "Europe/London", 10, 60, {sam.id, zoe.id, teacher.id}},
                                                      teacher.id),
                               "course");
    QCOMPARE(course.name, "WM5");
    const auto read = must(courses().course(course.id), "read");
    QVERIFY(read);
    QCOMPARE(read->timezone, "Europe/London");
    QCOMPARE(read->lateAfterMin, 10);
    QCOMPARE(read->absentAfterMin, 60);
    QCOMPARE(read->windowLengthMin, course.windowLengthMin);
    QCOMPARE(read->alertBelowPercent, 70);
    QVERIFY(!read->removed);
    QCOMPARE(int(must(courses().roleIn(teacher.id, course.id), "role").value()), int(Role::Teacher));
    QCOMPARE(int(must(courses().roleIn(sam.id, course.id), "role").value()), int(Role::Student));
    const auto roster = must(courses().roster(course.id), "roster");
    QCOMPARE(roster.size(), std::size_t{3});
    QCOMPARE(roster[0].displayName, "Sam");
    QCOMPARE(roster[1].displayName, "Tomás");
    QCOMPARE(roster[2].displayName, "Zoë");
    QVERIFY(!must(courses().course("no-such-course"), "none"));
}

void StoreContractTest::coursesAreListedForAPersonOrForEveryone()
{
    const Person teacher = person("T");
    const Person sam = person("Sam");
    const Course b = must(courses().createCourse({"B course", "UTC", 10, 60, {sam.id}}, teacher.id), "b");
    const Course a = must(courses().createCourse({"A course", "UTC", 10, 60, {}}, teacher.id), "a");
    const Course gone = must(courses().createCourse({"0 removed", "UTC", 10, 60, {sam.id}}, teacher.id), "gone");
    must(courses().removeCourse(gone.id, teacher.id), "remove");
    const auto all = must(courses().listCourses(std::nullopt), "all");
    QCOMPARE(all.size(), std::size_t{2});
    QCOMPARE(all[0].course.id, a.id);
    QCOMPARE(all[1].course.id, b.id);
    const auto sams = must(courses().listCourses(sam.id), "sam's");
    QCOMPARE(sams.size(), std::size_t{1});
    QCOMPARE(sams[0].course.id, b.id);
    QCOMPARE(int(sams[0].role.value()), int(Role::Student));
    const auto enrollments = must(courses().listEnrollments(), "enrollments");
    QCOMPARE(enrollments.size(), std::size_t{3}); // not those of the removed course
    QVERIFY(must(courses().course(gone.id), "removed")->removed);
}

void StoreContractTest::aRemovedCourseCannotBeChanged()
{
    const Person teacher = person("T");
    Course course = must(courses().createCourse({"C", "UTC", 10, 60, {}}, teacher.id), "course");
    course.name = "Renamed";
    course.alertBelowPercent = 50;
    must(courses().updateCourse(course, teacher.id), "update");
    QCOMPARE(must(courses().course(course.id), "read")->name, "Renamed");
    QCOMPARE(must(courses().course(course.id), "read")->alertBelowPercent, 50);
    must(courses().removeCourse(course.id, teacher.id), "remove");
    const auto again = courses().removeCourse(course.id, teacher.id);
    QVERIFY(!again);
    QCOMPARE(again.error().code, Errc::NotFound);
    const auto update = courses().updateCourse(course, teacher.id);
    QVERIFY(!update);
    QCOMPARE(update.error().code, Errc::NotFound);
}

void StoreContractTest::rolesChangeAndMembersLeaveOnce()
{
    const Person teacher = person("T");
    const Person sam = person("Sam");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {}}, teacher.id), "course");
    clock.advance(k_minute);
    must(courses().setEnrollment(sam.id, course.id, Role::Student, teacher.id), "join");
    clock.advance(k_minute);
    must(courses().setEnrollment(sam.id, course.id, Role::Ta, 0), "become a TA");
    QCOMPARE(int(must(courses().roleIn(sam.id, course.id), "role").value()), int(Role::Ta));
    clock.advance(k_minute);
    QVERIFY(must(courses().removeEnrollment(sam.id, course.id, teacher.id), "leave"));
    QVERIFY(!must(courses().removeEnrollment(sam.id, course.id, teacher.id), "leave again"));
    QVERIFY(!must(courses().roleIn(sam.id, course.id), "no role"));
    clock.advance(k_minute);
    must(courses().setEnrollment(sam.id, course.id, Role::Student, teacher.id), "come back");
    // The spans: joined, (role change keeps it), left, joined again.
    const auto in = must(attendance().recordInputs(course.id, std::nullopt, std::nullopt), "inputs");
    const auto& spans = in.enrolment.at(sam.publicId);
    QCOMPARE(spans.size(), std::size_t{2});
    QCOMPARE(spans[0].joined, k_start + k_minute);
    QCOMPARE(spans[0].left, std::optional<std::int64_t>(k_start + 3 * k_minute));
    QCOMPARE(spans[1].joined, k_start + 4 * k_minute);
    QVERIFY(!spans[1].left);
}

void StoreContractTest::anAlertIsFollowedUpOnce()
{
    const Person teacher = person("T");
    const Person sam = person("Sam");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {sam.id}}, teacher.id), "course");
    must(courses().followUpAlert(course.id, sam.id, "absent_run", "2025-10-01", "called", teacher.id), "follow up");
    const auto twice = courses().followUpAlert(course.id, sam.id, "absent_run", "2025-10-01", "again", teacher.id);
    QVERIFY(!twice);
    QCOMPARE(twice.error().code, Errc::AlreadyExists);
    const auto followUps = must(courses().alertFollowUps(course.id), "list");
    QCOMPARE(followUps.size(), std::size_t{1});
    QCOMPARE(followUps[0].person, sam.publicId);
    QCOMPARE(followUps[0].note, "called");
    QCOMPARE(followUps[0].actorName, "T");
    QCOMPARE(followUps[0].at, k_start);
}

void StoreContractTest::aWindowOpensClosesAndReopensOnce()
{
    const Person teacher = person("T");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {}}, teacher.id), "course");
    const Window scheduled = must(attendance().createWindow({newUuidV4(), course.id, "Later", k_start + 60 * k_minute,
                                                             std::nullopt, teacher.id}),
                                  "schedule");
    QVERIFY(!scheduled.openedAt);
    QCOMPARE(scheduled.scheduledStart, std::optional<std::int64_t>(k_start + 60 * k_minute));
    const auto duplicate = attendance().createWindow({scheduled.id, course.id, "Again", k_start, std::nullopt, teacher.id});
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, Errc::AlreadyExists);

    Window w = must(attendance().openWindow(scheduled.id, k_start + 55 * k_minute, teacher.id), "open");
    QCOMPARE(w.openedAt, std::optional<std::int64_t>(k_start + 55 * k_minute));
    QCOMPARE(w.openedBy, std::optional<std::string>(teacher.publicId));
    w = must(attendance().openWindow(scheduled.id, k_start + 57 * k_minute, teacher.id), "open again");
    QCOMPARE(w.openedAt, std::optional<std::int64_t>(k_start + 55 * k_minute));
    QCOMPARE(must(attendance().openWindows(), "open").size(), std::size_t{1});

    w = must(attendance().closeWindow(scheduled.id, k_start + 90 * k_minute, 0), "close by the server");
    QCOMPARE(w.closedAt, std::optional<std::int64_t>(k_start + 90 * k_minute));
    w = must(attendance().closeWindow(scheduled.id, k_start + 95 * k_minute, teacher.id), "close again");
    QCOMPARE(w.closedAt, std::optional<std::int64_t>(k_start + 90 * k_minute));
    QVERIFY(must(attendance().openWindows(), "open").empty());

    w = must(attendance().reopenWindow(scheduled.id, k_start + 100 * k_minute, k_start + 130 * k_minute, teacher.id),
             "reopen");
    QVERIFY(!w.closedAt);
    QCOMPARE(w.scheduledEnd, std::optional<std::int64_t>(k_start + 130 * k_minute));

    // A window closed before it was opened is opened at its closing.
    const Window never = must(attendance().createWindow({newUuidV4(), course.id, "Never", k_start, std::nullopt,
                                                         teacher.id}),
                              "another");
    w = must(attendance().closeWindow(never.id, k_start + 5 * k_minute, teacher.id), "close unopened");
    QCOMPARE(w.openedAt, w.closedAt);
    // A past class made closed: never before its opening.
    const Window past = must(attendance().createWindow({newUuidV4(), course.id, "Past", std::nullopt,
                                                        k_start - k_day, teacher.id, k_start - 2 * k_day}),
                             "past");
    QCOMPARE(past.closedAt, std::optional<std::int64_t>(k_start - k_day));
    const auto missing = attendance().closeWindow("no-such-window", k_start, teacher.id);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Errc::NotFound);
}

void StoreContractTest::windowsAreOrderedByTheirStart()
{
    const Person teacher = person("T");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {}}, teacher.id), "course");
    const Window third = must(attendance().createWindow({newUuidV4(), course.id, "3", k_start + 2 * k_day,
                                                         std::nullopt, teacher.id}),
                              "3");
    const Window first = openWindow(course, teacher, k_start - k_day);
    const Window second = must(attendance().createWindow({newUuidV4(), course.id, "2", k_start, std::nullopt,
                                                          teacher.id}),
                               "2");
    const auto all = must(attendance().windowsOf(course.id), "all");
    QCOMPARE(all.size(), std::size_t{3});
    QCOMPARE(all[0].id, first.id);
    QCOMPARE(all[1].id, second.id);
    QCOMPARE(all[2].id, third.id);
    const auto some = must(attendance().windowsBetween(course.id, k_start - k_day, k_start), "between");
    QCOMPARE(some.size(), std::size_t{2});
    QCOMPARE(some[0].id, first.id);
    QCOMPARE(some[1].id, second.id);
    QVERIFY(must(attendance().windowsBetween(course.id, k_start + 1, k_start + k_day), "none").empty());
}

void StoreContractTest::eventsAreStoredOnceById()
{
    const Person teacher = person("T");
    const Person sam = person("Sam");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {sam.id}}, teacher.id), "course");
    const Window w = openWindow(course, teacher, k_start);
    const CheckInEvent tap = checkIn(sam, w, k_start + k_minute);
    QVERIFY(!must(attendance().hasCheckIn(sam.id, w.id), "none yet"));
    QVERIFY(must(attendance().addCheckIn(tap), "first"));
    QVERIFY(!must(attendance().addCheckIn(tap), "replayed"));
    QVERIFY(must(attendance().hasCheckIn(sam.id, w.id), "stored"));

    const CorrectionEvent toggle{newUuidV4(), sam.id, w.id, false, "left at once", std::nullopt, teacher.id,
                                 k_start + 2 * k_minute, 7, true};
    QVERIFY(must(attendance().addCorrection(toggle), "correction"));
    QVERIFY(!must(attendance().addCorrection(toggle), "correction replayed"));
    const FlagEvent flag{newUuidV4(), sam.id, w.id, Flag::CameraOff, true, "camera", teacher.id, k_start + 3 * k_minute,
                         std::nullopt};
    QVERIFY(must(attendance().addFlag(flag), "flag"));
    QVERIFY(!must(attendance().addFlag(flag), "flag replayed"));

    const auto in = must(attendance().recordInputs(course.id, w.id, sam.id), "inputs");
    const auto& events = in.events.at({sam.publicId, w.id});
    QCOMPARE(events.checkIns.size(), std::size_t{1});
    QCOMPARE(events.checkIns[0].id, tap.id);
    QCOMPARE(events.checkIns[0].at, k_start + k_minute);
    QCOMPARE(events.corrections.size(), std::size_t{1});
    QVERIFY(!events.corrections[0].present);
    QVERIFY(events.corrections[0].excused);
    QCOMPARE(events.flags.size(), std::size_t{1});
    QCOMPARE(int(events.flags[0].flag), int(Flag::CameraOff));
}

void StoreContractTest::anEventSentByManyAtOnceIsStoredOnce()
{
    const Person teacher = person("T");
    const Person sam = person("Sam");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {sam.id}}, teacher.id), "course");
    const Window w = openWindow(course, teacher, k_start);
    const CheckInEvent tap = checkIn(sam, w, k_start + k_minute);
    constexpr int k_senders = 8;
    std::atomic<int> stored = 0;
    std::atomic<int> failed = 0;
    std::latch start(k_senders);
    std::vector<std::thread> senders;
    for (int i = 0; i < k_senders; ++i) {
        senders.emplace_back([&] {
            start.arrive_and_wait();
            const auto added = attendance().addCheckIn(tap);
            if (!added)
                ++failed;
            else if (*added)
                ++stored;
        });
    }
    for (auto& t : senders)
        t.join();
    QCOMPARE(failed.load(), 0);
    QCOMPARE(stored.load(), 1);
    const auto in = must(attendance().recordInputs(course.id, w.id, sam.id), "inputs");
    QCOMPARE(in.events.at({sam.publicId, w.id}).checkIns.size(), std::size_t{1});
}

void StoreContractTest::aGroupOfCheckInsIsDecidedInOrder()
{
    const Person teacher = person("T");
    const Person sam = person("Sam");
    const Person zoe = person("Zoë");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {sam.id, zoe.id}}, teacher.id), "course");
    const Window w = openWindow(course, teacher, k_start);
    const CheckInEvent group[] = {checkIn(sam, w, k_start + 1), checkIn(zoe, w, k_start + 2),
                                  checkIn(sam, w, k_start + 3),
                                  {newUuidV4(), zoe.id, "no-such-window", k_start, CheckInSource::Manual, zoe.id, {}}};
    std::vector<std::optional<Role>> rolesSeen;
    const auto outcomes = must(attendance().commitCheckIns(group,
                                                           [&](const CheckInEvent&, const Window& window,
                                                               std::optional<Role> role, bool already) {
                                                               rolesSeen.push_back(role);
                                                               if (window.course != course.id)
                                                                   return CheckInOutcome::UnknownWindow;
                                                               return already ? CheckInOutcome::AlreadyCheckedIn
                                                                              : CheckInOutcome::Stored;
                                                           }),
                               "group");
    QCOMPARE(outcomes.size(), std::size_t{4});
    QCOMPARE(int(outcomes[0]), int(CheckInOutcome::Stored));
    QCOMPARE(int(outcomes[1]), int(CheckInOutcome::Stored));
    QCOMPARE(int(outcomes[2]), int(CheckInOutcome::AlreadyCheckedIn)); // sees the first, stored earlier in the group
    QCOMPARE(int(outcomes[3]), int(CheckInOutcome::UnknownWindow));
    QCOMPARE(rolesSeen.size(), std::size_t{3}); // no rule for a window that does not exist
    QCOMPARE(int(rolesSeen[0].value()), int(Role::Student));
    QVERIFY(must(attendance().hasCheckIn(sam.id, w.id), "sam"));
    QVERIFY(must(attendance().hasCheckIn(zoe.id, w.id), "zoe"));

    // An error stores none of the group: the same id twice breaks the key.
    const Person tom = person("Tom");
    must(courses().setEnrollment(tom.id, course.id, Role::Student, teacher.id), "enrol");
    const CheckInEvent tomsTap = checkIn(tom, w, k_start + 4);
    const CheckInEvent broken[] = {tomsTap, group[0]};
    const auto failed = attendance().commitCheckIns(broken, [](const CheckInEvent&, const Window&, std::optional<Role>,
                                                               bool) { return CheckInOutcome::Stored; });
    QVERIFY(!failed);
    QVERIFY(!must(attendance().hasCheckIn(tom.id, w.id), "tom not stored"));
}

void StoreContractTest::recordInputsNarrowToAWindowAndAPerson()
{
    const Person teacher = person("T");
    const Person sam = person("Sam");
    const Person zoe = person("Zoë");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {sam.id, zoe.id}}, teacher.id), "course");
    const Window monday = openWindow(course, teacher, k_start - k_day);
    const Window tuesday = openWindow(course, teacher, k_start);
    for (const Window* w : {&monday, &tuesday}) {
        for (const Person* p : {&sam, &zoe})
            QVERIFY(must(attendance().addCheckIn(checkIn(*p, *w, *w->openedAt + k_minute)), "tap"));
    }
    const auto all = must(attendance().recordInputs(course.id, std::nullopt, std::nullopt), "all");
    QCOMPARE(all.course.id, course.id);
    QCOMPARE(all.windows.size(), std::size_t{2});
    QCOMPARE(all.members.size(), std::size_t{3});
    QCOMPARE(all.events.size(), std::size_t{4});
    const auto one = must(attendance().recordInputs(course.id, tuesday.id, sam.id), "one");
    QCOMPARE(one.windows.size(), std::size_t{1});
    QCOMPARE(one.members.size(), std::size_t{1});
    QCOMPARE(one.members[0].publicId, sam.publicId);
    QCOMPARE(one.events.size(), std::size_t{1});
    QVERIFY(one.events.contains({sam.publicId, tuesday.id}));
    const auto range = must(attendance().recordInputsBetween(course.id, k_start - k_day, k_start - 1), "range");
    QCOMPARE(range.windows.size(), std::size_t{1});
    QCOMPARE(range.windows[0].id, monday.id);
    QCOMPARE(range.events.size(), std::size_t{2});
    const auto noCourse = attendance().recordInputs("no-such-course", std::nullopt, std::nullopt);
    QVERIFY(!noCourse);
    QCOMPARE(noCourse.error().code, Errc::NotFound);
    const auto noWindow = attendance().recordInputs(course.id, std::string_view("no-such-window"), std::nullopt);
    QVERIFY(!noWindow);
    QCOMPARE(noWindow.error().code, Errc::NotFound);
}

void StoreContractTest::theHistoryOfARecordIsOldestFirst()
{
    const Person teacher = person("Tomás");
    const Person sam = person("Sam");
    const Course course = must(courses().createCourse({"C", "UTC", 10, 60, {sam.id}}, teacher.id), "course");
    const Window w = openWindow(course, teacher, k_start);
    const std::int64_t at = k_start + 10 * k_minute;
    // Stored out of time order, and two at the same instant.
    QVERIFY(must(attendance().addFlag({newUuidV4(), sam.id, w.id, Flag::LeftEarly, true, "left", teacher.id, at + 1,
                                       3}),
                 "flag"));
    QVERIFY(must(attendance().addCorrection({newUuidV4(), sam.id, w.id, true, "was there", std::nullopt, teacher.id,
                                             at, std::nullopt, false}),
                 "correction"));
    QVERIFY(must(attendance().addFlag({newUuidV4(), sam.id, w.id, Flag::LeftEarly, false, "came back", teacher.id,
                                       at, std::nullopt}),
                 "unflag"));
    const auto history = must(attendance().recordHistory(course.id, sam.id), "history");
    QCOMPARE(history.size(), std::size_t{3});
    QCOMPARE(int(history[0].kind), int(HistoryEvent::Kind::Correction)); // corrections first at the same instant
    QCOMPARE(history[0].text, "was there");
    QVERIFY(history[0].present);
    QCOMPARE(history[0].actorName, "Tomás");
    QCOMPARE(history[1].text, "came back");
    QVERIFY(!history[1].set);
    QVERIFY(!history[1].fromKiosk);
    QCOMPARE(history[2].text, "left");
    QVERIFY(history[2].set);
    QVERIFY(history[2].fromKiosk);
}

void StoreContractTest::aTransactionSpansRepositoriesAndFailsWhole()
{
    const Person teacher = person("T");
    const auto failed = store->inTransaction([&]() -> Result<void> {
        TRY(people().createPerson({"Inside", "inside@example.org", {}, {}, {}, {}, false}));
        TRY(courses().createCourse({"Inside", "UTC", 10, 60, {}}, teacher.id));
        return fail(Errc::Conflict, "changed my mind");
    });
    QVERIFY(!failed);
    QCOMPARE(failed.error().code, Errc::Conflict);
    QVERIFY(!must(people().personByEmail("inside@example.org"), "not stored"));
    QVERIFY(must(courses().listCourses(std::nullopt), "courses").empty());

    must(store->inTransaction([&]() -> Result<void> {
             TRY_ASSIGN(p, people().createPerson({"Inside", "inside@example.org", {}, {}, {}, {}, false}));
             TRY(courses().createCourse({"Inside", "UTC", 10, 60, {p.id}}, teacher.id));
             return {};
         }),
         "commit");
    QVERIFY(must(people().personByEmail("inside@example.org"), "stored"));
    QCOMPARE(must(courses().listCourses(std::nullopt), "courses").size(), std::size_t{1});
}

QTEST_GUILESS_MAIN(StoreContractTest)
#include "storecontracttest.moc"
