// The admin overview and the courses section: every live course with its
// time zone and people, and removing a course after a confirmation step.
// People are in adminpeople.cpp, kiosks in adminkiosks.cpp.

#include "adminpages.h"

#include "sync-server/service/courseviews.h"
#include "sync-server/service/kiosks.h"
#include "sync-server/service/people.h"

#include "sync-server/service/attendance.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include <algorithm>
#include <map>

namespace imhere::server {

namespace {

constexpr std::string_view k_forbidden = "only org admins use the admin pages";

struct RoleCounts {
    int students = 0, tas = 0, teachers = 0;
};

std::string counted(int n, const char* one, const char* many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string peopleText(const RoleCounts& c)
{
    return counted(c.students, "student", "students") + " · " + counted(c.tas, "TA", "TAs") + " · "
        + counted(c.teachers, "teacher", "teachers");
}

std::string peopleSentence(const RoleCounts& c)
{
    return counted(c.students, "student", "students") + ", " + counted(c.tas, "TA", "TAs") + " and "
        + counted(c.teachers, "teacher", "teachers");
}

Result<std::map<std::string, RoleCounts>> roleCounts(Services& services, const Caller& caller)
{
    TRY_ASSIGN(enrollments, allEnrollments(services, caller));
    std::map<std::string, RoleCounts> out;
    for (const auto& e : enrollments) {
        auto& c = out[e.course];
        (e.role == Role::Student ? c.students : e.role == Role::Ta ? c.tas : c.teachers) += 1;
    }
    return out;
}

Result<Response> overview(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    TRY_ASSIGN(courses, allCourses(services, caller));
    TRY_ASSIGN(people, listPeople(services, caller));
    TRY_ASSIGN(kiosks, kiosksFor(services, caller));
    const auto admins = std::ranges::count_if(people, [](const Person& p) { return p.isAdmin; });
    const auto active = std::ranges::count_if(kiosks, [](const KioskInfo& k) { return !k.revoked; });
    auto frame = adminFrame(caller, "Admin", "/admin");
    std::string& m = frame.main;
    m += "<h1>Admin</h1><p class=\"lead\">Courses, people and kiosks of the whole school.</p><ul class=\"cards\">";
    m += "<li class=\"card\"><h2><a href=\"/admin/courses\">Courses</a></h2><p>"
        + counted(static_cast<int>(courses.size()), "course", "courses")
        + ". Add and remove courses; see who is in each.</p></li>";
    m += "<li class=\"card\"><h2><a href=\"/admin/people\">People</a></h2><p>"
        + counted(static_cast<int>(people.size()), "person", "people") + ", "
        + counted(static_cast<int>(admins), "org admin", "org admins")
        + ". Add people; make or unmake org admins.</p></li>";
    m += "<li class=\"card\"><h2><a href=\"/admin/kiosks\">Kiosks</a></h2><p>"
        + counted(static_cast<int>(active), "kiosk", "kiosks") + " in use, "
        + std::to_string(static_cast<long>(kiosks.size()) - active)
        + " revoked. Provision a kiosk for a classroom; revoke a lost one.</p></li></ul>";
    return pageResponse(request, std::move(frame));
}

Result<Response> coursesPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    TRY_ASSIGN(courses, allCourses(services, caller));
    TRY_ASSIGN(counts, roleCounts(services, caller));
    auto frame = adminFrame(caller, "Courses", "/admin/courses");
    std::string& m = frame.main;
    m += "<h1>Courses</h1><p><a class=\"button\" href=\"/courses/new\">Add a course</a></p>";
    if (courses.empty()) {
        m += "<p>There are no courses yet.</p>";
        return pageResponse(request, std::move(frame));
    }
    m += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Every course ("
        + std::to_string(courses.size())
        + ")</caption><thead><tr><th scope=\"col\">Course</th><th scope=\"col\">Time zone</th>"
          "<th scope=\"col\">People</th><th scope=\"col\">Action</th></tr></thead><tbody>";
    for (const auto& [course, role] : courses) {
        const std::string name = web::escape(course.name);
        m += "<tr><th scope=\"row\"><a href=\"/courses/" + course.id + "\">" + name + "</a></th><td data-label=\"Time zone\">"
            + web::escape(course.timezone) + "</td><td>" + peopleText(counts[course.id])
            + "</td><td><a href=\"/admin/courses/" + course.id + "/remove\" aria-label=\"Remove " + name
            + "\">Remove</a></td></tr>";
    }
    m += "</tbody></table></div>";
    return pageResponse(request, std::move(frame));
}

Result<Response> confirmRemoveCourse(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(course, services.liveCourse(id));
    TRY_ASSIGN(counts, roleCounts(services, caller));
    TRY_ASSIGN(kiosks, kiosksFor(services, caller));
    const auto serving = std::ranges::count_if(kiosks, [&](const KioskInfo& k) {
        return !k.revoked && std::ranges::find(k.courses, id) != k.courses.end();
    });
    auto frame = adminFrame(caller, "Remove " + course.name, "/admin/courses");
    std::string& m = frame.main;
    m += "<h1>Remove " + web::escape(course.name) + "?</h1><ul><li>Its " + peopleSentence(counts[id])
        + " no longer see it on their pages, and nobody can check in to it.</li>"
          "<li>Its attendance records are kept.</li>";
    if (serving > 0)
        m += "<li>" + counted(static_cast<int>(serving), "kiosk serves it and stops", "kiosks serve it and stop")
            + " offering it.</li>";
    m += "</ul><form method=\"post\" action=\"/admin/courses/" + id + "/remove\">" + web::csrfInput(caller.principal.csrfToken)
        + "<div class=\"actions\"><button type=\"submit\" class=\"warning\">Remove course</button>"
          "<a href=\"/admin/courses\">Cancel, keep the course</a></div></form>";
    return pageResponse(request, std::move(frame));
}

Result<Response> removeCoursePost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, adminPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(course, services.liveCourse(id));
    TRY(removeCourse(services, post.caller, id));
    return redirect("/admin/courses", web::Flash{web::Flash::Kind::Success,
                                                 "\"" + course.name + "\" is removed. Its attendance records are kept."});
}

} // namespace

Result<Caller> requireAdmin(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY(allow(caller.person.isAdmin, k_forbidden));
    return caller;
}

Result<FormPost> adminPost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY(allow(post.caller.person.isAdmin, k_forbidden));
    return post;
}

