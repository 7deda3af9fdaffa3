// Sign-in and sign-out. The sign-in form carries a one-time token that must
// match a cookie set with the form, so another site cannot sign a browser in
// to an account of its choosing.

#include "pages.h"

#include "sync-server/service/accounts.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include "core/crypto.h"
#include "core/random.h"

#include <algorithm>

namespace imhere::server {

namespace {

constexpr std::string_view k_loginCookie = "imhere_login";
constexpr int k_loginFormMaxAgeSec = 3600;

// Where to go after signing in: a path on this site only. It starts with
// one '/' (not "//" or "/\\", which browsers read as another host), and
// holds no scheme, backslash or control character; anything else is home.
std::string safeNext(std::string_view next)
{
    const bool local = next.size() >= 1 && next.size() <= 1024 && next[0] == '/'
        && (next.size() == 1 || (next[1] != '/' && next[1] != '\\'))
        && std::ranges::none_of(next, [](char c) { return c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })
        && next.find(':') == std::string_view::npos;
    return local ? std::string(next) : std::string("/");
}

Response signInForm(const Request& request, int status, const std::string& email, const std::string& error,
                    const std::string& next, bool wrongPassword = false)
{
    const std::string token = randomToken(16);
    web::PageFrame f;
    f.title = "Sign in";
    f.description = "Sign in to imhere to take or manage attendance";
    f.narrow = true;
    std::string& m = f.main;
    if (!error.empty())
        m += web::errorSummary({{"email", error}});
    if (wrongPassword)
        m += "<p>Forgot your password? <a href=\"/password-reset\">Get a link to choose a new one</a>. "
             "No mail arrives? Your course's teacher or an org admin can send you a link.</p>";
    m += "<h1>Sign in</h1><p>Use the email and password your course team gave you.</p>"
         "<form method=\"post\" action=\"/login\" novalidate>";
    m += web::hiddenInput("login_token", token);
    if (next != "/")
        m += web::hiddenInput("next", next);
    m += web::renderField({.name = "email", .label = "Email address", .type = "email", .value = email,
                           .error = error, .autocomplete = "username", .required = true});
    m += web::renderField({.name = "password", .label = "Password", .type = "password",
                           .autocomplete = "current-password", .required = true});
    m += "<button type=\"submit\">Sign in</button></form>"
         "<p><a href=\"/password-reset\">Forgot your password?</a></p>"
         "<p class=\"muted\">Checking in from a video call? Scan the code on the classroom screen with your "
         "phone instead.</p>";
    Response r = pageResponse(request, std::move(f), status);
    r.withHeader("Set-Cookie", std::string(k_loginCookie) + "=" + token + "; Path=/login; HttpOnly; SameSite=Strict; Max-Age="
                                   + std::to_string(k_loginFormMaxAgeSec));
    return r;
}

Result<Response> getSignIn(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, sessionCaller(services, request));
    const auto next = request.query.find("next");
    const std::string target = safeNext(next == request.query.end() ? "/" : next->second);
    if (caller)
        return redirect(target);
    return signInForm(request, 200, "", "", target);
}

Result<Response> postSignIn(Services& services, const Request& request)
{
    TRY_ASSIGN(form, formBody(request));
    const std::string email = form.text("email");
    const std::string password = form.get("password").value_or("");
    const std::string next = safeNext(form.text("next").empty() ? "/" : form.text("next"));
    const auto cookie = request.cookie(k_loginCookie);
    const std::string token = form.get("login_token").value_or("");
    if (!cookie || token.empty() || !constantTimeEqual(asBytes(*cookie), asBytes(token)))
        return signInForm(request, 403, email, "This sign-in form has expired; try again", next);
    if (email.empty() || password.empty() || email.size() > limits::k_maxEmailBytes
        || password.size() > limits::k_maxPasswordBytes)
        return signInForm(request, 422, email, "Enter your email address and password", next);
    auto waitPage = [&](std::int64_t wait) {
        Response r = signInForm(request, 429, email,
                                "Too many failed attempts; wait " + std::to_string((wait + 59'999) / 60'000)
                                    + " minutes and try again",
                                next, true);
        r.withHeader("Retry-After", std::to_string((wait + 999) / 1000));
        return r;
    };
    if (const auto wait = signInRetryAfterMs(services, email, request.remoteIp); wait > 0)
        return waitPage(wait);
    auto signedIn = signIn(services, email, password, request.remoteIp);
    if (!signedIn && signedIn.error().code == Errc::BadCredentials)
        return signInForm(request, 401, email, "The email address or password is wrong", next, true);
    if (!signedIn && signedIn.error().code == Errc::RateLimited)
        return waitPage(std::max<std::int64_t>(signInRetryAfterMs(services, email, request.remoteIp), 1000));
    if (!signedIn)
        return std::unexpected(signedIn.error());
    Response r = redirect(next);
    r.withHeader("Set-Cookie", sessionCookie(signedIn->sessionToken, limits::k_sessionLifetimeMs / 1000));
    return r;
}

Result<Response> postSignOut(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY(signOut(services, post.caller));
    Response r = redirect("/login", web::Flash{web::Flash::Kind::Success, "You have signed out."});
    r.withHeader("Set-Cookie", sessionCookie("", 0));
    return r;
}

} // namespace

void addSignInPages(Router& router, Services& services)
{
    router.add("GET", "/login", page(services, [&services](const Request& r) { return getSignIn(services, r); }));
    router.add("POST", "/login", page(services, [&services](const Request& r) { return postSignIn(services, r); }));
    router.add("POST", "/logout", page(services, [&services](const Request& r) { return postSignOut(services, r); }));
}

} // namespace imhere::server
