// Sign-in, sessions and people (org admins). API keys: apikeyroutes.cpp.

#include "apijson.h"
#include "routes.h"
#include "sync-server/service/courseviews.h"

#include "sync-server/service/accountlinks.h"
#include "sync-server/service/accounts.h"
#include "sync-server/service/people.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/jsonreader.h"

#include <algorithm>

namespace imhere::server {

namespace {

Response tooManyAttempts(std::int64_t retryMs)
{
    Response r = errorResponse(429, "rate_limited", "too many failed sign-ins; try again later");
    r.withHeader("Retry-After", std::to_string((retryMs + 999) / 1000));
    return r;
}

Result<Response> login(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"email", "password"});
    const std::string email = r.text("email", limits::k_maxEmailBytes);
    const std::string password = r.text("password", limits::k_maxPasswordBytes);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    if (const auto wait = signInRetryAfterMs(api.services, email, request.remoteIp); wait > 0)
        return tooManyAttempts(wait);
    auto attempt = signIn(api.services, email, password, request.remoteIp);
    if (!attempt && attempt.error().code == Errc::RateLimited)
        return tooManyAttempts(std::max<std::int64_t>(signInRetryAfterMs(api.services, email, request.remoteIp), 1000));
    TRY_ASSIGN(signedIn, std::move(attempt));
    Response response =
        jsonResponse(200, {{"person", personJson(signedIn.person, true)}, {"csrf_token", signedIn.csrfToken}});
    response.withHeader("Set-Cookie", sessionCookie(signedIn.sessionToken, limits::k_sessionLifetimeMs / 1000));
    return response;
}

Result<Response> logout(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY(signOut(api.services, caller));
    Response response = jsonResponse(200, {{"signed_out", true}});
    response.withHeader("Set-Cookie", sessionCookie("", 0));
    return response;
}

Result<Response> me(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(courses, enrolledCourses(api.services, caller));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : courses)
        list.push_back(courseJson(c.course, c.role));
    return jsonResponse(200, {{"person", personJson(caller.person, true)}, {"courses", list}});
}

Result<Response> createPerson(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY(allow(caller.person.isAdmin, "only an org admin adds people"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"display_name", "email", "github", "codewars", "is_admin", "password"});
    PersonDetails p;
    p.displayName = r.text("display_name", imhere::limits::k_maxNameBytes);
    p.email = r.optionalText("email", limits::k_maxEmailBytes);
    p.github = r.optionalText("github", limits::k_maxUsernameBytes, TextKind::Token);
    p.codewars = r.optionalText("codewars", limits::k_maxUsernameBytes, TextKind::Token);
    p.isAdmin = r.optionalBoolean("is_admin", false);
    p.password = r.optionalText("password", limits::k_maxPasswordBytes);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(added, addPerson(api.services, caller, std::move(p)));
    nlohmann::json out = {{"person", personJson(added.person, true)}};
    if (added.generatedPassword)
        out["password"] = *added.generatedPassword; // shown once
    return jsonResponse(201, out);
}

Result<Response> listPeople(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(people, listPeople(api.services, caller));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : people)
        list.push_back(personJson(p, true));
    return jsonResponse(200, {{"people", list}});
}

// The start of links: the public-url setting, else the Host this request
// came to (only ever shown to the caller who asked).
std::string siteUrl(const ApiContext& api, const Request& request)
{
    if (!api.services.mail.siteUrl.empty())
        return api.services.mail.siteUrl;
    const std::string host(request.header("host").value_or(""));
    const bool plain = !host.empty() && host.size() < 256 && std::ranges::all_of(host, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
            || c == ':' || c == '[' || c == ']';
    });
    return plain ? "http://" + host : std::string();
}

nlohmann::json linkJson(const ApiContext& api, const Request& request, const PasswordLink& link)
{
    nlohmann::json out = {{"person", personJson(link.person, true)},
                          {"purpose", link.purpose == AccountLinkPurpose::Invitation ? "invitation" : "reset"},
                          {"mailed", link.mailed},
                          {"expires_at", link.expiresAt}};
    if (!link.mailed)
        out["link"] = siteUrl(api, request) + link.path; // shown once, to pass on by hand
    return out;
}

Result<Response> requestReset(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"email"});
    const std::string email = r.text("email", limits::k_maxEmailBytes);
    if (r.ok() && email.find('@') == std::string::npos)
        r.failAt("email", "expected an email address");
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    auto asked = requestPasswordReset(api.services, email, request.remoteIp);
    if (!asked && asked.error().code == Errc::RateLimited) {
        Response response = errorResponse(429, "rate_limited", asked.error().message);
        response.withHeader("Retry-After", std::to_string(limits::k_resetRequestWindowMs / 1000));
        return response;
    }
    if (!asked)
        return std::unexpected(asked.error());
    // The same answer whether or not the address has an account.
    return jsonResponse(202, {{"requested", true}, {"mail_enabled", api.services.mail.enabled}});
}

Result<Response> changeMyPassword(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"current_password", "new_password"});
    const std::string current = r.text("current_password", limits::k_maxPasswordBytes);
    const std::string fresh = r.text("new_password", limits::k_maxPasswordBytes + 1);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY(changePassword(api.services, caller, current, fresh));
    return jsonResponse(200, {{"changed", true}});
}

Result<Response> signOutOthers(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(ended, signOutOtherSessions(api.services, caller));
    return jsonResponse(200, {{"signed_out", ended}});
}

Result<Response> personPasswordLink(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, publicIdParam(request, "person"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"purpose"});
    const std::string purpose = r.text("purpose", 20, TextKind::Token);
    if (r.ok() && purpose != "invitation" && purpose != "reset")
        r.failAt("purpose", "expected \"invitation\" or \"reset\"");
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(link, sendPasswordLink(api.services, caller, id,
                                      purpose == "invitation" ? AccountLinkPurpose::Invitation
                                                              : AccountLinkPurpose::Reset));
    return jsonResponse(201, linkJson(api, request, link));
}

Result<Response> courseInvitations(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(links, inviteCourse(api.services, caller, id));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& l : links)
        list.push_back(linkJson(api, request, l));
    return jsonResponse(201, {{"invitations", list}});
}

} // namespace

void addAccountRoutes(Router& router, ApiContext& api)
{
    router.add("POST", "/api/v1/login", wrap([&api](const Request& r) { return login(api, r); }));
    router.add("POST", "/api/v1/logout", wrap([&api](const Request& r) { return logout(api, r); }));
    router.add("GET", "/api/v1/me", wrap([&api](const Request& r) { return me(api, r); }));
    router.add("GET", "/api/v1/people", wrap([&api](const Request& r) { return listPeople(api, r); }));
    router.add("POST", "/api/v1/people", wrap([&api](const Request& r) { return createPerson(api, r); }));
    router.add("POST", "/api/v1/password-resets", wrap([&api](const Request& r) { return requestReset(api, r); }));
    router.add("POST", "/api/v1/me/password", wrap([&api](const Request& r) { return changeMyPassword(api, r); }));
    router.add("POST", "/api/v1/me/sign-out-others", wrap([&api](const Request& r) { return signOutOthers(api, r); }));
    router.add("POST", "/api/v1/people/{person}/password-link",
               wrap([&api](const Request& r) { return personPasswordLink(api, r); }));
    router.add("POST", "/api/v1/courses/{course}/invitations",
               wrap([&api](const Request& r) { return courseInvitations(api, r); }));
}

} // namespace imhere::server
