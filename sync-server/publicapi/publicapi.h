#pragma once
// The public API (DESIGN §6 "/api/public/v1", docs/PUBLIC-API.md): read-only
// JSON for other services, people only by their random public id, over the
// domain's public view (service/publicview.h). This folder owns its HTTP
// conventions: cursor pagination, ETag and 304, Cache-Control, CORS for GET
// (and its OPTIONS preflight), a request budget per client with RateLimit-*
// headers and 429, and, when the server says so, a required API key.
//
// Thread rules: handlers run on the HTTP pool threads, several at once; the
// settings are set before the server starts, the limiter locks inside.

#include "clientlimiter.h"

#include "sync-server/http/router.h"
#include "sync-server/service/services.h"

namespace imhere::server {

struct PublicApiSettings {
    // Off: open to anyone. On: callers send an API key (a read-only one is enough).
    bool requireKey = false;
    int requestsPerMinute = 0; // per client; 0: limits::k_publicRequestsPerMinute
};

class PublicApi {
public:
    PublicApi(Services& s, PublicApiSettings chosen);
    Services& services;
    const PublicApiSettings settings;
    ClientLimiter limiter;
};

// Every /api/public/v1 route, GET and its OPTIONS preflight.
void addPublicRoutes(Router& router, PublicApi& api);

} // namespace imhere::server
