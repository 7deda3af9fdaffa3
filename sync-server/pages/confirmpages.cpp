// Nothing destructive in one click: closing a window, removing a person from
// a course or the course itself, and cancelling one's badge QR each have a
// page of their own (GET, no JavaScript) that says what will happen, with a
// Confirm button (POST with the CSRF token, to the address the old one-click
// button posted to) and a way back that changes nothing.

#include "pages.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/reportviews.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

// Where Cancel (and the post after it) goes back to: a path on this site only.
std::string backFrom(const Request& request, const std::string& fallback)
{
    const auto it = request.query.find("back");
    if (it == request.query.end())
        return fallback;
    const std::string& back = it->second;
    const bool local = !back.empty() && back.size() < 200 && back[0] == '/' && (back.size() == 1 || back[1] != '/')
        && back.find_first_of("\\\r\n:") == std::string::npos;
    return local ? back : fallback;
}

struct Confirmation {
    std::string title;                     // the page's h1, a question
    std::vector<std::string> consequences; // HTML, one list item each
    std::string action;                    // where Confirm posts
    std::string confirmLabel;
    std::string cancelHref;
    std::string cancelLabel;
    std::string back; // sent with the post, for the redirect after it; empty: none
};

Response confirmationPage(const Request& request, const Caller& caller, const Confirmation& c)
{
    auto frame = frameFor(caller, c.title, "");
    std::string& m = frame.main;
    m += "<h1>" + web::escape(c.title) + "</h1><ul class=\"consequences\">";
    for (const std::string& line : c.consequences)
        m += "<li>" + line + "</li>";
    m += "</ul><form method=\"post\" action=\"" + web::escape(c.action) + "\">" + web::csrfInput(caller.principal.csrfToken);
    if (!c.back.empty())
        m += web::hiddenInput("back", c.back);
    m += "<div class=\"actions\"><button type=\"submit\" class=\"warning\">" + web::escape(c.confirmLabel)
        + "</button><a class=\"button secondary\" href=\"" + web::escape(c.cancelHref) + "\">" + web::escape(c.cancelLabel)
        + "</a></div></form>";
    return pageResponse(request, std::move(frame));
}

std::string people(int n, std::string_view one, std::string_view many)
{
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

Result<Response> confirmClose(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(window, services.windowById(id));
    TRY_ASSIGN(access, services.access(caller, window.course));
    TRY(allow(access.runsClass(), "only teachers and TAs open and close windows"));
    const std::string back = backFrom(request, "/windows/" + id);
    if (window.closedAt || !window.openedAt) {
        auto frame = frameFor(caller, window.title, "");
        frame.main += "<h1>" + web::escape(window.title) + " is not open</h1><p>There is nothing to close.</p><p><a href=\""
            + web::escape(back) + "\">Back</a></p>";
        return pageResponse(request, std::move(frame));
    }
    TRY_ASSIGN(report, windowReport(services, caller, id));
    const Tally& t = report.figures.trainees;
    const Tally& v = report.figures.volunteers;
    const int waiting = t.undecided + v.undecided;
    Confirmation c{"Close " + window.title + "?", {}, "/windows/" + id + "/close", "Close attendance window", back,
                   "Cancel, keep it open", back};
    c.consequences.push_back(
        waiting == 0 ? std::string("Everyone has checked in: nobody will be marked absent.")
                     : people(waiting, "person who has not checked in will be marked absent.",
                              "people who have not checked in will be marked absent.")
                + (v.undecided > 0 ? " (" + people(v.undecided, "teacher or TA", "teachers and TAs") + " among them.)" : std::string()));
    c.consequences.push_back(people(t.present + v.present, "person has", "people have") + " checked in.");
    c.consequences.push_back("Nobody can check in to it after this, at a kiosk or with a phone. Its teachers can "
                             "reopen it if it was closed by mistake.");
    return confirmationPage(request, caller, c);
}

Result<Response> confirmRemoveMember(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    TRY_ASSIGN(course, services.liveCourse(id));
    TRY_ASSIGN(access, services.access(caller, id));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    TRY_ASSIGN(person, services.personById(personId));
    TRY_ASSIGN(role, services.store.courses().roleIn(person.id, id));
    if (!role)
        return fail(Errc::NotFound, "this person is not in the course");
    const std::string name = web::escape(person.displayName);
    Confirmation c{"Remove " + person.displayName + " from " + course.name + "?", {},
                   "/courses/" + id + "/members/" + personId + "/remove", "Remove " + person.displayName,
                   "/courses/" + id + "/roster", "Cancel, keep them", {}};
    c.consequences.push_back(name + " is no longer " + std::string(role == Role::Ta ? "a TA" : role == Role::Teacher ? "a teacher" : "a student")
                             + " in " + web::escape(course.name) + ": it leaves their pages, and they can no longer check in to it.");
    if (role != Role::Teacher)
        c.consequences.push_back("Their check-ins are kept, but they leave the course's records and figures. Added "
                                 "again, their records come back, and the classes in between show as \"not enrolled\".");
    return confirmationPage(request, caller, c);
}

Result<Response> confirmRemoveCourse(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(course, services.liveCourse(id));
    TRY_ASSIGN(access, services.access(caller, id));
    TRY(allow(access.teaches(), "only the course's teachers remove it"));
    TRY_ASSIGN(roster, services.store.courses().roster(id));
    Confirmation c{"Remove " + course.name + "?", {}, "/courses/" + id + "/remove", "Remove " + course.name,
                   "/courses/" + id, "Cancel, keep the course", {}};
    c.consequences.push_back("Its " + people(static_cast<int>(roster.size()), "person", "people")
                             + " no longer see it on their pages, and nobody can check in to it.");
    c.consequences.push_back("Its attendance records are kept for reports.");
    return confirmationPage(request, caller, c);
}

Result<Response> confirmRevokeBadge(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    Confirmation c{"Cancel your badge QR?", {}, "/me/badge/revoke", "Cancel my badge QR", "/me/badge",
                   "Back, keep it", {}};
    c.consequences.push_back("A badge QR you printed or saved no longer checks you in at the kiosk.");
    c.consequences.push_back("Your cards, phones and PIN still work. You can make a new badge QR at any time.");
    return confirmationPage(request, caller, c);
}

} // namespace

void addConfirmPages(Router& router, Services& services)
{
    router.add("GET", "/windows/{window}/close", page(services, [&services](const Request& r) { return confirmClose(services, r); }));
    router.add("GET", "/courses/{course}/members/{person}/remove",
               page(services, [&services](const Request& r) { return confirmRemoveMember(services, r); }));
    router.add("GET", "/courses/{course}/remove",
               page(services, [&services](const Request& r) { return confirmRemoveCourse(services, r); }));
    router.add("GET", "/me/badge/revoke", page(services, [&services](const Request& r) { return confirmRevokeBadge(services, r); }));
}

} // namespace imhere::server
