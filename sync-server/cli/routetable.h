#pragma once
// Every route of imhere-server on one router: the JSON API, the public API and the web pages
// over the same services.

#include "sync-server/api/routes.h"
#include "sync-server/pages/pages.h"
#include "sync-server/publicapi/publicapi.h"

namespace imhere::server {

inline void addAllRoutes(Router& router, ApiContext& api, PublicApi& publicApi)
{
    addApiRoutes(router, api);
    addPublicRoutes(router, publicApi);
    addWebPages(router, api.services);
}

} // namespace imhere::server
