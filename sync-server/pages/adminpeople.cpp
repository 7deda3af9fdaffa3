// The people section of the admin pages: everyone with their email, courses
// and roles; adding a person (with a password shown once when they have an
// email); one person's page, where an org admin makes or unmakes org admins.
// Password and PIN hashes never reach a page.

#include "adminpages.h"

#include "sync-server/service/courseviews.h"

#include "sync-server/service/people.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

std::string orDash(const std::optional<std::string>& text)
{
    return text ? web::escape(*text) : "—";
}

std::string coursesList(const std::vector<std::pair<Course, Role>>& courses)
{
    if (courses.empty())
        return "<span class=\"muted\">No course</span>";
    std::string html = "<ul class=\"plain\">";
    for (const auto& [course, role] : courses)
        html += "<li><a href=\"/courses/" + course.id + "\">" + web::escape(course.name) + "</a> · " + roleLabel(role)
            + "</li>";
    return html + "</ul>";
}

Result<Response> peoplePage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    TRY_ASSIGN(people, peopleWithCourses(services, caller));
    auto frame = adminFrame(caller, "People", "/admin/people");
    std::string& m = frame.main;
    m += "<h1>People</h1><p><a class=\"button\" href=\"/admin/people/new\">Add a person</a></p>"
         "<div class=\"table-wrap\"><table class=\"stack\"><caption>Everyone ("
        + std::to_string(people.size())
        + ")</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Email</th>"
          "<th scope=\"col\">Courses and roles</th><th scope=\"col\">Org admin</th></tr></thead><tbody>";
    for (const auto& [person, courses] : people) {
        m += "<tr><th scope=\"row\"><a href=\"/admin/people/" + person.publicId + "\">" + web::escape(person.displayName)
            + "</a></th><td>" + orDash(person.email) + "</td><td>" + coursesList(courses) + "</td><td>"
            + (person.isAdmin ? "<span class=\"tag review\">Org admin</span>" : "") + "</td></tr>";
    }
    m += "</tbody></table></div>";
    return pageResponse(request, std::move(frame));
}

Response newPersonForm(const Request& request, const Caller& caller, const web::FormData* form,
                       const FieldErrors& errors, int status)
{
    auto value = [&](const char* name) { return form ? form->text(name) : std::string(); };
    auto frame = adminFrame(caller, errors.empty() ? "Add a person" : "Error: add a person", "/admin/people");
    frame.main += web::errorSummary(errors)
        + "<h1>Add a person</h1><form method=\"post\" action=\"/admin/people\" novalidate>"
        + web::csrfInput(caller.principal.csrfToken)
        + web::renderField({.name = "display_name", .label = "Name", .value = value("display_name"),
                            .hint = "As it appears to their course team; trainees' names never leave this site",
                            .error = errorFor(errors, "display_name"), .autocomplete = "off", .required = true})
        + web::renderField({.name = "email", .label = "Email address", .type = "email", .value = value("email"),
                            .hint = "They sign in with it. A password is made for them and shown once.",
                            .error = errorFor(errors, "email"), .autocomplete = "off", .required = true})
        + web::renderField({.name = "github", .label = "GitHub username (optional)", .value = value("github"),
                            .error = errorFor(errors, "github"), .autocomplete = "off"})
        + web::renderField({.name = "codewars", .label = "Codewars username (optional)", .value = value("codewars"),
                            .error = errorFor(errors, "codewars"), .autocomplete = "off"})
        + "<button type=\"submit\">Add person</button></form>";
    return pageResponse(request, std::move(frame), status);
}

Result<Response> getNewPerson(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    return newPersonForm(request, caller, nullptr, {}, 200);
}

Result<Response> postNewPerson(Services& services, const Request& request)
{
    TRY_ASSIGN(post, adminPost(services, request));
    PersonDetails details;
    details.displayName = post.form.text("display_name");
    details.email = post.form.text("email");
    details.github = post.form.text("github");
    details.codewars = post.form.text("codewars");
    TRY_ASSIGN(problems, personProblems(services, details));
    if (details.email->empty()) // the service takes people without one; this form does not
        problems.emplace_back("email", "enter their email address");
    FieldErrors errors; // in the order of the form's fields
    for (const char* field : {"display_name", "email", "github", "codewars"}) {
        for (const auto& [name, message] : problems)
            if (name == field)
                errors.emplace_back(name, sentence(message));
    }
    if (errors.empty()) {
        auto added = addPerson(services, post.caller, details);
        if (added) {
            auto frame = adminFrame(post.caller, added->person.displayName + " is added", "/admin/people");
            std::string& m = frame.main;
            const std::string name = web::escape(added->person.displayName);
            m += "<h1>" + name + " is added</h1><p>Their imhere id is <code>" + added->person.publicId + "</code>.</p>";
            if (added->generatedPassword)
                m += "<h2>Their password</h2><p>Give it to " + name
                    + " in person. It is shown only now and cannot be shown again.</p><pre class=\"secret\"><code>"
                    + web::escape(*added->generatedPassword) + "</code></pre>";
            m += "<ul><li><a href=\"/admin/people/" + added->person.publicId + "\">" + name
                + "'s page</a></li><li><a href=\"/admin/people/new\">Add another person</a></li>"
                  "<li><a href=\"/admin/people\">Everyone</a></li></ul>";
            return pageResponse(request, std::move(frame), 201);
        }
        const int status = statusForErrorCode(added.error().code);
        if (status != 422 && status != 409)
            return std::unexpected(added.error());
        errors.push_back(fieldError(added.error()));
    }
    return newPersonForm(request, post.caller, &post.form, errors, 422);
}

