// The ImHere user stories through the API: teachers run courses and rosters
// and correct attendance; TAs open and close windows, check in and see
// records but change no roster; students check in and see only their own.

#include "testserver.h"

#include <gtest/gtest.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

class Roles : public ::testing::Test {
protected:
    Roles() : school(School::build(server)), client(server.client())
    {
        teacher = School::sessionFor(server, school.teacherA);
        ta = School::sessionFor(server, school.taA);
        student = School::sessionFor(server, school.studentA);
        student2 = School::sessionFor(server, school.studentA2);
        otherTa = School::sessionFor(server, school.teacherB);
    }

    nlohmann::json recordOf(const std::string& window, const std::string& person)
    {
        auto r = client.get("/api/v1/windows/" + window + "/records", teacher);
        EXPECT_EQ(r.status, 200) << r.body;
        const auto body = r.json();
        for (const auto& record : body["records"]) {
            if (record["person"] == person)
                return record;
        }
        ADD_FAILURE() << "no record of " << person << " in " << r.body;
        return nullptr;
    }

    TestServer server;
    School school;
    HttpClient client;
    Headers teacher, ta, student, student2, otherTa;
};

} // namespace

TEST_F(Roles, TeacherCreatesACourseWithStudentsThenManagesTheRosterAndTas)
{
    auto created = client.json("POST", "/api/v1/courses",
                               nlohmann::json{{"name", "CPT2 · SQL"},
                                              {"timezone", "Africa/Johannesburg"},
                                              {"students", {school.studentA.publicId, school.outsider.publicId}}}
                                   .dump(),
                               teacher);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string course = created.json()["course"]["id"];
    auto roster = client.get("/api/v1/courses/" + course + "/members", teacher).json()["members"];
    EXPECT_EQ(roster.size(), 3u); // the teacher and two students

    const std::string member = "/api/v1/courses/" + course + "/members/";
    EXPECT_EQ(client.json("PUT", member + school.taA.publicId, R"({"role":"ta"})", teacher).status, 201);
    EXPECT_EQ(client.json("PUT", member + school.studentA2.publicId, R"({"role":"student"})", teacher).status, 201);
    // The TA now sees the roster but cannot change it or its TAs.
    EXPECT_EQ(client.get("/api/v1/courses/" + course + "/members", ta).status, 200);
    EXPECT_EQ(client.json("PUT", member + school.studentB.publicId, R"({"role":"student"})", ta).status, 403);
    EXPECT_EQ(client.request("DELETE", member + school.studentA.publicId, "", ta).status, 403);
    EXPECT_EQ(client.request("DELETE", "/api/v1/courses/" + course, "", ta).status, 403);
    // Only an org admin names a teacher.
    EXPECT_EQ(client.json("PUT", member + school.studentB.publicId, R"({"role":"teacher"})", teacher).status, 403);

    EXPECT_EQ(client.request("DELETE", member + school.taA.publicId, "", teacher).status, 200);
    EXPECT_EQ(client.get("/api/v1/courses/" + course + "/members", ta).status, 403);
    EXPECT_EQ(client.request("DELETE", member + school.taA.publicId, "", teacher).status, 404);

    EXPECT_EQ(client.request("DELETE", "/api/v1/courses/" + course, "", teacher).status, 200);
    EXPECT_EQ(client.get("/api/v1/courses/" + course, teacher).status, 404);
}

TEST_F(Roles, TaOpensAWindowChecksInAndClosesIt)
{
    auto opened = client.json("POST", "/api/v1/courses/" + school.courseA.id + "/windows",
                              R"({"title":"Saturday workshop"})", ta);
    ASSERT_EQ(opened.status, 201) << opened.body;
    const std::string window = opened.json()["window"]["id"];
    EXPECT_TRUE(opened.json()["window"]["open"].get<bool>());

    auto mine = client.json("POST", "/api/v1/windows/" + window + "/check-ins", "", ta);
    ASSERT_EQ(mine.status, 201) << mine.body;
    EXPECT_EQ(mine.json()["record"]["status"], "on_time");
    EXPECT_EQ(client.json("POST", "/api/v1/windows/" + window + "/check-ins", "", ta).status, 409);

    EXPECT_EQ(client.json("POST", "/api/v1/windows/" + window + "/check-ins", "", student).status, 201);
    EXPECT_EQ(client.json("POST", "/api/v1/windows/" + window + "/close", "", ta).status, 200);
    server.clock.advance(1000);
    auto late = client.json("POST", "/api/v1/windows/" + window + "/check-ins", "", student2);
    EXPECT_EQ(late.status, 409);
    EXPECT_EQ(late.errorCode(), "window_closed");

    // Closing recorded everyone without a check-in absent.
    EXPECT_EQ(recordOf(window, school.studentA2.publicId)["status"], "absent");
    EXPECT_EQ(recordOf(window, school.studentA.publicId)["status"], "on_time");
}

