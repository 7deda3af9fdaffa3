// Bad input on every route that takes any: malformed JSON, wrong types,
// missing fields, oversized bodies, wrong content type, invalid UTF-8,
// overflowing numbers, deep nesting, and hostile ids in the path. Each gets a
// clear 4xx JSON error in the server's own words (never the JSON parser's
// message), the database is unchanged, and the server keeps serving.

#include "testserver.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

enum class As { Anonymous, Student, Teacher, Admin, Kiosk };

struct InputRoute {
    std::string method;
    std::string path;
    std::string validBody;   // shape reference: a well-formed body for the route
    std::string wrongTypes;  // the same keys with values of the wrong type
    bool hasRequiredFields;  // whether {} is missing something
    As as;
};

// Every table's row count and the change-log head: any write shows here.
std::string fingerprint(const TestServer& server)
{
    std::string out;
    for (const auto& name : server.tableNames())
        out += name + "=" + std::to_string(server.countInFile("SELECT count(*) FROM \"" + name + "\"")) + ";";
    return out;
}

} // namespace

class BadInputTest : public QObject {
    Q_OBJECT

    std::vector<InputRoute> routes() const
    {
        const std::string c = "/api/v1/courses/" + school.courseA.id;
        const std::string w = "/api/v1/windows/" + school.openA.id;
        const std::string p = school.studentA.publicId;
        return {
            {"POST", "/api/v1/login", R"({"email":"a@example.org","password":"long enough pw"})",
             R"({"email":5,"password":true})", true, As::Anonymous},
            {"POST", "/api/v1/api-keys", R"({"scope":"read"})", R"({"scope":["read"]})", true, As::Teacher},
            {"POST", "/api/v1/people", R"({"display_name":"X","email":"x@example.org"})",
             R"({"display_name":{},"email":7})", true, As::Admin},
            {"POST", "/api/v1/courses", R"({"name":"X","timezone":"Europe/London","late_after_min":5})",
             R"({"name":"X","timezone":"Europe/London","late_after_min":"5"})", true, As::Teacher},
            {"PUT", c + "/members/" + school.outsider.publicId, R"({"role":"ta"})", R"({"role":1})", true,
             As::Teacher},
            {"POST", c + "/windows", R"({"title":"Extra"})", R"({"title":false})", true, As::Teacher},
            {"POST", w + "/check-ins", R"({})", R"({"person":12345})", false, As::Student},
            {"POST", w + "/people/" + p + "/corrections", R"({"present":true,"reason":"forgot"})",
             R"({"present":"yes","reason":"forgot"})", true, As::Teacher},
            {"POST", w + "/people/" + p + "/flags", R"({"flag":"CAMERA_OFF","set":true})",
             R"({"flag":"CAMERA_OFF","set":1})", true, As::Teacher},
            {"POST", "/api/v1/password-resets", R"({"email":"a@example.org"})", R"({"email":["a@example.org"]})", true,
             As::Anonymous},
            {"POST", "/api/v1/me/password", R"({"current_password":"long enough pw","new_password":"a new passphrase"})",
             R"({"current_password":1,"new_password":2})", true, As::Teacher},
            {"POST", "/api/v1/people/" + p + "/password-link", R"({"purpose":"reset"})", R"({"purpose":"later"})",
             true, As::Admin},
            {"POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
             R"({"protocol":"1","kiosk_time":1,"cursor":0,"events":[]})", true, As::Kiosk},
        };
    }

    Headers credentials(As as) const
    {
        switch (as) {
        case As::Anonymous: return {};
        case As::Student: return student;
        case As::Teacher: return teacher;
        case As::Admin: return admin;
        case As::Kiosk: return bearer(school.kioskToken);
        }
        return {};
    }

    // Sends one bad request and checks the answer, the store and the server.
    void expectRefused(const InputRoute& route, const std::string& body, const std::string& contentType,
                       std::initializer_list<int> statuses, const std::string& what)
    {
        const std::string before = fingerprint(*server);
        Headers headers = credentials(route.as);
        if (!contentType.empty())
            headers.push_back("Content-Type: " + contentType);
        const auto r = client->request(route.method, route.path, body, headers);
        QVERIFY2(std::find(statuses.begin(), statuses.end(), r.status) != statuses.end(),
                 (what + " on " + route.method + " " + route.path + " gave " + std::to_string(r.status) + ": "
                  + r.body.substr(0, 300))
                     .c_str());
        QVERIFY2(!r.errorCode().empty(), (what + " on " + route.path + ": " + r.body.substr(0, 300)).c_str());
        // The client hears what was wrong in the server's words, never the
        // JSON parser's own message.
        const std::string message = r.json()["error"].value("message", "");
        for (const char* internal : {"json.exception", "parse_error", "syntax error", "last read", "out_of_range"})
            QVERIFY2(message.find(internal) == std::string::npos,
                     (what + " on " + route.path + " leaked the parser's message: " + message).c_str());
        QVERIFY2(fingerprint(*server) == before, (what + " on " + route.path + " changed the store").c_str());
        QCOMPARE(client->get("/healthz").status, 200);
    }

