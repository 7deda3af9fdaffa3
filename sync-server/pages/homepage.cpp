// Home: my courses grouped by my role in each. Teachers and TAs open and close
// the attendance window from here; students and TAs check in here
// (seed: "opens attendance window from home page", "signs into a course's
// attendance window on the homepage").

#include "pages.h"
#include "sync-server/service/courseviews.h"
#include "sync-server/service/records.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/windowrules.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

struct Group {
    std::string heading;
    std::vector<std::string> cards;
};

Result<std::string> courseCard(Services& services, const Caller& caller, const Course& course, std::optional<Role> role)
{
    const auto now = services.clock.nowMs();
    TRY_ASSIGN(windows, windowsOf(services, caller, course.id));
    const std::string csrf = caller.principal.csrfToken;
    const bool runs = caller.person.isAdmin || role == Role::Teacher || role == Role::Ta;
    const bool takesPart = CourseAccess::takesPart(role);

    std::string html = "<li class=\"card\"><h3><a href=\"/courses/" + course.id + "\">" + web::escape(course.name)
        + "</a></h3><p class=\"muted\">" + web::escape(course.timezone) + "</p>";
    // Every window open now: usually one, more when a teacher opened another alongside on purpose.
    bool any = false;
    for (const Window& w : windows) {
        if (!isOpenAt(w, now))
            continue;
        any = true;
        // Those who run the class go on to the window's page to follow check-ins.
        const std::string title = runs ? "<a href=\"/windows/" + w.id + "\">" + web::escape(w.title) + "</a>"
                                       : web::escape(w.title);
        html += "<p><strong>" + title + "</strong> — " + windowState(w, course.timezone, now)
            + "</p><div class=\"actions\">";
        if (takesPart) {
            TRY_ASSIGN(record, recordOf(services, w.id, caller.person.id));
            if (record.firstCheckIn || record.present)
                html += "<p>" + web::escape(recordSummary(record, course.timezone)) + " " + recordTags(record) + "</p>";
            else
                html += web::renderButtonForm({.action = "/windows/" + w.id + "/check-in", .label = "Check in",
                                               .csrfToken = csrf, .hidden = {{"back", "/"}},
                                               .accessibleLabel = "Check in to " + w.title + ", " + course.name});
        }
        if (runs)
            html += "<a class=\"button secondary\" href=\"/windows/" + w.id + "/close?back=/\" aria-label=\"Close attendance window "
                + web::escape(w.title) + ", " + web::escape(course.name) + "\">Close attendance window</a>";
        html += "</div>";
    }
    if (!any) {
        html += "<p>No attendance window is open.</p>";
        if (runs)
            html += web::renderButtonForm({.action = "/courses/" + course.id + "/windows",
                                           .label = "Open attendance window", .csrfToken = csrf,
                                           .hidden = {{"back", "/"}},
                                           .accessibleLabel = "Open attendance window for " + course.name});
    }
    return html + "</li>";
}

Result<Response> home(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(mine, enrolledCourses(services, caller));
    Group teaching{"Courses you teach", {}}, assisting{"Courses you assist as a TA", {}},
        taking{"Courses you take", {}}, others{"Other courses (as an org admin)", {}};
    for (const auto& c : mine) {
        TRY_ASSIGN(card, courseCard(services, caller, c.course, c.role));
        (c.role == Role::Teacher ? teaching : c.role == Role::Ta ? assisting : taking).cards.push_back(card);
    }
    if (caller.person.isAdmin) {
        TRY_ASSIGN(all, allCourses(services, caller));
        for (const auto& c : all) {
            const bool enrolled = std::ranges::any_of(mine, [&](const auto& m) { return m.course.id == c.course.id; });
            if (!enrolled) {
                TRY_ASSIGN(card, courseCard(services, caller, c.course, std::nullopt));
                others.cards.push_back(card);
            }
        }
    }
    auto frame = frameFor(caller, "Your courses", "/");
    std::string& m = frame.main;
    m += "<h1>Your courses</h1>";
    TRY_ASSIGN(mayCreate, mayCreateCourse(services, caller));
    if (mayCreate)
        m += "<p><a class=\"button\" href=\"/courses/new\">Add a course</a></p>";
    bool any = false;
    for (const Group* g : {&teaching, &assisting, &taking, &others}) {
        if (g->cards.empty())
            continue;
        any = true;
        m += "<h2>" + web::escape(g->heading) + "</h2><ul class=\"cards\">";
        for (const auto& card : g->cards)
            m += card;
        m += "</ul>";
    }
    if (!any)
        m += "<p class=\"lead\">You are not in any course yet. Your course team adds you.</p>";
    return pageResponse(request, std::move(frame));
}

} // namespace

void addHomePage(Router& router, Services& services)
{
    router.add("GET", "/", page(services, [&services](const Request& r) { return home(services, r); }));
}

} // namespace imhere::server
