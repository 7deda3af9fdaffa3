// service/reports: the figures every report reads, from folded records:
// a window's counts, a person's rates and run of absences, the weeks, the
// alerts, and the rules that keep volunteers, excused absences and open
// windows out of trainees' figures.

#include "sync-server/service/reports.h"

#include <QtTest>

using namespace imhere;
using namespace imhere::server;

namespace {

constexpr std::int64_t k_day = 24LL * 3600 * 1000;
// Tuesday 2026-10-06 18:00 UTC.
constexpr std::int64_t k_tuesday = 1791309600000;

Window windowAt(const std::string& id, std::int64_t start, bool closed = true)
{
    Window w;
    w.id = id;
    w.course = "c";
    w.title = id;
    w.scheduledStart = start;
    w.openedAt = start;
    if (closed)
        w.closedAt = start + 2 * 3600 * 1000;
    return w;
}

AttendanceRecord record(const Window& w, const std::string& person, std::optional<AttendanceStatus> status,
                        int minutesLate = 0, Role role = Role::Student)
{
    AttendanceRecord r;
    r.person = person;
    r.displayName = "Name " + person;
    r.role = role;
    r.window = w.id;
    r.windowTitle = w.title;
    r.windowStart = w.startMs();
    r.status = status;
    r.present = status == AttendanceStatus::OnTime || status == AttendanceStatus::Late;
    r.minutesLate = minutesLate;
    return r;
}

Course course()
{
    Course c;
    c.id = "c";
    c.name = "WM5";
    c.timezone = "Europe/London";
    return c;
}

const PersonFigures& personOf(const CourseFigures& f, const std::string& id)
{
    for (const PersonFigures& p : f.people)
        if (p.member.publicId == id)
            return p;
    qFatal("no such person in the figures");
}

} // namespace

class ReportsTest : public QObject {
    Q_OBJECT
private slots:
    void tallyCountsEachStatusOnce()
    {
        const Window w = windowAt("w1", k_tuesday);
        std::vector<AttendanceRecord> rs{record(w, "a", AttendanceStatus::OnTime),
                                         record(w, "b", AttendanceStatus::Late, 12),
                                         record(w, "c", AttendanceStatus::Late, 20),
                                         record(w, "d", AttendanceStatus::Late, 31),
                                         record(w, "e", AttendanceStatus::Absent),
                                         record(w, "f", AttendanceStatus::Excused),
                                         record(w, "g", std::nullopt)};
        rs[1].remote = true;
        rs[4].remote = true; // absent: not counted as remote
        rs[0].flags = {Flag::CameraOff, Flag::LeftEarly};
        rs[1].flags = {Flag::CameraOff};
        const Tally t = tallyOf(rs);
        QCOMPARE(t.records, 7);
        QCOMPARE(t.people, 7);
        QCOMPARE(t.present, 4);
        QCOMPARE(t.onTime, 1);
        QCOMPARE(t.late, 3);
        QCOMPARE(t.absent, 1);
        QCOMPARE(t.excused, 1);
        QCOMPARE(t.undecided, 1);
        QCOMPARE(t.remote, 1);
        QCOMPARE(t.counted(), 5);
        QCOMPARE(*t.meanMinutesLate, 21.0);
        QCOMPARE(*t.medianMinutesLate, 20.0);
        QCOMPARE(*t.attendancePercent(), 80.0); // 4 of 5: the excused one counts in neither
        QCOMPARE(*t.onTimePercent(), 25.0);
        QCOMPARE(t.flags.at(Flag::CameraOff), 2);
        QCOMPARE(t.flags.at(Flag::LeftEarly), 1);
        QVERIFY(!t.flags.contains(Flag::Absent));
    }

