// service/attendance: the register's user stories called directly, as the
// JSON API and the web pages call them. Opening and closing windows,
// checking in, "Toggle" presence corrections, mentor flags, courses and
// rosters ("Add TA to Class"): who may, who may not, and what is stored.

#include "servicefixture.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/windowrules.h"

#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

class AttendanceTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void aTaOpensAWindowNowAndAStudentMayNot();
    void windowsNeedATitleAndAStartOrToBeOpenedNow();
    void aScheduledWindowIsOpenedLater();
    void aTaClosesAWindowAndAClosedWindowCannotBeReopened();
    void aStudentChecksInOnceOnly();
    void checkInsNeedAnOpenWindow();
    void teachersCheckInOthersAndThemselvesAsVolunteers();
    void onlyTeachersAndTasCheckInSomeoneElse();
    void toggleIsTheTeachersWithAReason();
    void toggleNeedsAReasonAndAParticipant();
    void tasAndTeachersFlagAndStudentsMayNot();
    void aTeacherAddsATaToTheClass();
    void onlyAnOrgAdminNamesOrRemovesATeacher();
    void removingAMemberNeedsThemInTheCourse();
    void onlyTheTeacherRemovesACourse();
    void teachersAndAdminsCreateCourses();
    void aNewCourseNeedsANameAKnownTimezoneAndSaneThresholds();
    void participantsAreStudentsTasAndTeachers();
    void windowsCloseThemselvesAtTheirEndAndGrace();
    void aCoursesWindowLengthAndGraceAreChecked();
    void aTeacherExcusesAnAbsence();
    void aCourseHasOneOpenWindowUnlessASecondIsMeant();
    void teachersOpeningAtOnceOpenOneWindow();
};

void AttendanceTest::aTaOpensAWindowNowAndAStudentMayNot()
{
    fx->clock.advance(5 * ServiceFixture::k_minute);
    const auto opened = openNewWindow(services(), fx->as(fx->ta), fx->courseA.id, "Pairing session", std::nullopt, true,
                                      std::nullopt, std::nullopt, /*alongside Week 2*/ true);
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    QCOMPARE(opened->course, fx->courseA.id);
    QCOMPARE(opened->openedAt, std::optional<std::int64_t>(fx->clock.nowMs()));
    QCOMPARE(opened->openedBy, std::optional<std::string>(fx->ta.publicId));
    QCOMPARE(fx->window(opened->id).title, "Pairing session");

    const auto byStudent = openNewWindow(services(), fx->as(fx->studentA), fx->courseA.id, "Mine", std::nullopt, true);
    QVERIFY(!byStudent);
    QCOMPARE(byStudent.error().code, Errc::Forbidden);
    const auto byOutsider = openNewWindow(services(), fx->as(fx->outsider), fx->courseA.id, "Mine", std::nullopt, true);
    QVERIFY(!byOutsider);
    QCOMPARE(byOutsider.error().code, Errc::Forbidden);
    // A teacher of another course is an outsider here.
    const auto byTeacherB = openNewWindow(services(), fx->as(fx->teacherB), fx->courseA.id, "B", std::nullopt, true);
    QVERIFY(!byTeacherB);
    QCOMPARE(byTeacherB.error().code, Errc::Forbidden);
    // An org admin may do what a teacher may.
    QVERIFY(openNewWindow(services(), fx->as(fx->admin), fx->courseA.id, "Admin's", std::nullopt, true, std::nullopt,
                          std::nullopt, true));

    const auto noCourse = openNewWindow(services(), fx->as(fx->ta), newUuidV4(), "Lost", std::nullopt, true);
    QVERIFY(!noCourse);
    QCOMPARE(noCourse.error().code, Errc::NotFound);
}

void AttendanceTest::windowsNeedATitleAndAStartOrToBeOpenedNow()
{
    const auto untitled = openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, "", std::nullopt, true);
    QVERIFY(!untitled);
    QCOMPARE(untitled.error().code, Errc::InvalidRequest);
    QVERIFY2(untitled.error().message.starts_with("title:"), untitled.error().message.c_str());

    const auto longTitle = openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, std::string(201, 'x'),
                                         std::nullopt, true);
    QVERIFY(!longTitle);
    QCOMPARE(longTitle.error().code, Errc::InvalidRequest);
    QVERIFY(openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, std::string(200, 'x'), std::nullopt, true,
                          std::nullopt, std::nullopt, true));

    const auto whenever = openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, "Later", std::nullopt, false);
    QVERIFY(!whenever);
    QCOMPARE(whenever.error().code, Errc::InvalidRequest);
    QVERIFY2(whenever.error().message.starts_with("scheduled_start:"), whenever.error().message.c_str());
}

