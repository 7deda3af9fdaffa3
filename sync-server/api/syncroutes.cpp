// POST /api/v1/kiosk/sync (DESIGN §5), for kiosk tokens only.

#include "routes.h"

#include "sync-server/service/kiosks.h"
#include "sync-server/service/kiosksync.h"
#include "core/result.h"

#include "core/limits.h"
#include "core/syncprotocol.h"

#include <cstdio>

namespace imhere::server {

namespace {

Result<Response> syncRoute(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(principal, api.services.auth.identify(credentialsOf(request)));
    if (principal.kind == PrincipalKind::Anonymous)
        return fail(Errc::Unauthenticated, "send the kiosk token as 'Authorization: Bearer <token>'");
    TRY(allow(principal.kind == PrincipalKind::Kiosk, "only a kiosk token may sync"));
    TRY(requireJsonContentType(request));
    auto decoded = sync::decodeRequest(request.body);
    if (!decoded) {
        const auto& e = decoded.error();
        if (e.code == Errc::MalformedJson || e.code == Errc::UnsupportedProtocol)
            return std::unexpected(e);
        if (e.code == Errc::TooLarge)
            return fail(Errc::TooLarge, e.message);
        return std::unexpected(invalid(e.message));
    }
    TRY_ASSIGN(response, syncKiosk(api.services, *principal.kiosk, *decoded));
    // Bookkeeping for the admin page; the sync itself is committed, so a
    // failure here must not make the kiosk send its batch again.
    if (auto noted = noteKioskSync(api.services, *principal.kiosk, decoded->kioskTimeMs); !noted)
        std::fprintf(stderr, "imhere-server: kiosk %u last sync not recorded: %s\n", principal.kiosk->id,
                     noted.error().message.c_str());
    return Response{200, "application/json", sync::encode(response), {}};
}

} // namespace

void addSyncRoutes(Router& router, ApiContext& api)
{
    router.add("POST", "/api/v1/kiosk/sync", wrap([&api](const Request& r) { return syncRoute(api, r); }),
               RouteOptions{imhere::limits::k_maxSyncBodyBytes, admitKiosks(api)});
}

} // namespace imhere::server