    std::optional<TestServer> server;
    School school;
    std::optional<HttpClient> client;
    Headers student, teacher, admin;

private slots:
    void init()
    {
        server.emplace();
        school = School::build(*server);
        client.emplace(server->client());
        student = School::sessionFor(*server, school.studentA);
        teacher = School::sessionFor(*server, school.teacherA);
        admin = School::sessionFor(*server, school.admin);
    }
    void cleanup()
    {
        client.reset();
        server.reset();
    }

    void everyInputRouteRefusesEveryKindOfBadBody();
    void hostileIdsInThePathAreRefused();
    void validBodiesStillWorkAfterTheBattery();
};

void BadInputTest::everyInputRouteRefusesEveryKindOfBadBody()
{
    for (const InputRoute& route : routes()) {
        const std::string json = "application/json";
        expectRefused(route, "{\"oops\":", json, {400}, "malformed JSON");
        expectRefused(route, "[1,2,3]", json, {400, 422}, "not an object");
        expectRefused(route, route.wrongTypes, json, {422}, "wrong types");
        if (route.hasRequiredFields)
            expectRefused(route, "{}", json, {422}, "missing fields");
        expectRefused(route, R"({"unexpected_field":1})", json, {422}, "unknown field");
        expectRefused(route, std::string((4 << 20) + 16, ' '), json, {413}, "oversized body");
        expectRefused(route, route.validBody, "text/plain", {415}, "wrong content type");
        expectRefused(route, route.validBody, "application/x-www-form-urlencoded", {415}, "form content type");
        expectRefused(route, "{\"name\":\"\xff\xfe\",\"title\":\"\xc3\x28\"}", json, {400, 422}, "invalid UTF-8");
        expectRefused(route, R"({"late_after_min":1e999,"x":99999999999999999999999999})", json, {400, 422},
                      "overflowing numbers");
        expectRefused(route, std::string(200, '[') + std::string(200, ']'), json, {400}, "deep nesting");
    }
}

void BadInputTest::hostileIdsInThePathAreRefused()
{
    const std::vector<std::string> ids{
        "1'%20OR%20'1'%3D'1",          "..%2F..%2F..%2Fetc%2Fpasswd", "%00",
        "00000000-0000-0000-0000-00000000000G", "robert');DROP%20TABLE%20person;--", std::string(300, 'a'),
        "%C3%28",
    };
    const InputRoute anyRoute{"GET", "", "", "", false, As::Teacher};
    for (const auto& id : ids) {
        for (const std::string& path :
             {"/api/v1/courses/" + id, "/api/v1/courses/" + id + "/members", "/api/v1/courses/" + id + "/records",
              "/api/v1/windows/" + id + "/records",
              "/api/v1/courses/" + school.courseA.id + "/people/" + id + "/records"}) {
            InputRoute r = anyRoute;
            r.path = path;
            expectRefused(r, "", "", {400, 404}, "hostile id " + id);
        }
        InputRoute del{"DELETE", "/api/v1/courses/" + school.courseA.id + "/members/" + id, "", "", false, As::Teacher};
        expectRefused(del, "", "", {400, 404}, "hostile person id " + id);
        InputRoute close{"POST", "/api/v1/windows/" + id + "/close", "", "", false, As::Teacher};
        expectRefused(close, "", "", {400, 404}, "hostile window id " + id);
    }
}

void BadInputTest::validBodiesStillWorkAfterTheBattery()
{
    auto r = client->json("POST", "/api/v1/courses/" + school.courseA.id + "/windows", R"({"title":"Extra","alongside":true})", teacher);
    QVERIFY2(r.status == 201, r.body.c_str());
}

QTEST_GUILESS_MAIN(BadInputTest)
#include "badinputtest.moc"
