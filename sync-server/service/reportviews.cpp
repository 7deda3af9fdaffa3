#include "reportviews.h"

#include "attendancefold.h"
#include "courseviews.h"
#include "records.h"

#include "core/csv.h"
#include "core/timezone.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace imhere::server {

namespace {

AlertRules rulesOf(const Course& c) { return AlertRules{c.alertBelowPercent, c.alertAbsentRun}; }

constexpr std::int64_t k_dayMs = 24LL * 3600 * 1000;

// The records of a course's windows in `range` widened by `daysBefore` (a
// day more on each side for time zones), read and folded without the rest
// of a long history; every record when the range is open at both ends.
// UTC bounds wide enough for every zone: a day before `range` (and
// `daysBefore` more) to two days after.
std::pair<std::int64_t, std::int64_t> boundsAround(const DateRange& range, int daysBefore)
{
    const std::int64_t from = range.from
        ? (daysFromCivil(range.from->y, range.from->m, range.from->d) - daysBefore - 1) * k_dayMs
        : std::numeric_limits<std::int64_t>::min();
    const std::int64_t to = range.to ? (daysFromCivil(range.to->y, range.to->m, range.to->d) + 2) * k_dayMs
                                     : std::numeric_limits<std::int64_t>::max();
    return {from, to};
}

Result<std::vector<AttendanceRecord>> recordsAround(Services& services, std::string_view course,
                                                    const DateRange& range, int daysBefore = 0)
{
    if (!range.from && !range.to)
        return recordsOfCourse(services, course);
    const auto [from, to] = boundsAround(range, daysBefore);
    return recordsOfCourseBetween(services, course, from, to);
}

// The windows that may fall in `range` (those around it, as recordsAround
// reads), so that the figures place only those in their course's zone.
Result<std::vector<Window>> windowsAround(Services& services, std::string_view course, const DateRange& range,
                                          int daysBefore = 0)
{
    if (!range.from && !range.to)
        return services.store.attendance().windowsOf(course);
    const auto [from, to] = boundsAround(range, daysBefore);
    return services.store.attendance().windowsBetween(course, from, to);
}

std::string plural(int n, std::string_view one, std::string_view many)
{
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string roundedMinutes(double minutes) { return std::to_string(static_cast<int>(std::lround(minutes))); }

std::string_view flagWords(Flag f)
{
    switch (f) {
    case Flag::LeftEarly:
        return "left early";
    case Flag::CameraOff:
        return "camera off";
    case Flag::LowParticipation:
        return "low participation";
    case Flag::Absent:
        return "marked absent";
    }
    return "";
}

std::string_view weekday(int y, int m, int d)
{
    static constexpr std::string_view k_days[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};
    const std::int64_t days = daysFromCivil(y, m, d);
    return k_days[days + 3 - floorDiv(days + 3, 7) * 7];
}

} // namespace

Result<DateRange> parseDateRange(std::optional<std::string_view> from, std::optional<std::string_view> to,
                                 int maxDays)
{
    DateRange range;
    if (from) {
        range.from = parseIsoDate(*from);
        if (!range.from)
            return std::unexpected(invalid("from: a date as YYYY-MM-DD"));
    }
    if (to) {
        range.to = parseIsoDate(*to);
        if (!range.to)
            return std::unexpected(invalid("to: a date as YYYY-MM-DD"));
    }
    if (range.from && range.to) {
        const auto a = daysFromCivil(range.from->y, range.from->m, range.from->d);
        const auto b = daysFromCivil(range.to->y, range.to->m, range.to->d);
        if (b < a)
            return std::unexpected(invalid("to: the range ends before it starts"));
        if (b - a > maxDays)
            return std::unexpected(invalid("to: a range of at most " + std::to_string(maxDays) + " days"));
    }
    return range;
}

const AlertFollowUp* CourseReport::followUpOf(const Alert& alert) const
{
    for (const AlertFollowUp& f : followUps)
        if (f.person == alert.member.publicId && f.kind == tokenOf(alert.kind) && f.since == alert.since)
            return &f;
    return nullptr;
}

std::size_t CourseReport::openAlerts() const
{
    return static_cast<std::size_t>(std::ranges::count_if(figures.alerts, [&](const Alert& a) {
        return followUpOf(a) == nullptr;
    }));
}

Result<CourseReport> courseReport(Services& services, const Caller& caller, std::string_view course,
                                  const DateRange& range)
{
    TRY_ASSIGN(in, courseAs(services, caller, course, Standing::RunsClass, "only teachers and TAs see course reports"));
    TRY_ASSIGN(windows, windowsAround(services, course, range));
    TRY_ASSIGN(records, recordsAround(services, course, range));
    TRY_ASSIGN(followUps, services.store.courses().alertFollowUps(course));
    return CourseReport{courseFigures(in.course, windows, records, range, rulesOf(in.course)), std::move(followUps)};
}

Result<WindowReport> windowReport(Services& services, const Caller& caller, std::string_view window)
{
    TRY_ASSIGN(in, windowAs(services, caller, window, Standing::RunsClass, "only teachers and TAs see window reports"));
    return windowReportOf(services, in.window);
}

Result<WindowReport> windowReportOf(Services& services, const Window& window)
{
    TRY_ASSIGN(course, services.liveCourse(window.course));
    TRY_ASSIGN(windows, services.store.attendance().windowsOf(course.id));
    TRY_ASSIGN(records, recordsOfCourse(services, course.id));
    // The course as it stood when this window ended: its windows up to this one.
    const auto start = window.startMs();
    std::vector<Window> upTo;
    for (const Window& w : windows)
        if (w.id == window.id || (start && w.startMs() && *w.startMs() <= *start))
            upTo.push_back(w);
    std::vector<AttendanceRecord> upToRecords;
    for (AttendanceRecord& r : records)
        if (std::ranges::any_of(upTo, [&](const Window& w) { return w.id == r.window; }))
            upToRecords.push_back(std::move(r));
    CourseFigures f = courseFigures(course, upTo, upToRecords, {}, rulesOf(course));
    WindowReport out{course, WindowFigures{window, {}, {}}, {}};
    for (WindowFigures& w : f.windows)
        if (w.window.id == window.id)
            out.figures = std::move(w);
    // Only alerts this window's absence is part of.
    for (Alert& a : f.alerts)
        if (start && std::ranges::find(a.days, *start) != a.days.end() && a.kind == AlertKind::AbsentRun)
            out.alerts.push_back(std::move(a));
    return out;
}

std::string windowSummary(const WindowReport& report)
{
    return windowSummary(report.course, report.figures, report.alerts);
}

std::string windowSummary(const Course& course, const WindowFigures& w, const std::vector<Alert>& alerts)
{
    std::string s = course.name + " · " + w.window.title;
    if (const auto start = w.window.startMs()) {
        if (const auto local = localFromUtc(course.timezone, *start))
            s += ", " + std::string(weekday(local->year, local->month, local->day)) + " "
                 + formatLocalTime(course.timezone, *start);
    }
    const Tally& t = w.trainees;
    const int expected = t.records - t.undecided;
    s += ": " + std::to_string(t.present) + " of " + plural(expected, "trainee", "trainees") + " present";
    if (t.late > 0) {
        s += ", " + std::to_string(t.late) + " late";
        if (t.meanMinutesLate)
            s += " (average " + roundedMinutes(*t.meanMinutesLate) + " min)";
    }
    s += ", " + std::to_string(t.absent) + " absent";
    if (t.excused > 0)
        s += ", " + std::to_string(t.excused) + " excused";
    if (t.undecided > 0)
        s += ", " + std::to_string(t.undecided) + " not checked in yet";
    s += ".";
    if (t.remote > 0)
        s += " " + plural(t.remote, "trainee", "trainees") + " joined remotely.";
    if (!t.flags.empty()) {
        s += " Flags:";
        bool first = true;
        for (const auto& [flag, n] : t.flags) {
            s += std::string(first ? " " : ", ") + std::to_string(n) + " " + std::string(flagWords(flag));
            first = false;
        }
        s += ".";
    }
    if (!alerts.empty()) {
        std::map<int, int> runs; // run length → trainees
        for (const Alert& a : alerts)
            ++runs[a.absentRun];
        s += " Needs attention:";
        bool first = true;
        for (const auto& [run, n] : runs) {
            s += std::string(first ? " " : ", ") + plural(n, "trainee", "trainees") + " absent "
                 + (run == 2 ? std::string("twice") : std::to_string(run) + " times") + " in a row";
            first = false;
        }
        s += ".";
    }
    const Tally& v = w.volunteers;
    if (v.records - v.undecided > 0)
        s += " Volunteers: " + std::to_string(v.present) + " of " + std::to_string(v.records - v.undecided) + " came.";
    return s;
}

Result<CohortView> cohortView(Services& services, const Caller& caller, std::string_view course)
{
    TRY_ASSIGN(in, courseAs(services, caller, course, Standing::Member, "you are not in this course"));
    TRY_ASSIGN(windows, services.store.attendance().windowsOf(course));
    TRY_ASSIGN(records, recordsOfCourse(services, course));
    CourseFigures f = courseFigures(in.course, windows, records, {}, rulesOf(in.course));
    CohortView out{in.course, f.trainees, std::move(f.weeks), std::nullopt};
    for (PersonFigures& p : f.people)
        if (p.member.publicId == caller.person.publicId)
            out.mine = std::move(p);
    return out;
}

Result<PersonReport> personReport(Services& services, const Caller& caller, std::string_view course,
                                  std::string_view personPublicId)
{
    TRY_ASSIGN(records, personRecords(services, caller, course, personPublicId));
    TRY_ASSIGN(c, services.liveCourse(course));
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(windows, services.store.attendance().windowsOf(course));
    TRY_ASSIGN(events, services.store.attendance().recordHistory(course, person.id));
    TRY_ASSIGN(in, services.store.attendance().recordInputs(course, std::nullopt, person.id));

    CourseFigures f = courseFigures(c, windows, records, {}, rulesOf(c));
    PersonReport out;
    out.course = c;
    if (!f.people.empty()) {
        out.figures = f.people.front();
        out.member = out.figures.member;
    } else {
        out.member = Member{person.publicId, person.displayName, Role::Student};
        out.figures.member = out.member;
    }
    std::stable_sort(records.begin(), records.end(), [](const AttendanceRecord& a, const AttendanceRecord& b) {
        return a.windowStart.value_or(INT64_MAX) < b.windowStart.value_or(INT64_MAX);
    });
    out.records = std::move(records);
    std::set<std::string_view> recorded;
    for (const AttendanceRecord& r : out.records)
        recorded.insert(r.window);
    for (const Window& w : in.windows)
        if (w.startMs() && !recorded.contains(w.id))
            out.notEnrolled.push_back(w);
    std::ranges::stable_sort(out.notEnrolled, {}, [](const Window& w) { return *w.startMs(); });

    // The value before each change: the record folded from the events stored before it.
    std::map<std::string, const Window*> windowById;
    for (const Window& w : in.windows)
        windowById[w.id] = &w;
    std::map<std::string, std::vector<const HistoryEvent*>> earlier; // per window, in order
    for (const HistoryEvent& e : events) {
        auto wit = windowById.find(e.window);
        if (wit == windowById.end())
            continue;
        HistoryEntry h{e, wit->second->title, wit->second->startMs(), std::nullopt, false};
        RecordEvents before;
        auto evIt = in.events.find({person.publicId, e.window});
        if (evIt != in.events.end())
            before.checkIns = evIt->second.checkIns;
        auto& seen = earlier[e.window];
        for (const HistoryEvent* prior : seen) {
            if (prior->kind == HistoryEvent::Kind::Correction) {
                // The fold's facts carry the same ids and bases.
                if (evIt != in.events.end())
                    for (const CorrectionFact& c2 : evIt->second.corrections)
                        if (c2.id == prior->id)
                            before.corrections.push_back(c2);
            } else if (prior->flag == e.flag) {
                h.wasSet = prior->set;
            }
        }
        if (e.kind == HistoryEvent::Kind::Correction) {
            const AttendanceRecord r = foldRecord(c, *wit->second, out.member, before);
            h.before = r.status;
        } else if (e.set) {
            out.flagNotes[{e.window, e.flag}] = e.text;
        }
        seen.push_back(&e);
        out.history.push_back(std::move(h));
    }
    std::reverse(out.history.begin(), out.history.end());
    return out;
}

Result<bool> mayReadOverview(Services&, const Caller& caller)
{
    return caller.person.isAdmin || caller.person.isLead;
}

Result<Overview> overview(Services& services, const Caller& caller, const DateRange& range)
{
    TRY_ASSIGN(may, mayReadOverview(services, caller));
    TRY(allow(may, "only admins and leads see the overview across courses"));
    TRY_ASSIGN(courses, services.store.courses().listCourses(std::nullopt));
    Overview out{range, {}, {}};
    std::map<std::string, VolunteerRow> volunteers;
    std::map<std::string, std::vector<const AttendanceRecord*>> volunteerRecords;
    std::vector<std::vector<AttendanceRecord>> kept; // the records volunteerRecords points into
    kept.reserve(courses.size());
    for (const CourseWithRole& c : courses) {
        TRY_ASSIGN(windows, windowsAround(services, c.course.id, range, 28));
        // A course with no class in the range or the four weeks before (one
        // of years ago) has no records there and so no alerts: nothing more
        // to read.
        std::vector<AttendanceRecord> records;
        std::vector<AlertFollowUp> followUps;
        if (!windows.empty()) {
            TRY_ASSIGN(inRange, recordsAround(services, c.course.id, range, 28));
            TRY_ASSIGN(followed, services.store.courses().alertFollowUps(c.course.id));
            records = std::move(inRange);
            followUps = std::move(followed);
        }
        CourseReport report{courseFigures(c.course, windows, records, range, rulesOf(c.course)), std::move(followUps)};
        OverviewRow row{c.course, report.figures.trainees, 0, std::nullopt, std::nullopt};
        for (const PersonFigures& p : report.figures.people) {
            if (p.member.role == Role::Student)
                continue; // volunteers only: TAs and teachers
            VolunteerRow& v = volunteers[p.member.publicId];
            v.member = p.member;
            v.courses.push_back(c.course.name);
        }
        std::set<std::string> needing;
        for (const Alert& a : report.figures.alerts)
            if (!report.followUpOf(a))
                needing.insert(a.member.publicId);
        row.needingAttention = static_cast<int>(needing.size());
        if (range.from) {
            const auto start = daysFromCivil(range.from->y, range.from->m, range.from->d);
            const DateRange before{civilFromDays(start - 28), civilFromDays(start - 1)};
            const CourseFigures prev = courseFigures(c.course, windows, records, before, rulesOf(c.course));
            row.previousAttendance = prev.trainees.attendancePercent();
            if (row.previousAttendance && row.trainees.attendancePercent())
                row.trend = *row.trainees.attendancePercent() - *row.previousAttendance;
        }
        out.rows.push_back(std::move(row));
        // Volunteers' records in range, added up across their courses below.
        std::set<std::string_view> inRange;
        for (const WindowFigures& w : report.figures.windows)
            inRange.insert(w.window.id);
        kept.push_back(std::move(records));
        for (const AttendanceRecord& r : kept.back())
            if (r.role != Role::Student && inRange.contains(r.window))
                volunteerRecords[r.person].push_back(&r);
    }
    for (auto& [id, v] : volunteers) {
        v.tally = tallyOf(volunteerRecords[id]);
        out.volunteers.push_back(std::move(v));
    }
    std::ranges::stable_sort(out.volunteers, [](const VolunteerRow& a, const VolunteerRow& b) {
        return a.member.displayName < b.member.displayName;
    });
    return out;
}

Result<void> followUpAlert(Services& services, const Caller& caller, std::string_view course,
                           std::string_view personPublicId, std::string_view kind, std::string_view since,
                           std::string_view note)
{
    TRY(courseAs(services, caller, course, Standing::RunsClass, "only teachers and TAs follow up alerts"));
    if (kind != tokenOf(AlertKind::LowAttendance) && kind != tokenOf(AlertKind::AbsentRun))
        return std::unexpected(invalid("kind: low_attendance or absent_run"));
    if (!parseIsoDate(since))
        return std::unexpected(invalid("since: the alert's first day as YYYY-MM-DD"));
    if (note.empty() || !isPlainText(note, imhere::limits::k_maxReasonBytes))
        return std::unexpected(invalid("note: say what was done, in at most 500 bytes of plain text"));
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(role, services.store.courses().roleIn(person.id, course));
    if (role != Role::Student)
        return fail(Errc::NotFound, "this person is not a student of the course");
    return services.store.courses().followUpAlert(course, person.id, kind, since, note, caller.person.id);
}

Result<Course> changeCourseSettings(Services& services, const Caller& caller, std::string_view course,
                                    const CourseSettings& s)
{
    TRY_ASSIGN(in, courseAs(services, caller, course, Standing::Teaches, "only the course's teachers change its settings"));
    Course c = in.course;
    if (s.name) {
        if (s.name->empty() || s.name->size() > imhere::limits::k_maxNameBytes)
            return std::unexpected(invalid("name: give the course a name of at most 200 bytes"));
        c.name = *s.name;
    }
    c.lateAfterMin = s.lateAfterMin.value_or(c.lateAfterMin);
    c.absentAfterMin = s.absentAfterMin.value_or(c.absentAfterMin);
    c.windowLengthMin = s.windowLengthMin.value_or(c.windowLengthMin);
    c.closeGraceMin = s.closeGraceMin.value_or(c.closeGraceMin);
    c.alertBelowPercent = s.alertBelowPercent.value_or(c.alertBelowPercent);
    c.alertAbsentRun = s.alertAbsentRun.value_or(c.alertAbsentRun);
    if (c.lateAfterMin < 0 || c.absentAfterMin < c.lateAfterMin || c.absentAfterMin > 24 * 60)
        return std::unexpected(invalid("absent_after_min: must be between late_after_min and 1440"));
    if (c.windowLengthMin < 1 || c.windowLengthMin > 24 * 60)
        return std::unexpected(invalid("window_length_min: a length from 1 to 1440 minutes"));
    if (c.closeGraceMin < 0 || c.closeGraceMin > 24 * 60)
        return std::unexpected(invalid("close_grace_min: from 0 to 1440 minutes"));
    if (c.alertBelowPercent < 0 || c.alertBelowPercent > 100)
        return std::unexpected(invalid("alert_below_percent: a percentage from 0 to 100"));
    if (c.alertAbsentRun < 0 || c.alertAbsentRun > 50)
        return std::unexpected(invalid("alert_absent_run: from 0 (no alert) to 50 absences in a row"));
    TRY(services.store.courses().updateCourse(c, caller.person.id));
    return c;
}

Result<Window> reopenWindow(Services& services, const Caller& caller, std::string_view window)
{
    TRY_ASSIGN(in, windowAs(services, caller, window, Standing::Teaches, "only the course's teachers reopen a window"));
    if (!in.window.closedAt)
        return fail(Errc::Conflict, "this window is not closed");
    TRY_ASSIGN(course, services.liveCourse(in.window.course));
    const auto now = services.clock.nowMs();
    return services.store.attendance().reopenWindow(window, now,
                                                    now + std::int64_t{course.windowLengthMin} * 60 * 1000,
                                                    caller.person.id);
}

namespace {

std::string oneDecimal(std::optional<double> v)
{
    if (!v)
        return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *v);
    return buf;
}

} // namespace

