// Reports as pages (docs/REPORTS.md): a course's report with its charts,
// alerts and exports; a person's record in a course with every window and
// every change; the overview across courses for admins and leads. Every
// chart sits beside a table of the same figures; every change is a form.

#include "pages.h"

#include "sync-server/service/courseviews.h"
#include "sync-server/service/reportviews.h"

#include "core/result.h"
#include "core/timezone.h"
#include "sync-server/web/charts.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include <charconv>
#include <cmath>

namespace imhere::server {

namespace {

constexpr const char* k_blue = "#1d70b8";
constexpr const char* k_green = "#00703c";
constexpr const char* k_orange = "#b35000";

std::string pct(std::optional<double> v)
{
    return v ? std::to_string(static_cast<int>(std::lround(*v))) + " %" : "—";
}

std::string minutes(std::optional<double> v)
{
    return v ? std::to_string(static_cast<int>(std::lround(*v))) + " min" : "—";
}

std::string shortDay(const CivilDate& d)
{
    static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return std::to_string(d.d) + " " + k_months[(d.m - 1) % 12];
}

std::string dayOf(const std::string& zone, std::optional<std::int64_t> ms)
{
    if (!ms)
        return "—";
    const auto d = localDate(zone, *ms);
    return d ? isoDate(*d) : "—";
}

std::string rangeQuery(const DateRange& r)
{
    std::string q;
    if (r.from)
        q += "from=" + isoDate(*r.from);
    if (r.to)
        q += std::string(q.empty() ? "" : "&") + "to=" + isoDate(*r.to);
    return q;
}

Result<DateRange> rangeOf(const Request& request)
{
    auto param = [&](const char* name) -> std::optional<std::string_view> {
        const auto it = request.query.find(name);
        if (it == request.query.end() || it->second.empty())
            return std::nullopt;
        return std::string_view(it->second);
    };
    return parseDateRange(param("from"), param("to"));
}

// The GET form that picks a date range.
std::string rangeForm(const std::string& action, const DateRange& r)
{
    return "<form method=\"get\" action=\"" + action + "\" class=\"range\" aria-label=\"Date range\">"
        + "<div class=\"field\"><label for=\"f-from\">From</label><input type=\"date\" id=\"f-from\" name=\"from\" value=\""
        + (r.from ? isoDate(*r.from) : std::string()) + "\"></div>"
        + "<div class=\"field\"><label for=\"f-to\">To</label><input type=\"date\" id=\"f-to\" name=\"to\" value=\""
        + (r.to ? isoDate(*r.to) : std::string()) + "\"></div>"
        + "<button type=\"submit\" class=\"secondary\">Show</button></form>";
}

std::string figuresList(const Tally& t)
{
    return "<ul class=\"figures\"><li><strong>" + pct(t.attendancePercent()) + "</strong>attendance</li><li><strong>"
        + pct(t.onTimePercent()) + "</strong>on time</li><li><strong>" + std::to_string(t.late)
        + "</strong>late (average " + minutes(t.meanMinutesLate) + ", median " + minutes(t.medianMinutesLate)
        + ")</li><li><strong>" + std::to_string(t.absent) + "</strong>absent</li><li><strong>"
        + std::to_string(t.excused) + "</strong>excused</li><li><strong>" + std::to_string(t.remote)
        + "</strong>remote</li></ul>";
}

std::string flagsText(const std::map<Flag, int>& flags)
{
    std::string s;
    for (const auto& [f, n] : flags)
        s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + flagLabel(f);
    return s.empty() ? "—" : s;
}

// Attendance % and on-time % per week: the chart and its table.
std::string weeksSection(const std::string& id, const std::string& who, const std::vector<WeekFigures>& weeks)
{
    if (weeks.empty())
        return "<p>No windows in this range yet.</p>";
    std::vector<std::string> labels;
    web::ChartSeries attendance{"Attendance", {}, k_blue, false};
    web::ChartSeries onTime{"On time", {}, k_orange, true};
    std::string rows;
    for (const WeekFigures& w : weeks) {
        labels.push_back(shortDay(w.monday));
        attendance.values.push_back(w.trainees.attendancePercent());
        onTime.values.push_back(w.trainees.onTimePercent());
        rows += "<tr><th scope=\"row\">" + isoDate(w.monday) + "</th><td data-label=\"Attendance\">"
            + pct(w.trainees.attendancePercent()) + "</td><td data-label=\"On time\">" + pct(w.trainees.onTimePercent())
            + "</td><td data-label=\"Present\">" + std::to_string(w.trainees.present) + " of "
            + std::to_string(w.trainees.counted()) + "</td></tr>";
    }
    const std::string desc = who + " per week, from the week of " + isoDate(weeks.front().monday) + " to the week of "
        + isoDate(weeks.back().monday) + ". The table below has the same figures.";
    return web::lineChart(id, "Attendance and on time per week", desc, labels, {attendance, onTime})
        + "<details><summary>The figures per week</summary><div class=\"table-wrap\"><table class=\"stack\"><caption>"
          "Per week (weeks start on Monday)</caption><thead><tr><th scope=\"col\">Week of</th><th scope=\"col\">"
          "Attendance</th><th scope=\"col\">On time</th><th scope=\"col\">Present</th></tr></thead><tbody>"
        + rows + "</tbody></table></div></details>";
}

// How late the late ones were, in ten-minute bins.
std::string lateSection(const CourseFigures& f, const std::vector<AttendanceRecord>& records)
{
    std::map<std::string_view, bool> inRange;
    for (const WindowFigures& w : f.windows)
        inRange[w.window.id] = true;
    std::vector<int> bins(6, 0);
    int late = 0;
    for (const AttendanceRecord& r : records) {
        if (r.role != Role::Student || r.status != AttendanceStatus::Late || !inRange.contains(r.window))
            continue;
        ++late;
        bins[static_cast<std::size_t>(std::min(5, r.minutesLate / 10))]++;
    }
    if (late == 0)
        return "<p>Nobody was late in this range.</p>";
    const std::vector<std::string> labels{"0–9", "10–19", "20–29", "30–39", "40–49", "50+"};
    web::ChartSeries s{"Late check-ins", {}, k_orange, false};
    std::string rows;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        s.values.push_back(bins[i]);
        rows += "<tr><th scope=\"row\">" + labels[i] + " min</th><td>" + std::to_string(bins[i]) + "</td></tr>";
    }
    return web::barChart("late-chart", "How late the late check-ins were",
                         std::to_string(late) + " late check-ins by minutes after the start, in ten-minute bins. "
                                                "The table below has the same figures.",
                         labels, {s})
        + "<details><summary>The figures</summary><div class=\"table-wrap\"><table><caption>Late check-ins by minutes "
          "late</caption><thead><tr><th scope=\"col\">Minutes late</th><th scope=\"col\">Check-ins</th></tr></thead>"
          "<tbody>" + rows + "</tbody></table></div></details>";
}

std::string personLink(const std::string& course, const Member& m)
{
    return "<a href=\"/courses/" + course + "/people/" + m.publicId + "\">" + web::escape(m.displayName) + "</a>";
}

std::string alertsSection(const CourseReport& report, const std::string& csrf)
{
    const CourseFigures& f = report.figures;
    std::string html = "<h2 id=\"alerts\">Needs attention</h2><p>Trainees below " + std::to_string(f.course.alertBelowPercent)
        + " % attendance over at least " + std::to_string(k_minWindowsForRate) + " classes";
    if (f.course.alertAbsentRun > 0)
        html += ", or absent " + std::to_string(f.course.alertAbsentRun) + " times in a row";
    html += ".</p>";
    if (f.alerts.empty())
        return html + "<p>Nobody needs attention.</p>";
    html += "<ul class=\"cards\">";
    for (const Alert& a : f.alerts) {
        html += "<li class=\"card\"><h3>" + personLink(f.course.id, a.member) + "</h3><p>";
        if (a.kind == AlertKind::LowAttendance)
            html += "Attendance " + pct(a.attendancePercent) + ", absent on ";
        else
            html += "Absent " + std::to_string(a.absentRun) + (a.absentRun == 1 ? " time" : " times") + " in a row: ";
        std::string days;
        for (std::int64_t d : a.days)
            days += (days.empty() ? "" : ", ") + dayOf(f.course.timezone, d);
        html += web::escape(days) + ".</p>";
        if (const AlertFollowUp* done = report.followUpOf(a)) {
            html += "<p><span class=\"tag present\">Followed up</span> by " + web::escape(done->actorName) + " on "
                + web::escape(web::dateTimeText(f.course.timezone, done->at)) + ": " + web::escape(done->note) + "</p>";
        } else {
            const std::string field = "note-" + std::string(tokenOf(a.kind)) + "-" + a.member.publicId;
            html += "<form method=\"post\" action=\"/courses/" + f.course.id + "/alerts\">" + web::csrfInput(csrf)
                + "<input type=\"hidden\" name=\"person\" value=\"" + a.member.publicId
                + "\"><input type=\"hidden\" name=\"kind\" value=\"" + std::string(tokenOf(a.kind))
                + "\"><input type=\"hidden\" name=\"since\" value=\"" + a.since + "\">"
                + web::renderField({.name = field, .label = "What was done",
                                    .hint = "Kept with your name, for the other volunteers"})
                + "<button type=\"submit\" class=\"secondary\">Mark followed up<span class=\"skip\"> for "
                + web::escape(a.member.displayName) + "</span></button></form>";
        }
        html += "</li>";
    }
    return html + "</ul>";
}

std::string peopleSection(const CourseFigures& f)
{
    std::string html = "<h2 id=\"people\">People</h2><div class=\"table-wrap\"><table class=\"stack\"><caption>Each "
                       "trainee's and volunteer's figures</caption><thead><tr><th scope=\"col\">Name</th>"
                       "<th scope=\"col\">Role</th><th scope=\"col\">Attendance</th><th scope=\"col\">On time</th>"
                       "<th scope=\"col\">Absent in a row</th><th scope=\"col\">Excused</th><th scope=\"col\">Flags</th>"
                       "</tr></thead><tbody>";
    for (const PersonFigures& p : f.people) {
        html += "<tr><th scope=\"row\">" + personLink(f.course.id, p.member) + "</th><td data-label=\"Role\">"
            + roleLabel(p.member.role) + "</td><td data-label=\"Attendance\">" + pct(p.tally.attendancePercent())
            + "</td><td data-label=\"On time\">" + pct(p.tally.onTimePercent()) + "</td><td data-label=\"Absent in a row\">"
            + std::to_string(p.absentRun) + "</td><td data-label=\"Excused\">" + std::to_string(p.tally.excused)
            + "</td><td data-label=\"Flags\">" + flagsText(p.tally.flags) + "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

// Who of the course's volunteers (TAs and teachers) came, and how often.
std::string volunteersSection(const CourseFigures& f)
{
    std::string rows;
    for (const PersonFigures& p : f.people) {
        if (p.member.role == Role::Student)
            continue;
        rows += "<tr><th scope=\"row\">" + personLink(f.course.id, p.member) + "</th><td data-label=\"Role\">"
            + roleLabel(p.member.role) + "</td><td data-label=\"Came\">" + std::to_string(p.tally.present) + " of "
            + std::to_string(p.tally.counted()) + " classes</td><td data-label=\"Attendance\">"
            + pct(p.tally.attendancePercent()) + "</td></tr>";
    }
    std::string html = "<h2 id=\"volunteers\">Volunteers</h2>";
    if (rows.empty())
        return html + "<p>No volunteer (TA or teacher) has a record in this range.</p>";
    return html + "<div class=\"table-wrap\"><table class=\"stack\"><caption>Who came and how often (TAs and "
                  "teachers check in like trainees; never counted in the trainees' figures)</caption><thead><tr>"
                  "<th scope=\"col\">Volunteer</th><th scope=\"col\">Role</th><th scope=\"col\">Came</th>"
                  "<th scope=\"col\">Attendance</th></tr></thead><tbody>"
        + rows + "</tbody></table></div>";
}

std::string windowsSection(const CourseFigures& f)
{
    std::string html = "<h2 id=\"windows\">Classes</h2><div class=\"table-wrap\"><table class=\"stack\"><caption>"
                       "Trainees per class</caption><thead><tr><th scope=\"col\">Class</th><th scope=\"col\">Date</th>"
                       "<th scope=\"col\">Present</th><th scope=\"col\">Late</th><th scope=\"col\">Absent</th>"
                       "<th scope=\"col\">Excused</th><th scope=\"col\">Remote</th><th scope=\"col\">Volunteers</th>"
                       "</tr></thead><tbody>";
    for (auto it = f.windows.rbegin(); it != f.windows.rend(); ++it) {
        const Tally& t = it->trainees;
        html += "<tr><th scope=\"row\"><a href=\"/windows/" + it->window.id + "\">" + web::escape(it->window.title)
            + "</a></th><td data-label=\"Date\">" + dayOf(f.course.timezone, it->window.startMs())
            + "</td><td data-label=\"Present\">" + std::to_string(t.present) + " of "
            + std::to_string(t.records - t.undecided) + "</td><td data-label=\"Late\">" + std::to_string(t.late)
            + "</td><td data-label=\"Absent\">" + std::to_string(t.absent) + "</td><td data-label=\"Excused\">"
            + std::to_string(t.excused) + "</td><td data-label=\"Remote\">" + std::to_string(t.remote)
            + "</td><td data-label=\"Volunteers\">" + std::to_string(it->volunteers.present) + "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

std::string settingsForm(const Course& c, const std::string& csrf)
{
    return "<h2 id=\"settings\">Alert settings</h2><form method=\"post\" action=\"/courses/" + c.id + "/settings\">"
        + web::csrfInput(csrf)
        + web::renderField({.name = "alert-below-percent", .label = "Alert below this attendance (%)", .type = "number",
                            .value = std::to_string(c.alertBelowPercent), .hint = "From 0 to 100", .inputmode = "numeric"})
        + web::renderField({.name = "alert-absent-run", .label = "Alert after this many absences in a row",
                            .type = "number", .value = std::to_string(c.alertAbsentRun),
                            .hint = "0 for no such alert", .inputmode = "numeric"})
        + "<button type=\"submit\">Save alert settings</button></form>";
}

Result<Response> courseReportPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(range, rangeOf(request));
    TRY_ASSIGN(report, courseReport(services, caller, id, range));
    TRY_ASSIGN(access, services.access(caller, id));
    TRY_ASSIGN(records, courseRecords(services, caller, id));
    const CourseFigures& f = report.figures;
    auto frame = frameFor(caller, "Report · " + f.course.name, "");
    std::string& m = frame.main;
    m += "<p><a href=\"/courses/" + id + "\">← " + web::escape(f.course.name) + "</a></p><h1>Attendance report</h1>";
    m += "<p class=\"lead\">" + web::escape(f.course.name) + ": " + std::to_string(f.windows.size()) + " classes";
    if (f.range.from || f.range.to)
        m += " from " + (f.range.from ? isoDate(*f.range.from) : std::string("the start")) + " to "
            + (f.range.to ? isoDate(*f.range.to) : std::string("today"));
    m += ". Trainees only; volunteers are counted apart. Excused absences count in neither attendance nor absence.</p>";
    m += rangeForm("/courses/" + id + "/report", range);
    m += figuresList(f.trainees);
    m += "<p>Flags: " + flagsText(f.trainees.flags) + ". Volunteers came " + std::to_string(f.volunteers.present)
        + " times out of " + std::to_string(f.volunteers.counted()) + ".</p>";
    const std::string query = rangeQuery(range);
    m += "<p><a href=\"/api/v1/courses/" + id + "/records.csv" + (query.empty() ? "" : "?" + query)
        + "\" download>Download every record (CSV)</a></p>";
    m += alertsSection(report, caller.principal.csrfToken);
    m += "<h2 id=\"weeks\">Week by week</h2>" + weeksSection("weeks-chart", "Trainees' attendance and on time", f.weeks);
    m += "<h2 id=\"late\">Lateness</h2>" + lateSection(f, records);
    m += peopleSection(f);
    m += volunteersSection(f);
    m += windowsSection(f);
    if (access.teaches())
        m += settingsForm(f.course, caller.principal.csrfToken);
    return pageResponse(request, std::move(frame));
}

std::string statusCell(const AttendanceRecord& r) { return recordTags(r); }

Result<Response> personPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(person, publicIdParam(request, "person"));
    TRY_ASSIGN(report, personReport(services, caller, id, person));
    TRY_ASSIGN(access, services.access(caller, id));
    const Course& c = report.course;
    const std::string& zone = c.timezone;
    const bool self = person == caller.person.publicId;
    auto frame = frameFor(caller, report.member.displayName + " · " + c.name, "");
    std::string& m = frame.main;
    m += "<p><a href=\"/courses/" + id + "\">← " + web::escape(c.name) + "</a></p><h1>"
        + (self ? std::string("My attendance") : web::escape(report.member.displayName)) + "</h1>";
    m += "<p class=\"lead\">" + roleLabel(report.member.role) + " in " + web::escape(c.name) + ". Classes while enrolled: "
        + std::to_string(report.records.size()) + ".";
    if (!report.notEnrolled.empty())
        m += " Not enrolled for " + std::to_string(report.notEnrolled.size()) + " (before joining or after leaving): "
             "they count in no figure.";
    m += "</p>";
    const Tally& t = report.figures.tally;
    m += figuresList(t);
    if (report.figures.absentRun > 0)
        m += "<p><strong>Absent " + std::to_string(report.figures.absentRun) + " time"
            + (report.figures.absentRun == 1 ? "" : "s") + " in a row</strong> at the latest classes.</p>";

    // Their trend: attendance % per week.
    std::map<std::int64_t, std::vector<const AttendanceRecord*>> byWeek;
    for (const AttendanceRecord& r : report.records)
        if (r.windowStart)
            if (const auto monday = weekOf(zone, *r.windowStart))
                byWeek[daysFromCivil(monday->y, monday->m, monday->d)].push_back(&r);
    std::vector<WeekFigures> weeks;
    for (const auto& [days, rs] : byWeek)
        weeks.push_back({civilFromDays(days), tallyOf(rs)});
    m += "<h2 id=\"trend\">Week by week</h2>" + weeksSection("trend-chart", web::escape(report.member.displayName) + "'s attendance and on time", weeks);

    m += "<h2 id=\"classes\">Every class</h2><div class=\"table-wrap\"><table class=\"stack\"><caption>Status, lateness, "
         "where from and flags</caption><thead><tr><th scope=\"col\">Class</th><th scope=\"col\">Date</th>"
         "<th scope=\"col\">Check-in</th><th scope=\"col\">Status</th><th scope=\"col\">Notes</th>";
    const bool staff = access.runsClass();
    if (staff)
        m += "<th scope=\"col\" class=\"no-print\">Change</th>";
    m += "</tr></thead><tbody>";
    // Newest first, the windows they were not enrolled in among the others.
    auto notEnrolled = report.notEnrolled.rbegin();
    auto notEnrolledRowsBefore = [&](std::optional<std::int64_t> start) {
        for (; notEnrolled != report.notEnrolled.rend() && (!start || *notEnrolled->startMs() > *start); ++notEnrolled) {
            m += "<tr><th scope=\"row\">" + web::escape(notEnrolled->title) + "</th><td data-label=\"Date\">"
                + dayOf(zone, notEnrolled->startMs()) + "</td><td data-label=\"Check-in\">—</td><td data-label=\"Status\">"
                + notEnrolledTag() + "</td><td data-label=\"Notes\">—</td>";
            if (staff)
                m += "<td class=\"no-print\">—</td>";
            m += "</tr>";
        }
    };
    for (auto it = report.records.rbegin(); it != report.records.rend(); ++it) {
        const AttendanceRecord& r = *it;
        notEnrolledRowsBefore(r.windowStart.value_or(INT64_MAX));
        std::string notes;
        for (Flag f : r.flags)
            if (const auto n = report.flagNotes.find({r.window, f}); n != report.flagNotes.end() && !n->second.empty())
                notes += (notes.empty() ? "" : "; ") + flagLabel(f) + ": " + web::escape(n->second);
        m += "<tr><th scope=\"row\">" + web::escape(r.windowTitle) + "</th><td data-label=\"Date\">"
            + dayOf(zone, r.windowStart) + "</td><td data-label=\"Check-in\">" + web::escape(recordSummary(r, zone))
            + "</td><td data-label=\"Status\">" + statusCell(r) + "</td><td data-label=\"Notes\">"
            + (notes.empty() ? "—" : notes) + "</td>";
        if (staff)
            m += "<td class=\"no-print\"><a class=\"tap\" href=\"/windows/" + r.window + "/people/" + r.person + "\">Change<span "
                 "class=\"skip\"> the record for " + web::escape(r.windowTitle) + "</span></a></td>";
        m += "</tr>";
    }
    notEnrolledRowsBefore(std::nullopt);
    m += "</tbody></table></div>";

    m += "<h2 id=\"history\">Changes</h2>";
    if (report.history.empty()) {
        m += "<p>No record here has been corrected or flagged.</p>";
    } else {
        m += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Every correction and flag change, newest first"
             "</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Class</th><th scope=\"col\">Change</th>"
             "<th scope=\"col\">Before</th><th scope=\"col\">By</th><th scope=\"col\">Reason or note</th></tr></thead><tbody>";
        for (const HistoryEntry& h : report.history) {
            std::string change, before;
            if (h.event.kind == HistoryEvent::Kind::Correction) {
                change = h.event.present ? "Marked present" : h.event.excused ? "Marked absent, excused" : "Marked absent";
                before = h.before ? std::string(h.before == AttendanceStatus::OnTime ? "On time"
                                                : h.before == AttendanceStatus::Late  ? "Late"
                                                : h.before == AttendanceStatus::Excused ? "Excused"
                                                                                        : "Absent")
                                  : std::string("Not checked in yet");
            } else {
                change = std::string(h.event.set ? "Flag set: " : "Flag cleared: ") + flagLabel(h.event.flag);
                before = h.wasSet ? "Set" : "Not set";
            }
            m += "<tr><th scope=\"row\">" + web::escape(web::dateTimeText(zone, h.event.at)) + "</th><td data-label=\"Class\">"
                + web::escape(h.windowTitle) + "</td><td data-label=\"Change\">" + change + "</td><td data-label=\"Before\">"
                + before + "</td><td data-label=\"By\">" + web::escape(h.event.actorName)
                + (h.event.fromKiosk ? " (at the kiosk)" : "") + "</td><td data-label=\"Reason or note\">"
                + (h.event.text.empty() ? "—" : web::escape(h.event.text)) + "</td></tr>";
        }
        m += "</tbody></table></div>";
    }
    return pageResponse(request, std::move(frame));
}

Result<Response> overviewPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(picked, rangeOf(request));
    DateRange range = picked;
    if (!range.from && !range.to) {
        // By default the last four weeks, so that the trend has something to compare.
        const std::int64_t today = floorDiv(services.clock.nowMs(), 24LL * 3600 * 1000);
        range.from = civilFromDays(today - 27);
        range.to = civilFromDays(today);
    }
    TRY_ASSIGN(o, overview(services, caller, range));
    auto frame = frameFor(caller, "Overview across courses", "/reports");
    std::string& m = frame.main;
    m += "<h1>Overview across courses</h1><p class=\"lead\">Trainees' attendance in every course";
    if (range.from || range.to)
        m += " from " + (range.from ? isoDate(*range.from) : std::string("the start")) + " to "
            + (range.to ? isoDate(*range.to) : std::string("today"));
    m += ". The trend compares with the four weeks before the range's first day.</p>";
    m += rangeForm("/reports", range);
    const std::string query = rangeQuery(range);
    m += "<p><a href=\"/api/v1/reports/overview.csv" + (query.empty() ? "" : "?" + query)
        + "\" download>Download the overview (CSV)</a></p>";
    if (o.rows.empty()) {
        m += "<p>No courses yet.</p>";
        return pageResponse(request, std::move(frame));
    }
    std::vector<std::string> labels;
    web::ChartSeries attendance{"Attendance", {}, k_blue, false};
    web::ChartSeries onTime{"On time", {}, k_green, false};
    std::string rows;
    for (const OverviewRow& r : o.rows) {
        labels.push_back(r.course.name.size() > 14 ? r.course.name.substr(0, 13) + "…" : r.course.name);
        attendance.values.push_back(r.trainees.attendancePercent());
        onTime.values.push_back(r.trainees.onTimePercent());
        std::string trend = "—";
        if (r.trend) {
            const int points = static_cast<int>(std::lround(*r.trend));
            trend = (points > 0 ? "up " : points < 0 ? "down " : "level ") + (points == 0 ? std::string() : std::to_string(std::abs(points)) + " points");
        }
        rows += "<tr><th scope=\"row\"><a href=\"/courses/" + r.course.id + "/report" + (query.empty() ? "" : "?" + query)
            + "\">" + web::escape(r.course.name) + "</a></th><td data-label=\"Attendance\">"
            + pct(r.trainees.attendancePercent()) + "</td><td data-label=\"On time\">" + pct(r.trainees.onTimePercent())
            + "</td><td data-label=\"Needing attention\">" + std::to_string(r.needingAttention)
            + "</td><td data-label=\"Trend\">" + trend + "</td></tr>";
    }
    m += web::barChart("overview-chart", "Attendance and on time by course",
                       "Each course's trainees' attendance % and on-time % over the range, side by side. The table below "
                       "has the same figures.",
                       labels, {attendance, onTime}, 100.0, "%");
    m += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Courses</caption><thead><tr><th scope=\"col\">Course"
         "</th><th scope=\"col\">Attendance</th><th scope=\"col\">On time</th><th scope=\"col\">Needing attention</th>"
         "<th scope=\"col\">Trend</th></tr></thead><tbody>"
        + rows + "</tbody></table></div>";
    m += "<h2 id=\"volunteers\">Volunteers</h2>";
    if (o.volunteers.empty()) {
        m += "<p>No volunteers (TAs or teachers) in any course yet.</p>";
    } else {
        m += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Who came and how often</caption><thead><tr>"
             "<th scope=\"col\">Volunteer</th><th scope=\"col\">Courses</th><th scope=\"col\">Came</th></tr></thead>"
             "<tbody>";
        for (const VolunteerRow& v : o.volunteers) {
            std::string courses;
            for (const std::string& c : v.courses)
                courses += (courses.empty() ? "" : ", ") + web::escape(c);
            m += "<tr><th scope=\"row\">" + web::escape(v.member.displayName) + "</th><td data-label=\"Courses\">"
                + courses + "</td><td data-label=\"Came\">" + std::to_string(v.tally.present) + " of "
                + std::to_string(v.tally.counted()) + " classes</td></tr>";
        }
        m += "</tbody></table></div>";
    }
    TRY_ASSIGN(milestones, programmeMilestonesSection(services, caller));
    m += milestones;
    return pageResponse(request, std::move(frame));
}

Result<Response> followUpPost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    const std::string person = post.form.text("person");
    const std::string kind = post.form.text("kind");
    auto done = followUpAlert(services, post.caller, id, person, kind, post.form.text("since"),
                              post.form.text("note-" + kind + "-" + person));
    return redirectWithOutcome(done ? Result<std::string>("The alert is marked followed up.") : std::unexpected(done.error()),
                               "/courses/" + id + "/report#alerts");
}

Result<Response> settingsPost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    const std::string back = "/courses/" + id + "/report#settings";
    auto number = [&](const char* name, const char* what) -> Result<int> {
        const std::string text = post.form.text(name);
        int n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
            return fail(Errc::InvalidRequest, std::string(what) + " must be a whole number");
        return n;
    };
    CourseSettings s;
    auto below = number("alert-below-percent", "The attendance threshold");
    if (!below)
        return redirectWithOutcome(std::unexpected(below.error()), back);
    auto run = number("alert-absent-run", "The number of absences in a row");
    if (!run)
        return redirectWithOutcome(std::unexpected(run.error()), back);
    s.alertBelowPercent = *below;
    s.alertAbsentRun = *run;
    auto done = changeCourseSettings(services, post.caller, id, s);
    return redirectWithOutcome(done ? Result<std::string>("The alert settings are saved.") : std::unexpected(done.error()),
                               back);
}

Result<Response> reopenPost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    auto done = reopenWindow(services, post.caller, id);
    return redirectWithOutcome(done ? Result<std::string>("The window is open again.") : std::unexpected(done.error()),
                               "/windows/" + id);
}

} // namespace

void addReportPages(Router& router, Services& services)
{
    router.add("GET", "/courses/{course}/report",
               page(services, [&services](const Request& r) { return courseReportPage(services, r); }));
    router.add("GET", "/courses/{course}/people/{person}",
               page(services, [&services](const Request& r) { return personPage(services, r); }));
    router.add("GET", "/reports", page(services, [&services](const Request& r) { return overviewPage(services, r); }));
    router.add("POST", "/courses/{course}/alerts",
               page(services, [&services](const Request& r) { return followUpPost(services, r); }));
    router.add("POST", "/courses/{course}/settings",
               page(services, [&services](const Request& r) { return settingsPost(services, r); }));
    router.add("POST", "/windows/{window}/reopen",
               page(services, [&services](const Request& r) { return reopenPost(services, r); }));
}

} // namespace imhere::server