void AttendanceTest::aScheduledWindowIsOpenedLater()
{
    const auto start = fx->clock.nowMs() + 60 * ServiceFixture::k_minute;
    const auto scheduled = openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, "Week 4", start, false);
    QVERIFY(scheduled);
    QCOMPARE(scheduled->scheduledStart, std::optional<std::int64_t>(start));
    QVERIFY(!scheduled->openedAt);

    const auto early = checkIn(services(), fx->as(fx->studentA), scheduled->id, std::nullopt);
    QVERIFY(!early);
    QCOMPARE(early.error().code, Errc::WindowClosed);

    fx->clock.advance(58 * ServiceFixture::k_minute);
    const auto opened = setWindowOpen(services(), fx->as(fx->ta), scheduled->id, true);
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    QCOMPARE(opened->openedAt, std::optional<std::int64_t>(fx->clock.nowMs()));
    QVERIFY(checkIn(services(), fx->as(fx->studentA), scheduled->id, std::nullopt));
}

void AttendanceTest::aTaClosesAWindowAndAClosedWindowCannotBeReopened()
{
    const auto byStudent = setWindowOpen(services(), fx->as(fx->studentA), fx->openA.id, false);
    QVERIFY(!byStudent);
    QCOMPARE(byStudent.error().code, Errc::Forbidden);
    QVERIFY(!fx->window(fx->openA.id).closedAt);

    fx->clock.advance(90 * ServiceFixture::k_minute);
    const auto closed = setWindowOpen(services(), fx->as(fx->ta), fx->openA.id, false);
    QVERIFY2(closed, closed ? "" : closed.error().message.c_str());
    QCOMPARE(closed->closedAt, std::optional<std::int64_t>(fx->clock.nowMs()));
    QCOMPARE(fx->window(fx->openA.id).closedAt, std::optional<std::int64_t>(fx->clock.nowMs()));

    const auto reopened = setWindowOpen(services(), fx->as(fx->teacher), fx->openA.id, true);
    QVERIFY(!reopened);
    QCOMPARE(reopened.error().code, Errc::WindowClosed);
    const auto reopenedByAdmin = setWindowOpen(services(), fx->as(fx->admin), fx->closedA.id, true);
    QVERIFY(!reopenedByAdmin);
    QCOMPARE(reopenedByAdmin.error().code, Errc::WindowClosed);
    QCOMPARE(fx->window(fx->openA.id).closedAt, std::optional<std::int64_t>(fx->clock.nowMs()));

    const auto unknown = setWindowOpen(services(), fx->as(fx->teacher), newUuidV4(), false);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, Errc::NotFound);
}

void AttendanceTest::aStudentChecksInOnceOnly()
{
    QVERIFY(!fx->record(fx->openA, fx->studentA).present);
    const auto first = checkIn(services(), fx->as(fx->studentA), fx->openA.id, std::nullopt);
    QVERIFY2(first, first ? "" : first.error().message.c_str());
    QVERIFY(first->present);
    QCOMPARE(first->person, fx->studentA.publicId);
    QCOMPARE(first->firstCheckIn, std::optional<std::int64_t>(fx->clock.nowMs()));
    QVERIFY(fx->hasCheckIn(fx->studentA, fx->openA));

    fx->clock.advance(1000);
    const auto second = checkIn(services(), fx->as(fx->studentA), fx->openA.id, std::nullopt);
    QVERIFY(!second);
    QCOMPARE(second.error().code, Errc::AlreadyCheckedIn);
    QCOMPARE(fx->record(fx->openA, fx->studentA).firstCheckIn, first->firstCheckIn);

    // A TA takes part too.
    const auto ta = checkIn(services(), fx->as(fx->ta), fx->openA.id, std::nullopt);
    QVERIFY2(ta, ta ? "" : ta.error().message.c_str());
    QVERIFY(ta->present);
}

