// GET /metrics: the server's metrics in the Prometheus text format, for
// whoever the `metrics` setting lets in (docs/OPERATIONS.md).

#include "routes.h"

#include "sync-server/auth/tokens.h"

#include "core/crypto.h"

namespace imhere::server {

namespace {

bool fromLoopback(const Request& request)
{
    return request.remoteIp.starts_with("127.") || request.remoteIp == "::1";
}

// A request relayed by a proxy on the same machine arrives from loopback
// but was sent by someone else.
bool relayed(const Request& request)
{
    return request.header("forwarded") || request.header("x-forwarded-for") || request.header("x-real-ip");
}

Result<void> admit(const MetricsAccess& access, const Request& request)
{
    switch (access.mode) {
    case MetricsAccess::Mode::Off: return fail(Errc::NotFound, "no such resource");
    case MetricsAccess::Mode::Loopback:
        if (!fromLoopback(request) || relayed(request))
            return fail(Errc::Forbidden, "metrics are served to this machine only (setting metrics = loopback)");
        return {};
    case MetricsAccess::Mode::Token: {
        const auto authorization = request.header("authorization");
        constexpr std::string_view scheme = "Bearer ";
        if (!authorization || !authorization->starts_with(scheme) || access.token.empty())
            return fail(Errc::Unauthenticated, "send the metrics token as Authorization: Bearer");
        const Bytes sent = sha256(authorization->substr(scheme.size()));
        const Bytes wanted = sha256(access.token);
        if (!constantTimeEqual(sent, wanted))
            return fail(Errc::BadCredentials, "wrong metrics token");
        return {};
    }
    }
    return fail(Errc::NotFound, "no such resource");
}

} // namespace

void addMetricsRoute(Router& router, ApiContext& api)
{
    router.add("GET", "/metrics", [&api](const Request& request) -> Reply {
        if (auto admitted = admit(api.metricsAccess, request); !admitted)
            return errorResponse(admitted.error());
        Response r;
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        r.body = api.services.metrics.render();
        return r;
    });
}

} // namespace imhere::server
