// Every route × every kind of caller, with the status each must get. Each
// cell runs against fresh objects (a course with the same people, its
// windows, a fresh session), so a cell that deletes or closes something does
// not change the next one.

#include "testserver.h"

#include "core/random.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

enum Who { Anonymous, StudentOfCourse, StudentOfOther, Ta, Teacher, Admin, KioskToken, ApiKeyRead, k_whoCount };
constexpr std::array<std::string_view, k_whoCount> k_whoNames{
    "anonymous", "student of the course", "student of another course", "TA", "teacher", "admin", "kiosk token",
    "API key (teacher, read)"};

struct Target {
    std::string course;
    std::string openWindow;
    std::string scheduledWindow;
};

struct Cell {
    std::string method;
    std::string pattern; // as registered, to check every route is covered
    std::string body;
    std::array<int, k_whoCount> expected;
};

std::string fill(std::string pattern, const Target& t, const School& s)
{
    auto put = [&](const std::string& key, const std::string& value) {
        if (const auto at = pattern.find(key); at != std::string::npos)
            pattern.replace(at, key.size(), value);
    };
    put("{course}", t.course);
    const bool opening = pattern.ends_with("/open");
    put("{window}", opening ? t.scheduledWindow : t.openWindow);
    (void)s;
    return pattern;
}

