#pragma once
// The JSON API's routes (DESIGN §6). Each add*Routes lives in its own file;
// docs/openapi.yaml lists the same set, and a test keeps the two in step.

#include "apicontext.h"


namespace imhere::server {

void addAccountRoutes(Router& router, ApiContext& api);
void addApiKeyRoutes(Router& router, ApiContext& api);
void addCourseRoutes(Router& router, ApiContext& api);
void addWindowRoutes(Router& router, ApiContext& api);
void addRecordRoutes(Router& router, ApiContext& api);
void addSyncRoutes(Router& router, ApiContext& api);
void addTrackerRoutes(Router& router, ApiContext& api);
void addReportRoutes(Router& router, ApiContext& api);
void addMilestoneRoutes(Router& router, ApiContext& api);
// GET /metrics, admitted as api.metricsAccess says.
void addMetricsRoute(Router& router, ApiContext& api);

// Every /api/v1 route, /healthz and /metrics.
inline void addApiRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/healthz", [](const Request&) { return jsonResponse(200, {{"status", "ok"}}); });
    addAccountRoutes(router, api);
    addApiKeyRoutes(router, api);
    addCourseRoutes(router, api);
    addWindowRoutes(router, api);
    addRecordRoutes(router, api);
    addSyncRoutes(router, api);
    addTrackerRoutes(router, api);
    addReportRoutes(router, api);
    addMilestoneRoutes(router, api);
    addMetricsRoute(router, api);
    // A body is read only from a caller the route would accept.
    router.admitUnder("/api/v1/", admitCallers(api), {"/api/v1/login", "/api/v1/password-resets"});
}

} // namespace imhere::server
