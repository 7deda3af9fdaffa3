// docs/openapi.yaml and the server agree: every route is documented and every
// documented operation is routed; and the contract checker that every HTTP
// test runs its answers through (contract.h) refuses what the document does
// not say.

#include "contract.h"
#include "testserver.h"

#include "tests/support/qtestsupport.h"

#include <set>

using namespace imhere::test;

namespace {

bool mentions(const std::vector<std::string>& errors, std::string_view part)
{
    for (const auto& e : errors)
        if (e.find(part) != std::string::npos)
            return true;
    return false;
}

} // namespace

class OpenApiTest : public QObject {
    Q_OBJECT

private slots:
    void specAndRouterAgree();
    void checkerAcceptsADocumentedAnswer();
    void checkerRefusesWhatTheDocumentDoesNotSay();
};

void OpenApiTest::specAndRouterAgree()
{
    const auto reply = contract::ask({{"op", "routes"}});
    QVERIFY2(reply.contains("routes"), reply.dump().c_str());
    std::set<std::string> documented;
    for (const auto& r : reply["routes"])
        documented.insert(r.get<std::string>());
    QVERIFY(!documented.empty());
    TestServer server;
    std::set<std::string> routed;
    for (const auto& route : server.router.routes())
        routed.insert(route.method + " " + route.pattern);
    for (const auto& r : routed)
        QVERIFY2(documented.contains(r), (r + " is not in docs/openapi.yaml").c_str());
    for (const auto& d : documented)
        QVERIFY2(routed.contains(d), (d + " is documented but not routed").c_str());
}

void OpenApiTest::checkerAcceptsADocumentedAnswer()
{
    const auto errors = contract::check({"GET", "/healthz", 200, "application/json", R"({"status":"ok"})", {}});
    QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
    const auto page = contract::check({"GET", "/login", 200, "text/html; charset=utf-8", "<!doctype html>", {}});
    QVERIFY2(page.empty(), page.empty() ? "" : page.front().c_str());
}

void OpenApiTest::checkerRefusesWhatTheDocumentDoesNotSay()
{
    // A field the schema does not allow.
    QVERIFY(mentions(contract::check({"GET", "/healthz", 200, "application/json", R"({"status":"ok","uptime":3})", {}}),
                     "uptime"));
    // A value outside the schema's enum, and a missing required field.
    QVERIFY(mentions(contract::check({"GET", "/healthz", 200, "application/json", R"({"status":"fine"})", {}}),
                     "allowed values"));
    QVERIFY(mentions(contract::check({"POST", "/api/v1/logout", 200, "application/json", "{}", {}}), "signed_out"));
    // A status the operation does not declare.
    QVERIFY(mentions(contract::check({"GET", "/api/v1/me", 500, "application/json",
                                      R"({"error":{"code":"internal","message":"x"}})", {}}),
                     "documents no 500"));
    // A media type the response does not declare, and a body that is not JSON.
    QVERIFY(mentions(contract::check({"GET", "/healthz", 200, "text/plain", "ok", {}}), "Content-Type"));
    QVERIFY(mentions(contract::check({"GET", "/healthz", 200, "application/json", "ok", {}}), "not JSON"));
    // An error body that is not the error shape.
    QVERIFY(mentions(contract::check({"GET", "/api/v1/me", 401, "application/json", R"({"message":"no"})", {}}),
                     "error"));
    // A header the document requires.
    QVERIFY(mentions(contract::check({"POST", "/api/v1/windows/8d2e6f14-5a3b-4c1d-9e7f-0a1b2c3d4e5f/check-ins", 503,
                                      "application/json", R"({"error":{"code":"unavailable","message":"busy"}})", {}}),
                     "Retry-After"));
    // A path no operation has answers only as x-unrouted-responses says.
    QVERIFY(mentions(contract::check({"GET", "/api/v1/nothing", 200, "application/json", "{}", {}}),
                     "no such path"));
}

QTEST_GUILESS_MAIN(OpenApiTest)
#include "openapitest.moc"