web::PageFrame adminFrame(const Caller& caller, std::string title, const std::string& section)
{
    auto frame = frameFor(caller, std::move(title), "/admin");
    frame.main = "<nav aria-label=\"Admin sections\" class=\"subnav\"><ul>";
    for (const auto& [href, label] : {std::pair{"/admin", "Overview"}, std::pair{"/admin/courses", "Courses"},
                                      std::pair{"/admin/people", "People"}, std::pair{"/admin/kiosks", "Kiosks"}}) {
        frame.main += std::string("<li><a href=\"") + href + "\"" + (section == href ? " aria-current=\"page\"" : "")
            + ">" + label + "</a></li>";
    }
    frame.main += "</ul></nav>";
    return frame;
}

std::string errorFor(const FieldErrors& errors, const std::string& field)
{
    for (const auto& [name, message] : errors)
        if (name == field)
            return message;
    return {};
}

std::pair<std::string, std::string> fieldError(const Error& error)
{
    const auto colon = error.message.find(": ");
    if (colon == std::string::npos)
        return {"", sentence(error.message)};
    return {error.message.substr(0, colon), sentence(error.message.substr(colon + 2))};
}

std::string sentence(std::string message)
{
    if (!message.empty())
        message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    return message;
}

void addAdminPages(Router& router, Services& services)
{
    router.add("GET", "/admin", page(services, [&services](const Request& r) { return overview(services, r); }));
    router.add("GET", "/admin/courses", page(services, [&services](const Request& r) { return coursesPage(services, r); }));
    router.add("GET", "/admin/courses/{course}/remove",
               page(services, [&services](const Request& r) { return confirmRemoveCourse(services, r); }));
    router.add("POST", "/admin/courses/{course}/remove",
               page(services, [&services](const Request& r) { return removeCoursePost(services, r); }));
    addAdminPeoplePages(router, services);
    addAdminKioskPages(router, services);
}

} // namespace imhere::server
