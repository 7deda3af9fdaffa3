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

namespace imhere::server {

class CredentialRepository {
public:
    virtual ~CredentialRepository() = default;

    [[nodiscard]] virtual Result<void> createSession(const Bytes& tokenHash, const Session& session) = 0;
    [[nodiscard]] virtual Result<std::optional<Session>> session(const Bytes& tokenHash, std::int64_t nowMs) = 0;
    [[nodiscard]] virtual Result<void> deleteSession(const Bytes& tokenHash) = 0;
    [[nodiscard]] virtual Result<std::int64_t> createApiKey(PersonId person, const std::string& prefix,
                                                            const Bytes& hash, ApiScope scope) = 0;
    [[nodiscard]] virtual Result<std::optional<ApiKey>> apiKeyByPrefix(std::string_view prefix) = 0;
};

} // namespace imhere::server
