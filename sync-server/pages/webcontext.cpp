#include "webcontext.h"

#include "core/result.h"
#include "sync-server/web/html.h"

#include "core/crypto.h"
#include "core/encoding.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_flashCookie = "imhere_flash";
constexpr int k_flashMaxAgeSec = 60;

// Inline styles and data: images only; forms post back to this site; never framed.
constexpr std::string_view k_contentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

std::string errorTitle(int status)
{
    switch (status) {
    case 400: return "That request was not understood";
    case 403: return "You cannot do that";
    case 404: return "Page not found";
    case 405: return "That cannot be done here";
    case 431: return "That request was too large";
    case 503: return "Busy for a moment";
    case 409: return "That could not be done";
    case 413: return "That was too large";
    case 415: return "That form could not be read";
    case 422: return "Check what you entered";
    case 429: return "Too many attempts";
    default: return "Something went wrong";
    }
}

// The page for an error with `status`; `message` says what happened (not
// shown for the server's own failures, which may carry storage detail).
Response errorPageFor(Services& services, const Request& request, int status, std::string message)
{
    web::PageFrame frame;
    frame.title = errorTitle(status);
    frame.description = frame.title;
    if (auto caller = sessionCaller(services, request); caller && *caller)
        frame = frameFor(**caller, frame.title, "");
    if (status >= 500)
        message = status == 503 ? "the server is busy; try again in a moment"
                                : "the server could not complete that; try again in a minute";
    if (!message.empty())
        message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    frame.main = "<h1>" + web::escape(frame.title) + "</h1><p class=\"lead\">" + web::escape(message)
        + ".</p><p><a href=\"/\">Go to your home page</a></p>";
    return htmlResponse(status >= 500 && status != 503 ? 500 : status, web::renderPage(frame));
}

Response errorPage(Services& services, const Request& request, const Error& error)
{
    return errorPageFor(services, request, statusForErrorCode(error.code), error.message);
}

std::string flashCookie(const std::string& value, int maxAge)
{
    return std::string(k_flashCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + std::to_string(maxAge);
}

} // namespace

Handler page(Services& services, PageHandler handler)
{
    return [&services, handler = std::move(handler)](const Request& request) {
        auto result = handler(request);
        if (result)
            return std::move(*result);
        if (result.error().code == Errc::Unauthenticated)
            return redirect(request.method == "GET" && request.path != "/"
                                ? "/login?next=" + web::urlEncode(request.path)
                                : std::string("/login"));
        return errorPage(services, request, result.error());
    };
}

ErrorPage errorPages(Services& services)
{
    return [&services](const Request& request, const Response& jsonError) {
        std::string message;
        const auto body = nlohmann::json::parse(jsonError.body, nullptr, false);
        if (body.is_object() && body.contains("error") && body["error"].is_object()
            && body["error"].value("message", nlohmann::json()).is_string())
            message = body["error"]["message"].get<std::string>();
        Response page = errorPageFor(services, request, jsonError.status, std::move(message));
        for (const auto& header : jsonError.headers) // Allow, Retry-After, Connection
            page.headers.push_back(header);
        return page;
    };
}

Result<std::optional<Caller>> sessionCaller(Services& services, const Request& request)
{
    // A bearer token is read too, so that a bad one is refused here as on the API.
    const auto authorization = request.header("authorization");
    TRY_ASSIGN(principal, services.auth.identify(
                              {authorization ? std::optional<std::string>(*authorization) : std::nullopt,
                               request.cookie(k_sessionCookie)}));
    if (principal.kind != PrincipalKind::Session)
        return std::optional<Caller>();
    Person person = *principal.person;
    return std::optional<Caller>(Caller{std::move(person), PrincipalKind::Session, std::move(principal)});
}

Admission admitSignedIn(Services& services)
{
    return [&services](const Request& request) -> std::optional<Response> {
        if (!request.changesState())
            return std::nullopt;
        auto caller = sessionCaller(services, request);
        if (caller && *caller)
            return std::nullopt;
        if (!caller && caller.error().code != Errc::Unauthenticated)
            return std::nullopt; // the page itself shows the failure
        return redirect("/login");
    };
}

