// Sign-in, sessions and people (org admins). API keys: apikeyroutes.cpp.

#include "apijson.h"
#include "routes.h"
#include "sync-server/service/courseviews.h"

#include "sync-server/service/accounts.h"
#include "sync-server/service/people.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/jsonreader.h"

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
    TRY_ASSIGN(signedIn, signIn(api.services, email, password, request.remoteIp));
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

} // namespace

void addAccountRoutes(Router& router, ApiContext& api)
{
    router.add("POST", "/api/v1/login", wrap([&api](const Request& r) { return login(api, r); }));
    router.add("POST", "/api/v1/logout", wrap([&api](const Request& r) { return logout(api, r); }));
    router.add("GET", "/api/v1/me", wrap([&api](const Request& r) { return me(api, r); }));
    router.add("GET", "/api/v1/people", wrap([&api](const Request& r) { return listPeople(api, r); }));
    router.add("POST", "/api/v1/people", wrap([&api](const Request& r) { return createPerson(api, r); }));
}

} // namespace imhere::server
