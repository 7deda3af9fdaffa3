// What links a person to a check-in device: a one-time code that links a
// phone for remote check-in (asked for by the trainee, or by a course's
// teacher or TA for them), and a personal badge QR to print. Codes and
// tokens are shown once; the server keeps only their hashes.

#include "pages.h"

#include "sync-server/service/remote.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"
#include "sync-server/web/qrsvg.h"

namespace imhere::server {

namespace {

Response linkCodePage(const Request& request, const Caller& caller, const LinkCode& issued, const std::string& back)
{
    const bool mine = issued.person.id == caller.person.id;
    auto frame = frameFor(caller, "Phone link code", mine ? "/me" : "");
    std::string& m = frame.main;
    m += "<h1>Phone link code" + (mine ? std::string() : " for " + web::escape(issued.person.displayName)) + "</h1>"
         "<p class=\"code-big\"><code>" + issued.code + "</code></p>"
         "<ol><li>In class, scan the code on the classroom screen with the phone's camera.</li>"
         "<li>Type this code when the page asks for it.</li>"
         "<li>From then on, that phone checks in " + web::escape(mine ? std::string("you") : issued.person.displayName)
        + " with one tap.</li></ol><p class=\"muted\">The code works once, until "
        + web::escape(web::dateTimeText("UTC", issued.expiresAt))
        + " UTC. We keep no copy: to see it again, ask for a new one.</p><p><a href=\"" + web::escape(back)
        + "\">Back</a></p>";
    Response r = pageResponse(request, std::move(frame));
    r.withHeader("Cache-Control", "no-store");
    return r;
}

Result<Response> myLinkCode(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(issued, issueLinkCode(services, post.caller, std::nullopt, std::nullopt));
    return linkCodePage(request, post.caller, issued, "/me");
}

Result<Response> memberLinkCode(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(person, publicIdParam(request, "person"));
    const std::string& course = request.param("course");
    TRY_ASSIGN(issued, issueLinkCode(services, post.caller, person, course));
    return linkCodePage(request, post.caller, issued, "/courses/" + course + "#roster");
}

Result<Response> badgePage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    auto frame = frameFor(caller, "My badge QR", "/me");
    std::string& m = frame.main;
    m += "<h1>My badge QR</h1><p class=\"lead\">Show a printed badge QR to the classroom kiosk's camera to check in, "
         "like tapping a card.</p><p>We keep no copy of your badge: print it or save it when you make it. Making a "
         "new one cancels the old one, and so does cancelling it here if you lose it.</p><div class=\"actions\">"
        + web::renderButtonForm({.action = "/me/badge", .label = "Make my badge QR", .csrfToken = caller.principal.csrfToken})
        + "<a class=\"button secondary\" href=\"/me/badge/revoke\">Cancel my badge QR</a>"
        + "</div>";
    return pageResponse(request, std::move(frame));
}

Result<Response> makeBadge(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(token, issueQrBadge(services, post.caller));
    auto frame = frameFor(post.caller, "My badge QR", "/me");
    std::string& m = frame.main;
    m += "<h1 class=\"no-print\">Your new badge QR</h1><p class=\"no-print lead\">Print this page now, or save it "
         "as a PDF. Your previous badge QR no longer works.</p><figure class=\"badge-card\">"
        + web::qrSvg(token, "Badge QR code of " + post.caller.person.displayName)
        + "<figcaption><strong>" + web::escape(post.caller.person.displayName) + "</strong><br>imhere id <code>"
        + post.caller.person.publicId + "</code></figcaption></figure>"
          "<p class=\"no-print\"><a href=\"/me\">Back to my attendance</a></p>";
    Response r = pageResponse(request, std::move(frame));
    r.withHeader("Cache-Control", "no-store");
    return r;
}

Result<Response> revokeBadge(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY(revokeQrBadge(services, post.caller));
    return redirect("/me/badge", web::Flash{web::Flash::Kind::Success,
                                            "Your badge QR is cancelled. Kiosks refuse it from their next sync."});
}

} // namespace

void addCredentialPages(Router& router, Services& services)
{
    router.add("POST", "/me/link-code", page(services, [&services](const Request& r) { return myLinkCode(services, r); }));
    router.add("POST", "/courses/{course}/members/{person}/link-code",
               page(services, [&services](const Request& r) { return memberLinkCode(services, r); }));
    router.add("GET", "/me/badge", page(services, [&services](const Request& r) { return badgePage(services, r); }));
    router.add("POST", "/me/badge", page(services, [&services](const Request& r) { return makeBadge(services, r); }));
    router.add("POST", "/me/badge/revoke", page(services, [&services](const Request& r) { return revokeBadge(services, r); }));
}

} // namespace imhere::server
