// The org admin pages on a real server (libmicrohttpd on loopback, SQLite in
// a temporary directory): only org admins see them or post their forms;
// a kiosk provisioned from the page syncs with the token shown, and stops
// syncing once revoked; adding a person checks every field and changes
// nothing when one is wrong; hashes never reach a page.

#include "tests/server/testserver.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/web/html.h"

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

enum Who { Anonymous, Student, Ta, Teacher, Admin, ApiKey, k_whoCount };
constexpr const char* k_whoNames[k_whoCount] = {"anonymous", "student", "TA", "teacher", "admin", "API key"};

class AdminPages : public ::testing::Test {
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
        case Student: return School::sessionFor(server, school.studentA);
        case Ta: return School::sessionFor(server, school.taA);
        case Teacher: return School::sessionFor(server, school.teacherA);
        case Admin: return School::sessionFor(server, school.admin);
        case ApiKey: return bearer(school.writeKey);
        case k_whoCount: break;
        }
        return {};
    }

    // A form post as the browser sends it, with the CSRF token in the body.
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

    HttpResult sync(const std::string& token)
    {
        return client->json("POST", "/api/v1/kiosk/sync",
                            R"({"protocol":1,"kiosk_time":)" + std::to_string(server.clock.nowMs())
                                + R"(,"cursor":0,"events":[]})",
                            bearer(token));
    }

    std::size_t peopleCount() { return server.store->listPeople().value().size(); }
    std::size_t kioskCount() { return server.store->listKiosks().value().size(); }

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

// The field the error summary links to, and that the field itself is marked.
void expectFieldError(const HttpResult& r, const std::string& field, const std::string& message)
{
    EXPECT_EQ(r.status, 422) << field;
    const std::string id = "f-" + std::regex_replace(field, std::regex("_"), "-");
    EXPECT_NE(r.body.find("href=\"#" + id + "\""), std::string::npos) << field << ": no link in the summary";
    EXPECT_NE(r.body.find("id=\"" + id + "-error\""), std::string::npos) << field << ": no error by the field";
    EXPECT_NE(r.body.find(message), std::string::npos) << field << ": expected \"" << message << "\"";
}

} // namespace

TEST_F(AdminPages, OnlyOrgAdminsSeeThem)
{
    const std::vector<std::string> paths{"/admin",
                                         "/admin/courses",
                                         "/admin/courses/" + school.courseA.id + "/remove",
                                         "/admin/people",
                                         "/admin/people/new",
                                         "/admin/people/" + school.studentA.publicId,
                                         "/admin/kiosks",
                                         "/admin/kiosks/" + std::to_string(school.kiosk.id) + "/revoke"};
    const std::array<long, k_whoCount> expected{303, 403, 403, 403, 200, 303};
    for (const auto& path : paths) {
        for (int who = 0; who < k_whoCount; ++who) {
            const auto r = client->get(path, session(static_cast<Who>(who)));
            EXPECT_EQ(r.status, expected[static_cast<std::size_t>(who)]) << "GET " << path << " as " << k_whoNames[who];
            if (r.status == 303)
                EXPECT_EQ(r.header("location"), "/login") << path;
            else
                EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos) << path;
        }
    }
    EXPECT_NE(client->get("/", session(Admin)).body.find(R"(href="/admin")"), std::string::npos);
    EXPECT_EQ(client->get("/", session(Teacher)).body.find(R"(href="/admin")"), std::string::npos);
    EXPECT_EQ(client->get("/admin/people/aaaaaaaaaa", session(Admin)).status, 404);
    EXPECT_EQ(client->get("/admin/kiosks/999/revoke", session(Admin)).status, 404);
    EXPECT_EQ(client->get("/admin/kiosks/07/revoke", session(Admin)).status, 400);
    EXPECT_EQ(client->get("/admin/kiosks/x/revoke", session(Admin)).status, 400);
}

