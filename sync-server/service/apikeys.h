#pragma once
// API keys people manage: made with a name, a scope and an expiry from a
// signed-in session (a key minting keys would outlive its own revocation),
// listed with when each was last used, and revoked by their owner or an org
// admin. The secret is shown once; the store keeps its hash (auth/tokens.h).
// A revoked or expired key is refused on its next request (auth/authenticator.h).
//
// Thread rules: any thread, like Services.

#include "services.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

struct ApiKeyRequest {
    std::string name;
    ApiScope scope = ApiScope::Read;
    std::optional<int> validDays; // none: limits::k_apiKeyDefaultDays
};

struct IssuedApiKey {
    std::string key; // shown once
    ApiKey details;
};

enum class ApiKeyState { Active, Expired, Revoked };

// invalid_request "name: ..." or "expires_in_days: ..." for bad terms;
// forbidden unless the caller signed in with a session.
[[nodiscard]] Result<IssuedApiKey> issueApiKey(Services& services, const Caller& caller, ApiKeyRequest request);
// The caller's own keys, newest first.
[[nodiscard]] Result<std::vector<ApiKey>> myApiKeys(Services& services, const Caller& caller);
// Everyone's keys, for an org admin.
[[nodiscard]] Result<std::vector<ApiKey>> everyonesApiKeys(Services& services, const Caller& caller);
// Revokes a key by its prefix: the owner's or, for an org admin, anyone's
// (not_found otherwise, so nobody learns of others' keys). Revoking a revoked
// key changes nothing. The key as it now stands.
[[nodiscard]] Result<ApiKey> revokeApiKey(Services& services, const Caller& caller, std::string_view prefix);

[[nodiscard]] ApiKeyState apiKeyState(const ApiKey& key, std::int64_t nowMs);
[[nodiscard]] std::string_view toString(ApiKeyState state);

} // namespace imhere::server