TEST_F(Roles, LateCheckInsAreLateByTheMinute)
{
    server.clock.advance(25 * 60'000);
    auto r = client.json("POST", "/api/v1/windows/" + school.openA.id + "/check-ins", "", student);
    ASSERT_EQ(r.status, 201);
    EXPECT_EQ(r.json()["record"]["status"], "late");
    EXPECT_EQ(r.json()["record"]["minutes_late"], 26);
}

TEST_F(Roles, TeacherTogglesPresenceWithAReasonAndALaterCorrectionWins)
{
    const std::string w = school.openA.id;
    ASSERT_EQ(client.json("POST", "/api/v1/windows/" + w + "/close", "", teacher).status, 200);
    EXPECT_EQ(recordOf(w, school.studentA.publicId)["status"], "absent");

    const std::string path = "/api/v1/windows/" + w + "/people/" + school.studentA.publicId + "/corrections";
    auto present = client.json("POST", path, R"({"present":true,"reason":"forgot to clock in"})", teacher);
    ASSERT_EQ(present.status, 201) << present.body;
    EXPECT_TRUE(present.json()["record"]["present"].get<bool>());
    EXPECT_TRUE(present.json()["record"]["corrected"].get<bool>());
    // TAs see records but do not change attendance.
    EXPECT_EQ(client.json("POST", path, R"({"present":false,"reason":"no"})", ta).status, 403);

    const std::string base = present.json()["record"]["last_event"];
    server.clock.advance(1000);
    auto absent = client.json("POST", path, nlohmann::json{{"present", false}, {"reason", "left after ten minutes"},
                                                           {"base", base}}.dump(), teacher);
    EXPECT_FALSE(absent.json()["record"]["present"].get<bool>());
    EXPECT_FALSE(absent.json()["record"]["needs_review"].get<bool>());
    // A second correction from the same view is a conflict for review.
    server.clock.advance(1000);
    auto conflict = client.json("POST", path, nlohmann::json{{"present", true}, {"reason", "was there"},
                                                             {"base", base}}.dump(), teacher);
    EXPECT_TRUE(conflict.json()["record"]["present"].get<bool>());
    EXPECT_TRUE(conflict.json()["record"]["needs_review"].get<bool>());
}

TEST_F(Roles, TeachersAndTasSetAndClearFlags)
{
    const std::string path = "/api/v1/windows/" + school.openA.id + "/people/" + school.studentA.publicId + "/flags";
    auto set = client.json("POST", path, R"({"flag":"CAMERA_OFF","set":true,"note":"camera off"})", ta);
    ASSERT_EQ(set.status, 201);
    EXPECT_EQ(set.json()["record"]["flags"], nlohmann::json::array({"CAMERA_OFF"}));
    server.clock.advance(1000);
    auto cleared = client.json("POST", path, R"({"flag":"CAMERA_OFF","set":false})", teacher);
    EXPECT_EQ(cleared.json()["record"]["flags"], nlohmann::json::array());
    EXPECT_EQ(client.json("POST", path, R"({"flag":"CAMERA_OFF","set":true})", student).status, 403);
}

TEST_F(Roles, StudentsSeeOnlyTheirOwnRecordsAndStaffOnlyTheirCourses)
{
    const std::string base = "/api/v1/courses/" + school.courseA.id + "/people/";
    EXPECT_EQ(client.get(base + school.studentA.publicId + "/records", student).status, 200);
    EXPECT_EQ(client.get(base + school.studentA2.publicId + "/records", student).status, 403);
    EXPECT_EQ(client.get("/api/v1/courses/" + school.courseA.id + "/records", student).status, 403);
    EXPECT_EQ(client.get(base + school.studentA2.publicId + "/records", ta).status, 200);
    // Staff of course B have no business in course A.
    EXPECT_EQ(client.get("/api/v1/courses/" + school.courseA.id + "/records", otherTa).status, 403);
    EXPECT_EQ(client.get("/api/v1/windows/" + school.openA.id + "/records", otherTa).status, 403);
    EXPECT_EQ(client.json("POST", "/api/v1/windows/" + school.openA.id + "/close", "", otherTa).status, 403);
    // Courses a person is not in do not appear in their list.
    auto courses = client.get("/api/v1/courses", student).json()["courses"];
    ASSERT_EQ(courses.size(), 1u);
    EXPECT_EQ(courses[0]["id"], school.courseA.id);
}