void AttendanceTest::checkInsNeedAnOpenWindow()
{
    const auto closed = checkIn(services(), fx->as(fx->studentA), fx->closedA.id, std::nullopt);
    QVERIFY(!closed);
    QCOMPARE(closed.error().code, Errc::WindowClosed);
    const auto scheduled = checkIn(services(), fx->as(fx->studentA), fx->scheduledA.id, std::nullopt);
    QVERIFY(!scheduled);
    QCOMPARE(scheduled.error().code, Errc::WindowClosed);
    QVERIFY(!fx->hasCheckIn(fx->studentA, fx->closedA));
    QVERIFY(!fx->hasCheckIn(fx->studentA, fx->scheduledA));

    const auto unknown = checkIn(services(), fx->as(fx->studentA), newUuidV4(), std::nullopt);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, Errc::NotFound);
    // Someone else's course.
    const auto elsewhere = checkIn(services(), fx->as(fx->studentA), fx->openB.id, std::nullopt);
    QVERIFY(!elsewhere);
    QCOMPARE(elsewhere.error().code, Errc::Forbidden);
}

void AttendanceTest::teachersCheckInOthersAndThemselvesAsVolunteers()
{
    const auto other = checkIn(services(), fx->as(fx->teacher), fx->openA.id, fx->studentA2.publicId);
    QVERIFY2(other, other ? "" : other.error().message.c_str());
    QVERIFY(other->present);
    QCOMPARE(other->person, fx->studentA2.publicId);
    QCOMPARE(other->source, std::optional<CheckInSource>(CheckInSource::Manual));

    // Teachers sign in like TAs (docs/REPORTS.md, "Volunteers"), counted apart from trainees.
    const auto self = checkIn(services(), fx->as(fx->teacher), fx->openA.id, std::nullopt);
    QVERIFY2(self, self ? "" : self.error().message.c_str());
    QVERIFY(self->present);
    QCOMPARE(self->person, fx->teacher.publicId);
    // Not in another course they do not teach.
    const auto elsewhere = checkIn(services(), fx->as(fx->teacher), fx->openB.id, std::nullopt);
    QVERIFY(!elsewhere);
    QCOMPARE(elsewhere.error().code, Errc::Forbidden);
    QVERIFY(fx->hasCheckIn(fx->teacher, fx->openA));
    QVERIFY(!fx->hasCheckIn(fx->teacher, fx->openB));

    // Someone outside the course is refused by the writer, and nothing is stored.
    const auto notInCourse = checkIn(services(), fx->as(fx->teacher), fx->openA.id, fx->studentB.publicId);
    QVERIFY(!notInCourse);
    QCOMPARE(notInCourse.error().code, Errc::InvalidRequest);
    QVERIFY(!fx->hasCheckIn(fx->studentB, fx->openA));
    const auto nobody = checkIn(services(), fx->as(fx->teacher), fx->openA.id, std::string("zzzzzzzzzz"));
    QVERIFY(!nobody);
    QCOMPARE(nobody.error().code, Errc::NotFound);
}

void AttendanceTest::onlyTeachersAndTasCheckInSomeoneElse()
{
    QVERIFY(checkIn(services(), fx->as(fx->ta), fx->openA.id, fx->studentA.publicId));

    const auto byStudent = checkIn(services(), fx->as(fx->studentA), fx->openA.id, fx->studentA2.publicId);
    QVERIFY(!byStudent);
    QCOMPARE(byStudent.error().code, Errc::Forbidden);
    QVERIFY(!fx->hasCheckIn(fx->studentA2, fx->openA));

    const auto byOutsider = checkIn(services(), fx->as(fx->outsider), fx->openA.id, std::nullopt);
    QVERIFY(!byOutsider);
    QCOMPARE(byOutsider.error().code, Errc::Forbidden);
}

