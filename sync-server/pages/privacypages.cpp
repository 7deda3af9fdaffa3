// On "My attendance": whether the public API shows my records under my
// public id, and where my API keys are (service/publicview.h, apikeypages.cpp).

#include "pages.h"

#include "sync-server/service/publicview.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

Result<Response> postOptOut(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    const std::string choice = post.form.text("public");
    if (choice != "out" && choice != "in")
        return redirectWithOutcome(std::unexpected(invalid("choose whether the public API shows your records")), "/me");
    const bool out = choice == "out";
    TRY(setPublicOptOut(services, post.caller, out));
    return redirectWithOutcome(std::string(out ? "The public API no longer shows your records; "
                                                 "they still count in totals of five or more people."
                                               : "The public API shows your records under your id again."),
                               "/me#public-api");
}

} // namespace

Result<std::string> publicApiSection(Services& services, const Caller& caller)
{
    TRY_ASSIGN(out, publicOptOutOf(services, caller));
    std::string html = "<h2 id=\"public-api\">Public API</h2><p>";
    html += out ? "You chose to be left out: the public API does not show your records. They still count in "
                  "totals over five or more people."
                : "The public API shows your records under your id <code>" + web::escape(caller.person.publicId)
            + "</code>, never your name. Totals over fewer than five people are never shown.";
    html += "</p>"
        + web::renderButtonForm({.action = "/me/public-api",
                                 .label = out ? "Show my records again" : "Leave me out of the public API",
                                 .csrfToken = caller.principal.csrfToken,
                                 .hidden = {{"public", out ? "in" : "out"}},
                                 .style = "secondary"})
        + "<h2>API keys</h2><p>Scripts use the imhere API with a key. <a href=\"/account/api-keys\">Manage your API "
          "keys</a>.</p>";
    return html;
}

void addPrivacyPages(Router& router, Services& services)
{
    router.add("POST", "/me/public-api",
               page(services, [&services](const Request& r) { return postOptOut(services, r); }));
}

} // namespace imhere::server
