// One attendance window: everyone's record with check-in time, status and
// flags, each with a link to the page that changes it. The changes post
// here: teachers toggle presence with a reason ("Toggle"); teachers and TAs
// set and clear mentor flags.

#include "pages.h"
#include "sync-server/service/courseviews.h"
#include "sync-server/service/records.h"
#include "sync-server/service/reportviews.h"
#include "sync-server/service/windowrules.h"

#include "sync-server/service/attendance.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

// The forms that change a record are on its own page (recordpage.cpp).
std::string changeLink(const AttendanceRecord& r, const std::string& window)
{
    return "<a class=\"tap\" href=\"/windows/" + window + "/people/" + r.person + "\">Change<span class=\"skip\"> "
        + web::escape(r.displayName) + "'s record</span></a>";
}

std::string when(const std::string& timezone, std::int64_t first, std::int64_t last)
{
    const std::string from = web::timeText(timezone, first);
    const std::string to = web::timeText(timezone, last);
    return from == to ? " at " + web::escape(from) : " between " + web::escape(from) + " and " + web::escape(to);
}

// Several people checked in from one phone or one network: worth a look
// before the register is trusted (DESIGN §4).
std::string remoteReviewSection(const std::vector<RemoteReview>& reviews, const std::string& timezone)
{
    if (reviews.empty())
        return {};
    std::string html = "<h2 id=\"reviews\">Remote check-ins to review</h2><ul>";
    for (const auto& r : reviews) {
        std::string names;
        for (const auto& name : r.people)
            names += (names.empty() ? "" : ", ") + web::escape(name);
        html += "<li><span class=\"tag review\">Review</span> " + std::to_string(r.people.size())
            + " people checked in from one " + (r.source == RemoteReview::Source::Device ? "phone" : "network")
            + when(timezone, r.firstAt, r.lastAt) + ": " + names + ".</li>";
    }
    return html + "</ul>";
}

Result<Response> windowPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(records, windowRecords(services, caller, id));
    TRY_ASSIGN(window, services.windowById(id));
    TRY_ASSIGN(course, services.liveCourse(window.course));
    const auto now = services.clock.nowMs();
    const std::string& csrf = caller.principal.csrfToken;

    auto frame = frameFor(caller, window.title + " · " + course.name, "");
    std::string& m = frame.main;
    m += "<p><a href=\"/courses/" + course.id + "\">" + web::escape(course.name) + "</a></p><h1>"
        + web::escape(window.title) + "</h1><p class=\"lead\">" + web::escape(windowState(window, course.timezone, now));
    if (const auto start = window.startMs())
        m += ". Lateness counts from " + web::escape(web::dateTimeText(course.timezone, *start));
    if (const auto closes = closesAt(window, course); closes && !window.closedAt && window.openedAt)
        m += ". It closes itself at " + web::escape(web::dateTimeText(course.timezone, *closes))
            + ", and everyone not checked in is then absent";
    m += ".</p><div class=\"actions no-print\">";
    if (isOpenAt(window, now))
        m += "<a class=\"button secondary\" href=\"/windows/" + id + "/close\">Close attendance window</a>";
    else if (!window.openedAt)
        m += web::renderButtonForm({.action = "/windows/" + id + "/open", .label = "Open attendance window",
                                    .csrfToken = csrf, .hidden = {{"back", "/windows/" + id}}});
    TRY_ASSIGN(access, services.access(caller, course.id));
    if (window.closedAt && access.teaches())
        m += web::renderButtonForm({.action = "/windows/" + id + "/reopen", .label = "Reopen attendance window",
                                    .csrfToken = csrf, .style = "secondary"});
    m += "</div>";
    TRY_ASSIGN(report, windowReport(services, caller, id));
    m += "<h2 id=\"summary\">Summary</h2><p>" + web::escape(windowSummary(report)) + "</p>";

    int review = 0;
    for (const auto& r : records)
        review += r.needsReview ? 1 : 0;
    if (review > 0)
        m += "<p><strong>" + std::to_string(review) + " record" + (review == 1 ? " needs" : "s need")
            + " review.</strong></p>";
    TRY_ASSIGN(reviews, remoteReviewsOf(services, caller, id));
    m += remoteReviewSection(reviews, course.timezone);
    m += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Records</caption><thead><tr><th scope=\"col\">Name</th>"
         "<th scope=\"col\">Role</th><th scope=\"col\">Check-in</th><th scope=\"col\">Status</th>"
         "<th scope=\"col\" class=\"no-print\">Change</th></tr></thead><tbody>";
    for (const auto& r : records) {
        m += "<tr><th scope=\"row\"><a href=\"/courses/" + course.id + "/people/" + r.person + "\">"
            + web::escape(r.displayName) + "</a></th><td>" + roleLabel(r.role) + "</td><td>"
            + web::escape(recordSummary(r, course.timezone)) + "</td><td>" + recordTags(r)
            + "</td><td class=\"no-print\">" + changeLink(r, id) + "</td></tr>";
    }
    m += "</tbody></table></div>";
    return pageResponse(request, std::move(frame));
}

Result<Response> recordChange(Services& services, const Request& request, bool presence)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(person, publicIdParam(request, "person"));
    const std::string back = "/windows/" + id;
    Result<RecordChange> done = fail(Errc::InvalidRequest, "nothing to change");
    if (presence) {
        const auto base = post.form.text("base");
        const bool excused = post.form.text("excused") == "1";
        done = correctPresence(services, post.caller, id, person, !excused && post.form.text("present") == "1",
                               post.form.text("reason-" + person),
                               base.empty() ? std::nullopt : std::optional<std::string>(base), excused);
    } else {
        const auto flag = sync::flagFromString(post.form.text("flag-" + person));
        if (flag)
            done = changeFlag(services, post.caller, id, person, *flag, post.form.text("set") == "1",
                              post.form.text("note-" + person));
        else
            done = fail(Errc::InvalidRequest, "choose a flag");
    }
    // A refusal goes back to the record's form, to try again.
    if (!done)
        return redirectWithOutcome(std::unexpected(done.error()), back + "/people/" + person);
    const std::string what = !presence                                         ? "'s flags are updated."
        : done->record.present                                                    ? " is marked present."
        : done->record.status == AttendanceStatus::Excused                        ? " is marked absent, excused."
                                                                                  : " is marked absent.";
    return redirectWithOutcome(done->record.displayName + what, back);
}

} // namespace

void addWindowPages(Router& router, Services& services)
{
    router.add("GET", "/windows/{window}", page(services, [&services](const Request& r) { return windowPage(services, r); }));
    router.add("POST", "/windows/{window}/people/{person}/presence",
               page(services, [&services](const Request& r) { return recordChange(services, r, true); }));
    router.add("POST", "/windows/{window}/people/{person}/flags",
               page(services, [&services](const Request& r) { return recordChange(services, r, false); }));
}

} // namespace imhere::server
