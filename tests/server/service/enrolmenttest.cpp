// No absence before someone joined: a window before a person's enrolment, or
// after they left (until they rejoin), is "not enrolled" and counts in no
// figure — their own record, the course report, its weeks and alerts, the
// cohort's view, records.csv, the public API and the tracker — while one
// they joined during counts as usual (service/attendancefold.h).

#include "servicefixture.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/attendancefold.h"
#include "sync-server/service/publicview.h"
#include "sync-server/service/records.h"
#include "sync-server/service/reportviews.h"
#include "sync-server/service/tracker.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>
#include <optional>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

constexpr std::int64_t k_minute = ServiceFixture::k_minute;
constexpr std::int64_t k_day = ServiceFixture::k_day;

bool hasRecord(const std::vector<AttendanceRecord>& records, const std::string& person, const std::string& window)
{
    return std::ranges::any_of(records, [&](const AttendanceRecord& r) { return r.person == person && r.window == window; });
}

std::size_t csvRowsOf(const std::string& csv, const std::string& publicId)
{
    std::size_t rows = 0;
    for (std::size_t at = csv.find(publicId); at != std::string::npos; at = csv.find(publicId, at + 1))
        ++rows;
    return rows;
}

} // namespace

class EnrolmentTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }

    // studentA2 leaves three days ago and comes back yesterday, with a class
    // in between (returned); nullopt if the roster refused a change.
    std::optional<Window> studentA2AwayForAClass()
    {
        const Caller teacher = fx->as(fx->teacher);
        fx->clock.set(ServiceFixture::k_start - 3 * k_day);
        if (!removeMember(services(), teacher, fx->courseA.id, fx->studentA2.publicId))
            return std::nullopt;
        const Window away = fx->addWindow(fx->courseA, "While away", ServiceFixture::k_start - 2 * k_day,
                                          ServiceFixture::k_start - 2 * k_day + 120 * k_minute);
        fx->clock.set(ServiceFixture::k_start - k_day);
        if (!assignMember(services(), teacher, fx->courseA.id, fx->studentA2.publicId, Role::Student))
            return std::nullopt;
        fx->clock.set(ServiceFixture::k_start);
        return away;
    }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void aWindowCountsWhenTheyWereInTheCourseDuringIt()
    {
        Window w;
        w.id = "w";
        w.openedAt = 1'000;
        w.closedAt = 2'000;
        const RecordEvents none;
        QVERIFY(enrolledIn(w, {}, none)); // no history kept: always enrolled
        QVERIFY(enrolledIn(w, {{500, std::nullopt}}, none));
        QVERIFY(enrolledIn(w, {{1'500, std::nullopt}}, none));  // joined during it
        QVERIFY(!enrolledIn(w, {{2'001, std::nullopt}}, none)); // joined after it closed
        QVERIFY(!enrolledIn(w, {{100, 900}}, none));            // left before it
        QVERIFY(enrolledIn(w, {{100, 1'200}}, none));           // left during it
        QVERIFY(!enrolledIn(w, {{100, 900}, {2'500, std::nullopt}}, none)); // between leaving and rejoining
        QVERIFY(enrolledIn(w, {{100, 900}, {1'900, std::nullopt}}, none));  // rejoined during it
        Window open = w;
        open.closedAt.reset();
        QVERIFY(enrolledIn(open, {{5'000, std::nullopt}}, none)); // an open window is theirs once they join
        RecordEvents tapped;
        tapped.checkIns.push_back({"c", 1'100, CheckInSource::Nfc});
        QVERIFY(enrolledIn(w, {{2'500, std::nullopt}}, tapped)); // a stored check-in outweighs the roster's history
        Window unstarted;
        unstarted.id = "u";
        QVERIFY(enrolledIn(unstarted, {{2'500, std::nullopt}}, none));
    }

    void aStudentAddedMidCourseHasNoAbsenceBeforeTheirFirstClass()
    {
        // The course as it stands, before anyone new joins.
        const auto before = courseReport(services(), fx->as(fx->teacher), fx->courseA.id, {});
        QVERIFY2(before, before ? "" : before.error().message.c_str());

        const Person late = fx->addPerson("Lin Late", "lin@example.org");
        fx->enrol(late, fx->courseA, Role::Student); // now: after closedA, during openA

        // Their own record: openA (open, undecided) and scheduledA, never closedA.
        const auto mine = personReport(services(), fx->as(late), fx->courseA.id, late.publicId);
        QVERIFY2(mine, mine ? "" : mine.error().message.c_str());
        QVERIFY(!hasRecord(mine->records, late.publicId, fx->closedA.id));
        QVERIFY(hasRecord(mine->records, late.publicId, fx->openA.id));
        QCOMPARE(mine->notEnrolled.size(), std::size_t(1));
        QCOMPARE(mine->notEnrolled.front().id, fx->closedA.id);
        QCOMPARE(mine->figures.tally.absent, 0);
        QCOMPARE(mine->figures.tally.counted(), 0);
        QCOMPARE(mine->figures.absentRun, 0);

        // The course report, its windows and weeks: as before they came.
        const auto after = courseReport(services(), fx->as(fx->teacher), fx->courseA.id, {});
        QVERIFY(after);
        QCOMPARE(after->figures.trainees.absent, before->figures.trainees.absent);
        QCOMPARE(after->figures.trainees.counted(), before->figures.trainees.counted());
        QCOMPARE(after->figures.weeks.size(), before->figures.weeks.size());
        for (std::size_t i = 0; i < after->figures.weeks.size(); ++i)
            QCOMPARE(after->figures.weeks[i].trainees.absent, before->figures.weeks[i].trainees.absent);
        for (const WindowFigures& w : after->figures.windows)
            if (w.window.id == fx->closedA.id)
                QCOMPARE(w.trainees.records, 2); // studentA and studentA2 only
        QVERIFY(std::ranges::none_of(after->figures.alerts,
                                     [&](const Alert& a) { return a.member.publicId == late.publicId; }));

        // The cohort's view of their own figures.
        const auto cohort = cohortView(services(), fx->as(late), fx->courseA.id);
        QVERIFY(cohort);
        QVERIFY(cohort->mine);
        QCOMPARE(cohort->mine->tally.absent, 0);
        QCOMPARE(cohort->trainees.absent, before->figures.trainees.absent);

        // records.csv: no row of theirs for a class before they joined (the row is left out).
        const auto csv = recordsCsv(services(), fx->as(fx->teacher), fx->courseA.id, {});
        QVERIFY(csv);
        QCOMPARE(csvRowsOf(*csv, late.publicId), std::size_t(2)); // openA and scheduledA
        QCOMPARE(csvRowsOf(*csv, fx->studentA2.publicId), std::size_t(3));

        // The public API: their records and their tally.
        const auto page = publicAttendance(services(), fx->courseA.id, std::nullopt, std::nullopt, PageSpan{0, 100});
        QVERIFY(page);
        QVERIFY(!hasRecord(page->items, late.publicId, fx->closedA.id));
        QVERIFY(hasRecord(page->items, fx->studentA2.publicId, fx->closedA.id));
        QCOMPARE(page->total, page->items.size()); // the total counts the records there are
        const auto trainee = publicTrainee(services(), late.publicId);
        QVERIFY(trainee);
        QCOMPARE(trainee->courses.size(), std::size_t(1));
        QCOMPARE(trainee->courses.front().tally.absent, 0);
        QVERIFY(!hasRecord(trainee->courses.front().records, late.publicId, fx->closedA.id));

        // The class they joined during counts once it closes: absent there, if they never came.
        fx->clock.advance(k_minute);
        QVERIFY(setWindowOpen(services(), fx->as(fx->teacher), fx->openA.id, false));
        const auto closed = personReport(services(), fx->as(late), fx->courseA.id, late.publicId);
        QVERIFY(closed);
        QCOMPARE(closed->figures.tally.absent, 1);
        QCOMPARE(closed->figures.tally.counted(), 1);
    }

    void aWindowBetweenLeavingAndRejoiningIsNotEnrolled()
    {
        const Caller teacher = fx->as(fx->teacher);
        // studentA2 leaves three days ago and comes back yesterday; a class in between.
        const auto awayClass = studentA2AwayForAClass();
        QVERIFY(awayClass);
        const Window& away = *awayClass;

        const auto records = recordsOfPerson(services(), fx->courseA.id, fx->studentA2.id);
        QVERIFY(records);
        QVERIFY(hasRecord(*records, fx->studentA2.publicId, fx->closedA.id)); // before leaving: theirs
        QVERIFY(!hasRecord(*records, fx->studentA2.publicId, away.id));
        QVERIFY(hasRecord(*records, fx->studentA2.publicId, fx->openA.id)); // after rejoining

        const auto report = courseReport(services(), teacher, fx->courseA.id, {});
        QVERIFY(report);
        for (const WindowFigures& w : report->figures.windows)
            if (w.window.id == away.id) {
                QCOMPARE(w.trainees.records, 1); // studentA only
                QCOMPARE(w.trainees.absent, 1);
            }
        for (const PersonFigures& p : report->figures.people)
            if (p.member.publicId == fx->studentA2.publicId) {
                QCOMPARE(p.tally.absent, 1); // closedA, not the class while away
                QCOMPARE(p.absentRun, 1);
            }

        // Over a range that holds only the class while away, they have no record at all.
        const auto day = localDate("Europe/London", ServiceFixture::k_start - 2 * k_day);
        QVERIFY(day);
        const auto ranged = courseReport(services(), teacher, fx->courseA.id, DateRange{*day, *day});
        QVERIFY(ranged);
        QVERIFY(std::ranges::none_of(ranged->figures.people, [&](const PersonFigures& p) {
            return p.member.publicId == fx->studentA2.publicId;
        }));
    }

    void aCheckInBeforeJoiningStillCounts()
    {
        // A register imported after the person joined the roster: the check-in is the evidence.
        const Person imported = fx->addPerson("Ira Imported", "ira@example.org");
        fx->enrol(imported, fx->courseA, Role::Student);
        fx->addCheckIn(imported, fx->closedA, *fx->closedA.startMs() + 2 * k_minute);
        const auto record = fx->record(fx->closedA, imported);
        QVERIFY(record.status == AttendanceStatus::OnTime);
    }

    void everyPublicPageIsTheSameSliceOfTheWholeFold()
    {
        const Caller teacher = fx->as(fx->teacher);
        // studentA2 away for a class; a late joiner with a check-in from
        // before they joined and one without; an opted-out trainee.
        const auto awayClass = studentA2AwayForAClass();
        QVERIFY(awayClass);
        const Window& away = *awayClass;
        const Person imported = fx->addPerson("Ira Imported", "ira@example.org");
        fx->enrol(imported, fx->courseA, Role::Student);
        fx->addCheckIn(imported, fx->closedA, *fx->closedA.startMs() + 2 * k_minute);
        fx->enrol(fx->addPerson("Lin Late", "lin@example.org"), fx->courseA, Role::Student);
        const Person hidden = fx->addPerson("Oona Out", "oona@example.org");
        fx->enrol(hidden, fx->courseA, Role::Student);
        QVERIFY(fx->store->people().setPublicOptOut(hidden.id, true, "test"));

        // The reference: every record, trainees only and not the opted-out,
        // in order of window and public id.
        auto all = recordsOfCourse(services(), fx->courseA.id);
        QVERIFY(all);
        const auto windows = fx->store->attendance().windowsOf(fx->courseA.id).value();
        auto order = [&](const AttendanceRecord& r) {
            return std::ranges::find(windows, r.window, &Window::id) - windows.begin();
        };
        std::erase_if(*all, [&](const AttendanceRecord& r) {
            return r.role != Role::Student || r.person == hidden.publicId;
        });
        std::ranges::stable_sort(*all, [&](const AttendanceRecord& a, const AttendanceRecord& b) {
            return std::pair(order(a), a.person) < std::pair(order(b), b.person);
        });
        QVERIFY(hasRecord(*all, imported.publicId, fx->closedA.id));
        QVERIFY(!hasRecord(*all, fx->studentA2.publicId, away.id));

        for (const std::size_t limit : {1u, 2u, 3u, 5u, 100u}) {
            std::vector<std::pair<std::string, std::string>> paged;
            for (std::size_t offset = 0; offset < all->size() + limit; offset += limit) {
                const auto page = publicAttendance(services(), fx->courseA.id, std::nullopt, std::nullopt,
                                                   PageSpan{offset, limit});
                QVERIFY(page);
                QCOMPARE(page->total, all->size());
                QVERIFY(page->items.size() <= limit);
                for (const AttendanceRecord& r : page->items)
                    paged.emplace_back(r.window, r.person);
            }
            std::vector<std::pair<std::string, std::string>> expected;
            for (const AttendanceRecord& r : *all)
                expected.emplace_back(r.window, r.person);
            QCOMPARE(paged, expected);
        }
    }

    void theTrackerCountsNoSprintBeforeTheyJoined()
    {
        const Person late = fx->addPerson("Lin Late", "lin@example.org");
        fx->enrol(late, fx->courseA, Role::Student);
        const auto view = trackerView(services(), fx->courseA);
        QVERIFY(view);
        for (const TraineeTracking& t : view->trainees)
            if (t.person.publicId == late.publicId) {
                QCOMPARE(t.counted, 0);      // closedA was before they joined; openA is not decided
                QVERIFY(t.sprints.empty()); // no sprint counted against them
            }
    }
};

QTEST_GUILESS_MAIN(EnrolmentTest)
#include "enrolmenttest.moc"
