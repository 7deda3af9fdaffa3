// My account → API keys (service/apikeys.h): the signed-in person's keys with
// when each was last used, a form to make one (its secret shown once, on the
// page that answers the form), and a button to revoke each. An org admin
// also sees everyone's keys and may revoke any of them.

#include "adminpages.h"

#include "sync-server/service/apikeys.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include <charconv>

namespace imhere::server {

namespace {

constexpr std::string_view k_keysPage = "/account/api-keys";

std::string when(const std::optional<std::int64_t>& ms, const char* none)
{
    return ms ? web::escape(web::dateTimeText("UTC", *ms)) + " UTC" : std::string(none);
}

std::string keyRow(const Caller& caller, const ApiKey& k, std::int64_t now, bool withOwner)
{
    const auto state = apiKeyState(k, now);
    const std::string name = web::escape(k.name);
    std::string html = "<tr><th scope=\"row\">" + name + " <code>" + web::escape(k.prefix) + "…</code></th>";
    if (withOwner)
        html += "<td data-label=\"Owner\">" + web::escape(k.ownerName) + " <code>" + k.ownerPublicId + "</code></td>";
    html += std::string("<td data-label=\"Scope\">") + (k.scope == ApiScope::Write ? "Read and write" : "Read only")
        + "</td><td data-label=\"Expires\">" + when(k.expiresAt, "Never") + "</td><td data-label=\"Last used\">"
        + when(k.lastUsedAt, "Never") + "</td><td>";
    switch (state) {
    case ApiKeyState::Revoked: html += "<span class=\"tag absent\">Revoked</span>"; break;
    case ApiKeyState::Expired: html += "<span class=\"tag late\">Expired</span>"; break;
    case ApiKeyState::Active:
        html += "<span class=\"tag on_time\">Active</span> "
            + web::renderButtonForm({.action = std::string(k_keysPage) + "/" + k.prefix + "/revoke",
                                     .label = "Revoke",
                                     .csrfToken = caller.principal.csrfToken,
                                     .style = "warning",
                                     .accessibleLabel = "Revoke " + k.name + " (" + k.prefix + ")"});
        break;
    }
    return html + "</td></tr>";
}

std::string keyTable(const Caller& caller, const std::vector<ApiKey>& keys, std::int64_t now, const std::string& caption,
                     bool withOwner)
{
    std::string html = "<div class=\"table-wrap\"><table class=\"stack\"><caption>" + web::escape(caption)
        + "</caption><thead><tr><th scope=\"col\">Key</th>" + (withOwner ? "<th scope=\"col\">Owner</th>" : "")
        + "<th scope=\"col\">Scope</th><th scope=\"col\">Expires</th><th scope=\"col\">Last used</th>"
          "<th scope=\"col\">Status</th></tr></thead><tbody>";
    for (const auto& k : keys)
        html += keyRow(caller, k, now, withOwner);
    return html + "</tbody></table></div>";
}

std::string createForm(const Caller& caller, const web::FormData* form, const FieldErrors& errors)
{
    auto value = [&](const char* name, const char* fallback) { return form ? form->text(name) : std::string(fallback); };
    return "<h2 id=\"new-key\">Make a key</h2><form method=\"post\" action=\"" + std::string(k_keysPage)
        + "\" novalidate>" + web::csrfInput(caller.principal.csrfToken)
        + web::renderField({.name = "name", .label = "Name", .value = value("name", ""),
                            .hint = "What the key is for, for example: attendance export",
                            .error = errorFor(errors, "name"), .autocomplete = "off"})
        + web::renderSelect({.name = "scope", .label = "Scope", .value = value("scope", "read"),
                             .hint = "A read-only key can only read, like the public API's clients",
                             .error = errorFor(errors, "scope")},
                            {{"read", "Read only"}, {"write", "Read and write"}})
        + web::renderField({.name = "expires_in_days", .label = "Valid for (days)", .type = "number",
                            .value = value("expires_in_days", "90"), .hint = "From 1 to 366 days",
                            .error = errorFor(errors, "expires_in_days"), .inputmode = "numeric"})
        + "<button type=\"submit\">Make key</button></form>";
}

Result<Response> keysPage(Services& services, const Request& request, const Caller& caller, const web::FormData* form,
                          const FieldErrors& errors, int status)
{
    TRY_ASSIGN(mine, myApiKeys(services, caller));
    const auto now = services.clock.nowMs();
    auto frame = frameFor(caller, errors.empty() ? "API keys" : "Error: API keys", "/me");
    std::string& m = frame.main;
    m += web::errorSummary(errors)
        + "<h1>API keys</h1><p class=\"lead\">A key lets a script use the imhere API as you: send it as "
          "<code>Authorization: Bearer</code> and the key. It stops working when it expires or when you revoke it.</p>";
    m += mine.empty() ? std::string("<p>You have no API keys.</p>") : keyTable(caller, mine, now, "Your API keys", false);
    m += createForm(caller, form, errors);
    if (caller.person.isAdmin) {
        TRY_ASSIGN(all, everyonesApiKeys(services, caller));
        m += "<h2>Everyone's API keys</h2>"
            + (all.empty() ? std::string("<p>Nobody has an API key.</p>")
                           : keyTable(caller, all, now, "Every API key (" + std::to_string(all.size()) + ")", true));
    }
    return pageResponse(request, std::move(frame), status);
}

Result<Response> getKeys(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    return keysPage(services, request, caller, nullptr, {}, 200);
}

Result<Response> postKey(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    FieldErrors errors;
    ApiKeyRequest wanted;
    wanted.name = post.form.text("name");
    const std::string scope = post.form.text("scope");
    if (scope != "read" && scope != "write")
        errors.emplace_back("scope", "Choose read only or read and write");
    wanted.scope = scope == "write" ? ApiScope::Write : ApiScope::Read;
    const std::string days = post.form.text("expires_in_days");
    int parsed = 0;
    const auto [end, ec] = std::from_chars(days.data(), days.data() + days.size(), parsed);
    if (days.empty() || ec != std::errc() || end != days.data() + days.size())
        errors.emplace_back("expires_in_days", "Enter a whole number of days");
    else
        wanted.validDays = parsed;
    if (errors.empty()) {
        auto issued = issueApiKey(services, post.caller, wanted);
        if (issued) {
            auto frame = frameFor(post.caller, "Your new API key", "/me");
            frame.main += "<h1>Your new API key</h1><p class=\"lead\">" + web::escape(issued->details.name) + ", "
                + (wanted.scope == ApiScope::Write ? "read and write" : "read only") + ", valid until "
                + when(issued->details.expiresAt, "revoked") + ".</p><pre class=\"secret\"><code>"
                + web::escape(issued->key)
                + "</code></pre><p><strong>Copy it now: it is shown only this once.</strong> We keep only a hash "
                  "of it. If it is lost, revoke it and make another.</p><p><a href=\""
                + std::string(k_keysPage) + "\">Back to your API keys</a></p>";
            Response r = pageResponse(request, std::move(frame), 201);
            r.withHeader("Cache-Control", "no-store");
            return r;
        }
        if (statusForErrorCode(issued.error().code) != 422)
            return std::unexpected(issued.error());
        errors.push_back(fieldError(issued.error()));
    }
    return keysPage(services, request, post.caller, &post.form, errors, 422);
}

Result<Response> revokePost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    const std::string& prefix = request.param("key");
    auto revoked = revokeApiKey(services, post.caller, prefix);
    if (!revoked)
        return redirectWithOutcome(std::unexpected(revoked.error()), std::string(k_keysPage));
    return redirectWithOutcome("\"" + revoked->name + "\" (" + revoked->prefix + "…) is revoked: it no longer works.",
                               std::string(k_keysPage));
}

} // namespace

void addApiKeyPages(Router& router, Services& services)
{
    router.add("GET", std::string(k_keysPage), page(services, [&services](const Request& r) { return getKeys(services, r); }));
    router.add("POST", std::string(k_keysPage), page(services, [&services](const Request& r) { return postKey(services, r); }));
    router.add("POST", std::string(k_keysPage) + "/{key}/revoke",
               page(services, [&services](const Request& r) { return revokePost(services, r); }));
}

} // namespace imhere::server