Result<Caller> requireSignedIn(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, sessionCaller(services, request));
    if (!caller)
        return fail(Errc::Unauthenticated, "sign in first");
    return std::move(*caller);
}

Result<web::FormData> formBody(const Request& request)
{
    const auto type = request.header("content-type").value_or("");
    if (type.substr(0, type.find(';')) != "application/x-www-form-urlencoded")
        return fail(Errc::UnsupportedMediaType, "this page takes form posts only");
    auto form = web::FormData::parse(request.body);
    if (!form)
        return fail(Errc::InvalidForm, form.error().message);
    return form;
}

Result<FormPost> signedInPost(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(form, formBody(request));
    const std::string token = form.get("csrf").value_or("");
    if (!constantTimeEqual(asBytes(token), asBytes(caller.principal.csrfToken)))
        return fail(Errc::CsrfRequired, "this form has expired; go back, reload the page and try again");
    return FormPost{std::move(caller), std::move(form)};
}

Response htmlResponse(int status, const std::string& html)
{
    Response r{status, "text/html; charset=utf-8", html, {}};
    r.withHeader("Content-Security-Policy", std::string(k_contentSecurityPolicy))
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Referrer-Policy", "no-referrer")
        .withHeader("Cache-Control", "no-store");
    return r;
}

Response redirect(const std::string& location, std::optional<web::Flash> flash)
{
    Response r{303, "text/html; charset=utf-8", "<!doctype html><title>See other</title><a href=\"" +
                                                     web::escape(location) + "\">Continue</a>", {}};
    r.withHeader("Location", location).withHeader("Cache-Control", "no-store");
    if (flash) {
        const char kind = flash->kind == web::Flash::Kind::Error ? 'e' : 's';
        r.withHeader("Set-Cookie", flashCookie(std::string(1, kind) + web::urlEncode(flash->message), k_flashMaxAgeSec));
    }
    return r;
}

Response pageResponse(const Request& request, web::PageFrame frame, int status)
{
    const auto value = request.cookie(k_flashCookie);
    if (value && value->size() >= 2 && !frame.flash) {
        auto message = web::percentDecode(std::string_view(*value).substr(1));
        if (message && isValidUtf8(*message) && message->size() <= 300)
            frame.flash = web::Flash{(*value)[0] == 'e' ? web::Flash::Kind::Error : web::Flash::Kind::Success,
                                     std::move(*message)};
    }
    Response r = htmlResponse(status, web::renderPage(frame));
    if (value)
        r.withHeader("Set-Cookie", flashCookie("", 0));
    return r;
}

Result<Response> redirectWithOutcome(Result<std::string> done, const std::string& back)
{
    if (done)
        return redirect(back, web::Flash{web::Flash::Kind::Success, *done});
    // A refusal by role only comes from a request the pages never offer (no
    // button is shown to whom it is refused), so it gets the 403 page.
    const int status = statusForErrorCode(done.error().code);
    if (status >= 500 || status == 401 || status == 403)
        return std::unexpected(done.error());
    std::string message = done.error().message;
    if (!message.empty())
        message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    return redirect(back, web::Flash{web::Flash::Kind::Error, message + "."});
}

web::PageFrame frameFor(const Caller& caller, std::string title, const std::string& current)
{
    web::PageFrame f;
    f.title = std::move(title);
    f.description = f.title + " — imhere attendance";
    f.userName = caller.person.displayName;
    f.csrfToken = caller.principal.csrfToken;
    f.nav = {{"/", "Courses", current == "/"},
             {"/me", "My attendance", current == "/me"},
             {"/me/milestones", "My milestones", current == "/me/milestones"},
             {"/account", "My account", current == "/account"}};
    if (caller.person.isAdmin || caller.person.isLead)
        f.nav.push_back({"/reports", "Reports", current == "/reports"});
    if (caller.person.isAdmin)
        f.nav.push_back({"/admin", "Admin", current == "/admin"});
    return f;
}

} // namespace imhere::server