    void medianOfAnEvenCountIsTheMiddlePair()
    {
        const Window w = windowAt("w1", k_tuesday);
        const Tally t = tallyOf(std::vector<AttendanceRecord>{record(w, "a", AttendanceStatus::Late, 11),
                                                              record(w, "b", AttendanceStatus::Late, 14)});
        QCOMPARE(*t.medianMinutesLate, 12.5);
        QVERIFY(!tallyOf(std::vector<AttendanceRecord>{}).attendancePercent());
        QVERIFY(!tallyOf(std::vector<AttendanceRecord>{record(w, "a", AttendanceStatus::Absent)}).onTimePercent());
    }

    void weeksStartOnMondayInTheCoursesZone()
    {
        // Tuesday 2026-10-06 → Monday 2026-10-05.
        auto m = weekOf("Europe/London", k_tuesday);
        QVERIFY(m);
        QCOMPARE(isoDate(*m), std::string("2026-10-05"));
        // Sunday 2026-10-11 23:30 in London is still that week; 00:30 Monday is the next.
        const std::int64_t sundayLate = k_tuesday + 5 * k_day + 4 * 3600 * 1000 + 30 * 60 * 1000; // 22:30 UTC = 23:30 BST
        QCOMPARE(isoDate(*weekOf("Europe/London", sundayLate)), std::string("2026-10-05"));
        QCOMPARE(isoDate(*weekOf("Europe/London", sundayLate + 3600 * 1000)), std::string("2026-10-12"));
        QCOMPARE(isoDate(*weekOf("UTC", sundayLate + 3600 * 1000)), std::string("2026-10-05")); // 23:30 UTC, still Sunday
        // Before 1970 too.
        QCOMPARE(isoDate(*weekOf("UTC", -1)), std::string("1969-12-29"));
    }

    void volunteersAndOpenWindowsStayOutOfTraineesFigures()
    {
        const Window closed = windowAt("w1", k_tuesday);
        const Window open = windowAt("w2", k_tuesday + 7 * k_day, false);
        const std::vector<Window> windows{closed, open};
        const std::vector<AttendanceRecord> rs{
            record(closed, "s1", AttendanceStatus::OnTime), record(closed, "t1", AttendanceStatus::Absent, 0, Role::Ta),
            record(open, "s1", std::nullopt), record(open, "t1", AttendanceStatus::OnTime, 0, Role::Ta)};
        const CourseFigures f = courseFigures(course(), windows, rs, {});
        QCOMPARE(f.trainees.present, 1);
        QCOMPARE(f.trainees.absent, 0);
        QCOMPARE(f.trainees.undecided, 1);
        QCOMPARE(*f.trainees.attendancePercent(), 100.0);
        QCOMPARE(f.volunteers.present, 1);
        QCOMPARE(f.volunteers.absent, 1);
        QCOMPARE(f.windows.size(), std::size_t(2));
        QCOMPARE(f.windows[0].trainees.present, 1);
        QCOMPARE(f.windows[0].volunteers.absent, 1);
        // Students first, then TAs.
        QCOMPARE(f.people.size(), std::size_t(2));
        QCOMPARE(f.people[0].member.publicId, std::string("s1"));
        QCOMPARE(f.people[1].member.publicId, std::string("t1"));
        QVERIFY(f.alerts.empty()); // volunteers raise no alerts
        QCOMPARE(f.weeks.size(), std::size_t(2));
    }

