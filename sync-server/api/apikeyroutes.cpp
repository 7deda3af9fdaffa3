// API keys people manage (service/apikeys.h): make one, list one's own (or,
// for an org admin, everyone's), revoke one.

#include "routes.h"

#include "sync-server/service/apikeys.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/jsonreader.h"

namespace imhere::server {

namespace {

nlohmann::json orNull(const std::optional<std::int64_t>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json apiKeyJson(const ApiKey& k, std::int64_t nowMs)
{
    return {{"prefix", k.prefix},
            {"name", k.name},
            {"scope", k.scope == ApiScope::Write ? "write" : "read"},
            {"state", toString(apiKeyState(k, nowMs))},
            {"created_at", k.createdAt},
            {"expires_at", orNull(k.expiresAt)},
            {"last_used_at", orNull(k.lastUsedAt)},
            {"revoked_at", orNull(k.revokedAt)},
            {"owner", {{"public_id", k.ownerPublicId}, {"display_name", k.ownerName}}}};
}

// The key's public prefix, "ak_" and 8 base64url characters: 400 otherwise.
Result<std::string> keyParam(const Request& request)
{
    const std::string& value = request.param("key");
    const bool shaped = value.size() == limits::k_tokenLookupPrefixChars && value.starts_with("ak_")
        && value.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 3)
            == std::string::npos;
    if (!shaped)
        return fail(Errc::InvalidId, "key must be an API key's prefix, \"ak_\" and 8 characters");
    return value;
}

Result<Response> createApiKey(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY(allow(caller.kind == PrincipalKind::Session, "API keys are created from a signed-in session"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"scope", "name", "expires_in_days"});
    const std::string scope = r.text("scope", 10, TextKind::Token);
    if (r.ok() && scope != "read" && scope != "write")
        r.failAt("scope", "expected \"read\" or \"write\"");
    ApiKeyRequest wanted;
    wanted.name = r.optionalText("name", limits::k_maxApiKeyNameBytes).value_or("");
    if (const auto days = r.optionalInteger("expires_in_days", 1, limits::k_apiKeyMaxDays))
        wanted.validDays = static_cast<int>(*days);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    wanted.scope = scope == "write" ? ApiScope::Write : ApiScope::Read;
    TRY_ASSIGN(issued, issueApiKey(api.services, caller, std::move(wanted)));
    Response response = jsonResponse(201, {{"key", issued.key},
                                           {"prefix", issued.details.prefix},
                                           {"scope", scope},
                                           {"api_key", apiKeyJson(issued.details, api.services.clock.nowMs())}});
    response.withHeader("Cache-Control", "no-store");
    return response;
}

Result<Response> listApiKeys(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    const auto all = request.query.find("all");
    const bool everyone = all != request.query.end() && all->second == "true";
    if (all != request.query.end() && !everyone && all->second != "false")
        return std::unexpected(invalid("all: expected true or false"));
    TRY_ASSIGN(keys, everyone ? everyonesApiKeys(api.services, caller) : myApiKeys(api.services, caller));
    const auto now = api.services.clock.nowMs();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& k : keys)
        list.push_back(apiKeyJson(k, now));
    return jsonResponse(200, {{"api_keys", list}});
}

Result<Response> revokeApiKey(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(prefix, keyParam(request));
    TRY_ASSIGN(revoked, revokeApiKey(api.services, caller, prefix));
    return jsonResponse(200, {{"api_key", apiKeyJson(revoked, api.services.clock.nowMs())}});
}

} // namespace

void addApiKeyRoutes(Router& router, ApiContext& api)
{
    router.add("POST", "/api/v1/api-keys", wrap([&api](const Request& r) { return createApiKey(api, r); }));
    router.add("GET", "/api/v1/api-keys", wrap([&api](const Request& r) { return listApiKeys(api, r); }));
    router.add("DELETE", "/api/v1/api-keys/{key}", wrap([&api](const Request& r) { return revokeApiKey(api, r); }));
}

} // namespace imhere::server
