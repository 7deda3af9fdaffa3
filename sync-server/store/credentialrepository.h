#pragma once
// Sign-in sessions and API keys, kept as hashes.
// Persistence only: the rules are the services' (sync-server/service/).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/encoding.h"
#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

class CredentialRepository {
public:
    virtual ~CredentialRepository() = default;

    [[nodiscard]] virtual Result<void> createSession(const Bytes& tokenHash, const Session& session) = 0;
    [[nodiscard]] virtual Result<std::optional<Session>> session(const Bytes& tokenHash, std::int64_t nowMs) = 0;
    [[nodiscard]] virtual Result<void> deleteSession(const Bytes& tokenHash) = 0;
    [[nodiscard]] virtual Result<std::int64_t> createApiKey(PersonId person, const std::string& prefix,
                                                            const Bytes& hash, ApiScope scope,
                                                            const ApiKeyTerms& terms = {}) = 0;
    // A key that is not revoked (it may have expired: the caller decides).
    [[nodiscard]] virtual Result<std::optional<ApiKey>> apiKeyByPrefix(std::string_view prefix) = 0;
    // Any key, revoked or not, by its prefix.
    [[nodiscard]] virtual Result<std::optional<ApiKey>> anyApiKey(std::string_view prefix) = 0;
    // One person's keys, or everyone's; newest first.
    [[nodiscard]] virtual Result<std::vector<ApiKey>> apiKeys(std::optional<PersonId> owner) = 0;
    // Revokes a key (no change when it already is), with who did it and when.
    [[nodiscard]] virtual Result<void> revokeApiKey(std::int64_t id, PersonId actor) = 0;
    // Notes that a key was used at `atMs`, unless a use was noted less than
    // `resolutionMs` before: at most one write per key per resolution.
    [[nodiscard]] virtual Result<void> noteApiKeyUse(std::int64_t id, std::int64_t atMs, std::int64_t resolutionMs) = 0;
};

} // namespace imhere::server
