#include "accounts.h"

#include "core/encoding.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/auth/tokens.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/random.h"

#include <algorithm>

namespace imhere::server {

namespace {

// Verifying against this when the email is unknown keeps the answer's timing
// from telling which emails have accounts.
const std::string& decoyHash()
{
    static const std::string hash = hashSecret(randomToken(16), k_passwordCost).value_or("");
    return hash;
}

std::string accountKey(std::string_view email)
{
    return "account:" + asciiLowercase(email);
}

std::string addressKey(std::string_view ip)
{
    return "address:" + std::string(ip);
}

} // namespace

std::int64_t signInRetryAfterMs(Services& services, std::string_view email, std::string_view remoteIp)
{
    const std::int64_t now = services.clock.nowMs();
    return std::max(services.accountLimiter.retryAfterMs(accountKey(email), now),
                    services.addressLimiter.retryAfterMs(addressKey(remoteIp), now));
}

Result<SignedIn> signIn(Services& services, std::string_view email, std::string_view password, std::string_view remoteIp)
{
    const std::int64_t now = services.clock.nowMs();
    TRY_ASSIGN(person, services.store.people().personByEmail(email));
    const bool ok = person && person->passwordHash ? verifySecret(*person->passwordHash, password)
                                                   : (void(verifySecret(decoyHash(), password)), false);
    if (!ok) {
        services.accountLimiter.recordFailure(accountKey(email), now);
        services.addressLimiter.recordFailure(addressKey(remoteIp), now);
        return fail(Errc::BadCredentials, "wrong email or password");
    }
    services.accountLimiter.reset(accountKey(email));
    if (needsRehash(*person->passwordHash, k_passwordCost)) {
        TRY_ASSIGN(fresh, hashSecret(password, k_passwordCost));
        TRY(services.store.people().setPasswordHash(person->id, fresh));
    }
    SignedIn out{*person, randomToken(limits::k_secretTokenBytes), randomToken(limits::k_secretTokenBytes)};
    TRY(services.store.credentials().createSession(sha256(out.sessionToken),
                                Session{person->id, out.csrfToken, now + limits::k_sessionLifetimeMs}));
    return out;
}

Result<void> signOut(Services& services, const Caller& caller)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "only a signed-in session can sign out"));
    return services.store.credentials().deleteSession(caller.principal.sessionHash);
}

std::string sessionCookie(const std::string& token, std::int64_t maxAgeSec)
{
    return std::string(k_sessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + std::to_string(maxAgeSec);
}

} // namespace imhere::server
