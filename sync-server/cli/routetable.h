#pragma once
// Every route of imhere-server on one router: the JSON API and the web pages
// over the same services.

#include "sync-server/api/routes.h"
#include "sync-server/pages/pages.h"

namespace imhere::server {

inline void addAllRoutes(Router& router, ApiContext& api)
{
    addApiRoutes(router, api);
    addWebPages(router, api.services);
}

} // namespace imhere::server
