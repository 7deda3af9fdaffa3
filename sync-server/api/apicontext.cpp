#include "apicontext.h"

#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/crypto.h"
#include "core/jsonreader.h"
#include "core/random.h"

namespace imhere::server {

Handler wrap(ApiHandler handler)
{
    return [handler = std::move(handler)](const Request& request) {
        auto result = handler(request);
        return result ? std::move(*result) : errorResponse(result.error());
    };
}

Handler wrapDeferring(DeferringApiHandler handler)
{
    return [handler = std::move(handler)](const Request& request) -> Reply {
        auto result = handler(request);
        if (!result)
            return errorResponse(result.error());
        return std::move(*result);
    };
}

ApiContext::ApiContext(Store& s, const Clock& c)
    : store(s), clock(c), auth(s, c),
      accountLimiter(limits::k_loginFailuresPerAccount, limits::k_loginFailureWindowMs),
      addressLimiter(limits::k_loginFailuresPerIp, limits::k_loginFailureWindowMs),
      remoteLimiter(limits::k_remoteRequestsPerIp, limits::k_remoteRequestWindowMs),
      linkCodeLimiter(limits::k_linkCodeFailuresPerIp, limits::k_linkCodeFailureWindowMs), checkIns(s)
{
}

Result<Caller> ApiContext::caller(const Request& request) const
{
    TRY_ASSIGN(principal, auth.identify(request));
    switch (principal.kind) {
    case PrincipalKind::Anonymous: return fail("unauthenticated", "sign in or send an API key");
    case PrincipalKind::Kiosk: return fail("forbidden", "a kiosk token may only be used for sync");
    case PrincipalKind::ApiKey:
        if (request.changesState() && principal.scope == ApiScope::Read)
            return fail("insufficient_scope", "this API key may only read");
        break;
    case PrincipalKind::Session:
        if (request.changesState()) {
            const auto token = request.header("x-csrf-token");
            if (!token || !constantTimeEqual(asBytes(*token), asBytes(principal.csrfToken)))
                return fail("csrf_required", "send the session's CSRF token in the X-CSRF-Token header");
        }
        break;
    }
    Person person = *principal.person;
    const PrincipalKind kind = principal.kind;
    return Caller{std::move(person), kind, std::move(principal)};
}

Result<CourseAccess> ApiContext::access(const Caller& c, std::string_view course) const
{
    TRY_ASSIGN(role, store.roleIn(c.person.id, course));
    return CourseAccess{role, c.person.isAdmin};
}

Result<Course> ApiContext::liveCourse(std::string_view id) const
{
    TRY_ASSIGN(course, store.course(id));
    if (!course || course->removed)
        return fail("not_found", "no such course");
    return *course;
}

Result<Window> ApiContext::windowById(std::string_view id) const
{
    TRY_ASSIGN(window, store.window(id));
    if (!window)
        return fail("not_found", "no such window");
    TRY(liveCourse(window->course));
    return *window;
}

Result<Person> ApiContext::personById(std::string_view publicId) const
{
    TRY_ASSIGN(person, store.personByPublicId(publicId));
    if (!person)
        return fail("not_found", "no such person");
    return *person;
}

Result<void> allow(bool allowed, std::string_view message)
{
    if (!allowed)
        return fail("forbidden", std::string(message));
    return {};
}

Result<std::string> uuidParam(const Request& request, std::string_view name)
{
    const auto& value = request.param(name);
    if (!isUuid(value))
        return fail("invalid_id", std::string(name) + " must be a lowercase UUID");
    return value;
}

Result<std::string> publicIdParam(const Request& request, std::string_view name)
{
    const auto& value = request.param(name);
    if (!isPublicId(value))
        return fail("invalid_id", std::string(name) + " must be a 10-character public id");
    return value;
}

Error invalid(std::string message)
{
    return Error{"invalid_request", std::move(message)};
}

Result<void> requireJsonContentType(const Request& request)
{
    const auto type = request.header("content-type");
    if (type || !request.body.empty()) {
        std::string lower(type.value_or(""));
        for (char& ch : lower)
            ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        constexpr std::string_view json = "application/json";
        const bool ok = lower.starts_with(json) && (lower.size() == json.size() || lower[json.size()] == ';'
                                                    || lower[json.size()] == ' ');
        if (!ok)
            return fail("unsupported_media_type", "send the body as application/json");
    }
    return {};
}

Result<nlohmann::json> jsonBody(const Request& request)
{
    TRY(requireJsonContentType(request));
    if (request.body.empty())
        return nlohmann::json::object();
    if (!jsonDepthWithin(request.body, imhere::limits::k_maxJsonDepth))
        return fail("malformed_json", "the body is nested too deeply");
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::exception& e) {
        return fail("malformed_json", std::string("the body is not valid JSON: ") + e.what());
    }
    if (!parsed.is_object())
        return std::unexpected(invalid("the body must be a JSON object"));
    return parsed;
}

} // namespace imhere::server