void AttendanceTest::toggleIsTheTeachersWithAReason()
{
    // Absent (not checked in) to present.
    const auto present = correctPresence(services(), fx->as(fx->teacher), fx->openA.id, fx->studentA2.publicId, true,
                                         "was at the back of the room", std::nullopt);
    QVERIFY2(present, present ? "" : present.error().message.c_str());
    QVERIFY(present->record.present);
    QVERIFY(present->record.corrected);
    QVERIFY(present->record.lastEvent);
    QVERIFY(fx->record(fx->openA, fx->studentA2).present);

    // And back, on the record the teacher saw.
    fx->clock.advance(1000);
    const auto absent = correctPresence(services(), fx->as(fx->teacher), fx->openA.id, fx->studentA2.publicId, false,
                                        "left after ten minutes", present->record.lastEvent);
    QVERIFY(absent);
    QVERIFY(!absent->record.present);
    QVERIFY(!absent->record.needsReview);
    QVERIFY(!fx->record(fx->openA, fx->studentA2).present);

    // TAs flag, they do not toggle.
    const auto byTa = correctPresence(services(), fx->as(fx->ta), fx->openA.id, fx->studentA2.publicId, true,
                                      "I saw them", std::nullopt);
    QVERIFY(!byTa);
    QCOMPARE(byTa.error().code, Errc::Forbidden);
    const auto byStudent = correctPresence(services(), fx->as(fx->studentA), fx->openA.id, fx->studentA.publicId,
                                           true, "I was here", std::nullopt);
    QVERIFY(!byStudent);
    QCOMPARE(byStudent.error().code, Errc::Forbidden);
    QVERIFY(!fx->record(fx->openA, fx->studentA).present);

    // An org admin may; so may the teacher on a closed window.
    QVERIFY(correctPresence(services(), fx->as(fx->admin), fx->openA.id, fx->studentA.publicId, true, "camera on",
                            std::nullopt));
    const auto late = correctPresence(services(), fx->as(fx->teacher), fx->closedA.id, fx->studentA.publicId, true,
                                      "signed the paper register", std::nullopt);
    QVERIFY(late);
    QVERIFY(late->record.present);
}

void AttendanceTest::toggleNeedsAReasonAndAParticipant()
{
    const auto noReason = correctPresence(services(), fx->as(fx->teacher), fx->openA.id, fx->studentA.publicId, true,
                                          "", std::nullopt);
    QVERIFY(!noReason);
    QCOMPARE(noReason.error().code, Errc::InvalidRequest);
    QVERIFY2(noReason.error().message.starts_with("reason:"), noReason.error().message.c_str());
    const auto longReason = correctPresence(services(), fx->as(fx->teacher), fx->openA.id, fx->studentA.publicId,
                                            true, std::string(501, 'r'), std::nullopt);
    QVERIFY(!longReason);
    QCOMPARE(longReason.error().code, Errc::InvalidRequest);
    const auto badBase = correctPresence(services(), fx->as(fx->teacher), fx->openA.id, fx->studentA.publicId, true,
                                         "here", std::string("not-a-uuid"));
    QVERIFY(!badBase);
    QCOMPARE(badBase.error().code, Errc::InvalidRequest);
    QVERIFY2(badBase.error().message.starts_with("base:"), badBase.error().message.c_str());
    QVERIFY(!fx->record(fx->openA, fx->studentA).present);

    const auto otherCourse = correctPresence(services(), fx->as(fx->teacher), fx->openA.id, fx->studentB.publicId,
                                             true, "here", std::nullopt);
    QVERIFY(!otherCourse);
    QCOMPARE(otherCourse.error().code, Errc::NotFound);
    const auto anAdmin = correctPresence(services(), fx->as(fx->teacher), fx->openA.id, fx->admin.publicId, true,
                                         "here", std::nullopt);
    QVERIFY(!anAdmin);
    QCOMPARE(anAdmin.error().code, Errc::NotFound);
}

void AttendanceTest::tasAndTeachersFlagAndStudentsMayNot()
{
    const auto flagged = changeFlag(services(), fx->as(fx->ta), fx->openA.id, fx->studentA.publicId, Flag::CameraOff,
                                    true, "camera off all session");
    QVERIFY2(flagged, flagged ? "" : flagged.error().message.c_str());
    QCOMPARE(flagged->record.flags.size(), std::size_t(1));
    QVERIFY(flagged->record.flags.front() == Flag::CameraOff);
    QCOMPARE(fx->record(fx->openA, fx->studentA).flags.size(), std::size_t(1));

    fx->clock.advance(1000);
    const auto cleared = changeFlag(services(), fx->as(fx->teacher), fx->openA.id, fx->studentA.publicId,
                                    Flag::CameraOff, false, "");
    QVERIFY(cleared);
    QVERIFY(cleared->record.flags.empty());

    const auto byStudent = changeFlag(services(), fx->as(fx->studentA2), fx->openA.id, fx->studentA.publicId,
                                      Flag::LeftEarly, true, "");
    QVERIFY(!byStudent);
    QCOMPARE(byStudent.error().code, Errc::Forbidden);
    const auto longNote = changeFlag(services(), fx->as(fx->ta), fx->openA.id, fx->studentA.publicId,
                                     Flag::LeftEarly, true, std::string(1001, 'n'));
    QVERIFY(!longNote);
    QCOMPARE(longNote.error().code, Errc::InvalidRequest);
    QVERIFY2(longNote.error().message.starts_with("note:"), longNote.error().message.c_str());
    const auto otherCourse = changeFlag(services(), fx->as(fx->ta), fx->openA.id, fx->studentB.publicId,
                                        Flag::LeftEarly, true, "");
    QVERIFY(!otherCourse);
    QCOMPARE(otherCourse.error().code, Errc::NotFound);
    QVERIFY(fx->record(fx->openA, fx->studentA).flags.empty());
}

