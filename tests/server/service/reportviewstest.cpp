// service/reportviews: who reads which report, a person's record with the
// history of every change and the value before it, alert follow-ups,
// course settings, reopening a window, the lead role and the CSV export.

#include "servicefixture.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/reportviews.h"

#include "core/csv.h"

#include "tests/support/qtestsupport.h"

#include <limits>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

class ReportViewsTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }
    static std::string code(const Error& e) { return std::string(errorCodeName(e.code)); }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void staffReadTheCourseReportAndTraineesTheirCohortsView()
    {
        fx->addCheckIn(fx->studentA, fx->closedA, *fx->closedA.startMs() + 2 * ServiceFixture::k_minute);
        const auto report = courseReport(services(), fx->as(fx->ta), fx->courseA.id, {});
        QVERIFY2(report, report ? "" : report.error().message.c_str());
        QCOMPARE(report->figures.trainees.present, 1);
        QCOMPARE(report->figures.trainees.absent, 1); // studentA2 in the closed window
        const auto denied = courseReport(services(), fx->as(fx->studentA), fx->courseA.id, {});
        QVERIFY(!denied);
        QCOMPARE(code(denied.error()), std::string("forbidden"));
        QVERIFY(!courseReport(services(), fx->as(fx->teacherB), fx->courseA.id, {}));

        const auto cohort = cohortView(services(), fx->as(fx->studentA2), fx->courseA.id);
        QVERIFY(cohort);
        QCOMPARE(cohort->trainees.present, 1);
        QVERIFY(cohort->mine);
        QCOMPARE(cohort->mine->member.publicId, fx->studentA2.publicId);
        QCOMPARE(cohort->mine->tally.absent, 1);
        QVERIFY(!cohortView(services(), fx->as(fx->outsider), fx->courseA.id));
    }

    void teachersCheckInAsVolunteersNeverAsTrainees()
    {
        const auto before = courseReport(services(), fx->as(fx->teacher), fx->courseA.id, {});
        QVERIFY(before);
        // The teacher checks in on the web, like a TA.
        const auto mine = checkIn(services(), fx->as(fx->teacher), fx->openA.id, std::nullopt);
        QVERIFY2(mine, mine ? "" : mine.error().message.c_str());
        QVERIFY(mine->present);
        // An admin who is not in the course does not.
        QVERIFY(!checkIn(services(), fx->as(fx->admin), fx->openA.id, std::nullopt));

        const auto after = courseReport(services(), fx->as(fx->teacher), fx->courseA.id, {});
        QVERIFY(after);
        const Tally& t0 = before->figures.trainees;
        const Tally& t1 = after->figures.trainees;
        QCOMPARE(t1.present, t0.present);
        QCOMPARE(t1.records, t0.records);
        QCOMPARE(t1.undecided, t0.undecided);
        QCOMPARE(after->figures.volunteers.present, before->figures.volunteers.present + 1);
        const auto teacher = std::ranges::find_if(after->figures.people, [&](const PersonFigures& p) {
            return p.member.publicId == fx->teacher.publicId;
        });
        QVERIFY(teacher != after->figures.people.end());
        QCOMPARE(int(teacher->member.role), int(sync::Role::Teacher));
        QCOMPARE(teacher->tally.present, 1);
        // No alert is ever raised for a volunteer.
        for (const Alert& a : after->figures.alerts)
            QVERIFY(a.member.role == sync::Role::Student);

        // The window's summary gives them their own sentence.
        QVERIFY(setWindowOpen(services(), fx->as(fx->teacher), fx->openA.id, false));
        const auto window = windowReport(services(), fx->as(fx->teacher), fx->openA.id);
        QVERIFY(window);
        QCOMPARE(window->figures.trainees.present, 0);
        const std::string summary = windowSummary(*window);
        QVERIFY2(summary.find("0 of 2 trainees present") != std::string::npos, summary.c_str());
        QVERIFY2(summary.find("Volunteers: 1 of 2 came.") != std::string::npos, summary.c_str());
    }

    void aRecordShowsEveryChangeWithTheValueBefore()
    {
        const Caller teacher = fx->as(fx->teacher);
        fx->clock.advance(ServiceFixture::k_minute);
        auto first = correctPresence(services(), teacher, fx->closedA.id, fx->studentA.publicId, true, "was there", {});
        QVERIFY2(first, first ? "" : first.error().message.c_str());
        fx->clock.advance(ServiceFixture::k_minute);
        auto second = correctPresence(services(), teacher, fx->closedA.id, fx->studentA.publicId, false, "was ill",
                                      first->record.lastEvent, true);
        QVERIFY2(second, second ? "" : second.error().message.c_str());
        fx->clock.advance(ServiceFixture::k_minute);
        QVERIFY(changeFlag(services(), fx->as(fx->ta), fx->closedA.id, fx->studentA.publicId, Flag::CameraOff, true,
                           "camera off all evening"));

        const auto mine = personReport(services(), fx->as(fx->studentA), fx->courseA.id, fx->studentA.publicId);
        QVERIFY2(mine, mine ? "" : mine.error().message.c_str());
        QCOMPARE(mine->records.size(), std::size_t(3)); // every window of the course
        QCOMPARE(mine->history.size(), std::size_t(3));
        // Newest first: the flag, the excuse, the first correction.
        const HistoryEntry& flag = mine->history[0];
        QVERIFY(flag.event.kind == HistoryEvent::Kind::Flag);
        QVERIFY(!flag.wasSet);
        QCOMPARE(flag.event.actorName, fx->ta.displayName);
        const HistoryEntry& excuse = mine->history[1];
        QVERIFY(excuse.event.excused);
        QCOMPARE(excuse.event.text, std::string("was ill"));
        QVERIFY(excuse.before == AttendanceStatus::OnTime);
        const HistoryEntry& firstEntry = mine->history[2];
        QVERIFY(firstEntry.before == AttendanceStatus::Absent); // closed without a check-in
        QCOMPARE(firstEntry.event.actorName, fx->teacher.displayName);
        QCOMPARE(mine->flagNotes.at({fx->closedA.id, Flag::CameraOff}), std::string("camera off all evening"));
        QCOMPARE(mine->figures.tally.excused, 1);

        // Another student may not read it; the course's TA may.
        QVERIFY(!personReport(services(), fx->as(fx->studentA2), fx->courseA.id, fx->studentA.publicId));
        QVERIFY(personReport(services(), fx->as(fx->ta), fx->courseA.id, fx->studentA.publicId));
    }

    void anAlertIsFollowedUpOnceWithANote()
    {
        const Caller ta = fx->as(fx->ta);
        QVERIFY(followUpAlert(services(), ta, fx->courseA.id, fx->studentA.publicId, "absent_run", "2025-10-02",
                              "called, back next week"));
        const auto again = followUpAlert(services(), ta, fx->courseA.id, fx->studentA.publicId, "absent_run",
                                         "2025-10-02", "called again");
        QVERIFY(!again);
        QCOMPARE(code(again.error()), std::string("already_exists"));
        for (const auto& [kind, since, note] : std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"sad", "2025-10-02", "n"}, {"absent_run", "2025-13-02", "n"}, {"absent_run", "2025-10-02", ""}}) {
            const auto bad = followUpAlert(services(), ta, fx->courseA.id, fx->studentA2.publicId, kind, since, note);
            QVERIFY(!bad);
            QCOMPARE(code(bad.error()), std::string("invalid_request"));
        }
        QVERIFY(!followUpAlert(services(), fx->as(fx->studentA2), fx->courseA.id, fx->studentA.publicId, "absent_run",
                               "2025-10-03", "n"));
        const auto report = courseReport(services(), ta, fx->courseA.id, {});
        QVERIFY(report);
        QCOMPARE(report->followUps.size(), std::size_t(1));
        QCOMPARE(report->followUps[0].actorName, fx->ta.displayName);
        QCOMPARE(report->followUps[0].note, std::string("called, back next week"));
    }

    void teachersChangeSettingsAndBadValuesChangeNothing()
    {
        CourseSettings s;
        s.alertBelowPercent = 80;
        s.alertAbsentRun = 3;
        const auto changed = changeCourseSettings(services(), fx->as(fx->teacher), fx->courseA.id, s);
        QVERIFY(changed);
        QCOMPARE(fx->course(fx->courseA.id)->alertBelowPercent, 80);
        QCOMPARE(fx->course(fx->courseA.id)->alertAbsentRun, 3);
        QVERIFY(!changeCourseSettings(services(), fx->as(fx->ta), fx->courseA.id, s));
        CourseSettings bad;
        bad.alertBelowPercent = 101;
        QVERIFY(!changeCourseSettings(services(), fx->as(fx->teacher), fx->courseA.id, bad));
        bad = {};
        bad.lateAfterMin = 30;
        bad.absentAfterMin = 20;
        QVERIFY(!changeCourseSettings(services(), fx->as(fx->teacher), fx->courseA.id, bad));
        QCOMPARE(fx->course(fx->courseA.id)->alertBelowPercent, 80);
        QCOMPARE(fx->course(fx->courseA.id)->lateAfterMin, fx->courseA.lateAfterMin);
    }

    void aTeacherReopensAClosedWindowUntilTheCoursesLengthFromNow()
    {
        const auto notClosed = reopenWindow(services(), fx->as(fx->teacher), fx->openA.id);
        QVERIFY(!notClosed);
        QCOMPARE(code(notClosed.error()), std::string("conflict"));
        QVERIFY(!reopenWindow(services(), fx->as(fx->ta), fx->closedA.id));
        const auto reopened = reopenWindow(services(), fx->as(fx->teacher), fx->closedA.id);
        QVERIFY2(reopened, reopened ? "" : reopened.error().message.c_str());
        QVERIFY(!reopened->closedAt);
        QVERIFY(*reopened->scheduledEnd >= fx->clock.nowMs() + fx->courseA.windowLengthMin * ServiceFixture::k_minute);
        // It takes check-ins again, and closes itself again at its new end plus the grace.
        QVERIFY(checkIn(services(), fx->as(fx->studentA), fx->closedA.id, std::nullopt));
        QVERIFY(fx->hasCheckIn(fx->studentA, fx->closedA));
        fx->clock.advance((fx->courseA.windowLengthMin + fx->courseA.closeGraceMin + 1) * ServiceFixture::k_minute);
        QVERIFY(closeDueWindows(services()));
        QVERIFY(fx->window(fx->closedA.id).closedAt);
    }

    void aRangeReadsTheWindowsThatStartInItBothEndsIncluded()
    {
        // A window starts when scheduled, or when opened if never scheduled:
        // closedA was opened a week ago unscheduled, openA was opened 2
        // minutes ago for a start scheduled 1 minute ago, scheduledA starts
        // in an hour.
        const std::int64_t now = ServiceFixture::k_start, minute = ServiceFixture::k_minute;
        auto ids = [&](std::int64_t from, std::int64_t to) {
            std::vector<std::string> out;
            const auto windows = fx->store->attendance().windowsBetween(fx->courseA.id, from, to);
            for (const Window& w : windows.value())
                out.push_back(w.id);
            return out;
        };
        using Ids = std::vector<std::string>;
        QCOMPARE(ids(now - 7 * ServiceFixture::k_day, now - minute), (Ids{fx->closedA.id, fx->openA.id}));
        QCOMPARE(ids(now - 7 * ServiceFixture::k_day + 1, now - 2 * minute), Ids{}); // openA opened, not started
        QCOMPARE(ids(now, now + 60 * minute), Ids{fx->scheduledA.id});
        QCOMPARE(ids(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()),
                 (Ids{fx->closedA.id, fx->openA.id, fx->scheduledA.id}));
        // The same windows as reading them all and keeping those in range.
        const auto all = fx->store->attendance().windowsOf(fx->courseA.id).value();
        for (std::int64_t from = now - 8 * ServiceFixture::k_day; from < now + 2 * 60 * minute; from += 37 * minute) {
            const std::int64_t to = from + 3 * ServiceFixture::k_day;
            Ids kept;
            for (const Window& w : all)
                if (w.startMs() && *w.startMs() >= from && *w.startMs() <= to)
                    kept.push_back(w.id);
            QCOMPARE(ids(from, to), kept);
        }
    }

    void onlyAdminsAndLeadsReadTheOverview()
    {
        QVERIFY(!overview(services(), fx->as(fx->teacher), {}));
        QVERIFY(overview(services(), fx->as(fx->admin), {}));
        QVERIFY(!setLead(services(), fx->as(fx->teacher), fx->teacher.publicId, true));
        QVERIFY(setLead(services(), fx->as(fx->admin), fx->teacher.publicId, true));
        const Person lead = *fx->person(fx->teacher.publicId);
        QVERIFY(lead.isLead);
        const auto rows = overview(services(), fx->as(lead), {});
        QVERIFY(rows);
        QCOMPARE(rows->rows.size(), std::size_t(2)); // both courses, not only the lead's own
        // The volunteers are the TA and the teachers; the TA, in course A,
        // missed its closed class.
        QCOMPARE(rows->volunteers.size(), std::size_t(3));
        const auto ta = std::ranges::find_if(rows->volunteers, [&](const VolunteerRow& v) {
            return v.member.publicId == fx->ta.publicId;
        });
        QVERIFY(ta != rows->volunteers.end());
        QCOMPARE(ta->courses, std::vector<std::string>{fx->courseA.name});
        QCOMPARE(ta->tally.absent, 1);
        QCOMPARE(ta->tally.present, 0);
        QVERIFY(std::ranges::any_of(rows->volunteers, [&](const VolunteerRow& v) {
            return v.member.publicId == fx->teacherB.publicId && v.member.role == sync::Role::Teacher;
        }));
        QVERIFY(setLead(services(), fx->as(fx->admin), fx->teacher.publicId, false));
        QVERIFY(!overview(services(), fx->as(*fx->person(fx->teacher.publicId)), {}));
    }

    void dateRangesAreCheckedBeforeAnythingIsRead()
    {
        QVERIFY(parseDateRange("2026-01-01", "2026-12-31"));
        QVERIFY(parseDateRange(std::nullopt, std::nullopt));
        QVERIFY(!parseDateRange("2026-12-31", "2026-01-01"));
        QVERIFY(!parseDateRange("2026-02-30", std::nullopt));
        QVERIFY(!parseDateRange("2020-01-01", "2026-01-02")); // over five years
    }

    void theCsvHasOneRowPerPersonAndWindowAndNeutralisesFormulas()
    {
        const Person formula = fx->addPerson("=HYPERLINK(\"http://x\")");
        fx->enrol(formula, fx->courseA, sync::Role::Student);
        const auto text = recordsCsv(services(), fx->as(fx->teacher), fx->courseA.id, {});
        QVERIFY(text);
        const auto rows = csv::split(*text);
        QCOMPARE(rows.front().fields.size(), std::size_t(10));
        QCOMPARE(rows.front().fields[0], std::string("date"));
        bool neutralised = false;
        for (const auto& r : rows)
            neutralised = neutralised || r.fields[3] == "'=HYPERLINK(\"http://x\")";
        QVERIFY(neutralised);
        QVERIFY(!recordsCsv(services(), fx->as(fx->studentA), fx->courseA.id, {}));
    }
};

QTEST_GUILESS_MAIN(ReportViewsTest)
#include "reportviewstest.moc"
