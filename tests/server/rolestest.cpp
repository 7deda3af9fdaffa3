// The ImHere user stories through the API: teachers run courses and rosters
// and correct attendance; TAs open and close windows, check in and see
// records but change no roster; students check in and see only their own.

#include "testserver.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

class RolesTest : public QObject {
    Q_OBJECT

    // The record of `person` in `window` as the teacher sees it; null, and a
    // failure of the running test, when there is none.
    nlohmann::json recordOf(const std::string& window, const std::string& person)
    {
        auto r = client->get("/api/v1/windows/" + window + "/records", teacher);
        const auto body = r.json();
        if (r.status == 200) {
            for (const auto& record : body["records"]) {
                if (record["person"] == person)
                    return record;
            }
        }
        QTest::qFail(("no record of " + person + " in " + std::to_string(r.status) + " " + r.body).c_str(), __FILE__,
                     __LINE__);
        return nullptr;
    }

    std::optional<TestServer> server;
    School school;
    std::optional<HttpClient> client;
    Headers teacher, ta, student, student2, otherTa;

private slots:
    void init()
    {
        server.emplace();
        school = School::build(*server);
        client.emplace(server->client());
        teacher = School::sessionFor(*server, school.teacherA);
        ta = School::sessionFor(*server, school.taA);
        student = School::sessionFor(*server, school.studentA);
        student2 = School::sessionFor(*server, school.studentA2);
        otherTa = School::sessionFor(*server, school.teacherB);
    }
    void cleanup()
    {
        client.reset();
        server.reset();
    }

    void teacherCreatesACourseWithStudentsThenManagesTheRosterAndTas();
    void taOpensAWindowChecksInAndClosesIt();
    void lateCheckInsAreLateByTheMinute();
    void teacherTogglesPresenceWithAReasonAndALaterCorrectionWins();
    void teachersAndTasSetAndClearFlags();
    void studentsSeeOnlyTheirOwnRecordsAndStaffOnlyTheirCourses();
};

void RolesTest::teacherCreatesACourseWithStudentsThenManagesTheRosterAndTas()
{
    auto created = client->json("POST", "/api/v1/courses",
                                nlohmann::json{{"name", "CPT2 · SQL"},
                                               {"timezone", "Africa/Johannesburg"},
                                               {"students", {school.studentA.publicId, school.outsider.publicId}}}
                                    .dump(),
                                teacher);
    QVERIFY2(created.status == 201, created.body.c_str());
    const std::string course = created.json()["course"]["id"];
    auto roster = client->get("/api/v1/courses/" + course + "/members", teacher).json()["members"];
    QCOMPARE(roster.size(), 3u); // the teacher and two students

    const std::string member = "/api/v1/courses/" + course + "/members/";
    QCOMPARE(client->json("PUT", member + school.taA.publicId, R"({"role":"ta"})", teacher).status, 201);
    QCOMPARE(client->json("PUT", member + school.studentA2.publicId, R"({"role":"student"})", teacher).status, 201);
    // The TA now sees the roster but cannot change it or its TAs.
    QCOMPARE(client->get("/api/v1/courses/" + course + "/members", ta).status, 200);
    QCOMPARE(client->json("PUT", member + school.studentB.publicId, R"({"role":"student"})", ta).status, 403);
    QCOMPARE(client->request("DELETE", member + school.studentA.publicId, "", ta).status, 403);
    QCOMPARE(client->request("DELETE", "/api/v1/courses/" + course, "", ta).status, 403);
    // Only an org admin names a teacher.
    QCOMPARE(client->json("PUT", member + school.studentB.publicId, R"({"role":"teacher"})", teacher).status, 403);

    QCOMPARE(client->request("DELETE", member + school.taA.publicId, "", teacher).status, 200);
    QCOMPARE(client->get("/api/v1/courses/" + course + "/members", ta).status, 403);
    QCOMPARE(client->request("DELETE", member + school.taA.publicId, "", teacher).status, 404);

    QCOMPARE(client->request("DELETE", "/api/v1/courses/" + course, "", teacher).status, 200);
    QCOMPARE(client->get("/api/v1/courses/" + course, teacher).status, 404);
}

void RolesTest::taOpensAWindowChecksInAndClosesIt()
{
    auto opened = client->json("POST", "/api/v1/courses/" + school.courseA.id + "/windows",
                               R"({"title":"Saturday workshop","alongside":true})", ta); // Week 1 is open
    QVERIFY2(opened.status == 201, opened.body.c_str());
    const std::string window = opened.json()["window"]["id"];
    QVERIFY(opened.json()["window"]["open"].get<bool>());

    auto mine = client->json("POST", "/api/v1/windows/" + window + "/check-ins", "", ta);
    QVERIFY2(mine.status == 201, mine.body.c_str());
    QVERIFY2(mine.json()["record"]["status"] == "on_time", mine.body.c_str());
    QCOMPARE(client->json("POST", "/api/v1/windows/" + window + "/check-ins", "", ta).status, 409);

    QCOMPARE(client->json("POST", "/api/v1/windows/" + window + "/check-ins", "", student).status, 201);
    QCOMPARE(client->json("POST", "/api/v1/windows/" + window + "/close", "", ta).status, 200);
    server->clock.advance(1000);
    auto late = client->json("POST", "/api/v1/windows/" + window + "/check-ins", "", student2);
    QCOMPARE(late.status, 409);
    QCOMPARE(late.errorCode(), "window_closed");

    // Closing recorded everyone without a check-in absent. (Not const: a
    // missing record, null, then reads as one without a status.)
    auto absent = recordOf(window, school.studentA2.publicId);
    QVERIFY2(absent["status"] == "absent", absent.dump().c_str());
    auto onTime = recordOf(window, school.studentA.publicId);
    QVERIFY2(onTime["status"] == "on_time", onTime.dump().c_str());
}