void AttendanceTest::aTeacherAddsATaToTheClass()
{
    const auto added = assignMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->outsider.publicId, Role::Ta);
    QVERIFY2(added, added ? "" : added.error().message.c_str());
    QVERIFY(*added); // new to the course
    QCOMPARE(fx->roleIn(fx->outsider, fx->courseA), std::optional<Role>(Role::Ta));
    // The new TA runs the class at once.
    QVERIFY(openNewWindow(services(), fx->as(fx->outsider), fx->courseA.id, "Lab", std::nullopt, true, std::nullopt,
                          std::nullopt, true));

    const auto again = assignMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->outsider.publicId, Role::Ta);
    QVERIFY(again);
    QVERIFY(!*again);
    // A student made TA, and back.
    QVERIFY(assignMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->studentA.publicId, Role::Ta));
    QCOMPARE(fx->roleIn(fx->studentA, fx->courseA), std::optional<Role>(Role::Ta));

    const auto byTa = assignMember(services(), fx->as(fx->ta), fx->courseA.id, fx->studentB.publicId, Role::Ta);
    QVERIFY(!byTa);
    QCOMPARE(byTa.error().code, Errc::Forbidden);
    const auto byStudent = assignMember(services(), fx->as(fx->studentA2), fx->courseA.id, fx->studentB.publicId,
                                        Role::Student);
    QVERIFY(!byStudent);
    QCOMPARE(byStudent.error().code, Errc::Forbidden);
    QCOMPARE(fx->roleIn(fx->studentB, fx->courseA), std::optional<Role>());

    const auto nobody = assignMember(services(), fx->as(fx->teacher), fx->courseA.id, "zzzzzzzzzz", Role::Ta);
    QVERIFY(!nobody);
    QCOMPARE(nobody.error().code, Errc::NotFound);
}

void AttendanceTest::onlyAnOrgAdminNamesOrRemovesATeacher()
{
    const auto byTeacher = assignMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->teacherB.publicId,
                                        Role::Teacher);
    QVERIFY(!byTeacher);
    QCOMPARE(byTeacher.error().code, Errc::Forbidden);
    QCOMPARE(fx->roleIn(fx->teacherB, fx->courseA), std::optional<Role>());
    // Nor may a teacher demote a fellow teacher.
    const auto demote = assignMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->teacher.publicId, Role::Ta);
    QVERIFY(!demote);
    QCOMPARE(demote.error().code, Errc::Forbidden);
    const auto remove = removeMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->teacher.publicId);
    QVERIFY(!remove);
    QCOMPARE(remove.error().code, Errc::Forbidden);
    QCOMPARE(fx->roleIn(fx->teacher, fx->courseA), std::optional<Role>(Role::Teacher));

    const auto byAdmin = assignMember(services(), fx->as(fx->admin), fx->courseA.id, fx->teacherB.publicId,
                                      Role::Teacher);
    QVERIFY2(byAdmin, byAdmin ? "" : byAdmin.error().message.c_str());
    QVERIFY(*byAdmin);
    QCOMPARE(fx->roleIn(fx->teacherB, fx->courseA), std::optional<Role>(Role::Teacher));
    QVERIFY(removeMember(services(), fx->as(fx->admin), fx->courseA.id, fx->teacherB.publicId));
    QCOMPARE(fx->roleIn(fx->teacherB, fx->courseA), std::optional<Role>());
}

