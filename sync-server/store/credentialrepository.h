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
    // Every session of the person but `keep` (when given).
    [[nodiscard]] virtual Result<std::int64_t> deleteSessionsOf(PersonId person, const std::optional<Bytes>& keep) = 0;
    // Records that the session was used at `at`.
    [[nodiscard]] virtual Result<void> touchSession(const Bytes& tokenHash, std::int64_t at) = 0;

    // A link to set a password, and with it (in the same transaction) the
    // mail that carries it, when there is one.
    [[nodiscard]] virtual Result<void> createAccountLink(const Bytes& tokenHash, PersonId person,
                                                        AccountLinkPurpose purpose, std::optional<PersonId> issuedBy,
                                                        std::int64_t expiresAt, const std::optional<NewMail>& mail) = 0;
    // The same for whoever has this email, if anyone: the same statements
    // run whether or not someone has it, and nothing tells which.
    [[nodiscard]] virtual Result<void> createResetLinkByEmail(std::string_view email, const Bytes& tokenHash,
                                                             std::int64_t expiresAt, const NewMail& mail) = 0;
    // The link when it is unused and unexpired at `nowMs`.
    [[nodiscard]] virtual Result<std::optional<AccountLink>> accountLink(const Bytes& tokenHash, std::int64_t nowMs) = 0;
    // Uses the link once: sets the person's password, marks every link of
    // theirs used and ends every session of theirs, in one transaction.
    // nullopt when the link is unknown, used or expired.
    [[nodiscard]] virtual Result<std::optional<PersonId>> useAccountLink(const Bytes& tokenHash, std::int64_t nowMs,
                                                                         const std::string& passwordHash) = 0;
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
