// The dashboard pages on a real server (libmicrohttpd on loopback, SQLite in a
// temporary directory): who may see which page, every form's CSRF and content
// type checks, and the user stories done through the forms as a browser would.

#include "tests/server/testserver.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/web/html.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <stdexcept>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

template <class T>
T must(Result<T> r)
{
    if (!r)
        throw std::runtime_error(r.error().message);
    return std::move(*r);
}
void must(Result<void> r)
{
    if (!r)
        throw std::runtime_error(r.error().message);
}

enum Who { Anonymous, StudentOfCourse, StudentOfOther, Ta, Teacher, Admin, ApiKey, k_whoCount };
constexpr const char* k_whoNames[k_whoCount] = {"anonymous", "student of the course", "student of another course",
                                                "TA", "teacher", "admin", "API key"};

class Pages : public ::testing::Test {
protected:
    void SetUp() override
    {
        school = School::build(server);
        client = std::make_unique<HttpClient>(server.url());
    }

    Headers session(Who who)
    {
        switch (who) {
        case Anonymous: return {};
        case StudentOfCourse: return School::sessionFor(server, school.studentA);
        case StudentOfOther: return School::sessionFor(server, school.studentB);
        case Ta: return School::sessionFor(server, school.taA);
        case Teacher: return School::sessionFor(server, school.teacherA);
        case Admin: return School::sessionFor(server, school.admin);
        case ApiKey: return bearer(school.writeKey);
        case k_whoCount: break;
        }
        return {};
    }

    // A form post as the browser sends it: the session cookie and the CSRF
    // token in the form body (not the header the JSON API uses).
    HttpResult post(const std::string& path, const Headers& who, std::string form)
    {
        Headers headers{"Content-Type: application/x-www-form-urlencoded"};
        for (const auto& h : who) {
            if (h.starts_with("X-CSRF-Token: "))
                form += (form.empty() ? "" : "&") + std::string("csrf=") + web::urlEncode(h.substr(14));
            else
                headers.push_back(h);
        }
        return client->request("POST", path, form, headers);
    }

    AttendanceRecord record(const Window& w, const Person& p) { return server.store->record(w.id, p.id).value(); }
    bool inRoster(const Person& p)
    {
        return server.store->roleIn(p.id, school.courseA.id).value().has_value();
    }

    TestServer server;
    School school;
    std::unique_ptr<HttpClient> client;
};

std::string flashOf(const HttpResult& r)
{
    for (const auto& h : r.headers) {
        if (h.starts_with("Set-Cookie: imhere_flash=") || h.starts_with("set-cookie: imhere_flash="))
            return h.substr(25, h.find(';') - 25);
    }
    return {};
}

} // namespace

TEST_F(Pages, EachPersonSeesThePagesTheirRoleAllows)
{
    struct Cell {
        std::string path;
        std::array<long, k_whoCount> expected; // anon stA stB TA teacher admin key
    };
    const std::vector<Cell> cells{
        {"/login", {200, 303, 303, 303, 303, 303, 200}},
        {"/", {303, 200, 200, 200, 200, 200, 303}},
        {"/me", {303, 200, 200, 200, 200, 200, 303}},
        {"/courses/new", {303, 403, 403, 403, 200, 200, 303}},
        {"/courses/" + school.courseA.id, {303, 200, 403, 200, 200, 200, 303}},
        {"/courses/" + school.courseB.id, {303, 403, 200, 403, 403, 200, 303}},
        {"/windows/" + school.openA.id, {303, 403, 403, 200, 200, 200, 303}},
        {"/windows/" + school.closedA.id, {303, 403, 403, 200, 200, 200, 303}},
        {"/windows/" + school.openA.id + "/people/" + school.studentA.publicId, {303, 403, 403, 200, 200, 200, 303}},
        {"/windows/" + school.openA.id + "/people/" + school.studentB.publicId, {303, 403, 403, 404, 404, 404, 303}},
        {"/windows/" + school.openA.id + "/people/" + school.teacherA.publicId, {303, 403, 403, 404, 404, 404, 303}},
        {"/courses/not-a-uuid", {303, 400, 400, 400, 400, 400, 303}},
        {"/windows/00000000-0000-4000-8000-000000000000", {303, 404, 404, 404, 404, 404, 303}},
    };
    for (const auto& cell : cells) {
        for (int who = 0; who < k_whoCount; ++who) {
            const auto r = client->get(cell.path, session(static_cast<Who>(who)));
            EXPECT_EQ(r.status, cell.expected[static_cast<std::size_t>(who)])
                << "GET " << cell.path << " as " << k_whoNames[who];
            if (r.status == 200 || r.status >= 400) {
                EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos) << cell.path;
                EXPECT_NE(r.header("content-security-policy").find("default-src 'none'"), std::string::npos);
            }
        }
    }
    EXPECT_EQ(client->get("/", {}).header("location"), "/login");
}

