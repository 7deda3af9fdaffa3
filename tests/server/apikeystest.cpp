// API keys people manage: made with a name, a scope and an expiry, listed
// with their last use, revoked by their owner or an org admin, from the JSON
// API and from the My account page; a revoked or expired key is refused on
// its next request.

#include "testserver.h"

#include "tests/support/qtestsupport.h"

#include <QTest>

#include <regex>

using namespace imhere::test;

namespace {

constexpr std::int64_t k_day = 86'400'000;

std::string firstMatch(const std::string& text, const std::string& pattern)
{
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
}

Headers formHeaders(const Headers& session)
{
    return {session[0], "Content-Type: application/x-www-form-urlencoded"};
}

std::string csrfOf(const Headers& session)
{
    return session[1].substr(std::string("X-CSRF-Token: ").size());
}

} // namespace

class ApiKeysTest : public QObject {
    Q_OBJECT

private slots:
    void aKeyHasANameAScopeAndExpiresIn90DaysUnlessSaid();
    void listingShowsWhenEachKeyWasLastUsed();
    void aRevokedKeyStopsWorkingOnItsNextRequest();
    void anExpiredKeyStopsWorking();
    void onlyTheOwnerOrAnAdminRevokesAndSeesKeys();
    void badTermsAreRefusedAndChangeNothing();
    void theAccountPageMakesListsAndRevokesKeys();
};

void ApiKeysTest::aKeyHasANameAScopeAndExpiresIn90DaysUnlessSaid()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const auto now = server.clock.nowMs();
    auto made = client.json("POST", "/api/v1/api-keys", R"({"scope":"read","name":"export"})", teacher);
    QCOMPARE(made.status, 201L);
    QCOMPARE(made.header("cache-control"), std::string("no-store"));
    const auto key = made.json()["api_key"];
    QCOMPARE(key["name"].get<std::string>(), std::string("export"));
    QCOMPARE(key["scope"].get<std::string>(), std::string("read"));
    QCOMPARE(key["state"].get<std::string>(), std::string("active"));
    QCOMPARE(key["expires_at"].get<std::int64_t>(), now + 90 * k_day);
    QVERIFY(key["last_used_at"].is_null());

    auto week = client.json("POST", "/api/v1/api-keys", R"({"scope":"write","expires_in_days":7})", teacher);
    QCOMPARE(week.status, 201L);
    QCOMPARE(week.json()["api_key"]["expires_at"].get<std::int64_t>(), now + 7 * k_day);
    QCOMPARE(week.json()["api_key"]["name"].get<std::string>(), std::string("API key"));
}

void ApiKeysTest::listingShowsWhenEachKeyWasLastUsed()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const std::string secret = client.json("POST", "/api/v1/api-keys", R"({"scope":"read","name":"a"})", teacher).json()["key"];
    auto before = client.get("/api/v1/api-keys", teacher);
    QCOMPARE(before.status, 200L);
    // The School's own read key and this one, newest first.
    QCOMPARE(before.json()["api_keys"].size(), std::size_t(2));
    QVERIFY(before.json()["api_keys"][0]["last_used_at"].is_null());

    server.clock.advance(5 * 60'000);
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 200L);
    const auto usedAt = server.clock.nowMs();
    auto after = client.get("/api/v1/api-keys", teacher);
    QCOMPARE(after.json()["api_keys"][0]["name"].get<std::string>(), std::string("a"));
    QCOMPARE(after.json()["api_keys"][0]["last_used_at"].get<std::int64_t>(), usedAt);
    // Within a minute, another use is not written again.
    server.clock.advance(10'000);
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 200L);
    QCOMPARE(client.get("/api/v1/api-keys", teacher).json()["api_keys"][0]["last_used_at"].get<std::int64_t>(), usedAt);
}

void ApiKeysTest::aRevokedKeyStopsWorkingOnItsNextRequest()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers teacher = School::sessionFor(server, school.teacherA);
    auto made = client.json("POST", "/api/v1/api-keys", R"({"scope":"write"})", teacher);
    const std::string secret = made.json()["key"];
    const std::string prefix = made.json()["prefix"];
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 200L);
    auto revoked = client.request("DELETE", "/api/v1/api-keys/" + prefix, {}, teacher);
    QCOMPARE(revoked.status, 200L);
    QCOMPARE(revoked.json()["api_key"]["state"].get<std::string>(), std::string("revoked"));
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 401L);
    // Revoking again changes nothing and says so.
    auto again = client.request("DELETE", "/api/v1/api-keys/" + prefix, {}, teacher);
    QCOMPARE(again.status, 200L);
    QCOMPARE(again.json()["api_key"]["revoked_at"].dump(), revoked.json()["api_key"]["revoked_at"].dump());
    // A key may revoke itself (a leaked key can be shut by whoever holds it).
    auto self = client.json("POST", "/api/v1/api-keys", R"({"scope":"write"})", teacher);
    const std::string selfSecret = self.json()["key"];
    QCOMPARE(client.request("DELETE", "/api/v1/api-keys/" + self.json()["prefix"].get<std::string>(), {},
                            bearer(selfSecret)).status,
             200L);
    QCOMPARE(client.get("/api/v1/me", bearer(selfSecret)).status, 401L);
}

void ApiKeysTest::anExpiredKeyStopsWorking()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const std::string secret =
        client.json("POST", "/api/v1/api-keys", R"({"scope":"read","expires_in_days":1})", teacher).json()["key"];
    server.clock.advance(k_day - 1);
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 200L);
    server.clock.advance(1);
    auto refused = client.get("/api/v1/me", bearer(secret));
    QCOMPARE(refused.status, 401L);
    QVERIFY(refused.body.find("expired") != std::string::npos);
    const auto listed = client.get("/api/v1/api-keys", School::sessionFor(server, school.teacherA)).json();
    QCOMPARE(listed["api_keys"][0]["state"].get<std::string>(), std::string("expired"));
}

