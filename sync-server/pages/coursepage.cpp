// The course page: "Add a student" and the way to the roster (rosterpage.cpp)
// at the top for teachers, windows, and everyone's records per window;
// students see only their own records.

#include "pages.h"
#include "sync-server/service/courseviews.h"
#include "sync-server/service/records.h"
#include "sync-server/service/reportviews.h"
#include "sync-server/service/slack.h"
#include "sync-server/service/tracker.h"
#include "sync-server/service/windowrules.h"

#include "sync-server/service/attendance.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include <algorithm>
#include <map>
#include <set>

namespace imhere::server {

namespace {

constexpr std::size_t k_windowsInMatrix = 8;

// reviews: for teachers and TAs, how many remote check-ins of each window
// came from a phone or network that checked in several people.
std::string windowsSection(const Course& course, const std::vector<Window>& windows, const CourseAccess& access,
                           const std::map<std::string, std::size_t>& reviews, const std::string& csrf,
                           std::int64_t now, const std::set<std::string>& checkedIn)
{
    std::string html = "<h2 id=\"windows\">Attendance windows</h2>";
    if (access.runsClass()) {
        html += "<form method=\"post\" action=\"/courses/" + course.id + "/windows\" class=\"no-print\">"
            + web::csrfInput(csrf)
            + web::renderField({.name = "title", .label = "Open a new attendance window",
                                .hint = "A title such as \"Week 3 · Arrays\"; leave empty for today's date"})
            + "<details><summary>Sprint in the trainee tracker</summary>"
            + web::renderField({.name = "sprint", .label = "Sprint (1 to 20)",
                                .hint = "Leave empty for the window's week", .inputmode = "numeric"})
            + "</details>";
        if (const Window* open = openWindowIn(windows, now))
            html += "<div class=\"field checkbox\"><input type=\"checkbox\" id=\"f-alongside\" name=\"alongside\" value=\"yes\">"
                    "<label for=\"f-alongside\">Open another window while \"" + web::escape(open->title)
                + "\" is open</label></div>";
        html += "<button type=\"submit\">Open attendance window</button></form>";
    }
    if (windows.empty())
        return html + "<p>No windows yet.</p>";
    html += "<div class=\"table-wrap\"><table><caption>Windows, newest first</caption><thead><tr><th scope=\"col\">Window</th>"
            "<th scope=\"col\">State</th><th scope=\"col\">Action</th></tr></thead><tbody>";
    for (auto it = windows.rbegin(); it != windows.rend(); ++it) {
        const Window& w = *it;
        html += "<tr><th scope=\"row\">";
        html += access.runsClass() ? "<a href=\"/windows/" + w.id + "\">" + web::escape(w.title) + "</a>" : web::escape(w.title);
        html += "</th><td>" + web::escape(windowState(w, course.timezone, now));
        if (const auto review = reviews.find(w.id); review != reviews.end()) {
            html += " <a class=\"tag review\" href=\"/windows/" + w.id + "#reviews\">" + std::to_string(review->second)
                + " remote check-ins to review</a>";
        }
        html += "</td><td>";
        if (access.participates() && isOpenAt(w, now) && !checkedIn.contains(w.id))
            html += web::renderButtonForm({.action = "/windows/" + w.id + "/check-in", .label = "Check in",
                                           .csrfToken = csrf, .hidden = {{"back", "/courses/" + course.id}},
                                           .accessibleLabel = "Check in to " + w.title});
        if (access.runsClass() && isOpenAt(w, now))
            html += "<a class=\"button secondary\" href=\"/windows/" + w.id + "/close?back=/courses/" + course.id
                + "\" aria-label=\"Close " + web::escape(w.title) + "\">Close</a>";
        else if (access.runsClass() && !w.openedAt)
            html += web::renderButtonForm({.action = "/windows/" + w.id + "/open", .label = "Open", .csrfToken = csrf,
                                           .accessibleLabel = "Open " + w.title});
        html += "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

// For those who run the class: how many people, the way to the roster, and
// (for teachers) "Add a student" at hand.
std::string rosterSummary(const Course& course, const std::vector<Member>& members, const CourseAccess& access,
                          const std::string& csrf)
{
    int students = 0, tas = 0;
    for (const Member& m : members) {
        students += m.role == Role::Student ? 1 : 0;
        tas += m.role == Role::Ta ? 1 : 0;
    }
    std::string html = "<div class=\"card no-print\" id=\"people\"><p><a href=\"/courses/" + course.id + "/roster\">People: "
        + std::to_string(students) + (students == 1 ? " student, " : " students, ") + std::to_string(tas)
        + (tas == 1 ? " TA" : " TAs") + "</a> — the roster, phone codes and invitations.</p>";
    if (access.teaches())
        html += "<form method=\"post\" action=\"/courses/" + course.id + "/members\">" + web::csrfInput(csrf)
            + web::hiddenInput("role", "student")
            + web::renderField({.name = "person-student", .label = "Add a student",
                                .hint = "Their imhere id (10 letters and digits) or email address"})
            + "<button type=\"submit\">Add a student</button></form>";
    return html + "</div>";
}

// Rows: participants; columns: the latest windows; cells: status tags, or
// "Not enrolled" where a window was before they joined or after they left.
// `tracker`: for staff, each trainee's score by the trainee tracker's rules.
std::string recordsSection(const Course& course, const std::vector<Member>& participants,
                           const std::vector<AttendanceRecord>& records, const std::vector<Window>& windows, bool staff,
                           const std::map<std::string, TrackerScore>& tracker = {})
{
    const std::size_t first = windows.size() > k_windowsInMatrix ? windows.size() - k_windowsInMatrix : 0;
    std::map<std::string, std::map<std::string, const AttendanceRecord*>> byPerson;
    std::map<std::string, std::string> names;
    for (const Member& m : participants)
        if (CourseAccess::takesPart(m.role) && !windows.empty()) {
            byPerson[m.publicId];
            names[m.publicId] = m.displayName;
        }
    for (const auto& r : records) {
        byPerson[r.person][r.window] = &r;
        names[r.person] = r.displayName;
    }
    std::string html = staff ? "<h2 id=\"records\">Attendance records</h2>" : std::string();
    if (byPerson.empty())
        return html + "<p>No records yet.</p>";
    // The total first and the newest windows next, so that what a wide
    // table hides past the right edge is the oldest class.
    // The caption sits above the scrolling box, so a phone shows it whole; the
    // names stay in view while the grid scrolls sideways.
    html += "<p class=\"caption\" id=\"grid-caption\">The last " + std::to_string(windows.size() - first)
        + " windows, newest first" + (staff ? std::string("; open a window to change a record") : std::string())
        + "</p><div class=\"table-wrap\"><table class=\"grid\" aria-labelledby=\"grid-caption\"><thead><tr><th scope=\"col\">Name</th>"
          "<th scope=\"col\">Present</th>";
    if (!tracker.empty())
        html += "<th scope=\"col\">Tracker score</th>";
    for (std::size_t i = windows.size(); i-- > first;)
        html += "<th scope=\"col\">"
            + (staff ? "<a href=\"/windows/" + windows[i].id + "\">" + web::escape(windows[i].title) + "</a>"
                     : web::escape(windows[i].title))
            + "</th>";
    html += "</tr></thead><tbody>";
    std::vector<std::pair<std::string, std::string>> order; // (name, public id)
    for (const auto& [person, name] : names)
        order.emplace_back(name, person);
    std::ranges::sort(order);
    for (const auto& [name, person] : order) {
        const auto& cells = byPerson[person];
        int present = 0, counted = 0;
        for (const auto& [window, r] : cells) {
            if (r->status) {
                ++counted;
                present += r->present ? 1 : 0;
            }
        }
        html += "<tr><th scope=\"row\"><a href=\"/courses/" + course.id + "/people/" + person + "\">" + web::escape(name)
            + "</a></th><td>" + std::to_string(present) + " of "
            + std::to_string(counted) + "</td>";
        if (!tracker.empty()) {
            const auto score = tracker.find(person);
            html += "<td>";
            if (score != tracker.end() && score->second.basisPoints)
                html += std::to_string((*score->second.basisPoints + 50) / 100) + " % "
                    + std::string(toString(*score->second.label));
            else
                html += "—";
            html += "</td>";
        }
        for (std::size_t i = windows.size(); i-- > first;) {
            const auto it = cells.find(windows[i].id);
            html += "<td>" + (it == cells.end() ? notEnrolledTag() : recordTags(*it->second)) + "</td>";
        }
        html += "</tr>";
    }
    return html + "</tbody></table></div>";
}

Result<Response> coursePage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(view, courseAs(services, caller, id, Standing::Member, "you are not in this course"));
    const Course& course = view.course;
    const CourseAccess& access = view.access;
    TRY_ASSIGN(windows, windowsOf(services, caller, id));
    const auto now = services.clock.nowMs();
    const std::string& csrf = caller.principal.csrfToken;

    auto frame = frameFor(caller, course.name, "");
    std::string& m = frame.main;
    m += "<h1>" + web::escape(course.name) + "</h1><p class=\"lead\">";
    m += access.role ? "You are " + std::string(access.role == Role::Ta ? "a TA" : access.role == Role::Teacher ? "a teacher" : "a student")
                     : std::string("You are an org admin");
    m += " in this course. Times are in " + web::escape(course.timezone) + "; arriving more than "
        + std::to_string(course.lateAfterMin) + " minutes after the start is late, more than "
        + std::to_string(course.absentAfterMin) + " minutes is absent. A window lasts "
        + std::to_string(course.windowLengthMin) + " minutes unless opened with another length, and closes itself "
        + std::to_string(course.closeGraceMin) + " minutes after its end.</p>";
    std::map<std::string, std::size_t> reviews;
    if (access.runsClass()) {
        TRY_ASSIGN(counts, remoteReviewCountsOf(services, caller, id));
        reviews = std::move(counts);
    }
    if (access.runsClass()) {
        TRY_ASSIGN(members, rosterOf(services, caller, id));
        m += rosterSummary(course, members, access, csrf);
        TRY_ASSIGN(report, courseReport(services, caller, id, {}));
        const std::size_t open = report.openAlerts();
        m += "<p class=\"actions\"><a class=\"button\" href=\"/courses/" + id + "/report\">Attendance report</a>";
        if (open > 0)
            m += "<a href=\"/courses/" + id + "/report#alerts\"><span class=\"tag absent\">" + std::to_string(open)
                + (open == 1 ? " alert needs" : " alerts need") + " following up</span></a>";
        m += "</p>";
    } else {
        TRY_ASSIGN(cohort, cohortView(services, caller, id));
        m += "<h2 id=\"cohort\">Your class and you</h2><div class=\"table-wrap\"><table><caption>Attendance so far"
             "</caption><thead><tr><th scope=\"col\"></th><th scope=\"col\">Attendance</th><th scope=\"col\">"
             "On time</th></tr></thead><tbody>";
        auto pct = [](std::optional<double> v) {
            return v ? std::to_string(static_cast<int>(v.value() + 0.5)) + " %" : std::string("—");
        };
        m += "<tr><th scope=\"row\">The class</th><td>" + pct(cohort.trainees.attendancePercent()) + "</td><td>"
            + pct(cohort.trainees.onTimePercent()) + "</td></tr>";
        if (cohort.mine)
            m += "<tr><th scope=\"row\">You</th><td>" + pct(cohort.mine->tally.attendancePercent()) + "</td><td>"
                + pct(cohort.mine->tally.onTimePercent()) + "</td></tr>";
        m += "</tbody></table></div>";
    }
    std::set<std::string> checkedIn;
    if (access.participates()) {
        TRY_ASSIGN(mine, recordsOfPerson(services, id, caller.person.id));
        for (const AttendanceRecord& r : mine)
            if (r.firstCheckIn || r.present)
                checkedIn.insert(r.window);
    }
    m += windowsSection(course, windows, access, reviews, csrf, now, checkedIn);
    if (access.runsClass()) {
        TRY_ASSIGN(members, rosterOf(services, caller, id));
        TRY_ASSIGN(records, recordsOfCourse(services, id));
        TRY_ASSIGN(tracker, trackerView(services, course));
        std::map<std::string, TrackerScore> scores;
        for (const auto& t : tracker.trainees)
            scores.emplace(t.person.publicId, t.score);
        m += recordsSection(course, members, records, windows, true, scores);
        m += "<h2 id=\"tracker\">Trainee tracker</h2><p>";
        if (tracker.identity)
            m += "In the tracker as " + web::escape(tracker.identity->course) + ", module "
                + web::escape(tracker.identity->module) + ". ";
        m += "<a href=\"/courses/" + id + "/tracker\">Tracker scores, names, register sheet and import</a></p>";
        TRY_ASSIGN(slack, slackStatus(services, caller, id));
        m += slackSection(slack, course, access.teaches(), csrf);
    } else {
        TRY_ASSIGN(records, recordsOfPerson(services, id, caller.person.id));
        m += "<h2 id=\"records\">Your attendance</h2><p><a href=\"/courses/" + id + "/people/" + caller.person.publicId
            + "\">Every class, week by week, and every change to your record</a></p>";
        m += recordsSection(course, {Member{caller.person.publicId, caller.person.displayName, access.role.value_or(Role::Teacher)}}, records,
                            windows, false);
    }
    if (access.teaches())
        m += "<p class=\"no-print\"><a href=\"/courses/" + id + "/remove\">Remove this course</a>: people lose access "
             "to it; its attendance records are kept for reports. You are asked first.</p>";
    return pageResponse(request, std::move(frame));
}

} // namespace

void addCoursePages(Router& router, Services& services)
{
    router.add("GET", "/courses/{course}", page(services, [&services](const Request& r) { return coursePage(services, r); }));
}

} // namespace imhere::server