TEST_F(Pages, EveryFormNeedsASessionItsCsrfTokenAndAFormBody)
{
    std::set<std::string> posts;
    for (const Route& r : server.router.routes()) {
        if (r.method == "POST" && !r.pattern.starts_with("/api/") && !r.pattern.starts_with("/q/") && r.pattern != "/login")
            posts.insert(r.pattern);
    }
    ASSERT_GE(posts.size(), 10u);
    const Headers teacher = session(Teacher);
    for (std::string path : posts) {
        for (const auto& [key, value] : {std::pair{"{course}", school.courseA.id}, std::pair{"{window}", school.openA.id},
                                         std::pair{"{person}", school.studentA.publicId},
                                         std::pair{"{kiosk}", std::to_string(school.kiosk.id)}}) {
            if (const auto at = path.find(key); at != std::string::npos)
                path.replace(at, std::string(key).size(), value);
        }
        EXPECT_EQ(post(path, {}, "x=1").status, 303) << path << " anonymous";
        const auto noToken = client->request("POST", path, "x=1",
                                             {teacher[0], "Content-Type: application/x-www-form-urlencoded"});
        EXPECT_EQ(noToken.status, 403) << path << " without the CSRF token";
        const auto wrongToken = client->request("POST", path, "csrf=forged",
                                                {teacher[0], "Content-Type: application/x-www-form-urlencoded"});
        EXPECT_EQ(wrongToken.status, 403) << path << " with a forged token";
        const auto json = client->request("POST", path, "{}", {teacher[0], "Content-Type: application/json"});
        EXPECT_EQ(json.status, 415) << path << " with a JSON body";
        const auto broken = post(path, teacher, "a=%zz");
        EXPECT_EQ(broken.status, 400) << path << " with a malformed body";
    }
    // None of that changed anything.
    EXPECT_TRUE(inRoster(school.studentA));
    EXPECT_TRUE(server.store->window(school.openA.id).value()->isOpenAt(server.clock.nowMs()));
    EXPECT_TRUE(server.store->course(school.courseA.id).value().has_value());
    EXPECT_FALSE(server.store->course(school.courseA.id).value()->removed);
}