    void aRunOfAbsencesIsTheLatestOnesInARow()
    {
        std::vector<Window> ws;
        std::vector<AttendanceRecord> rs;
        const std::vector<std::optional<AttendanceStatus>> history{
            AttendanceStatus::Absent, AttendanceStatus::OnTime, AttendanceStatus::Absent,
            AttendanceStatus::Excused, AttendanceStatus::Absent, std::nullopt};
        for (std::size_t i = 0; i < history.size(); ++i) {
            ws.push_back(windowAt("w" + std::to_string(i), k_tuesday + static_cast<std::int64_t>(i) * 7 * k_day,
                                  i + 1 < history.size()));
            rs.push_back(record(ws.back(), "s1", history[i]));
        }
        const CourseFigures f = courseFigures(course(), ws, rs, {});
        const PersonFigures& p = personOf(f, "s1");
        QCOMPARE(p.absentRun, 2); // the excused one neither breaks nor extends it; the open one is not counted
        QCOMPARE(p.absentRunDays.size(), std::size_t(2));
        QCOMPARE(p.absentRunDays[0], ws[2].startMs().value());
        QCOMPARE(p.absentRunDays[1], ws[4].startMs().value());
        QCOMPARE(p.tally.counted(), 4);
        QCOMPARE(*p.tally.attendancePercent(), 25.0);
        // Both alerts: 25 % < 70 % over 4 counted windows, and 2 absences in a row.
        QCOMPARE(f.alerts.size(), std::size_t(2));
        std::vector<std::string> kinds;
        for (const Alert& a : f.alerts)
            kinds.emplace_back(tokenOf(a.kind));
        std::sort(kinds.begin(), kinds.end());
        QCOMPARE(kinds, (std::vector<std::string>{"absent_run", "low_attendance"}));
        for (const Alert& a : f.alerts) {
            if (a.kind == AlertKind::AbsentRun) {
                QCOMPARE(a.since, std::string("2026-10-20"));
                QCOMPARE(a.days.size(), std::size_t(2));
            } else {
                QCOMPARE(a.days.size(), std::size_t(3)); // every counted absence
                QCOMPARE(a.since, std::string("2026-10-06"));
            }
        }
    }

    void alertsFollowTheCoursesRules()
    {
        std::vector<Window> ws;
        std::vector<AttendanceRecord> rs;
        const std::vector<AttendanceStatus> history{AttendanceStatus::OnTime, AttendanceStatus::OnTime,
                                                    AttendanceStatus::Absent};
        for (std::size_t i = 0; i < history.size(); ++i) {
            ws.push_back(windowAt("w" + std::to_string(i), k_tuesday + static_cast<std::int64_t>(i) * k_day));
            rs.push_back(record(ws.back(), "s1", history[i]));
        }
        // 66.7 % is below the default 70 %; one absence is no run of 2.
        auto f = courseFigures(course(), ws, rs, {});
        QCOMPARE(f.alerts.size(), std::size_t(1));
        QCOMPARE(std::string(tokenOf(f.alerts[0].kind)), std::string("low_attendance"));
        // A course that alerts below 60 % and on a single absence.
        f = courseFigures(course(), ws, rs, {}, AlertRules{60, 1});
        QCOMPARE(f.alerts.size(), std::size_t(1));
        QCOMPARE(std::string(tokenOf(f.alerts[0].kind)), std::string("absent_run"));
        // Too few windows for a rate: two counted windows, one absent, is 50 % but not yet an alert.
        rs.erase(rs.begin());
        f = courseFigures(course(), ws, rs, {}, AlertRules{70, 0});
        QVERIFY(f.alerts.empty());
    }

    void aDateRangeKeepsItsWindowsBothDaysIncluded()
    {
        std::vector<Window> ws;
        std::vector<AttendanceRecord> rs;
        for (int i = 0; i < 5; ++i) {
            ws.push_back(windowAt("w" + std::to_string(i), k_tuesday + i * k_day));
            rs.push_back(record(ws.back(), "s1", i % 2 ? AttendanceStatus::Absent : AttendanceStatus::OnTime));
        }
        DateRange range{parseIsoDate("2026-10-07"), parseIsoDate("2026-10-09")};
        const auto f = courseFigures(course(), ws, rs, range);
        QCOMPARE(f.windows.size(), std::size_t(3));
        QCOMPARE(f.windows.front().window.id, std::string("w1"));
        QCOMPARE(f.windows.back().window.id, std::string("w3"));
        QCOMPARE(f.trainees.absent, 2);
        QCOMPARE(f.trainees.present, 1);
    }
};

QTEST_GUILESS_MAIN(ReportsTest)
#include "reportstest.moc"
