#include "apikeys.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/serverlimits.h"

namespace imhere::server {

namespace {

constexpr std::int64_t k_dayMs = 86'400'000;

} // namespace

Result<IssuedApiKey> issueApiKey(Services& services, const Caller& caller, ApiKeyRequest request)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "API keys are created from a signed-in session"));
    if (request.name.size() > limits::k_maxApiKeyNameBytes)
        return std::unexpected(invalid("name: at most " + std::to_string(limits::k_maxApiKeyNameBytes) + " bytes"));
    if (request.name.empty())
        request.name = "API key";
    const int days = request.validDays.value_or(limits::k_apiKeyDefaultDays);
    if (days < 1 || days > limits::k_apiKeyMaxDays)
        return std::unexpected(
            invalid("expires_in_days: between 1 and " + std::to_string(limits::k_apiKeyMaxDays) + " days"));
    const IssuedToken issued = issueToken(k_apiKeyPrefix);
    const ApiKeyTerms terms{request.name, services.clock.nowMs() + days * k_dayMs};
    TRY(services.store.credentials().createApiKey(caller.person.id, issued.lookup, issued.hash, request.scope, terms));
    TRY_ASSIGN(made, services.store.credentials().anyApiKey(issued.lookup));
    if (!made)
        return fail(Errc::Internal, "the new API key was not stored");
    return IssuedApiKey{issued.token, std::move(*made)};
}

Result<std::vector<ApiKey>> myApiKeys(Services& services, const Caller& caller)
{
    return services.store.credentials().apiKeys(caller.person.id);
}

Result<std::vector<ApiKey>> everyonesApiKeys(Services& services, const Caller& caller)
{
    TRY(allow(caller.person.isAdmin, "only an org admin sees everyone's API keys"));
    return services.store.credentials().apiKeys(std::nullopt);
}

Result<ApiKey> revokeApiKey(Services& services, const Caller& caller, std::string_view prefix)
{
    TRY_ASSIGN(key, services.store.credentials().anyApiKey(prefix));
    if (!key || (key->person != caller.person.id && !caller.person.isAdmin))
        return fail(Errc::NotFound, "no such API key");
    if (!key->revokedAt) {
        TRY(services.store.credentials().revokeApiKey(key->id, caller.person.id));
        TRY_ASSIGN(revoked, services.store.credentials().anyApiKey(prefix));
        if (!revoked)
            return fail(Errc::NotFound, "no such API key");
        return ApiKey(std::move(*revoked));
    }
    return std::move(*key);
}

ApiKeyState apiKeyState(const ApiKey& key, std::int64_t nowMs)
{
    if (key.revokedAt)
        return ApiKeyState::Revoked;
    if (key.expiresAt && *key.expiresAt <= nowMs)
        return ApiKeyState::Expired;
    return ApiKeyState::Active;
}

std::string_view toString(ApiKeyState state)
{
    switch (state) {
    case ApiKeyState::Active: return "active";
    case ApiKeyState::Expired: return "expired";
    case ApiKeyState::Revoked: return "revoked";
    }
    return "active";
}

} // namespace imhere::server
