// Sign-in: argon2id passwords with rehash on login, the session cookie and
// its CSRF token, API keys and their scope, kiosk tokens, and rate limits on
// failed logins per account and per address.

#include "testserver.h"

#include "sync-server/auth/passwords.h"

#include <gtest/gtest.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

Person withPassword(TestServer& server, const std::string& email, const std::string& password,
                    HashCost cost = k_passwordCost)
{
    Person p = addPerson(*server.store, "Pat " + email, email);
    EXPECT_TRUE(server.store->setPasswordHash(p.id, *hashSecret(password, cost)));
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

TEST(Auth, LoginSetsAStrictHttpOnlyCookieAndTheCsrfTokenGuardsWrites)
{
    TestServer server;
    withPassword(server, "kim@example.org", "correct horse battery");
    auto client = server.client();
    auto r = login(client, "KIM@example.org", "correct horse battery");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string set = r.header("set-cookie");
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
    const std::string csrf = r.json()["csrf_token"];

    const Headers cookie{"Cookie: " + cookieFrom(r)};
    EXPECT_EQ(client.get("/api/v1/me", cookie).status, 200);
    // A state-changing request with the cookie alone is refused.
    auto noCsrf = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", cookie);
    EXPECT_EQ(noCsrf.status, 403);
    EXPECT_EQ(noCsrf.errorCode(), "csrf_required");
    auto wrongCsrf = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})",
                                 {cookie[0], "X-CSRF-Token: " + std::string(csrf.size(), 'A')});
    EXPECT_EQ(wrongCsrf.status, 403);
    EXPECT_EQ(client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", {cookie[0], "X-CSRF-Token: " + csrf})
                  .status,
              201);

    EXPECT_EQ(client.json("POST", "/api/v1/logout", "", {cookie[0], "X-CSRF-Token: " + csrf}).status, 200);
    EXPECT_EQ(client.get("/api/v1/me", cookie).status, 401);
}

TEST(Auth, WrongPasswordAndUnknownEmailGiveTheSameAnswer)
{
    TestServer server;
    withPassword(server, "kim@example.org", "correct horse battery");
    auto client = server.client();
    auto wrong = login(client, "kim@example.org", "wrong password!");
    auto unknown = login(client, "nobody@example.org", "wrong password!");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body, unknown.body);
}

TEST(Auth, AnOldHashIsReplacedOnLogin)
{
    TestServer server;
    const Person p = withPassword(server, "old@example.org", "old parameters pw", k_pinCost);
    const auto before = (*server.store->personById(p.id))->passwordHash;
    ASSERT_TRUE(needsRehash(*before, k_passwordCost));
    auto client = server.client();
    ASSERT_EQ(login(client, "old@example.org", "old parameters pw").status, 200);
    const auto after = (*server.store->personById(p.id))->passwordHash;
    EXPECT_NE(*after, *before);
    EXPECT_FALSE(needsRehash(*after, k_passwordCost));
    EXPECT_EQ(login(client, "old@example.org", "old parameters pw").status, 200);
}

TEST(Auth, FailedLoginsAreLimitedPerAccount)
{
    TestServer server;
    withPassword(server, "kim@example.org", "correct horse battery");
    auto client = server.client();
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(login(client, "kim@example.org", "guess " + std::to_string(i)).status, 401);
    auto limited = login(client, "kim@example.org", "correct horse battery");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.errorCode(), "rate_limited");
    EXPECT_FALSE(limited.header("retry-after").empty());
    // The window passes; the right password works again.
    server.clock.advance(16 * 60 * 1000);
    EXPECT_EQ(login(client, "kim@example.org", "correct horse battery").status, 200);
}

TEST(Auth, FailedLoginsAreLimitedPerAddress)
{
    TestServer server;
    withPassword(server, "kim@example.org", "correct horse battery");
    auto client = server.client();
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(login(client, "user" + std::to_string(i) + "@example.org", "guess").status, 401);
    EXPECT_EQ(login(client, "kim@example.org", "correct horse battery").status, 429);
}

TEST(Auth, ApiKeysAreShownOnceWorkAsBearerAndReadKeysCannotWrite)
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers admin = School::sessionFor(server, school.admin);
    auto created = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", admin);
    ASSERT_EQ(created.status, 201);
    const std::string key = created.json()["key"];
    EXPECT_TRUE(key.starts_with("ak_"));
    EXPECT_EQ(client.get("/api/v1/people", bearer(key)).status, 200);
    auto write = client.json("POST", "/api/v1/people", R"({"display_name":"New Person"})", bearer(key));
    EXPECT_EQ(write.status, 403);
    EXPECT_EQ(write.errorCode(), "insufficient_scope");
    EXPECT_EQ(client.get("/api/v1/me", bearer(key + "x")).status, 401);
    EXPECT_EQ(client.get("/api/v1/me", bearer("ak_nothing-like-a-real-key")).status, 401);
    // A key cannot mint more keys.
    EXPECT_EQ(client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", bearer(school.writeKey)).status, 403);
}

TEST(Auth, KioskTokensOnlySync)
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    EXPECT_EQ(client.get("/api/v1/me", bearer(school.kioskToken)).status, 403);
    EXPECT_EQ(client.get("/api/v1/courses", bearer(school.kioskToken)).status, 403);
    EXPECT_EQ(client.json("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
                          bearer(school.kioskToken))
                  .status,
              200);
    EXPECT_EQ(client.json("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
                          bearer(school.writeKey))
                  .status,
              403);
}