TEST_F(Pages, SignInThroughTheFormAndOut)
{
    must(server.store->setPasswordHash(school.teacherA.id, hashSecret("correct horse battery", k_passwordCost).value()));
    const auto form = client->get("/login");
    ASSERT_EQ(form.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(form.body, m, std::regex(R"re(name="login_token" value="([^"]+)")re")));
    const std::string token = m[1];
    const std::string cookie = "Cookie: imhere_login=" + token;
    const std::string ct = "Content-Type: application/x-www-form-urlencoded";

    auto wrong = client->request("POST", "/login", "email=tomas%40example.org&password=nope&login_token=" + token, {cookie, ct});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(wrong.body.find("The email address or password is wrong"), std::string::npos);
    EXPECT_NE(wrong.body.find(R"(value="tomas@example.org")"), std::string::npos); // kept for a retry
    auto noCookie = client->request("POST", "/login",
                                    "email=tomas%40example.org&password=correct+horse+battery&login_token=" + token, {ct});
    EXPECT_EQ(noCookie.status, 403); // a form from elsewhere cannot sign anyone in

    auto ok = client->request("POST", "/login",
                              "email=tomas%40example.org&password=correct+horse+battery&login_token=" + token, {cookie, ct});
    ASSERT_EQ(ok.status, 303);
    EXPECT_EQ(ok.header("location"), "/");
    const std::string setCookie = ok.header("set-cookie");
    ASSERT_EQ(setCookie.rfind("imhere_session=", 0), 0u);
    EXPECT_NE(setCookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(setCookie.find("SameSite=Strict"), std::string::npos);
    const std::string session = "Cookie: " + setCookie.substr(0, setCookie.find(';'));
    const auto home = client->get("/", {session});
    ASSERT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("Tomás Teacher"), std::string::npos);
    EXPECT_NE(home.body.find(web::escape(school.courseA.name)), std::string::npos);
    EXPECT_NE(home.body.find("Close attendance window"), std::string::npos); // the open window

    ASSERT_TRUE(std::regex_search(home.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    auto out = client->request("POST", "/logout", "csrf=" + std::string(m[1]), {session, ct});
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(client->get("/", {session}).status, 303); // the session is gone
}

TEST_F(Pages, TeacherTogglesPresenceWithAReason)
{
    const auto before = record(school.closedA, school.studentA);
    ASSERT_FALSE(before.present);
    const std::string path = "/windows/" + school.closedA.id + "/people/" + school.studentA.publicId + "/presence";
    const std::string reasonField = "reason-" + school.studentA.publicId;

    const auto missing = post(path, session(Teacher), "present=1&" + reasonField + "=");
    EXPECT_EQ(missing.status, 303);
    EXPECT_EQ(flashOf(missing)[0], 'e'); // an error message on the window page
    EXPECT_FALSE(record(school.closedA, school.studentA).present);

    const auto ta = post(path, session(Ta), "present=1&" + reasonField + "=forgot+to+clock+in");
    EXPECT_EQ(ta.status, 403); // TAs do not change attendance
    EXPECT_FALSE(record(school.closedA, school.studentA).present);

    const auto ok = post(path, session(Teacher), "present=1&" + reasonField + "=forgot+to+clock+in&base=");
    EXPECT_EQ(ok.status, 303);
    EXPECT_EQ(ok.header("location"), "/windows/" + school.closedA.id);
    EXPECT_EQ(flashOf(ok)[0], 's');
    const auto after = record(school.closedA, school.studentA);
    EXPECT_TRUE(after.present);
    EXPECT_TRUE(after.corrected);

    const auto page = client->get("/windows/" + school.closedA.id, session(Teacher));
    EXPECT_NE(page.body.find("Corrected"), std::string::npos);
    // The window page links to each record's page, where the forms are:
    // presence for teachers, flags for teachers and TAs.
    const std::string recordPath = "/windows/" + school.closedA.id + "/people/" + school.studentA.publicId;
    EXPECT_NE(page.body.find("href=\"" + recordPath + "\""), std::string::npos);
    EXPECT_NE(client->get(recordPath, session(Teacher)).body.find("action=\"" + path + "\""), std::string::npos);
    const auto taPage = client->get(recordPath, session(Ta));
    EXPECT_EQ(taPage.body.find("action=\"" + path + "\""), std::string::npos);
    EXPECT_NE(taPage.body.find("action=\"" + recordPath + "/flags\""), std::string::npos);
}

TEST_F(Pages, TeachersAndTasSetFlagsStudentsCannot)
{
    const std::string path = "/windows/" + school.openA.id + "/people/" + school.studentA.publicId + "/flags";
    const std::string who = school.studentA.publicId;
    EXPECT_EQ(post(path, session(StudentOfCourse), "flag-" + who + "=CAMERA_OFF&set=1").status, 403);
    EXPECT_TRUE(record(school.openA, school.studentA).flags.empty());
    EXPECT_EQ(post(path, session(Ta), "flag-" + who + "=CAMERA_OFF&set=1&note-" + who + "=camera+off").status, 303);
    EXPECT_EQ(record(school.openA, school.studentA).flags, std::vector<Flag>{Flag::CameraOff});
    EXPECT_EQ(flashOf(post(path, session(Ta), "flag-" + who + "=NOT_A_FLAG&set=1"))[0], 'e');
    EXPECT_EQ(post(path, session(Teacher), "flag-" + who + "=CAMERA_OFF&set=0").status, 303);
    EXPECT_TRUE(record(school.openA, school.studentA).flags.empty());
}

TEST_F(Pages, TaCannotChangeTheRosterTeacherCan)
{
    const std::string remove = "/courses/" + school.courseA.id + "/members/" + school.studentA2.publicId + "/remove";
    EXPECT_EQ(post(remove, session(Ta), "").status, 403);
    EXPECT_TRUE(inRoster(school.studentA2));
    const auto teacherPage = client->get("/courses/" + school.courseA.id, session(Teacher));
    EXPECT_NE(teacherPage.body.find(remove), std::string::npos);
    const auto taPage = client->get("/courses/" + school.courseA.id, session(Ta));
    EXPECT_EQ(taPage.body.find(remove), std::string::npos); // no button for what a TA may not do

    EXPECT_EQ(post(remove, session(Teacher), "").status, 303);
    EXPECT_FALSE(inRoster(school.studentA2));

    // "Add TA to Class" by id, then by email.
    const std::string add = "/courses/" + school.courseA.id + "/members";
    EXPECT_EQ(post(add, session(Ta), "role=ta&person-ta=" + school.outsider.publicId).status, 403);
    EXPECT_FALSE(inRoster(school.outsider));
    EXPECT_EQ(flashOf(post(add, session(Teacher), "role=ta&person-ta=" + school.outsider.publicId))[0], 's');
    EXPECT_EQ(server.store->roleIn(school.outsider.id, school.courseA.id).value(), Role::Ta);
    EXPECT_EQ(flashOf(post(add, session(Teacher), "role=student&person-student=nobody%40example.org"))[0], 'e');
    EXPECT_EQ(post(add, session(Teacher), "role=teacher&person-teacher=" + school.studentB.publicId).status, 403);
}

TEST_F(Pages, StudentChecksInOnceFromTheHomePage)
{
    const auto home = client->get("/", session(StudentOfCourse));
    const std::string action = "/windows/" + school.openA.id + "/check-in";
    ASSERT_NE(home.body.find(action), std::string::npos);
    EXPECT_EQ(flashOf(post(action, session(StudentOfCourse), "back=%2F"))[0], 's');
    EXPECT_TRUE(record(school.openA, school.studentA).firstCheckIn.has_value());
    const auto again = post(action, session(StudentOfCourse), "back=%2F");
    EXPECT_EQ(again.header("location"), "/");
    EXPECT_EQ(flashOf(again)[0], 'e'); // already checked in
    EXPECT_EQ(post(action, session(StudentOfOther), "").status, 403);
    EXPECT_EQ(post(action, session(StudentOfCourse), "back=https%3A%2F%2Fevil.example").header("location"), "/");
    EXPECT_EQ(post(action, session(StudentOfCourse), "back=%2F%2Fevil.example").header("location"), "/");
}

TEST_F(Pages, TeacherOpensAndClosesWindowsAndAddsACourse)
{
    const auto opened = post("/courses/" + school.courseA.id + "/windows", session(Teacher), "title=Week+2");
    EXPECT_EQ(opened.status, 303);
    const auto windows = server.store->windowsOf(school.courseA.id).value();
    ASSERT_TRUE(std::ranges::any_of(windows, [&](const Window& w) { return w.title == "Week 2" && w.openedAt; }));
    EXPECT_EQ(post("/windows/" + school.openA.id + "/close", session(Ta), "").status, 303);
    EXPECT_TRUE(server.store->window(school.openA.id).value()->closedAt.has_value());

    const auto bad = post("/courses", session(Teacher), "name=JS2&timezone=Mars%2FBase&late_after_min=10&absent_after_min=60");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("unknown IANA time zone"), std::string::npos);
    EXPECT_NE(bad.body.find(R"(href="#f-timezone")"), std::string::npos); // the summary links to the field
    const auto created = post("/courses", session(Teacher),
                              "name=JS2&timezone=Europe%2FLondon&late_after_min=5&absent_after_min=45&students="
                                  + school.outsider.publicId);
    ASSERT_EQ(created.status, 303);
    const std::string id = created.header("location").substr(9);
    EXPECT_EQ(server.store->roleIn(school.outsider.id, id).value(), Role::Student);
    EXPECT_EQ(server.store->roleIn(school.teacherA.id, id).value(), Role::Teacher);
}

TEST_F(Pages, NamesAreEscapedAndControlsLabelled)
{
    const Person evil = addPerson(*server.store, "<img src=x onerror=alert(1)>");
    must(server.store->setEnrollment(evil.id, school.courseA.id, Role::Student, school.teacherA.id));
    const std::vector<std::string> paths{"/", "/me", "/courses/new", "/courses/" + school.courseA.id,
                                         "/windows/" + school.openA.id,
                                         "/windows/" + school.openA.id + "/people/" + evil.publicId};
    for (const auto& path : paths) {
        const auto r = client->get(path, session(Teacher));
        ASSERT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.body.find("<img src=x"), std::string::npos) << path;
        EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
        const std::regex h1("<h1[ >]");
        EXPECT_EQ(std::distance(std::sregex_iterator(r.body.begin(), r.body.end(), h1), std::sregex_iterator()), 1)
            << path;
        // Every visible control has a label pointing at its id.
        const std::regex control(R"re(<(input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)")re");
        int controls = 0;
        for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), control); it != std::sregex_iterator(); ++it) {
            ++controls;
            EXPECT_NE(r.body.find("<label for=\"" + (*it)[2].str() + "\""), std::string::npos)
                << path << ": no label for " << (*it)[2];
        }
        const std::regex anyControl(R"(<(input|select|textarea)(?![^>]*type="hidden"))");
        EXPECT_EQ(std::distance(std::sregex_iterator(r.body.begin(), r.body.end(), anyControl), std::sregex_iterator()),
                  controls)
            << path << ": a control without an id";
    }
}