Result<std::string> recordsCsv(Services& services, const Caller& caller, std::string_view course,
                               const DateRange& range)
{
    TRY_ASSIGN(in, courseAs(services, caller, course, Standing::RunsClass, "only teachers and TAs export records"));
    TRY_ASSIGN(windows, windowsAround(services, course, range));
    TRY_ASSIGN(records, recordsAround(services, course, range));
    const CourseFigures f = courseFigures(in.course, windows, records, range, rulesOf(in.course));
    std::map<std::string_view, std::size_t> order;
    // Each window's date and start time in the course's zone, once per window.
    std::vector<std::pair<std::string, std::string>> when;
    when.reserve(f.windows.size());
    for (const WindowFigures& w : f.windows) {
        order.emplace(w.window.id, order.size());
        const auto start = w.window.startMs();
        const auto day = start ? localDate(in.course.timezone, *start) : std::nullopt;
        when.emplace_back(day ? isoDate(*day) : std::string(),
                          start ? formatLocalTime(in.course.timezone, *start) : std::string());
    }
    std::vector<std::pair<std::size_t, const AttendanceRecord*>> rows;
    for (const AttendanceRecord& r : records)
        if (const auto it = order.find(r.window); it != order.end())
            rows.emplace_back(it->second, &r);
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out = csv::row({"date", "start_time", "window", "name", "public_id", "role", "status", "minutes_late",
                                "remote", "flags"});
    for (const auto& [index, r] : rows) {
        std::string flags;
        for (Flag fl : r->flags)
            flags += (flags.empty() ? "" : " ") + std::string(sync::toString(fl));
        out += csv::row({when[index].first, when[index].second, r->windowTitle, r->displayName, r->person, std::string(sync::toString(r->role)),
                         r->status ? std::string(toString(*r->status)) : std::string("undecided"),
                         std::to_string(r->minutesLate), r->present ? (r->remote ? "remote" : "in the room") : "",
                         flags});
    }
    return out;
}

std::string overviewCsv(const Overview& overview)
{
    std::string out = csv::row({"course", "course_id", "windows_counted", "attendance_percent", "on_time_percent",
                                "needing_attention", "previous_4_weeks_attendance_percent", "trend_points"});
    for (const OverviewRow& r : overview.rows)
        out += csv::row({r.course.name, r.course.id, std::to_string(r.trainees.counted()),
                         oneDecimal(r.trainees.attendancePercent()), oneDecimal(r.trainees.onTimePercent()),
                         std::to_string(r.needingAttention), oneDecimal(r.previousAttendance), oneDecimal(r.trend)});
    return out;
}

Result<void> setLead(Services& services, const Caller& caller, std::string_view personPublicId, bool lead)
{
    TRY(allow(caller.person.isAdmin, "only admins give the lead role"));
    TRY_ASSIGN(person, services.personById(personPublicId));
    return services.store.people().setLead(person.id, lead, caller.person.id);
}

} // namespace imhere::server