TEST_F(AdminPages, FormsRefuseEveryoneButAdminsWithTheirCsrfToken)
{
    const std::string kiosk = std::to_string(school.kiosk.id);
    const std::vector<std::pair<std::string, std::string>> forms{
        {"/admin/people", "display_name=Eve&email=eve%40example.org"},
        {"/admin/people/" + school.teacherA.publicId + "/admin", "admin=1"},
        {"/admin/kiosks", "name=Rogue&courses=" + school.courseA.id},
        {"/admin/kiosks/" + kiosk + "/revoke", ""},
        {"/admin/courses/" + school.courseA.id + "/remove", ""},
    };
    const std::size_t people = peopleCount(), kiosks = kioskCount();
    for (const auto& [path, form] : forms) {
        EXPECT_EQ(post(path, {}, form).status, 303) << path << " anonymous";
        for (const Who who : {Student, Ta, Teacher})
            EXPECT_EQ(post(path, session(who), form).status, 403) << path << " as " << k_whoNames[who];
        const Headers admin = session(Admin);
        const auto noToken = client->request("POST", path, form,
                                             {admin[0], "Content-Type: application/x-www-form-urlencoded"});
        EXPECT_EQ(noToken.status, 403) << path << " without the CSRF token";
        const auto forged = client->request("POST", path, form + "&csrf=forged",
                                            {admin[0], "Content-Type: application/x-www-form-urlencoded"});
        EXPECT_EQ(forged.status, 403) << path << " with a forged token";
        EXPECT_EQ(client->request("POST", path, "{}", {admin[0], admin[1], "Content-Type: application/json"}).status, 415)
            << path << " with a JSON body";
    }
    // Nothing changed.
    EXPECT_EQ(peopleCount(), people);
    EXPECT_EQ(kioskCount(), kiosks);
    EXPECT_FALSE(server.store->personById(school.teacherA.id).value()->isAdmin);
    EXPECT_FALSE(server.store->listKiosks().value().front().revoked);
    EXPECT_FALSE(server.store->course(school.courseA.id).value()->removed);
}

