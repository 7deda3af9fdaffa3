// service/accounts: signing in with an email and password gives a session;
// a wrong email or password is the same bad_credentials; repeated failures
// make the account, or the address, wait; signing out ends the session.

#include "servicefixture.h"
#include "tests/server/store/storeundertest.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/service/accounts.h"
#include "sync-server/serverlimits.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>
#include <atomic>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {
constexpr std::string_view k_ip = "203.0.113.5";
constexpr std::string_view k_password = "correct horse battery";
} // namespace

class AccountsTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Person pat; // has an email and a password
    Services& services() { return *fx->services; }

    Errc failure(std::string_view email, std::string_view password, std::string_view ip = k_ip)
    {
        const auto r = signIn(services(), email, password, ip);
        return r ? Errc::Internal : r.error().code; // Internal: signed in
    }

private slots:
    void init()
    {
        fx = std::make_unique<ServiceFixture>();
        pat = fx->addPerson("Pat Mentor", "pat@example.org", std::string(k_password));
    }
    void cleanup() { fx.reset(); }

    void theRightPasswordGivesASession();
    void aWrongEmailOrPasswordIsTheSameBadCredentials();
    void someoneWithoutAPasswordCannotSignIn();
    void repeatedFailuresMakeTheAccountWait();
    void aSuccessForgivesTheAccountsFailures();
    void repeatedFailuresFromOneAddressMakeItWait();
    void signingOutEndsTheSession();
    void onlyASessionSignsOut();
    void theCookieIsHttpOnlyAndStrict();
    void parallelAttemptsCannotPassTheLimit();
    void failuresThroughOneInstanceCountOnAnother();
    void changingThePasswordNeedsTheCurrentOne();
    void signingOutEverywhereElseKeepsThisSession();
    void anIdleSessionEnds();
};

void AccountsTest::theRightPasswordGivesASession()
{
    const auto in = signIn(services(), "pat@example.org", k_password, k_ip);
    QVERIFY2(in, in ? "" : in.error().message.c_str());
    QCOMPARE(in->person.id, pat.id);
    QVERIFY(in->sessionToken.size() >= 32);
    QVERIFY(!in->csrfToken.empty());
    QVERIFY(in->csrfToken != in->sessionToken);
    QVERIFY(fx->hasSession(in->sessionToken));

    // Another sign-in is another session; the email's case does not matter.
    const auto again = signIn(services(), "Pat@Example.org", k_password, k_ip);
    QVERIFY2(again, again ? "" : again.error().message.c_str());
    QCOMPARE(again->person.id, pat.id);
    QVERIFY(again->sessionToken != in->sessionToken);

    // Sessions last a working day.
    fx->clock.advance(server::limits::k_sessionLifetimeMs - 1);
    QVERIFY(fx->hasSession(in->sessionToken));
    fx->clock.advance(2);
    QVERIFY(!fx->hasSession(in->sessionToken));
}

void AccountsTest::aWrongEmailOrPasswordIsTheSameBadCredentials()
{
    const auto wrongPassword = signIn(services(), "pat@example.org", "incorrect horse", k_ip);
    QVERIFY(!wrongPassword);
    QCOMPARE(wrongPassword.error().code, Errc::BadCredentials);
    const auto unknownEmail = signIn(services(), "nobody@example.org", k_password, k_ip);
    QVERIFY(!unknownEmail);
    QCOMPARE(unknownEmail.error().code, Errc::BadCredentials);
    QCOMPARE(unknownEmail.error().message, wrongPassword.error().message);
    QCOMPARE(failure("pat@example.org", ""), Errc::BadCredentials);
}

void AccountsTest::someoneWithoutAPasswordCannotSignIn()
{
    // The teacher has an email but was never given a password.
    QCOMPARE(failure("tomas@example.org", ""), Errc::BadCredentials);
    QCOMPARE(failure("tomas@example.org", k_password), Errc::BadCredentials);
}

void AccountsTest::repeatedFailuresMakeTheAccountWait()
{
    QCOMPARE(signInRetryAfterMs(services(), "pat@example.org", k_ip), std::int64_t(0));
    for (int i = 0; i < server::limits::k_loginFailuresPerAccount - 1; ++i)
        QCOMPARE(failure("pat@example.org", "guess " + std::to_string(i)), Errc::BadCredentials);
    QCOMPARE(signInRetryAfterMs(services(), "pat@example.org", k_ip), std::int64_t(0));
    QCOMPARE(failure("pat@example.org", "one guess too many"), Errc::BadCredentials);

    const auto wait = signInRetryAfterMs(services(), "pat@example.org", k_ip);
    QVERIFY2(wait > 0 && wait <= server::limits::k_loginFailureWindowMs, std::to_string(wait).c_str());
    // From any address, and whatever the case of the email.
    QVERIFY(signInRetryAfterMs(services(), "pat@example.org", "198.51.100.7") > 0);
    QVERIFY(signInRetryAfterMs(services(), "PAT@Example.org", "198.51.100.7") > 0);
    // Other accounts are not held up by it.
    QCOMPARE(signInRetryAfterMs(services(), "ada@example.org", "198.51.100.7"), std::int64_t(0));

    fx->clock.advance(wait);
    QCOMPARE(signInRetryAfterMs(services(), "pat@example.org", k_ip), std::int64_t(0));
}