void AttendanceTest::removingAMemberNeedsThemInTheCourse()
{
    QVERIFY(removeMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->studentA2.publicId));
    QCOMPARE(fx->roleIn(fx->studentA2, fx->courseA), std::optional<Role>());
    const auto gone = checkIn(services(), fx->as(fx->studentA2), fx->openA.id, std::nullopt);
    QVERIFY(!gone);
    QCOMPARE(gone.error().code, Errc::Forbidden);

    const auto notIn = removeMember(services(), fx->as(fx->teacher), fx->courseA.id, fx->studentB.publicId);
    QVERIFY(!notIn);
    QCOMPARE(notIn.error().code, Errc::NotFound);
    const auto byTa = removeMember(services(), fx->as(fx->ta), fx->courseA.id, fx->studentA.publicId);
    QVERIFY(!byTa);
    QCOMPARE(byTa.error().code, Errc::Forbidden);
    QCOMPARE(fx->roleIn(fx->studentA, fx->courseA), std::optional<Role>(Role::Student));
}

void AttendanceTest::onlyTheTeacherRemovesACourse()
{
    for (const Person* who : {&fx->ta, &fx->studentA, &fx->teacherB, &fx->outsider}) {
        const auto r = removeCourse(services(), fx->as(*who), fx->courseA.id);
        QVERIFY2(!r, who->displayName.c_str());
        QCOMPARE(r.error().code, Errc::Forbidden);
    }
    QVERIFY(!fx->course(fx->courseA.id)->removed);

    const auto removed = removeCourse(services(), fx->as(fx->teacher), fx->courseA.id);
    QVERIFY2(removed, removed ? "" : removed.error().message.c_str());
    QVERIFY(fx->course(fx->courseA.id)->removed);
    // Gone for everything that follows.
    const auto again = removeCourse(services(), fx->as(fx->teacher), fx->courseA.id);
    QVERIFY(!again);
    QCOMPARE(again.error().code, Errc::NotFound);
    const auto lateCheckIn = checkIn(services(), fx->as(fx->studentA), fx->openA.id, std::nullopt);
    QVERIFY(!lateCheckIn);
    QCOMPARE(lateCheckIn.error().code, Errc::NotFound);

    QVERIFY(removeCourse(services(), fx->as(fx->admin), fx->courseB.id));
    QVERIFY(fx->course(fx->courseB.id)->removed);
}

void AttendanceTest::teachersAndAdminsCreateCourses()
{
    // A teacher of any course may; a TA or a student may not.
    QCOMPARE(mayCreateCourse(services(), fx->as(fx->teacher)).value_or(false), true);
    QCOMPARE(mayCreateCourse(services(), fx->as(fx->teacherB)).value_or(false), true);
    QCOMPARE(mayCreateCourse(services(), fx->as(fx->admin)).value_or(false), true);
    QCOMPARE(mayCreateCourse(services(), fx->as(fx->ta)).value_or(true), false);
    QCOMPARE(mayCreateCourse(services(), fx->as(fx->studentA)).value_or(true), false);

    const auto created = createCourse(services(), fx->as(fx->teacher),
                                      NewCourse{"WM5 · JS2", "Europe/London", 5, 30, {fx->studentA.id}});
    QVERIFY2(created, created ? "" : created.error().message.c_str());
    QCOMPARE(created->name, "WM5 · JS2");
    QCOMPARE(created->lateAfterMin, 5);
    QCOMPARE(fx->roleIn(fx->teacher, *created), std::optional<Role>(Role::Teacher));
    QCOMPARE(fx->roleIn(fx->studentA, *created), std::optional<Role>(Role::Student));

    QVERIFY(createCourse(services(), fx->as(fx->admin), NewCourse{"Org course", "UTC", 10, 60, {}}));

    for (const Person* who : {&fx->ta, &fx->studentA, &fx->outsider}) {
        const auto r = createCourse(services(), fx->as(*who), NewCourse{"Mine", "Europe/London", 10, 60, {}});
        QVERIFY2(!r, who->displayName.c_str());
        QCOMPARE(r.error().code, Errc::Forbidden);
    }
}

