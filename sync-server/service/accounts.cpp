#include "accounts.h"

#include "core/encoding.h"

#include "sync-server/auth/passwordpolicy.h"
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
    // Each attempt is counted before its password is checked, in the same
    // step as the check of the limit, so that parallel attempts cannot pass it.
    const std::string account = accountKey(email);
    const std::string address = addressKey(remoteIp);
    if (services.addressLimiter.admit(address, now) > 0)
        return fail(Errc::RateLimited, "too many failed sign-ins from this address; try again later");
    if (services.accountLimiter.admit(account, now) > 0) {
        services.addressLimiter.release(address, now);
        return fail(Errc::RateLimited, "too many failed sign-ins for this account; try again later");
    }
    TRY_ASSIGN(person, services.store.people().personByEmail(email));
    const bool ok = person && person->passwordHash ? verifySecret(*person->passwordHash, password)
                                                   : (void(verifySecret(decoyHash(), password)), false);
    if (!ok)
        return fail(Errc::BadCredentials, "wrong email or password");
    services.accountLimiter.reset(account);
    services.addressLimiter.release(address, now);
    if (needsRehash(*person->passwordHash, k_passwordCost)) {
        TRY_ASSIGN(fresh, hashSecret(password, k_passwordCost));
        TRY(services.store.people().setPasswordHash(person->id, fresh));
    }
    return startSession(services, *person);
}

Result<SignedIn> startSession(Services& services, const Person& person)
{
    const std::int64_t now = services.clock.nowMs();
    SignedIn out{person, randomToken(limits::k_secretTokenBytes), randomToken(limits::k_secretTokenBytes)};
    TRY(services.store.credentials().createSession(
        sha256(out.sessionToken), Session{person.id, out.csrfToken, now + limits::k_sessionLifetimeMs, now}));
    return out;
}

Result<void> changePassword(Services& services, const Caller& caller, std::string_view current,
                            std::string_view fresh)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "only a signed-in session changes its password"));
    const std::int64_t now = services.clock.nowMs();
    const std::string account = accountKey(caller.person.email.value_or(caller.person.publicId));
    if (services.accountLimiter.admit(account, now) > 0)
        return fail(Errc::RateLimited, "too many wrong passwords; try again later");
    TRY_ASSIGN(person, services.personById(caller.person.publicId));
    if (!person.passwordHash || !verifySecret(*person.passwordHash, current))
        return fail(Errc::InvalidRequest, "current_password: your current password is not right");
    services.accountLimiter.release(account, now);
    if (auto problem = passwordProblem(fresh))
        return fail(Errc::InvalidRequest, "new_password: " + *problem);
    TRY_ASSIGN(hash, hashSecret(fresh, k_passwordCost));
    TRY(services.store.people().setPasswordHash(person.id, hash));
    // Whoever knew the old password is signed out; this session stays.
    TRY(services.store.credentials().deleteSessionsOf(person.id, caller.principal.sessionHash));
    return {};
}

Result<std::int64_t> signOutOtherSessions(Services& services, const Caller& caller)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "only a signed-in session signs out the others"));
    return services.store.credentials().deleteSessionsOf(caller.person.id, caller.principal.sessionHash);
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
