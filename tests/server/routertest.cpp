// Router: literal and {param} segments, 404 and 405 with Allow.

#include "sync-server/http/router.h"

#include "tests/support/qtestsupport.h"

using namespace imhere::server;

namespace {

Router sampleRouter()
{
    Router r;
    auto named = [](std::string name) {
        return [name](const Request& req) {
            return jsonResponse(200, {{"route", name}, {"params", req.params}});
        };
    };
    r.add("GET", "/api/v1/courses", named("list"));
    r.add("POST", "/api/v1/courses", named("create"));
    r.add("GET", "/api/v1/courses/{course}", named("one"));
    r.add("DELETE", "/api/v1/courses/{course}/members/{person}", named("remove"));
    return r;
}

} // namespace

class RouterTest : public QObject {
    Q_OBJECT

private slots:
    void matchesLiteralsAndFillsParameters();
    void unknownPathIs404AndWrongMethodIs405WithAllow();
    void parametersNeedOneNonEmptySegment();
    void headIsAnsweredWhereverGetIs();
    void bodyLimitDefaultsToTheCoreLimit();
};

void RouterTest::matchesLiteralsAndFillsParameters()
{
    const Router r = sampleRouter();
    auto m = r.match("DELETE", "/api/v1/courses/abc/members/xyz");
    QVERIFY(std::holds_alternative<RouteMatch>(m));
    const auto& match = std::get<RouteMatch>(m);
    QCOMPARE(match.route->pattern, "/api/v1/courses/{course}/members/{person}");
    QCOMPARE(match.params.at("course"), "abc");
    QCOMPARE(match.params.at("person"), "xyz");
}

void RouterTest::unknownPathIs404AndWrongMethodIs405WithAllow()
{
    const Router r = sampleRouter();
    auto missing = r.match("GET", "/api/v1/nothing");
    QVERIFY(std::holds_alternative<Response>(missing));
    QCOMPARE(std::get<Response>(missing).status, 404);
    QCOMPARE_NE(std::get<Response>(missing).body.find("\"not_found\""), std::string::npos);

    auto wrong = r.match("PUT", "/api/v1/courses");
    QVERIFY(std::holds_alternative<Response>(wrong));
    const auto& response = std::get<Response>(wrong);
    QCOMPARE(response.status, 405);
    QCOMPARE(response.headers.size(), 1u);
    QCOMPARE(response.headers[0].second, "GET, HEAD, POST");
}

void RouterTest::parametersNeedOneNonEmptySegment()
{
    const Router r = sampleRouter();
    QVERIFY(std::holds_alternative<Response>(r.match("GET", "/api/v1/courses/")));
    QVERIFY(std::holds_alternative<Response>(r.match("GET", "/api/v1/courses/a/b")));
    QVERIFY(std::holds_alternative<Response>(r.match("GET", "api/v1/courses")));
    QVERIFY(std::holds_alternative<RouteMatch>(r.match("GET", "/api/v1/courses/..")));
}

void RouterTest::headIsAnsweredWhereverGetIs()
{
    const Router r = sampleRouter();
    auto head = r.match("HEAD", "/api/v1/courses/abc/members/xyz");
    QVERIFY(std::holds_alternative<Response>(head)); // only DELETE there
    QCOMPARE(std::get<Response>(head).status, 405);
    auto list = r.match("HEAD", "/api/v1/courses");
    QVERIFY(std::holds_alternative<RouteMatch>(list));
    QCOMPARE(std::get<RouteMatch>(list).route->method, "GET");
}

void RouterTest::bodyLimitDefaultsToTheCoreLimit()
{
    const Router r = sampleRouter();
    for (const Route& route : r.routes())
        QCOMPARE(route.maxBodyBytes, 1u << 20);
}

QTEST_GUILESS_MAIN(RouterTest)
#include "routertest.moc"