void AttendanceTest::aNewCourseNeedsANameAKnownTimezoneAndSaneThresholds()
{
    const auto check = [&](NewCourse course, const char* field) {
        const auto r = createCourse(services(), fx->as(fx->teacher), std::move(course));
        QVERIFY2(!r, field);
        QCOMPARE(r.error().code, Errc::InvalidRequest);
        QVERIFY2(r.error().message.starts_with(std::string(field) + ":"), r.error().message.c_str());
    };
    check({"", "Europe/London", 10, 60, {}}, "name");
    check({std::string(201, 'n'), "Europe/London", 10, 60, {}}, "name");
    check({"JS3", "Europe/Londn", 10, 60, {}}, "timezone");
    check({"JS3", "", 10, 60, {}}, "timezone");
    check({"JS3", "Europe/London", -1, 60, {}}, "absent_after_min");
    check({"JS3", "Europe/London", 30, 20, {}}, "absent_after_min");
    check({"JS3", "Europe/London", 10, 24 * 60 + 1, {}}, "absent_after_min");
    QVERIFY(createCourse(services(), fx->as(fx->teacher), NewCourse{"JS3", "Europe/London", 0, 24 * 60, {}}));
}

void AttendanceTest::participantsAreStudentsTasAndTeachers()
{
    const auto student = participantOf(services(), fx->openA, fx->studentA.publicId);
    QVERIFY(student);
    QCOMPARE(student->id, fx->studentA.id);
    QVERIFY(participantOf(services(), fx->openA, fx->ta.publicId));
    QVERIFY(participantOf(services(), fx->openA, fx->teacher.publicId));
    for (const Person* who : {&fx->teacherB, &fx->studentB, &fx->admin}) {
        const auto r = participantOf(services(), fx->openA, who->publicId);
        QVERIFY2(!r, who->displayName.c_str());
        QCOMPARE(r.error().code, Errc::NotFound);
    }
}

void AttendanceTest::windowsCloseThemselvesAtTheirEndAndGrace()
{
    using F = ServiceFixture;
    // Week 2 was scheduled a minute ago with no end of its own: the course's
    // 120 minutes, then 15 of grace. A window opened now for 30 minutes.
    const auto start = *fx->openA.startMs();
    QCOMPARE(windowEnd(fx->openA, fx->courseA), std::optional(start + 120 * F::k_minute));
    const auto shortOne = openNewWindow(services(), fx->as(fx->ta), fx->courseA.id, "Drop-in", std::nullopt, true,
                                        std::nullopt, 30, /*alongside Week 2*/ true);
    QVERIFY(shortOne);
    QCOMPARE(shortOne->scheduledEnd, std::optional(fx->clock.nowMs() + 30 * F::k_minute));
    QVERIFY(closeDueWindows(services())->empty());

    fx->clock.set(shortOne->openedAt.value() + 45 * F::k_minute - 1);
    QVERIFY(closeDueWindows(services())->empty());
    fx->clock.advance(1);
    auto closed = closeDueWindows(services());
    QVERIFY(closed);
    QCOMPARE(closed->size(), std::size_t{1});
    QCOMPARE(closed->front().id, shortOne->id);
    QCOMPARE(fx->window(shortOne->id).closedAt, std::optional(shortOne->openedAt.value() + 45 * F::k_minute));

    // Hours later (a server that was down): closed as of its own time, once.
    fx->clock.set(start + 5 * 60 * F::k_minute);
    closed = closeDueWindows(services());
    QVERIFY(closed);
    QCOMPARE(closed->size(), std::size_t{2}); // Week 2 and course B's open window
    QCOMPARE(fx->window(fx->openA.id).closedAt, std::optional(start + 135 * F::k_minute));
    QVERIFY(closeDueWindows(services())->empty());
    // Everyone who did not check in is absent now; a check-in is refused.
    QCOMPARE(fx->record(fx->openA, fx->studentA2).status, std::optional(AttendanceStatus::Absent));
    QCOMPARE(checkIn(services(), fx->as(fx->studentA), fx->openA.id, std::nullopt).error().code, Errc::WindowClosed);
    // A window never opened is left alone.
    QVERIFY(!fx->window(fx->scheduledA.id).closedAt);
}

void AttendanceTest::aCoursesWindowLengthAndGraceAreChecked()
{
    NewCourse evening{"Evening", "Europe/London", 10, 60, {}, 150, 30};
    const auto made = createCourse(services(), fx->as(fx->teacher), evening);
    QVERIFY(made);
    QCOMPARE(fx->course(made->id)->windowLengthMin, 150);
    QCOMPARE(fx->course(made->id)->closeGraceMin, 30);
    for (const auto& [length, grace] : {std::pair{0, 15}, std::pair{1441, 15}, std::pair{120, -1}, std::pair{120, 1441}}) {
        NewCourse bad{"Bad", "Europe/London", 10, 60, {}, length, grace};
        QCOMPARE(createCourse(services(), fx->as(fx->teacher), bad).error().code, Errc::InvalidRequest);
    }
    QCOMPARE(openNewWindow(services(), fx->as(fx->ta), fx->courseA.id, "Long", std::nullopt, true, std::nullopt, 1441)
                 .error()
                 .code,
             Errc::InvalidRequest);
}

