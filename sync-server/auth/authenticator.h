#pragma once
// Who is calling: a session cookie, an API key or a kiosk token, resolved
// against the store. Authorisation (roles, scope, CSRF) is the caller's job.
//
// Thread rules: any thread; holds only references to thread-safe objects.

#include "sync-server/store/store.h"

#include "core/clock.h"

namespace imhere::server {

inline constexpr std::string_view k_sessionCookie = "imhere_session";

// What a request presents, read from its headers by the HTTP layer.
struct Credentials {
    std::optional<std::string> authorization; // the Authorization header
    std::optional<std::string> sessionCookie; // the k_sessionCookie cookie
};

enum class PrincipalKind { Anonymous, Session, ApiKey, Kiosk };

struct Principal {
    PrincipalKind kind = PrincipalKind::Anonymous;
    std::optional<Person> person; // Session and ApiKey
    std::optional<Kiosk> kiosk;   // Kiosk
    ApiScope scope = ApiScope::Write;
    std::string csrfToken; // Session
    Bytes sessionHash;     // Session
    std::string apiKeyPrefix; // ApiKey: its public prefix, e.g. to count a client's requests
};

class Authenticator {
public:
    Authenticator(Store& store, const Clock& clock);

    // A session unused for longer than this is no longer valid (beside its
    // 12-hour limit); limits::k_defaultSessionIdleMs unless set before
    // requests arrive.
    void setIdleTimeoutMs(std::int64_t ms) { m_idleTimeoutMs = ms; }
    [[nodiscard]] std::int64_t idleTimeoutMs() const { return m_idleTimeoutMs; }

    // unauthenticated (401) for a bearer token that is unknown, revoked or
    // malformed; a stale session cookie is simply anonymous.
    [[nodiscard]] Result<Principal> identify(const Credentials& credentials) const;

private:
    Result<Principal> bearer(std::string_view token) const;

    Store& m_store;
    const Clock& m_clock;
    std::int64_t m_idleTimeoutMs;
};

} // namespace imhere::server
