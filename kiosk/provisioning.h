#pragma once
// First start of a kiosk (DESIGN §7): `--server URL --token TOKEN --data DIR`
// stores the server's address and the kiosk's token in DIR; later starts give
// only `--data`. The directory is made private (0700) and the store file in it
// readable by its owner only (0600), since the store holds the token and,
// after the first sync, the rotating-code and badge keys.
//
// Thread rules: call from main() before any other thread opens the store.

#include "kioskstore.h"

#include <optional>
#include <string>

namespace imhere::kiosk {

struct ProvisioningRequest {
    std::string dataDir;
    std::optional<std::string> serverUrl; // from --server
    std::optional<std::string> token;     // from --token
    std::optional<std::string> caFile;    // from --ca-file
};

// The store's file name inside the data directory.
inline constexpr const char* k_storeFileName = "kiosk.db";

// Checks a server base URL: http:// or https://, a host, no query or fragment.
[[nodiscard]] Result<void> checkServerUrl(const std::string& url);

// Creates or opens DIR/kiosk.db with private permissions and returns the
// credentials to use. Errors (code "usage" or "provisioning"):
//   - --server without --token or the other way round;
//   - a bad URL or an empty token;
//   - no stored credentials and none given;
//   - credentials given that differ from those already stored (one data
//     directory belongs to one kiosk of one server: use a new directory).
// Giving the same credentials again is accepted and changes nothing.
[[nodiscard]] Result<Credentials> provision(const ProvisioningRequest& request);

} // namespace imhere::kiosk
