// Errors as a browser sees them: a page that does not exist, a method a page
// does not take, a body too large, each as an HTML page in the site's layout
// with the right status; the same errors on /api/ stay JSON for JSON clients.

#include "testserver.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::test;

namespace {

void expectPage(const HttpResult& r, long status, const std::string& title)
{
    QCOMPARE(r.status, status);
    QVERIFY2(r.header("content-type").starts_with("text/html"), r.header("content-type").c_str());
    QVERIFY2(r.body.starts_with("<!doctype html>"), r.body.substr(0, 200).c_str());
    QVERIFY2(r.body.find("<h1>" + title + "</h1>") != std::string::npos, r.body.substr(0, 2000).c_str());
    QVERIFY(r.body.find("href=\"/\"") != std::string::npos);
    QVERIFY(!r.header("content-security-policy").empty());
}

} // namespace

class ErrorPagesTest : public QObject {
    Q_OBJECT

    std::optional<TestServer> server;
    School school;

private slots:
    void init()
    {
        server.emplace();
        school = School::build(*server);
    }
    void cleanup() { server.reset(); }

    void aMissingPageIsAPageInTheLayout()
    {
        HttpClient client = server->client();
        expectPage(client.get("/no/such/page"), 404, "Page not found");
        // Signed in, the page carries the person's navigation.
        const auto signedIn = client.get("/no/such/page", School::sessionFor(*server, school.teacherA));
        expectPage(signedIn, 404, "Page not found");
        QVERIFY(signedIn.body.find("/logout") != std::string::npos);
    }

    void aMethodAPageDoesNotTakeIsAPageWithAllow()
    {
        HttpClient client = server->client();
        const auto r = client.request("DELETE", "/login");
        expectPage(r, 405, "That cannot be done here");
        QVERIFY2(r.header("allow").find("GET") != std::string::npos, r.header("allow").c_str());
    }

    void aBodyTooLargeForAFormIsAPage()
    {
        HttpClient client = server->client();
        const auto r = client.request("POST", "/login", std::string((1 << 20) + 1, 'a'),
                                      {"Content-Type: application/x-www-form-urlencoded"});
        expectPage(r, 413, "That was too large");
    }

    void aBrowserOnAnApiPathGetsAPage()
    {
        HttpClient client = server->client();
        client.skipContract(); // a page, which docs/openapi.yaml does not describe
        expectPage(client.get("/api/v1/no-such-thing", {"Accept: text/html,application/xhtml+xml,*/*;q=0.8"}), 404,
                   "Page not found");
    }

    void jsonClientsStillGetJsonErrors()
    {
        HttpClient client = server->client();
        const auto missing = client.get("/api/v1/no-such-thing", {"Accept: application/json"});
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.errorCode(), std::string("not_found"));
        const auto unauthenticated = client.get("/api/v1/courses");
        QCOMPARE(unauthenticated.status, 401);
        QVERIFY(unauthenticated.header("content-type").starts_with("application/json"));
        const auto tooLarge = client.request("POST", "/api/v1/courses", std::string((1 << 20) + 1, ' '),
                                             bearer(school.writeKey));
        QCOMPARE(tooLarge.status, 413);
        QCOMPARE(tooLarge.errorCode(), std::string("too_large"));
        // Health and metrics stay as they are for their machines.
        QVERIFY(client.get("/healthz").header("content-type").starts_with("application/json"));
    }
};

QTEST_GUILESS_MAIN(ErrorPagesTest)
#include "errorpagestest.moc"