void AccountsTest::aSuccessForgivesTheAccountsFailures()
{
    for (int i = 0; i < server::limits::k_loginFailuresPerAccount - 1; ++i)
        QCOMPARE(failure("pat@example.org", "guess"), Errc::BadCredentials);
    QVERIFY(signIn(services(), "pat@example.org", k_password, k_ip));
    QCOMPARE(failure("pat@example.org", "typo"), Errc::BadCredentials);
    QCOMPARE(signInRetryAfterMs(services(), "pat@example.org", k_ip), std::int64_t(0));
}

void AccountsTest::repeatedFailuresFromOneAddressMakeItWait()
{
    // Guessing across many accounts from one address.
    for (int i = 0; i < server::limits::k_loginFailuresPerIp; ++i)
        QCOMPARE(failure("user" + std::to_string(i) + "@example.org", "guess"), Errc::BadCredentials);
    QVERIFY(signInRetryAfterMs(services(), "pat@example.org", k_ip) > 0);
    QCOMPARE(signInRetryAfterMs(services(), "pat@example.org", "198.51.100.7"), std::int64_t(0));
}

void AccountsTest::signingOutEndsTheSession()
{
    const auto in = signIn(services(), "pat@example.org", k_password, k_ip);
    QVERIFY(in);
    Caller caller = fx->as(in->person);
    caller.principal.sessionHash = sha256(in->sessionToken);
    caller.principal.csrfToken = in->csrfToken;
    const auto out = signOut(services(), caller);
    QVERIFY2(out, out ? "" : out.error().message.c_str());
    QVERIFY(!fx->hasSession(in->sessionToken));
}

void AccountsTest::onlyASessionSignsOut()
{
    const auto in = signIn(services(), "pat@example.org", k_password, k_ip);
    QVERIFY(in);
    Caller caller = fx->asApiKey(in->person);
    caller.principal.sessionHash = sha256(in->sessionToken);
    const auto out = signOut(services(), caller);
    QVERIFY(!out);
    QCOMPARE(out.error().code, Errc::Forbidden);
    QVERIFY(fx->hasSession(in->sessionToken));
}

void AccountsTest::theCookieIsHttpOnlyAndStrict()
{
    QCOMPARE(sessionCookie("tok", 3600), "imhere_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600");
    QCOMPARE(sessionCookie("", 0), "imhere_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

void AccountsTest::parallelAttemptsCannotPassTheLimit()
{
    // Twelve wrong passwords at once: each is counted before it is checked,
    // so no more than the limit are even tried; the right password, tried
    // with them, is refused too once the limit is reached.
    constexpr int k_attempts = 12;
    std::vector<std::thread> threads;
    std::vector<Errc> outcomes(k_attempts, Errc::Internal);
    std::atomic<int> ready = 0;
    for (int i = 0; i < k_attempts; ++i)
        threads.emplace_back([&, i] {
            ++ready;
            while (ready < k_attempts)
                std::this_thread::yield();
            outcomes[static_cast<std::size_t>(i)] = failure("pat@example.org", "guess " + std::to_string(i),
                                                            "198.51.100." + std::to_string(i));
        });
    for (auto& t : threads)
        t.join();
    const auto tried = std::ranges::count(outcomes, Errc::BadCredentials);
    const auto refused = std::ranges::count(outcomes, Errc::RateLimited);
    QCOMPARE(tried, std::ptrdiff_t(server::limits::k_loginFailuresPerAccount));
    QCOMPARE(refused, std::ptrdiff_t(k_attempts - server::limits::k_loginFailuresPerAccount));
    QCOMPARE(failure("pat@example.org", k_password, "192.0.2.1"), Errc::RateLimited);
}

void AccountsTest::failuresThroughOneInstanceCountOnAnother()
{
    if (!programBackends().postgres())
        QSKIP("a SQLite file has one server, which counts attempts in memory");
    // A second server over the same database, as behind a load balancer:
    // guesses spread over both count once, against one limit.
    auto second = programBackends().reopen(fx->clock);
    QVERIFY(second);
    Services other(**second, fx->clock);
    for (int i = 0; i < server::limits::k_loginFailuresPerAccount; ++i) {
        Services& through = i % 2 == 0 ? services() : other;
        const auto r = signIn(through, "pat@example.org", "guess " + std::to_string(i), k_ip);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::BadCredentials);
    }
    QVERIFY(signInRetryAfterMs(services(), "pat@example.org", "198.51.100.7") > 0);
    QVERIFY(signInRetryAfterMs(other, "pat@example.org", "198.51.100.7") > 0);
    const auto refused = signIn(other, "pat@example.org", k_password, k_ip);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Errc::RateLimited);
    // A success through one forgives the account on both.
    fx->clock.advance(server::limits::k_loginFailureWindowMs);
    QVERIFY(signIn(other, "pat@example.org", k_password, k_ip));
    for (int i = 0; i < server::limits::k_loginFailuresPerAccount - 1; ++i)
        QCOMPARE(failure("pat@example.org", "typo"), Errc::BadCredentials);
    QCOMPARE(signInRetryAfterMs(other, "pat@example.org", k_ip), std::int64_t(0));
}

