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

// bad_credentials for a wrong email or password (the same answer for both);
// rate_limited when the account or address has failed too often (counted
// atomically with the attempt, so parallel attempts cannot pass the limit).
[[nodiscard]] Result<SignedIn> signIn(Services& services, std::string_view email, std::string_view password,
                                      std::string_view remoteIp);
// A new session for the person, as signIn makes it.
[[nodiscard]] Result<SignedIn> startSession(Services& services, const Person& person);

// "My account": a new password for the caller's own account, given the
// current one (invalid_request "current_password: ..." when it is wrong,
// "new_password: ..." when the new one will not do). Every other session
// of the caller ends. Wrong current passwords count like failed sign-ins.
[[nodiscard]] Result<void> changePassword(Services& services, const Caller& caller, std::string_view current,
                                          std::string_view fresh);
// Ends every session of the caller but this one; how many ended.
[[nodiscard]] Result<std::int64_t> signOutOtherSessions(Services& services, const Caller& caller);

[[nodiscard]] Result<void> signOut(Services& services, const Caller& caller);

// The Set-Cookie value for a session token; an empty token with max age 0 clears it.
[[nodiscard]] std::string sessionCookie(const std::string& token, std::int64_t maxAgeSec);

} // namespace imhere::server
