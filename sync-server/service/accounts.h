#pragma once
// Signing in with an email and password, shared by the JSON API and the
// sign-in page: rate limits per account and per address, a decoy hash for
// unknown emails, rehash on login, and a new session with its CSRF token.
//
// Thread rules: any thread.

#include "services.h"

#include <string>
#include <string_view>

namespace imhere::server {

struct SignedIn {
    Person person;
    std::string sessionToken; // goes into the HttpOnly cookie only
    std::string csrfToken;
};

// Milliseconds to wait before another attempt for this email or address; 0: go ahead.
[[nodiscard]] std::int64_t signInRetryAfterMs(Services& services, std::string_view email, std::string_view remoteIp);

// bad_credentials for a wrong email or password (the same answer for both).
[[nodiscard]] Result<SignedIn> signIn(Services& services, std::string_view email, std::string_view password,
                                      std::string_view remoteIp);

[[nodiscard]] Result<void> signOut(Services& services, const Caller& caller);

// The Set-Cookie value for a session token; an empty token with max age 0 clears it.
[[nodiscard]] std::string sessionCookie(const std::string& token, std::int64_t maxAgeSec);

} // namespace imhere::server