void AttendanceTest::aTeacherExcusesAnAbsence()
{
    const auto excused = correctPresence(services(), fx->as(fx->teacher), fx->closedA.id, fx->studentA2.publicId, false,
                                         "hospital appointment", std::nullopt, true);
    QVERIFY2(excused, excused ? "" : excused.error().message.c_str());
    QCOMPARE(excused->record.status, std::optional(AttendanceStatus::Excused));
    QCOMPARE(fx->record(fx->closedA, fx->studentA2).status, std::optional(AttendanceStatus::Excused));
    // Only an absence is excused; only a teacher excuses.
    QCOMPARE(correctPresence(services(), fx->as(fx->teacher), fx->closedA.id, fx->studentA2.publicId, true, "?",
                             std::nullopt, true)
                 .error()
                 .code,
             Errc::InvalidRequest);
    QCOMPARE(correctPresence(services(), fx->as(fx->ta), fx->closedA.id, fx->studentA2.publicId, false, "ill",
                             std::nullopt, true)
                 .error()
                 .code,
             Errc::Forbidden);
    QCOMPARE(fx->record(fx->closedA, fx->studentA2).status, std::optional(AttendanceStatus::Excused));
}

QTEST_GUILESS_MAIN(AttendanceTest)
void AttendanceTest::teachersOpeningAtOnceOpenOneWindow()
{
    const auto course = createCourse(services(), fx->as(fx->teacher), NewCourse{"JS9", "Europe/London", 10, 60, {}});
    QVERIFY2(course, course ? "" : course.error().message.c_str());
    const Caller teacher = fx->as(fx->teacher);
    std::atomic<int> opened = 0;
    std::atomic<int> conflicts = 0;
    constexpr int k_openers = 16;
    std::latch ready(k_openers); // all start together
    std::vector<std::thread> openers;
    for (int i = 0; i < k_openers; ++i)
        openers.emplace_back([&, i] {
            ready.arrive_and_wait();
            const auto w = openNewWindow(services(), teacher, course->id, "Class " + std::to_string(i), std::nullopt, true);
            if (w)
                ++opened;
            else if (w.error().code == Errc::Conflict)
                ++conflicts;
        });
    for (auto& t : openers)
        t.join();
    QCOMPARE(opened.load(), 1);
    QCOMPARE(conflicts.load(), k_openers - 1);
    QCOMPARE(openWindowsOf(services(), course->id)->size(), std::size_t{1});
}

#include "attendancetest.moc"

void AttendanceTest::aCourseHasOneOpenWindowUnlessASecondIsMeant()
{
    // Week 2 is open in course A.
    const auto second = openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, "Second", std::nullopt, true);
    QVERIFY(!second);
    QCOMPARE(int(second.error().code), int(Errc::Conflict));
    QVERIFY2(second.error().message.find("\"Week 2\" is open") != std::string::npos, second.error().message.c_str());
    QCOMPARE(openWindowsOf(services(), fx->courseA.id)->size(), std::size_t{1}); // nothing opened
    // Scheduling one for later is no conflict; nor is opening one in another course.
    QVERIFY(openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, "Later", fx->clock.nowMs() + ServiceFixture::k_day,
                          false));
    // On purpose, it opens alongside; once Week 2 is closed, one opens without asking.
    const auto alongside = openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, "Second", std::nullopt, true,
                                         std::nullopt, std::nullopt, true);
    QVERIFY(alongside);
    QCOMPARE(openWindowsOf(services(), fx->courseA.id)->size(), std::size_t{2});
    QVERIFY(setWindowOpen(services(), fx->as(fx->teacher), fx->openA.id, false));
    QVERIFY(setWindowOpen(services(), fx->as(fx->teacher), alongside->id, false));
    fx->clock.advance(ServiceFixture::k_minute);
    const auto third = openNewWindow(services(), fx->as(fx->teacher), fx->courseA.id, "Third", std::nullopt, true);
    QVERIFY2(third, third ? "" : third.error().message.c_str());
}
