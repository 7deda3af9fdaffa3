#pragma once
// What every /api/v1 handler shares: who is calling, strict body reading and
// path parameters. The rules are the services' (sync-server/service/).
// Handlers return Result<Response>; wrap() turns an Error into the DESIGN §6
// JSON error with its status.
//
// Thread rules: handlers run on the HTTP pool threads, several at once;
// everything here is safe for that (the store and limiters lock inside).

#include "jsonbody.h"
#include "sync-server/http/router.h"
#include "sync-server/service/services.h"

#include <nlohmann/json.hpp>

namespace imhere::server {

using ApiHandler = std::function<Result<Response>(const Request&)>;
[[nodiscard]] Handler wrap(ApiHandler handler);
// The same for a handler that may answer later (a Deferred reply).
using DeferringApiHandler = std::function<Result<Reply>(const Request&)>;
[[nodiscard]] Handler wrapDeferring(DeferringApiHandler handler);

// Who may read GET /metrics (the `metrics` setting): nobody (404), clients
// on this machine not relayed by a proxy (403 otherwise), or whoever sends
// the token as a bearer (401 otherwise).
struct MetricsAccess {
    enum class Mode { Off, Loopback, Token };
    Mode mode = Mode::Loopback;
    std::string token;
};

// The JSON API's side of the services: who is calling, from the request.
class ApiContext {
public:
    explicit ApiContext(Services& s) : services(s) {}

    Services& services;
    // Set before the server starts; read by every /metrics request.
    MetricsAccess metricsAccess;

    // 401 when anonymous; 403 for a kiosk token, for a read-only API key on a
    // state-changing request, and for a session request without its CSRF token.
    [[nodiscard]] Result<Caller> caller(const Request& request) const;
};

// Admissions (sync-server/http/router.h), decided from the headers before a
// body is read: the same refusals caller() makes (401, 403), and for the
// kiosk sync, a kiosk token.
[[nodiscard]] Admission admitCallers(const ApiContext& api);
[[nodiscard]] Admission admitKiosks(const ApiContext& api);

// The credentials a request presents (Authorization header, session cookie).
[[nodiscard]] Credentials credentialsOf(const Request& request);

} // namespace imhere::server
