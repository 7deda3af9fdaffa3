// Getting into an account: "Forgot your password?", the page a password
// link opens, "My account" (change the password, sign out elsewhere), and
// sending password links: an org admin to one person, a teacher to
// everyone in a course who has no password yet. Where the server sends no
// mail, the links are shown to whoever asked for them, to pass on by hand.

#include "adminpages.h"
#include "pages.h"

#include "sync-server/service/accountlinks.h"
#include "sync-server/service/accounts.h"
#include "sync-server/serverlimits.h"
#include "sync-server/auth/passwordpolicy.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include "core/crypto.h"
#include "core/random.h"

#include <algorithm>

namespace imhere::server {

namespace {

constexpr std::string_view k_resetCookie = "imhere_reset";
constexpr int k_resetFormMaxAgeSec = 3600;

const std::string k_askSomeone = "your course's teacher or an org admin can send you a link";

std::string capitalised(std::string text)
{
    if (!text.empty())
        text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

// Where links start: the public-url setting, else the address this page was
// opened at (only for showing to the signed-in person who asked).
std::string siteUrl(const Services& services, const Request& request)
{
    if (!services.mail.siteUrl.empty())
        return services.mail.siteUrl;
    const std::string host(request.header("host").value_or(""));
    const bool plain = !host.empty() && host.size() < 256 && std::ranges::all_of(host, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
            || c == ':' || c == '[' || c == ']';
    });
    return plain ? "http://" + host : std::string();
}

// ---- Forgot your password? ----

Response resetForm(Services& services, const Request& request, int status, const std::string& email,
                   const std::string& error)
{
    const std::string token = randomToken(16);
    web::PageFrame f;
    f.title = error.empty() ? "Forgot your password?" : "Error: forgot your password?";
    f.description = "Get a link to choose a new imhere password";
    f.narrow = true;
    std::string& m = f.main;
    if (!error.empty())
        m += web::errorSummary({{"email", error}});
    m += "<h1>Forgot your password?</h1>";
    if (!services.mail.enabled) {
        m += "<p>This server sends no mail, so " + k_askSomeone + " to pass on by hand.</p>"
             "<p><a href=\"/login\">Back to sign in</a></p>";
        return pageResponse(request, std::move(f), status);
    }
    m += "<p>Enter the email address you sign in with. If it has an account, a link to choose a new password "
         "is mailed to it.</p><form method=\"post\" action=\"/password-reset\" novalidate>"
        + web::hiddenInput("reset_token", token)
        + web::renderField({.name = "email", .label = "Email address", .type = "email", .value = email,
                            .error = error, .autocomplete = "username", .required = true})
        + "<button type=\"submit\">Send me a link</button></form><p><a href=\"/login\">Back to sign in</a></p>";
    Response r = pageResponse(request, std::move(f), status);
    r.withHeader("Set-Cookie", std::string(k_resetCookie) + "=" + token
                                   + "; Path=/password-reset; HttpOnly; SameSite=Strict; Max-Age="
                                   + std::to_string(k_resetFormMaxAgeSec));
    return r;
}

Result<Response> getReset(Services& services, const Request& request)
{
    return resetForm(services, request, 200, "", "");
}

Result<Response> postReset(Services& services, const Request& request)
{
    TRY_ASSIGN(form, formBody(request));
    const std::string email = form.text("email");
    const auto cookie = request.cookie(k_resetCookie);
    const std::string token = form.get("reset_token").value_or("");
    if (!services.mail.enabled)
        return resetForm(services, request, 200, email, "");
    if (!cookie || token.empty() || !constantTimeEqual(asBytes(*cookie), asBytes(token)))
        return resetForm(services, request, 403, email, "This form has expired; try again");
    if (email.empty() || email.size() > limits::k_maxEmailBytes || email.find('@') == std::string::npos)
        return resetForm(services, request, 422, email, "Enter your email address, like name@example.org");
    auto asked = requestPasswordReset(services, email, request.remoteIp);
    if (!asked && asked.error().code == Errc::RateLimited) {
        Response r = resetForm(services, request, 429, email, capitalised(asked.error().message));
        r.withHeader("Retry-After", std::to_string(limits::k_resetRequestWindowMs / 1000));
        return r;
    }
    if (!asked)
        return std::unexpected(asked.error());
    // The same answer whether or not the address has an account.
    web::PageFrame f;
    f.title = "Check your email";
    f.description = f.title;
    f.narrow = true;
    f.main = "<h1>Check your email</h1><p class=\"lead\">If " + web::escape(email)
        + " has an imhere account, a link to choose a new password is on its way. It works once, for 24 hours.</p>"
          "<p>Nothing within a few minutes? Look in your spam folder, or ask again; "
        + k_askSomeone + ".</p><p><a href=\"/login\">Back to sign in</a></p>";
    return pageResponse(request, std::move(f));
}

// ---- the page a link opens ----

Response linkGonePage(const Request& request)
{
    web::PageFrame f;
    f.title = "This link no longer works";
    f.description = f.title;
    f.narrow = true;
    f.main = "<h1>This link no longer works</h1><p class=\"lead\">It has been used, or it has expired: a reset "
             "link works for 24 hours, an invitation for 7 days.</p><p><a href=\"/password-reset\">Get a new "
             "link</a>, or ask your course's teacher or an org admin to send you one.</p>";
    return pageResponse(request, std::move(f), 410);
}

Response choosePasswordForm(const Request& request, const AccountLink& link, const Person& person,
                            const std::vector<std::pair<std::string, std::string>>& errors, int status)
{
    auto errorOf = [&](const std::string& field) {
        for (const auto& [name, message] : errors)
            if (name == field)
                return message;
        return std::string();
    };
    web::PageFrame f;
    const bool invitation = link.purpose == AccountLinkPurpose::Invitation;
    f.title = std::string(errors.empty() ? "" : "Error: ") + (invitation ? "Welcome to imhere" : "Choose a new password");
    f.description = "Choose your imhere password";
    f.narrow = true;
    std::string& m = f.main;
    m += web::errorSummary(errors) + "<h1>" + (invitation ? "Welcome to imhere" : "Choose a new password") + "</h1>";
    m += "<p>For " + web::escape(person.displayName)
        + (person.email ? ", who signs in as " + web::escape(*person.email) : std::string()) + ".</p>";
    m += "<form method=\"post\" action=\"" + web::escape(request.path) + "\" novalidate>";
    // For password managers: the account the new password belongs to.
    m += "<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\""
        + web::escape(person.email.value_or("")) + "\">";
    m += web::renderField({.name = "password", .label = "New password", .type = "password",
                           .hint = "At least " + std::to_string(k_minPasswordChars)
                               + " characters. A few unrelated words are easy to remember and hard to guess.",
                           .error = errorOf("password"), .autocomplete = "new-password", .required = true});
    m += web::renderField({.name = "confirm", .label = "New password again", .type = "password",
                           .error = errorOf("confirm"), .autocomplete = "new-password", .required = true});
    m += "<button type=\"submit\">Set my password</button></form>";
    return pageResponse(request, std::move(f), status);
}

Result<Response> getLink(Services& services, const Request& request)
{
    auto link = openPasswordLink(services, request.param("token"));
    if (!link && link.error().code == Errc::CodeExpired)
        return linkGonePage(request);
    if (!link)
        return std::unexpected(link.error());
    TRY_ASSIGN(person, services.store.people().personById(link->person));
    if (!person)
        return linkGonePage(request);
    return choosePasswordForm(request, *link, *person, {}, 200);
}

Result<Response> postLink(Services& services, const Request& request)
{
    TRY_ASSIGN(form, formBody(request));
    const std::string& token = request.param("token");
    auto link = openPasswordLink(services, token);
    if (!link && link.error().code == Errc::CodeExpired)
        return linkGonePage(request);
    if (!link)
        return std::unexpected(link.error());
    TRY_ASSIGN(person, services.store.people().personById(link->person));
    if (!person)
        return linkGonePage(request);
    const std::string password = form.get("password").value_or("");
    if (auto problem = passwordProblem(password))
        return choosePasswordForm(request, *link, *person, {{"password", capitalised(*problem)}}, 422);
    if (form.get("confirm").value_or("") != password)
        return choosePasswordForm(request, *link, *person, {{"confirm", "Type the same password twice"}}, 422);
    auto set = setPasswordWithLink(services, token, password);
    if (!set && set.error().code == Errc::CodeExpired)
        return linkGonePage(request);
    if (!set)
        return std::unexpected(set.error());
    return redirect("/login", web::Flash{web::Flash::Kind::Success, "Your password is set. Sign in with it."});
}

// ---- My account ----

Response accountPage(const Request& request, const Caller& caller,
                     const std::vector<std::pair<std::string, std::string>>& errors, int status)
{
    auto errorOf = [&](const std::string& field) {
        for (const auto& [name, message] : errors)
            if (name == field)
                return message;
        return std::string();
    };
    auto frame = frameFor(caller, errors.empty() ? "My account" : "Error: my account", "/account");
    std::string& m = frame.main;
    m += web::errorSummary(errors) + "<h1>My account</h1><dl class=\"details\"><dt>Name</dt><dd>"
        + web::escape(caller.person.displayName) + "</dd><dt>Email</dt><dd>"
        + web::escape(caller.person.email.value_or("—")) + "</dd><dt>imhere id</dt><dd><code>"
        + caller.person.publicId + "</code></dd></dl>";
    m += "<h2>Change your password</h2><form method=\"post\" action=\"/account/password\" novalidate>"
        + web::csrfInput(caller.principal.csrfToken)
        + "<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\""
        + web::escape(caller.person.email.value_or("")) + "\">"
        + web::renderField({.name = "current_password", .label = "Current password", .type = "password",
                            .error = errorOf("current_password"), .autocomplete = "current-password",
                            .required = true})
        + web::renderField({.name = "new_password", .label = "New password", .type = "password",
                            .hint = "At least " + std::to_string(k_minPasswordChars)
                                + " characters; not one of the most common passwords",
                            .error = errorOf("new_password"), .autocomplete = "new-password", .required = true})
        + web::renderField({.name = "confirm", .label = "New password again", .type = "password",
                            .error = errorOf("confirm"), .autocomplete = "new-password", .required = true})
        + "<button type=\"submit\">Change password</button></form>"
        + "<p class=\"muted\">Changing it signs you out everywhere else.</p>";
    m += "<h2>Signed in elsewhere?</h2><p>Sign out of imhere on every other browser and device, for example a "
         "computer you no longer use. This one stays signed in.</p>"
        + web::renderButtonForm({.action = "/account/sign-out-others", .label = "Sign out everywhere else",
                                 .csrfToken = caller.principal.csrfToken, .style = "secondary"});
    return pageResponse(request, std::move(frame), status);
}

Result<Response> getAccount(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    return accountPage(request, caller, {}, 200);
}

Result<Response> postPassword(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    const std::string current = post.form.get("current_password").value_or("");
    const std::string fresh = post.form.get("new_password").value_or("");
    if (current.empty())
        return accountPage(request, post.caller, {{"current_password", "Enter your current password"}}, 422);
    if (post.form.get("confirm").value_or("") != fresh)
        return accountPage(request, post.caller, {{"confirm", "Type the same new password twice"}}, 422);
    auto changed = changePassword(services, post.caller, current, fresh);
    if (changed)
        return redirect("/account", web::Flash{web::Flash::Kind::Success,
                                               "Your password is changed; you are signed out everywhere else."});
    const int status = statusForErrorCode(changed.error().code);
    if (status != 422 && status != 429)
        return std::unexpected(changed.error());
    if (status == 429)
        return accountPage(request, post.caller, {{"current_password", capitalised(changed.error().message)}}, 429);
    return accountPage(request, post.caller, {fieldError(changed.error())}, 422);
}

Result<Response> postSignOutOthers(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(ended, signOutOtherSessions(services, post.caller));
    return redirect("/account", web::Flash{web::Flash::Kind::Success,
                                           ended == 0 ? "You were not signed in anywhere else."
                                                      : "You are signed out everywhere else ("
                                                            + std::to_string(ended) + (ended == 1 ? " session)." : " sessions).")});
}

// ---- sending links ----

// The outcome of sending links: who got mail, and the links to pass on by hand.
Response linksPage(Services& services, const Request& request, const Caller& caller, const std::string& title,
                   const std::vector<PasswordLink>& links, const std::string& back, const std::string& backLabel)
{
    auto frame = frameFor(caller, title, "");
    std::string& m = frame.main;
    m += "<h1>" + web::escape(title) + "</h1>";
    const auto mailed = std::ranges::count_if(links, [](const PasswordLink& l) { return l.mailed; });
    if (links.empty())
        m += "<p>Everyone here already has a password: nobody was invited.</p>";
    if (mailed > 0)
        m += "<p>" + std::to_string(mailed) + (mailed == 1 ? " person gets" : " people get")
            + " their link by mail within a few minutes.</p>";
    if (static_cast<std::size_t>(mailed) < links.size()) {
        const std::string site = siteUrl(services, request);
        m += "<p>" + std::string(services.mail.enabled ? "These people have no email address, so pass"
                                                       : "This server sends no mail, so pass")
            + " each link on by hand, to that person only: whoever has it can set the password. Each works once; "
              "they are shown only now.</p><div class=\"table-wrap\"><table class=\"stack\"><caption>Links to pass on"
              "</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Email</th><th scope=\"col\">Link</th>"
              "<th scope=\"col\">Works until</th></tr></thead><tbody>";
        for (const auto& l : links) {
            if (l.mailed)
                continue;
            m += "<tr><th scope=\"row\">" + web::escape(l.person.displayName) + "</th><td data-label=\"Email\">"
                + web::escape(l.person.email.value_or("—")) + "</td><td data-label=\"Link\"><code class=\"secret\">"
                + web::escape(site + l.path) + "</code></td><td data-label=\"Works until\">"
                + web::escape(web::dateTimeText("UTC", l.expiresAt)) + " UTC</td></tr>";
        }
        m += "</tbody></table></div>";
    }
    m += "<p><a href=\"" + web::escape(back) + "\">" + web::escape(backLabel) + "</a></p>";
    return pageResponse(request, std::move(frame), 201);
}

Result<Response> postPersonLink(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, publicIdParam(request, "person"));
    const std::string purpose = post.form.text("purpose");
    if (purpose != "invitation" && purpose != "reset")
        return fail(Errc::InvalidRequest, "purpose: say whether it is an invitation or a reset");
    TRY_ASSIGN(link, sendPasswordLink(services, post.caller, id,
                                      purpose == "invitation" ? AccountLinkPurpose::Invitation
                                                              : AccountLinkPurpose::Reset));
    const std::string back = post.caller.person.isAdmin ? "/admin/people/" + id : "/";
    return linksPage(services, request, post.caller,
                     (purpose == "invitation" ? "Invitation for " : "Password link for ") + link.person.displayName,
                     {link}, back, post.caller.person.isAdmin ? link.person.displayName + "'s page" : "Home");
}

Result<Response> postCourseInvitations(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(course, services.liveCourse(id));
    TRY_ASSIGN(links, inviteCourse(services, post.caller, id));
    return linksPage(services, request, post.caller, "Invitations for " + course.name, links,
                     "/courses/" + id + "/roster", "Back to the people in " + course.name);
}

} // namespace

void addAccountPages(Router& router, Services& services)
{
    router.add("GET", "/password-reset", page(services, [&services](const Request& r) { return getReset(services, r); }));
    router.add("POST", "/password-reset", page(services, [&services](const Request& r) { return postReset(services, r); }));
    router.add("GET", "/password/{token}", page(services, [&services](const Request& r) { return getLink(services, r); }));
    router.add("POST", "/password/{token}", page(services, [&services](const Request& r) { return postLink(services, r); }));
    router.add("GET", "/account", page(services, [&services](const Request& r) { return getAccount(services, r); }));
    router.add("POST", "/account/password", page(services, [&services](const Request& r) { return postPassword(services, r); }));
    router.add("POST", "/account/sign-out-others",
               page(services, [&services](const Request& r) { return postSignOutOthers(services, r); }));
    router.add("POST", "/people/{person}/password-link",
               page(services, [&services](const Request& r) { return postPersonLink(services, r); }));
    router.add("POST", "/courses/{course}/invitations",
               page(services, [&services](const Request& r) { return postCourseInvitations(services, r); }));
}

} // namespace imhere::server