const std::vector<Cell>& cells()
{
    //                                                     anon stA  stB  TA   tch  adm  kiosk key
    static const std::vector<Cell> table{
        {"GET", "/healthz", "", {200, 200, 200, 200, 200, 200, 200, 200}},
        {"POST", "/api/v1/login", R"({"email":"nobody{n}@example.org","password":"wrong password"})",
         {401, 401, 401, 401, 401, 401, 401, 401}},
        {"POST", "/api/v1/logout", "", {401, 200, 200, 200, 200, 200, 403, 403}},
        {"GET", "/api/v1/me", "", {401, 200, 200, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/api-keys", R"({"scope":"read"})", {401, 201, 201, 201, 201, 201, 403, 403}},
        {"GET", "/api/v1/people", "", {401, 403, 403, 403, 403, 200, 403, 403}},
        {"POST", "/api/v1/people", R"({"display_name":"New Person"})", {401, 403, 403, 403, 403, 201, 403, 403}},
        {"GET", "/api/v1/courses", "", {401, 200, 200, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/courses", R"({"name":"New course","timezone":"Europe/London"})",
         {401, 403, 403, 403, 201, 201, 403, 403}},
        {"GET", "/api/v1/courses/{course}", "", {401, 200, 403, 200, 200, 200, 403, 200}},
        {"DELETE", "/api/v1/courses/{course}", "", {401, 403, 403, 403, 200, 200, 403, 403}},
        {"GET", "/api/v1/courses/{course}/members", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"PUT", "/api/v1/courses/{course}/members/{person}", R"({"role":"ta"})",
         {401, 403, 403, 403, 201, 201, 403, 403}},
        {"DELETE", "/api/v1/courses/{course}/members/{person}", "", {401, 403, 403, 403, 200, 200, 403, 403}},
        {"GET", "/api/v1/courses/{course}/windows", "", {401, 200, 403, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/courses/{course}/windows", R"({"title":"Extra class"})",
         {401, 403, 403, 201, 201, 201, 403, 403}},
        {"POST", "/api/v1/windows/{window}/open", "", {401, 403, 403, 200, 200, 200, 403, 403}},
        {"POST", "/api/v1/windows/{window}/close", "", {401, 403, 403, 200, 200, 200, 403, 403}},
        {"POST", "/api/v1/windows/{window}/check-ins", "", {401, 201, 403, 201, 403, 403, 403, 403}},
        {"GET", "/api/v1/windows/{window}/records", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/records", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/people/{person}/records", "", {401, 200, 403, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/windows/{window}/people/{person}/corrections", R"({"present":true,"reason":"forgot"})",
         {401, 403, 403, 403, 201, 201, 403, 403}},
        {"POST", "/api/v1/windows/{window}/people/{person}/flags", R"({"flag":"CAMERA_OFF","set":true})",
         {401, 403, 403, 201, 201, 201, 403, 403}},
        {"POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
         {401, 403, 403, 403, 403, 403, 200, 403}},
    };
    return table;
}

class AccessMatrix : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_server = new TestServer();
        s_school = new School(School::build(*s_server));
    }
    static void TearDownTestSuite()
    {
        delete s_school;
        delete s_server;
    }

    // A fresh course with the same people and roles as course A.
    static Target freshTarget()
    {
        Store& store = *s_server->store;
        const School& s = *s_school;
        Target t;
        const auto now = s_server->clock.nowMs();
        EXPECT_TRUE(store.inTransaction([&]() -> Result<void> {
            auto course = store.createCourse({"Course " + newUuidV4().substr(0, 8), "Europe/London", 10, 60,
                                              {s.studentA.id, s.studentA2.id}},
                                             s.teacherA.id);
            if (!course)
                return std::unexpected(course.error());
            t.course = course->id;
            if (auto r = store.setEnrollment(s.taA.id, t.course, Role::Ta, s.teacherA.id); !r)
                return r;
            t.openWindow = newUuidV4();
            t.scheduledWindow = newUuidV4();
            if (auto r = store.createWindow({t.openWindow, t.course, "Now", now - 60'000, now - 60'000, s.teacherA.id}); !r)
                return std::unexpected(r.error());
            if (auto r = store.createWindow({t.scheduledWindow, t.course, "Later", now + 3'600'000, std::nullopt,
                                             std::nullopt});
                !r)
                return std::unexpected(r.error());
            return {};
        }));
        return t;
    }

    static Headers credentials(Who who)
    {
        const School& s = *s_school;
        switch (who) {
        case Anonymous: return {};
        case StudentOfCourse: return School::sessionFor(*s_server, s.studentA);
        case StudentOfOther: return School::sessionFor(*s_server, s.studentB);
        case Ta: return School::sessionFor(*s_server, s.taA);
        case Teacher: return School::sessionFor(*s_server, s.teacherA);
        case Admin: return School::sessionFor(*s_server, s.admin);
        case KioskToken: return bearer(s.kioskToken);
        case ApiKeyRead: return bearer(s.readKey);
        case k_whoCount: break;
        }
        return {};
    }

    static TestServer* s_server;
    static School* s_school;
};

TestServer* AccessMatrix::s_server = nullptr;
School* AccessMatrix::s_school = nullptr;

} // namespace

TEST_F(AccessMatrix, EveryRouteIsInTheMatrix)
{
    std::set<std::string> matrix;
    for (const Cell& c : cells())
        matrix.insert(c.method + " " + c.pattern);
    // The JSON API; the HTML pages have their own matrix in tests/web.
    std::set<std::string> registered;
    for (const Route& r : s_server->router.routes()) {
        if (r.pattern.starts_with("/api/") || r.pattern == "/healthz")
            registered.insert(r.method + " " + r.pattern);
    }
    EXPECT_EQ(matrix, registered);
}

TEST_F(AccessMatrix, EachCallerGetsTheExpectedStatusOnEachRoute)
{
    auto client = s_server->client();
    for (const Cell& cell : cells()) {
        for (int who = 0; who < k_whoCount; ++who) {
            const Target target = freshTarget();
            std::string path = fill(cell.pattern, target, *s_school);
            // Records and record changes are about a student of the course;
            // roster changes about someone not yet (PUT) or already (DELETE) in it.
            const std::string person = cell.method == "PUT" ? s_school->outsider.publicId : s_school->studentA.publicId;
            if (const auto at = path.find("{person}"); at != std::string::npos)
                path.replace(at, 8, cell.method == "DELETE" ? s_school->studentA2.publicId : person);
            Headers headers = credentials(static_cast<Who>(who));
            if (!cell.body.empty() || cell.method != "GET")
                headers.emplace_back("Content-Type: application/json");
            // Each failed login names another account, so the per-account
            // limit stays out of this test.
            std::string body = cell.body;
            if (const auto at = body.find("{n}"); at != std::string::npos)
                body.replace(at, 3, std::to_string(who));
            const auto r = client.request(cell.method, path, body, headers);
            EXPECT_EQ(r.status, cell.expected[static_cast<std::size_t>(who)])
                << cell.method << " " << cell.pattern << " as " << k_whoNames[static_cast<std::size_t>(who)] << ": "
                << r.body;
            if (r.status >= 400) {
                EXPECT_FALSE(r.errorCode().empty()) << cell.method << " " << cell.pattern << ": " << r.body;
            }
        }
    }
}