Result<Response> personPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    TRY_ASSIGN(id, publicIdParam(request, "person"));
    TRY_ASSIGN(person, services.personById(id));
    TRY_ASSIGN(courses, coursesOfPerson(services, caller, person));
    const std::string name = web::escape(person.displayName);
    auto frame = adminFrame(caller, person.displayName, "/admin/people");
    std::string& m = frame.main;
    m += "<h1>" + name + "</h1><dl class=\"details\"><dt>imhere id</dt><dd><code>" + person.publicId
        + "</code></dd><dt>Email</dt><dd>" + orDash(person.email) + "</dd><dt>GitHub</dt><dd>" + orDash(person.github)
        + "</dd><dt>Codewars</dt><dd>" + orDash(person.codewars) + "</dd><dt>Org admin</dt><dd>"
        + (person.isAdmin ? "Yes" : "No") + "</dd></dl><h2>Courses</h2>";
    if (courses.empty()) {
        m += "<p>" + name + " is not in any course. A course's teachers add people on the course page.</p>";
    } else {
        m += "<div class=\"table-wrap\"><table><caption>Courses of " + name
            + "</caption><thead><tr><th scope=\"col\">Course</th><th scope=\"col\">Role</th></tr></thead><tbody>";
        for (const auto& c : courses)
            m += "<tr><th scope=\"row\"><a href=\"/courses/" + c.course.id + "\">" + web::escape(c.course.name)
                + "</a></th><td>" + (c.role ? roleLabel(*c.role) : "—") + "</td></tr>";
        m += "</tbody></table></div>";
    }
    m += "<h2>Password</h2><p>" + std::string(person.passwordHash ? name + " has a password."
                                                               : name + " has no password yet, so they cannot sign in.")
        + " A link lets them choose their own; it works once.</p>"
        + web::renderButtonForm({.action = "/people/" + person.publicId + "/password-link",
                                 .label = person.passwordHash ? "Send a password reset link" : "Send an invitation",
                                 .csrfToken = caller.principal.csrfToken,
                                 .hidden = {{"purpose", person.passwordHash ? "reset" : "invitation"}},
                                 .style = "secondary",
                                 .accessibleLabel = (person.passwordHash ? "Send a password reset link to "
                                                                         : "Send an invitation to ")
                                     + person.displayName});
    m += "<h2>Org admin rights</h2>";
    if (person.id == caller.person.id) {
        m += "<p>You are an org admin. Only another org admin can remove your admin rights.</p>";
    } else {
        m += std::string("<p>")
            + (person.isAdmin ? name + " is an org admin: they may do what a teacher may in every course, and use these pages."
                              : "Org admins may do what a teacher may in every course, and use these pages.")
            + "</p>"
            + web::renderButtonForm({.action = "/admin/people/" + person.publicId + "/admin",
                                     .label = person.isAdmin ? "Remove admin rights" : "Make org admin",
                                     .csrfToken = caller.principal.csrfToken,
                                     .hidden = {{"admin", person.isAdmin ? "0" : "1"}},
                                     .style = person.isAdmin ? "warning" : "",
                                     .accessibleLabel = (person.isAdmin ? "Remove admin rights of " : "Make org admin: ")
                                         + person.displayName});
    }
    return pageResponse(request, std::move(frame));
}

Result<Response> setAdminPost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, adminPost(services, request));
    TRY_ASSIGN(id, publicIdParam(request, "person"));
    const std::string back = "/admin/people/" + id;
    const std::string flag = post.form.text("admin");
    if (flag != "0" && flag != "1")
        return redirectWithOutcome(fail(Errc::InvalidRequest, "say whether they should be an org admin"), back);
    auto done = setOrgAdmin(services, post.caller, id, flag == "1");
    return redirectWithOutcome(done ? Result<std::string>(done->displayName
                                                          + (done->isAdmin ? " is now an org admin."
                                                                           : " is no longer an org admin."))
                                    : std::unexpected(done.error()),
                               back);
}

} // namespace

void addAdminPeoplePages(Router& router, Services& services)
{
    router.add("GET", "/admin/people", page(services, [&services](const Request& r) { return peoplePage(services, r); }));
    router.add("POST", "/admin/people", page(services, [&services](const Request& r) { return postNewPerson(services, r); }));
    // Before {person}: "new" is not an imhere id.
    router.add("GET", "/admin/people/new", page(services, [&services](const Request& r) { return getNewPerson(services, r); }));
    router.add("GET", "/admin/people/{person}", page(services, [&services](const Request& r) { return personPage(services, r); }));
    router.add("POST", "/admin/people/{person}/admin",
               page(services, [&services](const Request& r) { return setAdminPost(services, r); }));
}

} // namespace imhere::server
