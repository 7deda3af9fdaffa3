#include "kiosks.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/limits.h"
#include "core/random.h"

#include <algorithm>

namespace imhere::server {

namespace {
// Where the kiosk keeps its store and credentials on the classroom machine.
constexpr std::string_view k_kioskDataDir = "/var/lib/imhere-kiosk";
} // namespace

Result<ProvisionedKiosk> registerKiosk(Store& store, std::string name, std::vector<std::string> courses,
                                       std::optional<PersonId> createdBy)
{
    if (name.empty() || name.size() > imhere::limits::k_maxNameBytes)
        return std::unexpected(invalid("name: give the kiosk a name of at most 200 bytes, such as the room it is in"));
    if (courses.empty())
        return std::unexpected(invalid("courses: choose at least one course for the kiosk to serve"));
    std::ranges::sort(courses);
    courses.erase(std::ranges::unique(courses).begin(), courses.end());
    for (const auto& id : courses) {
        if (!isUuid(id))
            return std::unexpected(invalid("courses: \"" + id.substr(0, 40) + "\" is not a course id"));
        TRY_ASSIGN(course, store.courses().course(id));
        if (!course || course->removed)
            return std::unexpected(invalid("courses: there is no course " + id));
    }
    IssuedToken token = issueToken(k_kioskTokenPrefix);
    TRY_ASSIGN(kiosk, store.kiosks().createKiosk({std::move(name), token.lookup, token.hash,
                                         randomBytes(imhere::limits::k_kioskKeyBytes), std::move(courses), createdBy}));
    return ProvisionedKiosk{std::move(kiosk), std::move(token.token)};
}

Result<ProvisionedKiosk> provisionKiosk(Services& services, const Caller& caller, std::string name,
                                        std::vector<std::string> courses)
{
    TRY(allow(caller.person.isAdmin, "only an org admin provisions kiosks"));
    return registerKiosk(services.store, std::move(name), std::move(courses), caller.person.id);
}

Result<std::vector<KioskInfo>> kiosksFor(Services& services, const Caller& caller)
{
    TRY(allow(caller.person.isAdmin, "only an org admin sees the kiosks"));
    return services.store.kiosks().listKiosks();
}

Result<bool> revokeKiosk(Services& services, const Caller& caller, std::uint32_t kiosk)
{
    TRY(allow(caller.person.isAdmin, "only an org admin revokes kiosks"));
    return services.store.kiosks().revokeKiosk(kiosk, caller.person.id);
}

Result<void> noteKioskSync(Services& services, const Kiosk& kiosk, std::int64_t kioskTimeMs)
{
    const std::int64_t now = services.clock.nowMs();
    return services.store.kiosks().noteKioskSync(kiosk.id, now, kioskTimeMs - now, limits::k_kioskSyncResolutionMs,
                                                 limits::k_kioskSkewResolutionMs);
}

std::string kioskStartCommand(const std::string& serverUrl, const std::string& token)
{
    return "imhere-kiosk --server " + serverUrl + " --token " + token + " --data " + std::string(k_kioskDataDir);
}

Result<void> loadKioskMetrics(Services& services)
{
    TRY_ASSIGN(kiosks, services.store.kiosks().listKiosks());
    for (const KioskInfo& k : kiosks)
        if (!k.revoked && k.lastSyncAt)
            services.metrics.recordKioskLastSync(k.id, *k.lastSyncAt);
    return {};
}

} // namespace imhere::server
