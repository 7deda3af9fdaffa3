// Router: literal and {param} segments, 404 and 405 with Allow.

#include "sync-server/http/router.h"

#include <gtest/gtest.h>

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

TEST(Router, MatchesLiteralsAndFillsParameters)
{
    const Router r = sampleRouter();
    auto m = r.match("DELETE", "/api/v1/courses/abc/members/xyz");
    ASSERT_TRUE(std::holds_alternative<RouteMatch>(m));
    const auto& match = std::get<RouteMatch>(m);
    EXPECT_EQ(match.route->pattern, "/api/v1/courses/{course}/members/{person}");
    EXPECT_EQ(match.params.at("course"), "abc");
    EXPECT_EQ(match.params.at("person"), "xyz");
}

TEST(Router, UnknownPathIs404AndWrongMethodIs405WithAllow)
{
    const Router r = sampleRouter();
    auto missing = r.match("GET", "/api/v1/nothing");
    ASSERT_TRUE(std::holds_alternative<Response>(missing));
    EXPECT_EQ(std::get<Response>(missing).status, 404);
    EXPECT_NE(std::get<Response>(missing).body.find("\"not_found\""), std::string::npos);

    auto wrong = r.match("PUT", "/api/v1/courses");
    ASSERT_TRUE(std::holds_alternative<Response>(wrong));
    const auto& response = std::get<Response>(wrong);
    EXPECT_EQ(response.status, 405);
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0].second, "GET, POST");
}

TEST(Router, ParametersNeedOneNonEmptySegment)
{
    const Router r = sampleRouter();
    EXPECT_TRUE(std::holds_alternative<Response>(r.match("GET", "/api/v1/courses/")));
    EXPECT_TRUE(std::holds_alternative<Response>(r.match("GET", "/api/v1/courses/a/b")));
    EXPECT_TRUE(std::holds_alternative<Response>(r.match("GET", "api/v1/courses")));
    EXPECT_TRUE(std::holds_alternative<RouteMatch>(r.match("GET", "/api/v1/courses/..")));
}

TEST(Router, BodyLimitDefaultsToTheCoreLimit)
{
    const Router r = sampleRouter();
    for (const Route& route : r.routes())
        EXPECT_EQ(route.maxBodyBytes, 1u << 20);
}
