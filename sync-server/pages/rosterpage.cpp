// A course's people on a page of their own (/courses/{course}/roster):
// teachers, TAs and students with Remove (which asks first, confirmpages.cpp)
// and Phone code; adding a student or a TA, and invitations. Adding says when
// the person is already in the course in that role, and asks before it
// changes a student into a TA (or back); a form error re-renders the page
// with an error summary at the top and what was typed kept.

#include "pages.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/courseviews.h"
#include "sync-server/service/people.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

std::string roleWords(Role role)
{
    return role == Role::Ta ? "a TA" : role == Role::Teacher ? "a teacher" : "a student";
}

// The two add forms' fields are named after their roles, so labels stay unique on the page.
std::string fieldName(std::string_view role) { return "person-" + std::string(role); }

struct AddState {
    std::string role;  // the form that was sent: student or ta
    std::string typed; // what was typed in it
    std::string error; // the message for its field
};

std::string rosterTables(const Course& course, const std::vector<Member>& members, const CourseAccess& access,
                         const std::string& csrf)
{
    // Phone code, one per person, posts through one form; Remove asks on a page of its own.
    constexpr std::string_view k_rosterForm = "roster-actions";
    std::string html;
    if (access.runsClass())
        html += web::renderSharedForm(std::string(k_rosterForm), csrf);
    for (const Role role : {Role::Teacher, Role::Ta, Role::Student}) {
        std::string rows;
        int count = 0;
        for (const auto& m : members) {
            if (m.role != role)
                continue;
            ++count;
            const std::string name = role == Role::Teacher
                ? web::escape(m.displayName)
                : "<a href=\"/courses/" + course.id + "/people/" + m.publicId + "\">" + web::escape(m.displayName) + "</a>";
            rows += "<tr><th scope=\"row\">" + name + "</th><td data-label=\"Id\"><code>" + m.publicId
                + "</code></td><td class=\"actions\">";
            if (access.teaches() && (role != Role::Teacher || access.admin))
                rows += "<a class=\"button secondary\" href=\"/courses/" + course.id + "/members/" + m.publicId
                    + "/remove\" aria-label=\"Remove " + web::escape(m.displayName) + " from the course\">Remove</a>";
            if (access.runsClass() && role != Role::Teacher)
                rows += web::renderSharedFormButton(
                    std::string(k_rosterForm),
                    {.action = "/courses/" + course.id + "/members/" + m.publicId + "/link-code", .label = "Phone code",
                     .style = "secondary", .accessibleLabel = "Phone link code for " + m.displayName});
            rows += "</td></tr>";
        }
        const std::string plural = role == Role::Teacher ? "Teachers" : role == Role::Ta ? "TAs" : "Students";
        if (rows.empty()) {
            html += "<h2>" + plural + "</h2><p>None yet.</p>";
            continue;
        }
        html += "<h2>" + plural + " (" + std::to_string(count) + ")</h2><div class=\"table-wrap\"><table class=\"stack\"><caption>"
            + plural + " in " + web::escape(course.name) + "</caption><thead><tr><th scope=\"col\">Name</th>"
              "<th scope=\"col\">Id</th><th scope=\"col\">Action</th></tr></thead><tbody>" + rows + "</tbody></table></div>";
    }
    return html;
}

Result<Response> rosterPage(Services& services, const Request& request, const AddState& state = {}, int status = 200)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(view, courseAs(services, caller, id, Standing::RunsClass, "only the course's teachers and TAs see its roster"));
    const Course& course = view.course;
    const CourseAccess& access = view.access;
    const std::string& csrf = caller.principal.csrfToken;
    TRY_ASSIGN(members, rosterOf(services, caller, id));

    auto frame = frameFor(caller, (state.error.empty() ? "" : "Error: ") + std::string("People · ") + course.name, "");
    std::string& m = frame.main;
    if (!state.error.empty())
        m += web::errorSummary({{fieldName(state.role), state.error}});
    m += "<p><a href=\"/courses/" + id + "\">← " + web::escape(course.name) + "</a></p><h1>People in "
        + web::escape(course.name) + "</h1>";
    if (access.teaches()) {
        for (const auto& [role, label] : {std::pair{"student", "Add a student"}, std::pair{"ta", "Add TA to Class"}}) {
            const bool sent = state.role == role;
            m += "<form method=\"post\" action=\"/courses/" + id + "/members\" class=\"no-print\">" + web::csrfInput(csrf)
                + web::hiddenInput("role", role) + web::hiddenInput("back", "/courses/" + id + "/roster")
                + web::renderField({.name = fieldName(role), .label = label,
                                    .value = sent ? state.typed : std::string(),
                                    .hint = "Their imhere id (10 letters and digits) or email address",
                                    .error = sent ? state.error : std::string()})
                + "<button type=\"submit\">" + label + "</button></form>";
        }
    }
    m += rosterTables(course, members, access, csrf);
    if (access.teaches()) {
        m += "<h2>Invitations</h2><p>Students and TAs without a password cannot sign in. An invitation lets "
             "them choose one; it works once, for 7 days.</p>"
            + web::renderButtonForm({.action = "/courses/" + id + "/invitations",
                                     .label = "Invite everyone without a password",
                                     .csrfToken = csrf,
                                     .style = "secondary"});
    }
    return pageResponse(request, std::move(frame), status);
}