TEST_F(AdminPages, ProvisionedKioskSyncsUntilRevoked)
{
    const auto made = post("/admin/kiosks", session(Admin),
                           "name=Room+2+door&courses=" + school.courseA.id + "&courses=" + school.courseB.id);
    ASSERT_EQ(made.status, 201);
    std::smatch m;
    const std::regex command("imhere-kiosk --server (http://127\\.0\\.0\\.1:[0-9]+) --token (kt_[A-Za-z0-9_-]+) --data /");
    ASSERT_TRUE(std::regex_search(made.body, m, command)) << made.body;
    EXPECT_EQ(m[1].str(), server.url());
    const std::string token = m[2];

    const auto kiosks = server.store->listKiosks().value();
    ASSERT_EQ(kiosks.size(), 2u);
    const KioskInfo& room2 = kiosks.back();
    EXPECT_EQ(room2.name, "Room 2 door");
    EXPECT_EQ(room2.courses.size(), 2u);
    EXPECT_FALSE(room2.lastSyncAt.has_value());

    // The token is shown once: the list never shows it.
    auto list = client->get("/admin/kiosks", session(Admin));
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body.find(token), std::string::npos);
    EXPECT_NE(list.body.find("Room 2 door"), std::string::npos);
    EXPECT_NE(list.body.find("Never"), std::string::npos);

    const auto synced = sync(token);
    ASSERT_EQ(synced.status, 200) << synced.body;
    const auto reply = synced.json();
    EXPECT_EQ(reply["kiosk"]["name"], "Room 2 door");
    EXPECT_EQ(reply["changes"]["courses"].size(), 2u);
    EXPECT_EQ(server.store->listKiosks().value().back().lastSyncAt, server.clock.nowMs());
    list = client->get("/admin/kiosks", session(Admin));
    EXPECT_NE(list.body.find(web::dateTimeText("Europe/London", server.clock.nowMs())), std::string::npos);

    // A minute's syncs are one recorded time; a later one moves it on.
    server.clock.advance(30'000);
    ASSERT_EQ(sync(token).status, 200);
    EXPECT_EQ(server.store->listKiosks().value().back().lastSyncAt, server.clock.nowMs() - 30'000);
    server.clock.advance(40'000);
    ASSERT_EQ(sync(token).status, 200);
    EXPECT_EQ(server.store->listKiosks().value().back().lastSyncAt, server.clock.nowMs());

    const std::string revoke = "/admin/kiosks/" + std::to_string(room2.id) + "/revoke";
    const auto confirm = client->get(revoke, session(Admin));
    EXPECT_NE(confirm.body.find("Revoke Room 2 door?"), std::string::npos);
    EXPECT_NE(confirm.body.find("action=\"" + revoke + "\""), std::string::npos);
    EXPECT_EQ(sync(token).status, 200); // looking at the confirmation changes nothing

    const auto revoked = post(revoke, session(Admin), "");
    EXPECT_EQ(revoked.status, 303);
    EXPECT_EQ(revoked.header("location"), "/admin/kiosks");
    EXPECT_EQ(flashOf(revoked)[0], 's');
    EXPECT_EQ(sync(token).status, 401);
    EXPECT_EQ(sync(school.kioskToken).status, 200); // the other kiosk carries on
    EXPECT_TRUE(server.store->listKiosks().value().back().revoked);
    EXPECT_NE(client->get("/admin/kiosks", session(Admin)).body.find("Revoked"), std::string::npos);
    EXPECT_EQ(post(revoke, session(Admin), "").status, 303); // again: says so, changes nothing
    EXPECT_EQ(sync(token).status, 401);
}

TEST_F(AdminPages, ProvisioningChecksNameAndCourses)
{
    const std::size_t before = kioskCount();
    expectFieldError(post("/admin/kiosks", session(Admin), "name=&courses=" + school.courseA.id), "name",
                     "Give the kiosk a name");
    const auto none = post("/admin/kiosks", session(Admin), "name=Room+3");
    expectFieldError(none, "courses", "Choose at least one course");
    EXPECT_NE(none.body.find(R"(value="Room 3")"), std::string::npos); // kept for the next try
    expectFieldError(post("/admin/kiosks", session(Admin), "name=Room+3&courses=00000000-0000-4000-8000-000000000000"),
                     "courses", "There is no course");
    expectFieldError(post("/admin/kiosks", session(Admin), "name=Room+3&courses=JS1"), "courses", "is not a course id");
    ASSERT_EQ(post("/admin/courses/" + school.courseB.id + "/remove", session(Admin), "").status, 303);
    expectFieldError(post("/admin/kiosks", session(Admin), "name=Room+3&courses=" + school.courseB.id), "courses",
                     "There is no course");
    EXPECT_EQ(kioskCount(), before);
}

TEST_F(AdminPages, AddingAPersonChecksEveryFieldAndChangesNothingWhenOneIsWrong)
{
    const std::size_t before = peopleCount();
    const auto empty = post("/admin/people", session(Admin), "display_name=&email=");
    expectFieldError(empty, "display_name", "Enter the person&#39;s name");
    expectFieldError(empty, "email", "Enter their email address");
    const auto badEmail = post("/admin/people", session(Admin), "display_name=Ada+Lovelace&email=ada.example.org");
    expectFieldError(badEmail, "email", "Enter an email address like name@example.org");
    EXPECT_NE(badEmail.body.find(R"(value="Ada Lovelace")"), std::string::npos);
    EXPECT_NE(badEmail.body.find(R"(aria-invalid="true")"), std::string::npos);
    expectFieldError(post("/admin/people", session(Admin), "display_name=Ada&email=TOMAS%40example.org"), "email",
                     "Someone already has this email address");
    expectFieldError(post("/admin/people", session(Admin), "display_name=Ada&email=ada%40example.org&github=ada+l"),
                     "github", "Enter a GitHub username");
    expectFieldError(post("/admin/people", session(Admin), "display_name=Ada&email=ada%40example.org&codewars=%3Cb%3E"),
                     "codewars", "Enter a Codewars username");
    EXPECT_EQ(peopleCount(), before);

    const auto added = post("/admin/people", session(Admin),
                            "display_name=Ada+Lovelace&email=ada%40example.org&github=%40ada-l&codewars=ada_l");
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(peopleCount(), before + 1);
    const auto ada = server.store->personByEmail("ada@example.org").value();
    ASSERT_TRUE(ada.has_value());
    EXPECT_EQ(ada->displayName, "Ada Lovelace");
    EXPECT_EQ(ada->github, "ada-l");
    EXPECT_EQ(ada->codewars, "ada_l");
    EXPECT_FALSE(ada->isAdmin);
    EXPECT_NE(added.body.find(ada->publicId), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(added.body, m, std::regex(R"(<pre class="secret"><code>([^<]+)</code>)")));
    // The password shown once signs Ada in.
    const auto login = client->json("POST", "/api/v1/login",
                                    nlohmann::json{{"email", "ada@example.org"}, {"password", m[1].str()}}.dump());
    EXPECT_EQ(login.status, 200);
    EXPECT_EQ(added.body.find("$argon2"), std::string::npos);

    const auto people = client->get("/admin/people", session(Admin));
    EXPECT_NE(people.body.find("ada@example.org"), std::string::npos);
    EXPECT_NE(people.body.find("/admin/people/" + ada->publicId), std::string::npos);
}

TEST_F(AdminPages, PeopleShowCoursesAndRolesButNeverHashes)
{
    ASSERT_TRUE(server.store->setPasswordHash(school.teacherA.id, hashSecret("a long password", k_pinCost).value()));
    ASSERT_TRUE(server.store->setPinHash(school.teacherA.id, hashSecret("123456", k_pinCost).value()));
    for (const std::string& path : {std::string("/admin/people"), "/admin/people/" + school.teacherA.publicId}) {
        const auto r = client->get(path, session(Admin));
        ASSERT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.body.find("$argon2"), std::string::npos) << path;
        EXPECT_NE(r.body.find("tomas@example.org"), std::string::npos) << path;
        EXPECT_NE(r.body.find(web::escape(school.courseA.name)), std::string::npos) << path;
        EXPECT_NE(r.body.find("Teacher"), std::string::npos) << path;
    }
    const auto ta = client->get("/admin/people/" + school.taA.publicId, session(Admin));
    EXPECT_NE(ta.body.find("<td>TA</td>"), std::string::npos);
}

TEST_F(AdminPages, AdminsMakeAndUnmakeOtherAdmins)
{
    const std::string path = "/admin/people/" + school.teacherA.publicId + "/admin";
    EXPECT_EQ(client->get("/admin", session(Teacher)).status, 403);
    const auto made = post(path, session(Admin), "admin=1");
    EXPECT_EQ(made.status, 303);
    EXPECT_EQ(made.header("location"), "/admin/people/" + school.teacherA.publicId);
    EXPECT_EQ(flashOf(made)[0], 's');
    EXPECT_EQ(client->get("/admin", session(Teacher)).status, 200);
    EXPECT_NE(client->get("/admin/people/" + school.teacherA.publicId, session(Admin)).body.find("Remove admin rights"),
              std::string::npos);

    EXPECT_EQ(post(path, session(Admin), "admin=0").status, 303);
    EXPECT_EQ(client->get("/admin", session(Teacher)).status, 403);
    EXPECT_EQ(flashOf(post(path, session(Admin), "admin=maybe"))[0], 'e');
    EXPECT_FALSE(server.store->personById(school.teacherA.id).value()->isAdmin);

    // Nobody removes their own rights, so one admin is always left.
    const auto self = post("/admin/people/" + school.admin.publicId + "/admin", session(Admin), "admin=0");
    EXPECT_EQ(self.status, 303);
    EXPECT_EQ(flashOf(self)[0], 'e');
    EXPECT_TRUE(server.store->personById(school.admin.id).value()->isAdmin);
    EXPECT_EQ(client->get("/admin/people/" + school.admin.publicId, session(Admin)).body.find("Remove admin rights"),
              std::string::npos);
}

TEST_F(AdminPages, RemovingACourseAsksFirst)
{
    const std::string confirm = "/admin/courses/" + school.courseA.id + "/remove";
    const auto list = client->get("/admin/courses", session(Admin));
    EXPECT_NE(list.body.find("href=\"" + confirm + "\""), std::string::npos);
    EXPECT_NE(list.body.find("Europe/London"), std::string::npos);
    EXPECT_NE(list.body.find("2 students · 1 TA · 1 teacher"), std::string::npos);
    const auto ask = client->get(confirm, session(Admin));
    EXPECT_EQ(ask.status, 200);
    EXPECT_NE(ask.body.find("Remove " + web::escape(school.courseA.name) + "?"), std::string::npos);
    EXPECT_NE(ask.body.find("1 kiosk serves it"), std::string::npos);
    EXPECT_FALSE(server.store->course(school.courseA.id).value()->removed); // asking changes nothing

    const auto removed = post(confirm, session(Admin), "");
    EXPECT_EQ(removed.status, 303);
    EXPECT_EQ(removed.header("location"), "/admin/courses");
    EXPECT_TRUE(server.store->course(school.courseA.id).value()->removed);
    EXPECT_EQ(client->get("/admin/courses", session(Admin)).body.find(confirm), std::string::npos);
    EXPECT_EQ(post(confirm, session(Admin), "").status, 404);
}

TEST_F(AdminPages, NamesAreEscapedControlsLabelledAndPagesSmall)
{
    const std::string evil = "<img src=x onerror=alert(1)>";
    const Person person = addPerson(*server.store, evil, "evil@example.org");
    ASSERT_TRUE(server.store->setEnrollment(person.id, school.courseA.id, Role::Student, school.teacherA.id));
    ASSERT_TRUE(server.store->createCourse({evil, "Europe/London", 10, 60, {}}, school.admin.id));
    ASSERT_EQ(post("/admin/kiosks", session(Admin), "name=" + web::urlEncode(evil) + "&courses=" + school.courseA.id)
                  .status,
              201);
    const auto kiosks = server.store->listKiosks().value();
    const std::vector<std::string> paths{"/admin",
                                         "/admin/courses",
                                         "/admin/courses/" + school.courseA.id + "/remove",
                                         "/admin/people",
                                         "/admin/people/new",
                                         "/admin/people/" + person.publicId,
                                         "/admin/kiosks",
                                         "/admin/kiosks/" + std::to_string(kiosks.back().id) + "/revoke"};
    for (const auto& path : paths) {
        const auto r = client->get(path, session(Admin));
        ASSERT_EQ(r.status, 200) << path;
        EXPECT_LT(r.body.size(), 50'000u) << path;
        EXPECT_EQ(r.body.find("<img src=x"), std::string::npos) << path;
        const std::regex h1("<h1[ >]");
        EXPECT_EQ(std::distance(std::sregex_iterator(r.body.begin(), r.body.end(), h1), std::sregex_iterator()), 1)
            << path;
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
        const std::regex table("<table");
        const std::regex caption("<caption>");
        EXPECT_EQ(std::distance(std::sregex_iterator(r.body.begin(), r.body.end(), table), std::sregex_iterator()),
                  std::distance(std::sregex_iterator(r.body.begin(), r.body.end(), caption), std::sregex_iterator()))
            << path << ": a table without a caption";
    }
}
