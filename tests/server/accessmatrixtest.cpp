// Every route × every kind of caller, with the status each must get. Each
// cell runs against fresh objects (a course with the same people, its
// windows, a fresh session), so a cell that deletes or closes something does
// not change the next one.

#include "testserver.h"

#include "core/random.h"

#include "tests/support/qtestsupport.h"

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
    std::string milestone; // a manual milestone of the course
};

struct Cell {
    std::string method;
    std::string pattern; // as registered, to check every route is covered
    std::string body;
    std::array<int, k_whoCount> expected;
    std::string contentType = "application/json";
};

constexpr std::string_view k_emptyRegister = "Name,Email,Timestamp,Course,Module,Day,Location\r\n";

std::string fill(std::string pattern, const Target& t, const School& s)
{
    auto put = [&](const std::string& key, const std::string& value) {
        if (const auto at = pattern.find(key); at != std::string::npos)
            pattern.replace(at, key.size(), value);
    };
    put("{course}", t.course);
    put("{key}", "ak_AAAAAAAA");
    put("{public_id}", s.studentA.publicId);
    put("{id}", t.milestone);
    const bool opening = pattern.ends_with("/open");
    put("{window}", opening ? t.scheduledWindow : t.openWindow);
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
        {"GET", "/api/v1/api-keys", "", {401, 200, 200, 200, 200, 200, 403, 200}},
        // Nobody has this key: no one learns whose it would be.
        {"DELETE", "/api/v1/api-keys/{key}", "", {401, 404, 404, 404, 404, 404, 403, 403}},
        // The public API: open, but a kiosk token is no API key.
        {"GET", "/api/public/v1/courses", "", {200, 200, 200, 200, 200, 200, 401, 200}},
        {"GET", "/api/public/v1/courses/{course}/windows", "", {200, 200, 200, 200, 200, 200, 401, 200}},
        {"GET", "/api/public/v1/courses/{course}/attendance", "", {200, 200, 200, 200, 200, 200, 401, 200}},
        {"GET", "/api/public/v1/courses/{course}/summary", "", {200, 200, 200, 200, 200, 200, 401, 200}},
        {"GET", "/api/public/v1/courses/{course}/milestones", "", {200, 200, 200, 200, 200, 200, 401, 200}},
        {"GET", "/api/public/v1/trainees/{public_id}", "", {200, 200, 200, 200, 200, 200, 401, 200}},
        {"OPTIONS", "/api/public/v1/courses", "", {204, 204, 204, 204, 204, 204, 204, 204}},
        {"OPTIONS", "/api/public/v1/courses/{course}/windows", "", {204, 204, 204, 204, 204, 204, 204, 204}},
        {"OPTIONS", "/api/public/v1/courses/{course}/attendance", "", {204, 204, 204, 204, 204, 204, 204, 204}},
        {"OPTIONS", "/api/public/v1/courses/{course}/summary", "", {204, 204, 204, 204, 204, 204, 204, 204}},
        {"OPTIONS", "/api/public/v1/courses/{course}/milestones", "", {204, 204, 204, 204, 204, 204, 204, 204}},
        {"OPTIONS", "/api/public/v1/trainees/{public_id}", "", {204, 204, 204, 204, 204, 204, 204, 204}},
        {"GET", "/api/v1/people", "", {401, 403, 403, 403, 403, 200, 403, 403}},
        {"POST", "/api/v1/people", R"({"display_name":"New Person"})", {401, 403, 403, 403, 403, 201, 403, 403}},
        {"POST", "/api/v1/password-resets", R"({"email":"nobody{n}@example.org"})",
         {202, 202, 202, 202, 202, 202, 202, 202}},
        {"POST", "/api/v1/me/password", R"({"current_password":"not mine","new_password":"a long new passphrase"})",
         {401, 422, 422, 422, 422, 422, 403, 403}},
        {"POST", "/api/v1/me/sign-out-others", "", {401, 200, 200, 200, 200, 200, 403, 403}},
        {"POST", "/api/v1/people/{person}/password-link", R"({"purpose":"reset"})",
         {401, 403, 403, 403, 201, 201, 403, 403}},
        {"POST", "/api/v1/courses/{course}/invitations", "", {401, 403, 403, 403, 201, 201, 403, 403}},
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
        {"POST", "/api/v1/courses/{course}/windows", R"({"title":"Extra class","alongside":true})",
         {401, 403, 403, 201, 201, 201, 403, 403}},
        {"POST", "/api/v1/windows/{window}/open", "", {401, 403, 403, 200, 200, 200, 403, 403}},
        {"POST", "/api/v1/windows/{window}/close", "", {401, 403, 403, 200, 200, 200, 403, 403}},
        // Teachers are volunteers: they check in like TAs.
        {"POST", "/api/v1/windows/{window}/check-ins", "", {401, 201, 403, 201, 201, 403, 403, 403}},
        {"GET", "/api/v1/windows/{window}/records", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/records", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/people/{person}/records", "", {401, 200, 403, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/windows/{window}/people/{person}/corrections", R"({"present":true,"reason":"forgot"})",
         {401, 403, 403, 403, 201, 201, 403, 403}},
        {"POST", "/api/v1/windows/{window}/people/{person}/flags", R"({"flag":"CAMERA_OFF","set":true})",
         {401, 403, 403, 201, 201, 201, 403, 403}},
        {"POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
         {401, 403, 403, 403, 403, 403, 200, 403}},
        {"GET", "/api/v1/courses/{course}/tracker", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"PUT", "/api/v1/courses/{course}/tracker", R"({"identity":{"course":"ITP","module":"JS1"}})",
         {401, 403, 403, 403, 200, 200, 403, 403}},
        {"GET", "/api/v1/courses/{course}/register.csv", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/courses/{course}/register", std::string(k_emptyRegister),
         {401, 403, 403, 403, 200, 200, 403, 403}, "text/csv"},
        {"POST", "/api/v1/courses/{course}/register/dry-run", std::string(k_emptyRegister),
         {401, 403, 403, 403, 200, 200, 403, 403}, "text/csv"},
        {"GET", "/api/v1/courses/{course}/report", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/cohort", "", {401, 200, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/records.csv", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/people/{person}/record", "", {401, 200, 403, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/courses/{course}/alerts/follow-ups",
         R"({"person":"{student}","kind":"absent_run","since":"2026-01-05","note":"called"})",
         {401, 403, 403, 200, 200, 200, 403, 403}},
        {"PATCH", "/api/v1/courses/{course}", R"({"alert_below_percent":75})", {401, 403, 403, 403, 200, 200, 403, 403}},
        {"PATCH", "/api/v1/courses/{course}", R"({"slack_webhook_url":"https://hooks.slack.com/services/T0123/B0456/abc"})",
         {401, 403, 403, 403, 200, 200, 403, 403}},
        {"GET", "/api/v1/windows/{window}/report", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        // The window is open: its teacher and an admin hear that it is not closed.
        {"POST", "/api/v1/windows/{window}/reopen", "", {401, 403, 403, 403, 409, 409, 403, 403}},
        {"GET", "/api/v1/reports/overview", "", {401, 403, 403, 403, 403, 200, 403, 403}},
        {"GET", "/api/v1/reports/overview.csv", "", {401, 403, 403, 403, 403, 200, 403, 403}},
        {"PUT", "/api/v1/people/{person}/lead", "", {401, 403, 403, 403, 403, 200, 403, 403}},
        {"DELETE", "/api/v1/people/{person}/lead", "", {401, 403, 403, 403, 403, 200, 403, 403}},
        // Milestones (docs/MILESTONES.md): one's own; a trainee's for their
        // course's team; the course's, set by its teachers.
        {"GET", "/api/v1/me/milestones", "", {401, 200, 200, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/me/milestones", R"({"title":"Mine","metric":"codewars_honor","target":100,"due":"2030-01-01"})",
         {401, 201, 201, 201, 201, 201, 403, 403}},
        {"PUT", "/api/v1/me/usernames", R"({"github":"octocat"})", {401, 200, 200, 200, 200, 200, 403, 403}},
        {"PUT", "/api/v1/milestones/{id}", R"({"title":"Changed","metric":"manual","due":"2030-01-01"})",
         {401, 403, 404, 403, 200, 200, 403, 403}},
        {"DELETE", "/api/v1/milestones/{id}", "", {401, 403, 404, 403, 200, 200, 403, 403}},
        {"POST", "/api/v1/milestones/{id}/confirmations", R"({"person":"{student}","note":"seen it"})",
         {401, 403, 403, 200, 200, 200, 403, 403}},
        {"GET", "/api/v1/people/{person}/milestones", "", {401, 200, 403, 200, 200, 200, 403, 200}},
        {"GET", "/api/v1/courses/{course}/milestones", "", {401, 403, 403, 200, 200, 200, 403, 200}},
        {"POST", "/api/v1/courses/{course}/milestones",
         R"({"title":"Course","metric":"codewars_honor","target":100,"due":"2030-01-01"})",
         {401, 403, 403, 403, 201, 201, 403, 403}},
    };
    return table;
}

} // namespace

class AccessMatrixTest : public QObject {
    Q_OBJECT

    // A fresh course with the same people and roles as course A; nullopt
    // when it could not be made.
    std::optional<Target> freshTarget()
    {
        Store& store = *server->store;
        const School& s = *school;
        Target t;
        const auto now = server->clock.nowMs();
        const auto made = store.inTransaction([&]() -> Result<void> {
            auto course = store.courses().createCourse({"Course " + newUuidV4().substr(0, 8), "Europe/London", 10, 60,
                                              {s.studentA.id, s.studentA2.id}},
                                             s.teacherA.id);
            if (!course)
                return std::unexpected(course.error());
            t.course = course->id;
            if (auto r = store.courses().setEnrollment(s.taA.id, t.course, Role::Ta, s.teacherA.id); !r)
                return r;
            t.openWindow = newUuidV4();
            t.scheduledWindow = newUuidV4();
            if (auto r = store.attendance().createWindow({t.openWindow, t.course, "Now", now - 60'000, now - 60'000, s.teacherA.id}); !r)
                return std::unexpected(r.error());
            if (auto r = store.attendance().createWindow({t.scheduledWindow, t.course, "Later", now + 3'600'000, std::nullopt,
                                             std::nullopt});
                !r)
                return std::unexpected(r.error());
            Milestone m;
            m.course = t.course;
            m.fields = {"Mock interview", "", MilestoneMetric::Manual, "", 1, now + 30LL * 86'400'000};
            m.startsAt = now;
            m.createdBy = s.teacherA.id;
            auto milestone = store.milestones().createMilestone(m);
            if (!milestone)
                return std::unexpected(milestone.error());
            t.milestone = std::to_string(milestone->id);
            return {};
        });
        if (!made)
            return std::nullopt;
        return t;
    }

    Headers credentials(Who who)
    {
        const School& s = *school;
        switch (who) {
        case Anonymous: return {};
        case StudentOfCourse: return School::sessionFor(*server, s.studentA);
        case StudentOfOther: return School::sessionFor(*server, s.studentB);
        case Ta: return School::sessionFor(*server, s.taA);
        case Teacher: return School::sessionFor(*server, s.teacherA);
        case Admin: return School::sessionFor(*server, s.admin);
        case KioskToken: return bearer(s.kioskToken);
        case ApiKeyRead: return bearer(s.readKey);
        case k_whoCount: break;
        }
        return {};
    }

    // One server and school for every cell: each cell makes its own course.
    std::optional<TestServer> server;
    std::optional<School> school;

private slots:
    void initTestCase()
    {
        server.emplace();
        school = School::build(*server);
    }
    void cleanupTestCase()
    {
        school.reset();
        server.reset();
    }

    void everyRouteIsInTheMatrix();
    void eachCallerGetsTheExpectedStatusOnEachRoute_data();
    void eachCallerGetsTheExpectedStatusOnEachRoute();
};

void AccessMatrixTest::everyRouteIsInTheMatrix()
{
    std::set<std::string> matrix;
    for (const Cell& c : cells())
        matrix.insert(c.method + " " + c.pattern);
    // The JSON API; the HTML pages have their own matrix in tests/web.
    std::set<std::string> registered;
    for (const Route& r : server->router.routes()) {
        if (r.pattern.starts_with("/api/") || r.pattern == "/healthz")
            registered.insert(r.method + " " + r.pattern);
    }
    std::string difference;
    for (const auto& r : registered) {
        if (!matrix.contains(r))
            difference += "not in the matrix: " + r + "\n";
    }
    for (const auto& c : matrix) {
        if (!registered.contains(c))
            difference += "not a route: " + c + "\n";
    }
    QVERIFY2(matrix == registered, difference.c_str());
}

// One row per cell: route × caller.
void AccessMatrixTest::eachCallerGetsTheExpectedStatusOnEachRoute_data()
{
    QTest::addColumn<int>("cell");
    QTest::addColumn<int>("who");
    for (std::size_t cell = 0; cell < cells().size(); ++cell) {
        for (int who = 0; who < k_whoCount; ++who) {
            const Cell& c = cells()[cell];
            QTest::addRow("%s %s as %s", c.method.c_str(), c.pattern.c_str(),
                          std::string(k_whoNames[static_cast<std::size_t>(who)]).c_str())
                << static_cast<int>(cell) << who;
        }
    }
}

void AccessMatrixTest::eachCallerGetsTheExpectedStatusOnEachRoute()
{
    QFETCH(int, cell);
    QFETCH(int, who);
    const Cell& c = cells()[static_cast<std::size_t>(cell)];
    auto client = server->client();
    const auto target = freshTarget();
    QVERIFY(target);
    std::string path = fill(c.pattern, *target, *school);
    // Records and record changes are about a student of the course;
    // roster changes about someone not yet (PUT) or already (DELETE) in it.
    const std::string person = c.method == "PUT" ? school->outsider.publicId : school->studentA.publicId;
    if (const auto at = path.find("{person}"); at != std::string::npos)
        path.replace(at, 8, c.method == "DELETE" ? school->studentA2.publicId : person);
    Headers headers = credentials(static_cast<Who>(who));
    if (!c.body.empty() || c.method != "GET")
        headers.emplace_back("Content-Type: " + c.contentType);
    // Each failed login names another account, so the per-account
    // limit stays out of this test.
    std::string body = c.body;
    if (const auto at = body.find("{n}"); at != std::string::npos)
        body.replace(at, 3, std::to_string(who));
    if (const auto at = body.find("{student}"); at != std::string::npos)
        body.replace(at, 9, school->studentA.publicId);
    const auto r = client.request(c.method, path, body, headers);
    const int expected = c.expected[static_cast<std::size_t>(who)];
    QVERIFY2(r.status == expected,
             ("expected " + std::to_string(expected) + ", got " + std::to_string(r.status) + ": " + r.body).c_str());
    if (r.status >= 400) {
        QVERIFY2(!r.errorCode().empty(), r.body.c_str());
    }
}

QTEST_GUILESS_MAIN(AccessMatrixTest)
#include "accessmatrixtest.moc"