// Only this course's pages are gone back to.
std::string backOf(const web::FormData& form, const std::string& course)
{
    const std::string back = form.text("back");
    return back == "/courses/" + course + "/roster" ? back : "/courses/" + course;
}

Result<Response> addMember(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    const std::string back = backOf(post.form, id);
    const std::string roleName = post.form.text("role");
    const auto role = sync::roleFromString(roleName);
    const std::string who = post.form.text(fieldName(roleName));
    // Whether an email has an account is told only to whom may add members.
    TRY_ASSIGN(course, services.liveCourse(id));
    TRY_ASSIGN(access, services.access(post.caller, id));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    if (!role || (role != Role::Student && role != Role::Ta))
        return fail(Errc::InvalidRequest, "add a student or a TA");
    auto again = [&](std::string message) {
        return rosterPage(services, request, AddState{roleName, who, std::move(message)}, 422);
    };
    if (who.empty())
        return again("Enter the person's imhere id or email address");
    auto person = findPerson(services, who);
    if (!person) {
        if (person.error().code != Errc::NotFound)
            return std::unexpected(person.error());
        return again("Nobody has the imhere id or email address " + who + ": check it, or ask an admin to add them");
    }
    TRY_ASSIGN(current, services.store.courses().roleIn(person->id, id));
    if (current == role)
        return redirect(back, web::Flash{web::Flash::Kind::Success,
                                         person->displayName + " is already " + roleWords(*role) + " in this course: "
                                             "nothing changed."});
    if (current && post.form.text("change") != "yes") {
        // Changing a role is asked for on a page of its own, with the form sent again.
        auto frame = frameFor(post.caller, "Make " + person->displayName + " " + roleWords(*role) + "?", "");
        std::string& m = frame.main;
        m += "<h1>" + web::escape(person->displayName) + " is " + roleWords(*current) + " in this course</h1><p>Make them "
            + roleWords(*role) + " instead?</p><ul class=\"consequences\"><li>"
            + (*role == Role::Ta ? std::string("Their records count as a volunteer's from now on, apart from the "
                                               "trainees' figures, and they can open and close windows and correct records.")
                                 : std::string("Their records count in the trainees' figures from now on, and they can "
                                               "no longer open and close windows or correct records."))
            + "</li></ul><form method=\"post\" action=\"/courses/" + id + "/members\">"
            + web::csrfInput(post.caller.principal.csrfToken) + web::hiddenInput("role", roleName)
            + web::hiddenInput(fieldName(roleName), who) + web::hiddenInput("change", "yes")
            + web::hiddenInput("back", back) + "<div class=\"actions\"><button type=\"submit\" class=\"warning\">Make "
            + web::escape(person->displayName) + " " + roleWords(*role) + "</button><a class=\"button secondary\" href=\""
            + back + "\">Cancel, keep them " + roleWords(*current) + "</a></div></form>";
        return pageResponse(request, std::move(frame));
    }
    auto added = assignMember(services, post.caller, id, person->publicId, *role);
    return redirectWithOutcome(added ? Result<std::string>(person->displayName + (*added ? " is now " : " is from now on ")
                                                           + roleWords(*role) + " in this course.")
                                     : std::unexpected(added.error()),
                               back);
}

} // namespace

void addRosterPages(Router& router, Services& services)
{
    router.add("GET", "/courses/{course}/roster", page(services, [&services](const Request& r) { return rosterPage(services, r); }));
    router.add("POST", "/courses/{course}/members", page(services, [&services](const Request& r) { return addMember(services, r); }));
}

} // namespace imhere::server
