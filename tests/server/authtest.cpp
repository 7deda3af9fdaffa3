// Sign-in: argon2id passwords with rehash on login, the session cookie and
// its CSRF token, API keys and their scope, kiosk tokens, and rate limits on
// failed logins per account and per address.

#include "testserver.h"

#include "sync-server/auth/passwords.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

// nullopt when the password could not be stored.
std::optional<Person> withPassword(TestServer& server, const std::string& email, const std::string& password,
                                   HashCost cost = k_passwordCost)
{
    Person p = addPerson(*server.store, "Pat " + email, email);
    if (!server.store->people().setPasswordHash(p.id, *hashSecret(password, cost)))
        return std::nullopt;
    return p;
}

HttpResult login(HttpClient& client, const std::string& email, const std::string& password)
{
    return client.json("POST", "/api/v1/login",
                       nlohmann::json{{"email", email}, {"password", password}}.dump());
}

std::string cookieFrom(const HttpResult& r)
{
    const std::string set = r.header("set-cookie");
    return set.substr(0, set.find(';'));
}

} // namespace

class AuthTest : public QObject {
    Q_OBJECT

private slots:
    void loginSetsAStrictHttpOnlyCookieAndTheCsrfTokenGuardsWrites();
    void wrongPasswordAndUnknownEmailGiveTheSameAnswer();
    void anOldHashIsReplacedOnLogin();
    void failedLoginsAreLimitedPerAccount();
    void failedLoginsAreLimitedPerAddress();
    void apiKeysAreShownOnceWorkAsBearerAndReadKeysCannotWrite();
    void kioskTokensOnlySync();
};

void AuthTest::loginSetsAStrictHttpOnlyCookieAndTheCsrfTokenGuardsWrites()
{
    TestServer server;
    QVERIFY(withPassword(server, "kim@example.org", "correct horse battery"));
    auto client = server.client();
    auto r = login(client, "KIM@example.org", "correct horse battery");
    QVERIFY2(r.status == 200, r.body.c_str());
    const std::string set = r.header("set-cookie");
    QCOMPARE_NE(set.find("HttpOnly"), std::string::npos);
    QCOMPARE_NE(set.find("SameSite=Strict"), std::string::npos);
    const std::string csrf = r.json()["csrf_token"];

    const Headers cookie{"Cookie: " + cookieFrom(r)};
    QCOMPARE(client.get("/api/v1/me", cookie).status, 200);
    // A state-changing request with the cookie alone is refused.
    auto noCsrf = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", cookie);
    QCOMPARE(noCsrf.status, 403);
    QCOMPARE(noCsrf.errorCode(), "csrf_required");
    auto wrongCsrf = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})",
                                 {cookie[0], "X-CSRF-Token: " + std::string(csrf.size(), 'A')});
    QCOMPARE(wrongCsrf.status, 403);
    QCOMPARE(client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", {cookie[0], "X-CSRF-Token: " + csrf})
                 .status,
             201);

    QCOMPARE(client.json("POST", "/api/v1/logout", "", {cookie[0], "X-CSRF-Token: " + csrf}).status, 200);
    QCOMPARE(client.get("/api/v1/me", cookie).status, 401);
}

void AuthTest::wrongPasswordAndUnknownEmailGiveTheSameAnswer()
{
    TestServer server;
    QVERIFY(withPassword(server, "kim@example.org", "correct horse battery"));
    auto client = server.client();
    auto wrong = login(client, "kim@example.org", "wrong password!");
    auto unknown = login(client, "nobody@example.org", "wrong password!");
    QCOMPARE(wrong.status, 401);
    QCOMPARE(unknown.status, 401);
    QCOMPARE(wrong.body, unknown.body);
}

void AuthTest::anOldHashIsReplacedOnLogin()
{
    TestServer server;
    const auto p = withPassword(server, "old@example.org", "old parameters pw", k_pinCost);
    QVERIFY(p);
    const auto before = (*server.store->people().personById(p->id))->passwordHash;
    QVERIFY(needsRehash(*before, k_passwordCost));
    auto client = server.client();
    QCOMPARE(login(client, "old@example.org", "old parameters pw").status, 200);
    const auto after = (*server.store->people().personById(p->id))->passwordHash;
    QCOMPARE_NE(*after, *before);
    QVERIFY(!needsRehash(*after, k_passwordCost));
    QCOMPARE(login(client, "old@example.org", "old parameters pw").status, 200);
}

void AuthTest::failedLoginsAreLimitedPerAccount()
{
    TestServer server;
    QVERIFY(withPassword(server, "kim@example.org", "correct horse battery"));
    auto client = server.client();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(login(client, "kim@example.org", "guess " + std::to_string(i)).status, 401);
    auto limited = login(client, "kim@example.org", "correct horse battery");
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.errorCode(), "rate_limited");
    QVERIFY(!limited.header("retry-after").empty());
    // The window passes; the right password works again.
    server.clock.advance(16 * 60 * 1000);
    QCOMPARE(login(client, "kim@example.org", "correct horse battery").status, 200);
}

void AuthTest::failedLoginsAreLimitedPerAddress()
{
    TestServer server;
    QVERIFY(withPassword(server, "kim@example.org", "correct horse battery"));
    auto client = server.client();
    for (int i = 0; i < 20; ++i)
        QCOMPARE(login(client, "user" + std::to_string(i) + "@example.org", "guess").status, 401);
    QCOMPARE(login(client, "kim@example.org", "correct horse battery").status, 429);
}

void AuthTest::apiKeysAreShownOnceWorkAsBearerAndReadKeysCannotWrite()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers admin = School::sessionFor(server, school.admin);
    auto created = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", admin);
    QCOMPARE(created.status, 201);
    const std::string key = created.json()["key"];
    QVERIFY(key.starts_with("ak_"));
    QCOMPARE(client.get("/api/v1/people", bearer(key)).status, 200);
    auto write = client.json("POST", "/api/v1/people", R"({"display_name":"New Person"})", bearer(key));
    QCOMPARE(write.status, 403);
    QCOMPARE(write.errorCode(), "insufficient_scope");
    QCOMPARE(client.get("/api/v1/me", bearer(key + "x")).status, 401);
    QCOMPARE(client.get("/api/v1/me", bearer("ak_nothing-like-a-real-key")).status, 401);
    // A key cannot mint more keys.
    QCOMPARE(client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", bearer(school.writeKey)).status, 403);
}

void AuthTest::kioskTokensOnlySync()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    QCOMPARE(client.get("/api/v1/me", bearer(school.kioskToken)).status, 403);
    QCOMPARE(client.get("/api/v1/courses", bearer(school.kioskToken)).status, 403);
    QCOMPARE(client.json("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
                         bearer(school.kioskToken))
                 .status,
             200);
    QCOMPARE(client.json("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
                         bearer(school.writeKey))
                 .status,
             403);
}

QTEST_GUILESS_MAIN(AuthTest)
#include "authtest.moc"
