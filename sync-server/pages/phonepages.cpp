// "My phones": the phones linked to the signed-in person for remote check-in,
// each with the course it is linked for, when it was linked and last used,
// and a button that unlinks it (a lost phone, or one lent to someone).
// Its own page, linked from the attendance page and the account pages.

#include "pages.h"

#include "sync-server/service/remote.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include <charconv>

namespace imhere::server {

namespace {

std::string phoneRow(const LinkedPhone& phone, std::size_t n, const std::string& csrf)
{
    const std::string name = "Phone " + std::to_string(n);
    const std::string scope = phone.device.course ? "only " + phone.courseName.value_or("a removed course")
                                                  : std::string("all your courses");
    return "<tr><th scope=\"row\">" + name + "</th><td data-label=\"Checks in for\">" + web::escape(scope)
        + "</td><td data-label=\"Linked\">" + web::escape(web::dateTimeText("UTC", phone.device.linkedAt))
        + " UTC</td><td data-label=\"Last check-in\">"
        + (phone.lastCheckInAt ? web::escape(web::dateTimeText("UTC", *phone.lastCheckInAt)) + " UTC"
                               : std::string("never"))
        + "</td><td data-label=\"Unlink\">"
        + web::renderButtonForm({.action = "/me/phones/" + std::to_string(phone.device.id) + "/unlink",
                                 .label = "Unlink",
                                 .csrfToken = csrf,
                                 .style = "warning",
                                 .accessibleLabel = "Unlink " + name})
        + "</td></tr>";
}

Result<Response> phonesPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(phones, linkedPhones(services, caller));
    auto frame = frameFor(caller, "My phones", "/me");
    std::string& m = frame.main;
    const auto days = services.phoneLinkLifetimeMs / (24 * 3'600'000LL);
    m += "<h1>My phones</h1><p class=\"lead\">The phones that check you in when you scan the code on a classroom "
         "screen. A link lasts "
        + std::to_string(days) + " days; then the phone asks for a new link code.</p>";
    if (phones.empty()) {
        m += "<p>No phone is linked to you.</p>";
    } else {
        m += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Linked phones (" + std::to_string(phones.size())
            + ")</caption><thead><tr><th scope=\"col\">Phone</th><th scope=\"col\">Checks in for</th>"
              "<th scope=\"col\">Linked</th><th scope=\"col\">Last check-in</th><th scope=\"col\">Unlink</th></tr>"
              "</thead><tbody>";
        std::size_t n = 0;
        for (const LinkedPhone& phone : phones)
            m += phoneRow(phone, ++n, caller.principal.csrfToken);
        m += "</tbody></table></div><p>Lost a phone, or lent it to someone? Unlink it: it then checks nobody in.</p>";
    }
    m += "<p><a href=\"/me\">Back to my attendance</a></p>";
    return pageResponse(request, std::move(frame));
}

Result<Response> unlinkMyPhone(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    const std::string& text = request.param("device");
    std::int64_t device = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), device);
    if (ec != std::errc{} || end != text.data() + text.size() || device <= 0)
        return fail(Errc::InvalidId, "device: expected a phone number from this page");
    TRY(unlinkPhone(services, post.caller, device));
    return redirect("/me/phones", web::Flash{web::Flash::Kind::Success,
                                             "The phone is unlinked. It no longer checks you in."});
}

} // namespace

void addPhonePages(Router& router, Services& services)
{
    router.add("GET", "/me/phones", page(services, [&services](const Request& r) { return phonesPage(services, r); }));
    router.add("POST", "/me/phones/{device}/unlink",
               page(services, [&services](const Request& r) { return unlinkMyPhone(services, r); }));
}

} // namespace imhere::server
