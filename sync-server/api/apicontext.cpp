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

Credentials credentialsOf(const Request& request)
{
    Credentials credentials;
    if (const auto authorization = request.header("authorization"))
        credentials.authorization = std::string(*authorization);
    credentials.sessionCookie = request.cookie(k_sessionCookie);
    return credentials;
}

Result<Caller> ApiContext::caller(const Request& request) const
{
    TRY_ASSIGN(principal, services.auth.identify(credentialsOf(request)));
    switch (principal.kind) {
    case PrincipalKind::Anonymous: return fail(Errc::Unauthenticated, "sign in or send an API key");
    case PrincipalKind::Kiosk: return fail(Errc::Forbidden, "a kiosk token may only be used for sync");
    case PrincipalKind::ApiKey:
        if (request.changesState() && principal.scope == ApiScope::Read)
            return fail(Errc::InsufficientScope, "this API key may only read");
        break;
    case PrincipalKind::Session:
        if (request.changesState()) {
            const auto token = request.header("x-csrf-token");
            if (!token || !constantTimeEqual(asBytes(*token), asBytes(principal.csrfToken)))
                return fail(Errc::CsrfRequired, "send the session's CSRF token in the X-CSRF-Token header");
        }
        break;
    }
    Person person = *principal.person;
    const PrincipalKind kind = principal.kind;
    return Caller{std::move(person), kind, std::move(principal)};
}

Admission admitCallers(const ApiContext& api)
{
    return [&api](const Request& request) -> std::optional<Response> {
        if (auto caller = api.caller(request); !caller)
            return errorResponse(caller.error());
        return std::nullopt;
    };
}

Admission admitKiosks(const ApiContext& api)
{
    return [&api](const Request& request) -> std::optional<Response> {
        auto principal = api.services.auth.identify(credentialsOf(request));
        if (!principal)
            return errorResponse(principal.error());
        if (principal->kind == PrincipalKind::Anonymous)
            return errorResponse(401, "unauthenticated", "send the kiosk token as 'Authorization: Bearer <token>'");
        if (principal->kind != PrincipalKind::Kiosk)
            return errorResponse(403, "forbidden", "only a kiosk token may sync");
        return std::nullopt;
    };
}

} // namespace imhere::server
