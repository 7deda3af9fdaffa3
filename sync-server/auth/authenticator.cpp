#include "authenticator.h"

#include "tokens.h"

#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/crypto.h"

namespace imhere::server {

namespace {

Result<Principal> unauthenticated()
{
    return fail(Errc::Unauthenticated, "the bearer token is not valid");
}

} // namespace

Authenticator::Authenticator(Store& store, const Clock& clock)
    : m_store(store), m_clock(clock), m_idleTimeoutMs(limits::k_defaultSessionIdleMs)
{
}

Result<Principal> Authenticator::identify(const Credentials& credentials) const
{
    if (const auto& authorization = credentials.authorization) {
        constexpr std::string_view scheme = "Bearer ";
        if (!authorization->starts_with(scheme))
            return fail(Errc::Unauthenticated, "expected 'Authorization: Bearer <token>'");
        return bearer(authorization->substr(scheme.size()));
    }
    const auto& cookie = credentials.sessionCookie;
    if (!cookie || cookie->size() > limits::k_maxTokenChars)
        return Principal{};
    Bytes hash = sha256(*cookie);
    const std::int64_t now = m_clock.nowMs();
    TRY_ASSIGN(session, m_store.credentials().session(hash, now));
    if (!session || now - session->lastUsedAt > m_idleTimeoutMs)
        return Principal{};
    if (now - session->lastUsedAt >= limits::k_sessionTouchResolutionMs)
        TRY(m_store.credentials().touchSession(hash, now));
    TRY_ASSIGN(person, m_store.people().personById(session->person));
    if (!person)
        return Principal{};
    return Principal{PrincipalKind::Session, std::move(person), std::nullopt, ApiScope::Write, session->csrfToken,
                     std::move(hash)};
}

Result<Principal> Authenticator::bearer(std::string_view token) const
{
    if (token.size() > limits::k_maxTokenChars || token.size() < limits::k_tokenLookupPrefixChars)
        return unauthenticated();
    const Bytes hash = sha256(token);
    const std::string lookup = tokenLookup(token);
    if (token.starts_with(k_apiKeyPrefix)) {
        TRY_ASSIGN(key, m_store.credentials().apiKeyByPrefix(lookup));
        if (!key || !constantTimeEqual(key->hash, hash))
            return unauthenticated();
        const std::int64_t now = m_clock.nowMs();
        if (key->expiresAt && *key->expiresAt <= now)
            return fail(Errc::Unauthenticated, "the API key has expired");
        TRY_ASSIGN(person, m_store.people().personById(key->person));
        if (!person)
            return unauthenticated();
        // At most one write per key a minute, so a busy key does not queue behind writers.
        if (!key->lastUsedAt || *key->lastUsedAt <= now - limits::k_apiKeyUseResolutionMs)
            TRY(m_store.credentials().noteApiKeyUse(key->id, now, limits::k_apiKeyUseResolutionMs));
        Principal principal{PrincipalKind::ApiKey, std::move(person), std::nullopt, key->scope, {}, {}};
        principal.apiKeyPrefix = key->prefix;
        return principal;
    }
    if (token.starts_with(k_kioskTokenPrefix)) {
        TRY_ASSIGN(kiosk, m_store.kiosks().kioskByPrefix(lookup));
        if (!kiosk || kiosk->revoked || !constantTimeEqual(kiosk->tokenHash, hash))
            return unauthenticated();
        return Principal{PrincipalKind::Kiosk, std::nullopt, std::move(kiosk), ApiScope::Write, {}, {}};
    }
    return unauthenticated();
}

} // namespace imhere::server
