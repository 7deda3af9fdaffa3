// My attendance (every course I take part in, with punctuality), and adding a
// course (teachers and org admins).

#include "pages.h"
#include "sync-server/service/courseviews.h"
#include "sync-server/service/records.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/people.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include "core/random.h"

#include <sstream>

namespace imhere::server {

namespace {

std::string courseSummary(const Course& course, const std::vector<AttendanceRecord>& records)
{
    int counted = 0, present = 0, onTime = 0, lateMinutes = 0, late = 0;
    for (const auto& r : records) {
        if (!r.status)
            continue;
        ++counted;
        present += r.present ? 1 : 0;
        onTime += r.status == AttendanceStatus::OnTime ? 1 : 0;
        if (r.status == AttendanceStatus::Late) {
            ++late;
            lateMinutes += r.minutesLate;
        }
    }
    std::string html = "<h2>" + web::escape(course.name) + "</h2>";
    if (counted == 0)
        return html + "<p>No finished windows yet.</p>";
    html += "<p>Present at " + std::to_string(present) + " of " + std::to_string(counted) + " classes; on time at "
        + std::to_string(onTime) + ".";
    if (late > 0)
        html += " When late, " + std::to_string(lateMinutes / late) + " minutes on average.";
    // Stacked on a phone: one block per class, each value with its label.
    html += "</p><div class=\"table-wrap\"><table class=\"stack\"><caption>Your records in " + web::escape(course.name)
        + "</caption><thead><tr><th scope=\"col\">Class</th><th scope=\"col\">Start</th><th scope=\"col\">Check-in</th>"
          "<th scope=\"col\">Status</th></tr></thead><tbody>";
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        const auto& r = *it;
        html += "<tr><th scope=\"row\">" + web::escape(r.windowTitle) + "</th><td data-label=\"Start\">"
            + web::escape(r.windowStart ? web::dateTimeText(course.timezone, *r.windowStart) : "—") + "</td><td>"
            + web::escape(recordSummary(r, course.timezone)) + "</td><td>" + recordTags(r) + "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

Result<Response> myAttendance(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(courses, enrolledCourses(services, caller));
    auto frame = frameFor(caller, "My attendance", "/me");
    std::string& m = frame.main;
    m += "<h1>My attendance</h1><p class=\"lead\">Your imhere id is <code>" + caller.person.publicId
        + "</code>. Reports and the public API show this id, never your name.</p>";
    bool any = false;
    for (const auto& c : courses) {
        if (!CourseAccess::takesPart(c.role))
            continue;
        any = true;
        TRY_ASSIGN(records, recordsOfPerson(services, c.course.id, caller.person.id));
        m += courseSummary(c.course, records);
    }
    if (!any)
        m += "<p>You do not take part in any course as a student or TA.</p>";
    m += "<h2>Milestones</h2><p><a href=\"/me/milestones\">My milestones</a>: set your own goals, see your "
         "course's, and follow your progress on GitHub and Codewars.</p>";
    m += "<h2>Check in from your phone</h2><p>Joining a class by video call? Link your phone once with a personal "
         "code, then scan the code on the classroom screen to check in.</p>"
        + web::renderButtonForm({.action = "/me/link-code", .label = "Get a phone link code",
                                 .csrfToken = caller.principal.csrfToken, .style = "secondary"})
        + "<p><a href=\"/me/phones\">My linked phones</a>: see them, or unlink one.</p>"
        + "<p>Teacher or TA? <a href=\"/me/pin\">My kiosk PIN</a>: make a new one.</p>"
        + "<h2>Badge QR</h2><p>No card? <a href=\"/me/badge\">Make a badge QR</a> to show to the kiosk's camera.</p>";
    TRY_ASSIGN(publicApi, publicApiSection(services, caller));
    m += publicApi;
    return pageResponse(request, std::move(frame));
}

Response newCourseForm(const Request& request, const Caller& caller, const web::FormData* form,
                       const std::vector<std::pair<std::string, std::string>>& errors, int status)
{
    auto value = [&](const char* name, const char* fallback) { return form ? form->text(name) : std::string(fallback); };
    auto errorFor = [&](const std::string& name) {
        for (const auto& [field, message] : errors)
            if (field == name)
                return message;
        return std::string();
    };
    auto frame = frameFor(caller, "Add a course", "/");
    std::string& m = frame.main;
    m += web::errorSummary(errors) + "<h1>Add a course</h1><form method=\"post\" action=\"/courses\" novalidate>"
        + web::csrfInput(caller.principal.csrfToken)
        + web::renderField({.name = "name", .label = "Course name", .value = value("name", ""),
                            .hint = "For example: WM5 · JS1", .error = errorFor("name"), .required = true})
        + web::renderField({.name = "timezone", .label = "Time zone", .value = value("timezone", "Europe/London"),
                            .hint = "Where the class meets, as an IANA name such as Europe/London",
                            .error = errorFor("timezone"), .required = true})
        + web::renderField({.name = "late_after_min", .label = "Late after (minutes)", .type = "number",
                            .value = value("late_after_min", "10"), .error = errorFor("late_after_min"),
                            .inputmode = "numeric"})
        + web::renderField({.name = "absent_after_min", .label = "Absent after (minutes)", .type = "number",
                            .value = value("absent_after_min", "60"), .error = errorFor("absent_after_min"),
                            .inputmode = "numeric"})
        + web::renderField({.name = "students", .label = "Students (optional)", .type = "textarea",
                            .value = value("students", ""),
                            .hint = "One imhere id or email address per line; you can add more later",
                            .error = errorFor("students")})
        + "<button type=\"submit\">Add course</button></form>";
    return pageResponse(request, std::move(frame), status);
}

Result<Response> getNewCourse(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(allowed, mayCreateCourse(services, caller));
    TRY(allow(allowed, "only teachers and org admins add courses"));
    return newCourseForm(request, caller, nullptr, {}, 200);
}

Result<Response> postNewCourse(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    // Before any student is looked up: whether an email has an account is
    // told only to whom may add people to a course.
    TRY_ASSIGN(allowed, mayCreateCourse(services, post.caller));
    TRY(allow(allowed, "only teachers and org admins add courses"));
    std::vector<std::pair<std::string, std::string>> errors;
    NewCourse course;
    course.name = post.form.text("name");
    course.timezone = post.form.text("timezone");
    auto minutes = [&](const char* name, int& out) {
        const std::string text = post.form.text(name);
        if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos)
            errors.emplace_back(name, "Enter a whole number of minutes");
        else
            out = std::stoi(text);
    };
    minutes("late_after_min", course.lateAfterMin);
    minutes("absent_after_min", course.absentAfterMin);
    if (course.name.empty())
        errors.emplace_back("name", "Enter the course name");
    std::istringstream lines(post.form.text("students"));
    for (std::string line; std::getline(lines, line);) {
        line.erase(0, line.find_first_not_of(" \t\r"));
        line.erase(line.find_last_not_of(" \t\r") + 1);
        if (line.empty())
            continue;
        auto found = findPerson(services, line);
        if (!found && found.error().code != Errc::NotFound)
            return std::unexpected(found.error());
        if (!found) {
            errors.emplace_back("students", "Nobody has the id or email \"" + line.substr(0, 80) + "\"");
            break;
        }
        course.students.push_back(found->id);
    }
    if (errors.empty()) {
        auto created = createCourse(services, post.caller, course);
        if (created)
            return redirect("/courses/" + created->id,
                            web::Flash{web::Flash::Kind::Success, "\"" + created->name + "\" is added."});
        if (statusForErrorCode(created.error().code) != 422)
            return std::unexpected(created.error());
        const auto& message = created.error().message;
        const auto colon = message.find(':');
        errors.emplace_back(message.substr(0, colon), message.substr(colon + 2));
    }
    return newCourseForm(request, post.caller, &post.form, errors, 422);
}

} // namespace

void addMyPages(Router& router, Services& services)
{
    router.add("GET", "/me", page(services, [&services](const Request& r) { return myAttendance(services, r); }));
    router.add("GET", "/courses/new", page(services, [&services](const Request& r) { return getNewCourse(services, r); }));
    router.add("POST", "/courses", page(services, [&services](const Request& r) { return postNewCourse(services, r); }));
}

} // namespace imhere::server
