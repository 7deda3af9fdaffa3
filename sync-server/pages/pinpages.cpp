// "My kiosk PIN": a teacher or TA makes themself a new PIN for the kiosks'
// volunteer screen, shown once; the kiosks of their courses learn it at
// their next sync.

#include "pages.h"

#include "sync-server/service/pins.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

Result<Response> pinPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    auto frame = frameFor(caller, "My kiosk PIN", "/me");
    std::string& m = frame.main;
    m += "<h1>My kiosk PIN</h1><p class=\"lead\">Teachers and TAs open a kiosk's volunteer screen with their badge "
         "and this PIN.</p><p>Forgot yours, or think someone knows it? Make a new one: it is shown once, and each "
         "kiosk of your courses takes it (and stops taking the old one) at its next sync, within a minute when it "
         "is online.</p>"
        + (pinIsOutdated(caller)
               ? std::string("<div class=\"flash error\"><p>Your PIN is an older, shorter kind that is easier to "
                             "guess if a kiosk is stolen. Please make a new one: new PINs have 8 digits.</p></div>")
               : std::string())
        + web::renderButtonForm({.action = "/me/pin", .label = "Make a new PIN", .csrfToken = caller.principal.csrfToken})
        + "<p><a href=\"/me\">Back to my attendance</a></p>";
    return pageResponse(request, std::move(frame));
}

Result<Response> newPin(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(pin, makeNewPin(services, post.caller));
    auto frame = frameFor(post.caller, "Your new kiosk PIN", "/me");
    frame.main = "<h1>Your new kiosk PIN</h1><p class=\"code-big\"><code>" + web::escape(pin)
        + "</code></p><p>Note it now: we keep no copy. Kiosks take it at their next sync.</p>"
          "<p><a href=\"/me\">Back to my attendance</a></p>";
    Response r = pageResponse(request, std::move(frame));
    r.withHeader("Cache-Control", "no-store");
    return r;
}

} // namespace

void addPinPages(Router& router, Services& services)
{
    router.add("GET", "/me/pin", page(services, [&services](const Request& r) { return pinPage(services, r); }));
    router.add("POST", "/me/pin", page(services, [&services](const Request& r) { return newPin(services, r); }));
}

} // namespace imhere::server