void AccountsTest::changingThePasswordNeedsTheCurrentOne()
{
    const auto in = signIn(services(), "pat@example.org", k_password, k_ip);
    const auto elsewhere = signIn(services(), "pat@example.org", k_password, "198.51.100.7");
    QVERIFY(in && elsewhere);
    Caller caller = fx->as(in->person);
    caller.principal.sessionHash = sha256(in->sessionToken);

    const auto wrong = changePassword(services(), caller, "not my password", "a new and long passphrase");
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, Errc::InvalidRequest);
    QVERIFY(wrong.error().message.starts_with("current_password: "));
    const auto weak = changePassword(services(), caller, k_password, "password1234");
    QVERIFY(!weak);
    QVERIFY(weak.error().message.starts_with("new_password: "));
    const auto shortOne = changePassword(services(), caller, k_password, "short");
    QVERIFY(!shortOne);
    QVERIFY(shortOne.error().message.contains("12 characters"));
    QVERIFY(fx->hasSession(elsewhere->sessionToken));

    const auto changed = changePassword(services(), caller, k_password, "a new and long passphrase");
    QVERIFY2(changed, changed ? "" : changed.error().message.c_str());
    QVERIFY(fx->hasSession(in->sessionToken));
    QVERIFY(!fx->hasSession(elsewhere->sessionToken));
    QCOMPARE(failure("pat@example.org", k_password), Errc::BadCredentials);
    QVERIFY(signIn(services(), "pat@example.org", "a new and long passphrase", k_ip));

    // Only a signed-in session changes it.
    Caller key = fx->asApiKey(in->person);
    QCOMPARE(changePassword(services(), key, "a new and long passphrase", "yet another passphrase").error().code,
             Errc::Forbidden);
}

void AccountsTest::signingOutEverywhereElseKeepsThisSession()
{
    const auto in = signIn(services(), "pat@example.org", k_password, k_ip);
    const auto phone = signIn(services(), "pat@example.org", k_password, k_ip);
    const auto laptop = signIn(services(), "pat@example.org", k_password, k_ip);
    const auto someoneElse = fx->store->credentials().createSession(
        sha256("ada-session"), Session{fx->admin.id, "csrf", fx->clock.nowMs() + 60'000, fx->clock.nowMs()});
    QVERIFY(in && phone && laptop && someoneElse);
    Caller caller = fx->as(in->person);
    caller.principal.sessionHash = sha256(in->sessionToken);
    const auto ended = signOutOtherSessions(services(), caller);
    QVERIFY(ended);
    QCOMPARE(*ended, std::int64_t(2));
    QVERIFY(fx->hasSession(in->sessionToken));
    QVERIFY(!fx->hasSession(phone->sessionToken));
    QVERIFY(!fx->hasSession(laptop->sessionToken));
    QVERIFY(fx->hasSession("ada-session"));
}

void AccountsTest::anIdleSessionEnds()
{
    const auto in = signIn(services(), "pat@example.org", k_password, k_ip);
    QVERIFY(in);
    auto who = [&] {
        return services().auth.identify({std::nullopt, in->sessionToken}).value().kind;
    };
    const std::int64_t idle = services().auth.idleTimeoutMs();
    QCOMPARE(idle, server::limits::k_defaultSessionIdleMs);
    // Used now and then, it lasts until its 12 hours are over.
    for (std::int64_t used = 0; used + idle / 2 < server::limits::k_sessionLifetimeMs; used += idle / 2) {
        fx->clock.advance(idle / 2);
        QVERIFY(who() == PrincipalKind::Session);
    }
    // Left alone longer than the idle timeout, it ends.
    const auto later = signIn(services(), "pat@example.org", k_password, k_ip);
    QVERIFY(later);
    fx->clock.advance(idle + 1);
    QVERIFY(services().auth.identify({std::nullopt, later->sessionToken}).value().kind == PrincipalKind::Anonymous);
    // The setting.
    services().auth.setIdleTimeoutMs(5 * 60'000);
    const auto brief = signIn(services(), "pat@example.org", k_password, k_ip);
    fx->clock.advance(5 * 60'000);
    QVERIFY(services().auth.identify({std::nullopt, brief->sessionToken}).value().kind == PrincipalKind::Session);
    fx->clock.advance(5 * 60'000 + 1);
    QVERIFY(services().auth.identify({std::nullopt, brief->sessionToken}).value().kind == PrincipalKind::Anonymous);
}

QTEST_GUILESS_MAIN(AccountsTest)
#include "accountstest.moc"