void RolesTest::lateCheckInsAreLateByTheMinute()
{
    server->clock.advance(25 * 60'000);
    auto r = client->json("POST", "/api/v1/windows/" + school.openA.id + "/check-ins", "", student);
    QCOMPARE(r.status, 201);
    QVERIFY2(r.json()["record"]["status"] == "late", r.body.c_str());
    QVERIFY2(r.json()["record"]["minutes_late"] == 26, r.body.c_str());
}

void RolesTest::teacherTogglesPresenceWithAReasonAndALaterCorrectionWins()
{
    const std::string w = school.openA.id;
    QCOMPARE(client->json("POST", "/api/v1/windows/" + w + "/close", "", teacher).status, 200);
    auto closed = recordOf(w, school.studentA.publicId);
    QVERIFY2(closed["status"] == "absent", closed.dump().c_str());

    const std::string path = "/api/v1/windows/" + w + "/people/" + school.studentA.publicId + "/corrections";
    auto present = client->json("POST", path, R"({"present":true,"reason":"forgot to clock in"})", teacher);
    QVERIFY2(present.status == 201, present.body.c_str());
    QVERIFY(present.json()["record"]["present"].get<bool>());
    QVERIFY(present.json()["record"]["corrected"].get<bool>());
    // TAs see records but do not change attendance.
    QCOMPARE(client->json("POST", path, R"({"present":false,"reason":"no"})", ta).status, 403);

    const std::string base = present.json()["record"]["last_event"];
    server->clock.advance(1000);
    auto absent = client->json("POST", path, nlohmann::json{{"present", false}, {"reason", "left after ten minutes"},
                                                            {"base", base}}.dump(), teacher);
    QVERIFY(!absent.json()["record"]["present"].get<bool>());
    QVERIFY(!absent.json()["record"]["needs_review"].get<bool>());
    // A second correction from the same view is a conflict for review.
    server->clock.advance(1000);
    auto conflict = client->json("POST", path, nlohmann::json{{"present", true}, {"reason", "was there"},
                                                              {"base", base}}.dump(), teacher);
    QVERIFY(conflict.json()["record"]["present"].get<bool>());
    QVERIFY(conflict.json()["record"]["needs_review"].get<bool>());
}

void RolesTest::teachersAndTasSetAndClearFlags()
{
    const std::string path = "/api/v1/windows/" + school.openA.id + "/people/" + school.studentA.publicId + "/flags";
    auto set = client->json("POST", path, R"({"flag":"CAMERA_OFF","set":true,"note":"camera off"})", ta);
    QCOMPARE(set.status, 201);
    QVERIFY2(set.json()["record"]["flags"] == nlohmann::json::array({"CAMERA_OFF"}), set.body.c_str());
    server->clock.advance(1000);
    auto cleared = client->json("POST", path, R"({"flag":"CAMERA_OFF","set":false})", teacher);
    QVERIFY2(cleared.json()["record"]["flags"] == nlohmann::json::array(), cleared.body.c_str());
    QCOMPARE(client->json("POST", path, R"({"flag":"CAMERA_OFF","set":true})", student).status, 403);
}

void RolesTest::studentsSeeOnlyTheirOwnRecordsAndStaffOnlyTheirCourses()
{
    const std::string base = "/api/v1/courses/" + school.courseA.id + "/people/";
    QCOMPARE(client->get(base + school.studentA.publicId + "/records", student).status, 200);
    QCOMPARE(client->get(base + school.studentA2.publicId + "/records", student).status, 403);
    QCOMPARE(client->get("/api/v1/courses/" + school.courseA.id + "/records", student).status, 403);
    QCOMPARE(client->get(base + school.studentA2.publicId + "/records", ta).status, 200);
    // Staff of course B have no business in course A.
    QCOMPARE(client->get("/api/v1/courses/" + school.courseA.id + "/records", otherTa).status, 403);
    QCOMPARE(client->get("/api/v1/windows/" + school.openA.id + "/records", otherTa).status, 403);
    QCOMPARE(client->json("POST", "/api/v1/windows/" + school.openA.id + "/close", "", otherTa).status, 403);
    // Courses a person is not in do not appear in their list.
    auto courses = client->get("/api/v1/courses", student).json()["courses"];
    QCOMPARE(courses.size(), 1u);
    QVERIFY2(courses[0]["id"] == school.courseA.id, courses.dump().c_str());
}

QTEST_GUILESS_MAIN(RolesTest)
#include "rolestest.moc"