void ApiKeysTest::onlyTheOwnerOrAnAdminRevokesAndSeesKeys()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const Headers student = School::sessionFor(server, school.studentA);
    const Headers admin = School::sessionFor(server, school.admin);
    auto made = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", teacher);
    const std::string prefix = made.json()["prefix"];
    const std::string secret = made.json()["key"];
    // Someone else's key is not theirs to know of.
    QCOMPARE(client.request("DELETE", "/api/v1/api-keys/" + prefix, {}, student).status, 404L);
    QCOMPARE(client.get("/api/v1/api-keys", student).json()["api_keys"].size(), std::size_t(0));
    QCOMPARE(client.get("/api/v1/api-keys?all=true", teacher).status, 403L);
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 200L);
    // An org admin sees everyone's, and revokes any.
    auto all = client.get("/api/v1/api-keys?all=true", admin);
    QCOMPARE(all.status, 200L);
    QCOMPARE(all.json()["api_keys"].size(), std::size_t(3)); // the School's two and this one
    QCOMPARE(all.json()["api_keys"][0]["owner"]["public_id"].get<std::string>(), school.teacherA.publicId);
    QCOMPARE(client.request("DELETE", "/api/v1/api-keys/" + prefix, {}, admin).status, 200L);
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 401L);
}

void ApiKeysTest::badTermsAreRefusedAndChangeNothing()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const auto before = server.countInFile("SELECT count(*) FROM api_key");
    QCOMPARE(client.json("POST", "/api/v1/api-keys", R"({"scope":"read","expires_in_days":0})", teacher).status, 422L);
    QCOMPARE(client.json("POST", "/api/v1/api-keys", R"({"scope":"read","expires_in_days":367})", teacher).status, 422L);
    QCOMPARE(client.json("POST", "/api/v1/api-keys", R"({"scope":"read","name":")" + std::string(81, 'x') + "\"}", teacher)
                 .status,
             422L);
    QCOMPARE(client.json("POST", "/api/v1/api-keys", R"({"scope":"read","colour":"red"})", teacher).status, 422L);
    QCOMPARE(client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", bearer(school.writeKey)).status, 403L);
    QCOMPARE(server.countInFile("SELECT count(*) FROM api_key"), before);
    QCOMPARE(client.request("DELETE", "/api/v1/api-keys/ak_short", {}, teacher).status, 400L);
    QCOMPARE(client.request("DELETE", "/api/v1/api-keys/ak_AAAAAAAA", {}, teacher).status, 404L);
    QCOMPARE(client.get("/api/v1/api-keys?all=maybe", teacher).status, 422L);
    QCOMPARE(server.countInFile("SELECT count(*) FROM api_key WHERE revoked = 1"), 0);
}

void ApiKeysTest::theAccountPageMakesListsAndRevokesKeys()
{
    TestServer server;
    School school = School::build(server);
    auto client = server.client();
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const std::string csrf = csrfOf(teacher);
    auto page = client.get("/account/api-keys", {teacher[0]});
    QCOMPARE(page.status, 200L);
    QVERIFY(page.body.find("Make a key") != std::string::npos);

    auto made = client.request("POST", "/account/api-keys",
                               "csrf=" + csrf + "&name=register+export&scope=read&expires_in_days=30", formHeaders(teacher));
    QCOMPARE(made.status, 201L);
    QCOMPARE(made.header("cache-control"), std::string("no-store"));
    const std::string secret = firstMatch(made.body, "<code>(ak_[A-Za-z0-9_-]+)</code>");
    QVERIFY(!secret.empty());
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 200L);

    // Listed with its name and last use, and its secret nowhere.
    auto listed = client.get("/account/api-keys", {teacher[0]});
    QVERIFY(listed.body.find("register export") != std::string::npos);
    QVERIFY(listed.body.find(secret) == std::string::npos);
    const std::string prefix = secret.substr(0, 11);
    QVERIFY(listed.body.find(prefix) != std::string::npos);

    // A bad expiry is shown on the form, and nothing is made.
    const auto before = server.countInFile("SELECT count(*) FROM api_key");
    auto bad = client.request("POST", "/account/api-keys", "csrf=" + csrf + "&name=x&scope=read&expires_in_days=999",
                              formHeaders(teacher));
    QCOMPARE(bad.status, 422L);
    QVERIFY(bad.body.find("There is a problem") != std::string::npos);
    QCOMPARE(server.countInFile("SELECT count(*) FROM api_key"), before);

    auto revoked = client.request("POST", "/account/api-keys/" + prefix + "/revoke", "csrf=" + csrf, formHeaders(teacher));
    QCOMPARE(revoked.status, 303L);
    QCOMPARE(client.get("/api/v1/me", bearer(secret)).status, 401L);
    // Without the form's token nothing is revoked.
    auto other = client.json("POST", "/api/v1/api-keys", R"({"scope":"read"})", teacher);
    const std::string otherPrefix = other.json()["prefix"];
    QCOMPARE(client.request("POST", "/account/api-keys/" + otherPrefix + "/revoke", "csrf=wrong", formHeaders(teacher))
                 .status,
             403L);
    QCOMPARE(client.get("/api/v1/me", bearer(other.json()["key"].get<std::string>())).status, 200L);
}

QTEST_GUILESS_MAIN(ApiKeysTest)
#include "apikeystest.moc"
