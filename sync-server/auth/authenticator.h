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
    Authenticator(Store& store, const Clock& clock) : m_store(store), m_clock(clock) {}

    // unauthenticated (401) for a bearer token that is unknown, revoked or
    // malformed; a stale session cookie is simply anonymous.
    [[nodiscard]] Result<Principal> identify(const Credentials& credentials) const;

private:
    Result<Principal> bearer(std::string_view token) const;

    Store& m_store;
    const Clock& m_clock;
};

} // namespace imhere::server
