#pragma once
// Kiosks as the organisation manages them (DESIGN §4, §5, §7): provisioning
// issues a token, shown once, and the kiosk's rotating-code key; revoking
// stops the token at once (its next sync gets 401). Shared by the admin pages
// and `imhere-server kiosk add`, so both check the same things.
//
// Thread rules: any thread, like the Store.

#include "services.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace imhere::server {

struct ProvisionedKiosk {
    Kiosk kiosk;
    std::string token; // shown once; the store keeps only its hash
};

// Checks the name and the courses (invalid_request "name: ..." or
// "courses: ..."), then registers the kiosk with a new token and key.
// `createdBy` is nullopt from the command line.
[[nodiscard]] Result<ProvisionedKiosk> registerKiosk(Store& store, std::string name,
                                                     std::vector<std::string> courses,
                                                     std::optional<PersonId> createdBy);

// The same for an org admin; forbidden for anyone else.
[[nodiscard]] Result<ProvisionedKiosk> provisionKiosk(Services& services, const Caller& caller, std::string name,
                                                      std::vector<std::string> courses);
[[nodiscard]] Result<std::vector<KioskInfo>> kiosksFor(Services& services, const Caller& caller);
// false when the kiosk was already revoked; not_found for no such kiosk.
[[nodiscard]] Result<bool> revokeKiosk(Services& services, const Caller& caller, std::uint32_t kiosk);

// Called after each successful sync so the admin page can say when a kiosk
// last synced; writes at most once per k_kioskSyncResolutionMs per kiosk.
[[nodiscard]] Result<void> noteKioskSync(Services& services, const Kiosk& kiosk, std::int64_t kioskTimeMs);
// Puts each kiosk's stored last sync on /metrics, so a kiosk that has been
// silent since before a restart shows as such; at start-up.
[[nodiscard]] Result<void> loadKioskMetrics(Services& services);

// The command to run on the classroom machine (DESIGN §7).
[[nodiscard]] std::string kioskStartCommand(const std::string& serverUrl, const std::string& token);

} // namespace imhere::server
