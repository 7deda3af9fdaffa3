// The org admin pages on a real server (libmicrohttpd on loopback, SQLite in
// a temporary directory): only org admins see them or post their forms;
// a kiosk provisioned from the page syncs with the token shown, and stops
// syncing once revoked; adding a person checks every field and changes
// nothing when one is wrong; hashes never reach a page.

#include "webtestsupport.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/web/html.h"

#include "tests/support/qtestsupport.h"

#include <regex>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

// What is missing of a field's error: the 422, the error summary's link to
// the field, the error by the field, or the message. Empty when none is.
std::string fieldErrorProblems(const HttpResult& r, const std::string& field, const std::string& message)
{
    std::string problems;
    if (r.status != 422)
        problems += describe(field, ": status ", r.status, ", expected 422; ");
    const std::string id = "f-" + std::regex_replace(field, std::regex("_"), "-");
    if (r.body.find("href=\"#" + id + "\"") == std::string::npos)
        problems += field + ": no link in the summary; ";
    if (r.body.find("id=\"" + id + "-error\"") == std::string::npos)
        problems += field + ": no error by the field; ";
    if (r.body.find(message) == std::string::npos)
        problems += field + ": expected \"" + message + "\"; ";
    return problems;
}

} // namespace

class AdminPagesTest : public QObject, public WebFixture {
    Q_OBJECT

    // A sync from a kiosk whose clock is `skewMs` off the server's.
    HttpResult sync(const std::string& token, std::int64_t skewMs = 0)
    {
        return client->json("POST", "/api/v1/kiosk/sync",
                            R"({"protocol":1,"kiosk_time":)" + std::to_string(server->clock.nowMs() + skewMs)
                                + R"(,"cursor":0,"events":[]})",
                            bearer(token));
    }

    std::size_t peopleCount() { return server->store->people().listPeople().value().size(); }
    std::size_t kioskCount() { return server->store->kiosks().listKiosks().value().size(); }

    // Every admin page, with `person`'s page and the one that revokes `kiosk`.
    std::vector<std::string> adminPages(const Person& person, std::uint32_t kiosk) const
    {
        return {"/admin",
                "/admin/courses",
                "/admin/courses/" + school.courseA.id + "/remove",
                "/admin/people",
                "/admin/people/new",
                "/admin/people/" + person.publicId,
                "/admin/kiosks",
                "/admin/kiosks/" + std::to_string(kiosk) + "/revoke"};
    }

private slots:
    void init() { startServer(); }
    void cleanup() { stopServer(); }

    void onlyOrgAdminsSeeThem()
    {
        const std::vector<std::string> paths = adminPages(school.studentA, school.kiosk.id);
        const std::array<long, k_whoCount> expected{303, 403, 403, 403, 403, 200, 303};
        for (const auto& path : paths) {
            for (int who = 0; who < k_whoCount; ++who) {
                const auto r = client->get(path, session(static_cast<Who>(who)));
                const long want = expected[static_cast<std::size_t>(who)];
                QVERIFY2(r.status == want,
                         describe("GET ", path, " as ", k_whoNames[who], ": ", r.status, ", expected ", want).c_str());
                if (r.status == 303)
                    QVERIFY2(r.header("location") == "/login?next=" + web::urlEncode(path),
                             describe(path, ": to ", r.header("location")).c_str());
                else
                    QVERIFY2(r.header("content-type").find("text/html") != std::string::npos, path.c_str());
            }
        }
        QVERIFY(client->get("/", session(Admin)).body.find(R"(href="/admin")") != std::string::npos);
        QCOMPARE(client->get("/", session(Teacher)).body.find(R"(href="/admin")"), std::string::npos);
        QCOMPARE(client->get("/admin/people/aaaaaaaaaa", session(Admin)).status, 404);
        QCOMPARE(client->get("/admin/kiosks/999/revoke", session(Admin)).status, 404);
        QCOMPARE(client->get("/admin/kiosks/07/revoke", session(Admin)).status, 400);
        QCOMPARE(client->get("/admin/kiosks/x/revoke", session(Admin)).status, 400);
    }

    void formsRefuseEveryoneButAdminsWithTheirCsrfToken()
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
            const auto anonymous = post(path, {}, form);
            QVERIFY2(anonymous.status == 303, describe(path, " anonymous: ", anonymous.status).c_str());
            for (const Who who : {StudentOfCourse, Ta, Teacher}) {
                const auto r = post(path, session(who), form);
                QVERIFY2(r.status == 403, describe(path, " as ", k_whoNames[who], ": ", r.status).c_str());
            }
            const Headers admin = session(Admin);
            const auto noToken = client->request("POST", path, form,
                                                 {admin[0], "Content-Type: application/x-www-form-urlencoded"});
            QVERIFY2(noToken.status == 403, describe(path, " without the CSRF token: ", noToken.status).c_str());
            const auto forged = client->request("POST", path, form + "&csrf=forged",
                                                {admin[0], "Content-Type: application/x-www-form-urlencoded"});
            QVERIFY2(forged.status == 403, describe(path, " with a forged token: ", forged.status).c_str());
            const auto json = client->request("POST", path, "{}", {admin[0], admin[1], "Content-Type: application/json"});
            QVERIFY2(json.status == 415, describe(path, " with a JSON body: ", json.status).c_str());
        }
        // Nothing changed.
        QCOMPARE(peopleCount(), people);
        QCOMPARE(kioskCount(), kiosks);
        QVERIFY(!server->store->people().personById(school.teacherA.id).value()->isAdmin);
        QVERIFY(!server->store->kiosks().listKiosks().value().front().revoked);
        QVERIFY(!server->store->courses().course(school.courseA.id).value()->removed);
    }

    void provisionedKioskSyncsUntilRevoked()
    {
        const auto made = post("/admin/kiosks", session(Admin),
                               "name=Room+2+door&courses=" + school.courseA.id + "&courses=" + school.courseB.id);
        QCOMPARE(made.status, 201);
        std::smatch m;
        const std::regex command("imhere-kiosk --server (http://127\\.0\\.0\\.1:[0-9]+) --token (kt_[A-Za-z0-9_-]+) --data /");
        QVERIFY2(std::regex_search(made.body, m, command), made.body.c_str());
        QCOMPARE(m[1].str(), server->url());
        const std::string token = m[2];

        const auto kiosks = server->store->kiosks().listKiosks().value();
        QCOMPARE(kiosks.size(), 2u);
        const KioskInfo& room2 = kiosks.back();
        QCOMPARE(room2.name, "Room 2 door");
        QCOMPARE(room2.courses.size(), 2u);
        QVERIFY(!room2.lastSyncAt.has_value());

        // The token is shown once: the list never shows it.
        auto list = client->get("/admin/kiosks", session(Admin));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.body.find(token), std::string::npos);
        QVERIFY(list.body.find("Room 2 door") != std::string::npos);
        QVERIFY(list.body.find("Never") != std::string::npos);

        const auto synced = sync(token);
        QVERIFY2(synced.status == 200, synced.body.c_str());
        const auto reply = synced.json();
        QVERIFY2(reply["kiosk"]["name"] == "Room 2 door", reply.dump().c_str());
        QCOMPARE(reply["changes"]["courses"].size(), 2u);
        QCOMPARE(server->store->kiosks().listKiosks().value().back().lastSyncAt, server->clock.nowMs());
        list = client->get("/admin/kiosks", session(Admin));
        QVERIFY(list.body.find(web::dateTimeText("Europe/London", server->clock.nowMs())) != std::string::npos);
        QVERIFY2(list.body.find("<td data-label=\"Clock\">Right</td>") != std::string::npos, list.body.c_str());

        // A kiosk's clock 5 minutes fast, then 7 s slow, shows to the admin.
        QCOMPARE(sync(token, 5 * 60'000 + 200).status, 200);
        list = client->get("/admin/kiosks", session(Admin));
        QVERIFY2(list.body.find("<span class=\"tag late\">5 min 0 s fast</span>") != std::string::npos,
                 list.body.c_str());
        QCOMPARE(sync(token, -7'000).status, 200);
        list = client->get("/admin/kiosks", session(Admin));
        QVERIFY(list.body.find("<td data-label=\"Clock\">7 s slow</td>") != std::string::npos);
        QCOMPARE(sync(token).status, 200);

        // A minute's syncs are one recorded time; a later one moves it on.
        server->clock.advance(30'000);
        QCOMPARE(sync(token).status, 200);
        QCOMPARE(server->store->kiosks().listKiosks().value().back().lastSyncAt, server->clock.nowMs() - 30'000);
        server->clock.advance(40'000);
        QCOMPARE(sync(token).status, 200);
        QCOMPARE(server->store->kiosks().listKiosks().value().back().lastSyncAt, server->clock.nowMs());

        const std::string revoke = "/admin/kiosks/" + std::to_string(room2.id) + "/revoke";
        const auto confirm = client->get(revoke, session(Admin));
        QVERIFY(confirm.body.find("Revoke Room 2 door?") != std::string::npos);
        QVERIFY(confirm.body.find("action=\"" + revoke + "\"") != std::string::npos);
        QCOMPARE(sync(token).status, 200); // looking at the confirmation changes nothing

        const auto revoked = post(revoke, session(Admin), "");
        QCOMPARE(revoked.status, 303);
        QCOMPARE(revoked.header("location"), "/admin/kiosks");
        QCOMPARE(flashOf(revoked)[0], 's');
        QCOMPARE(sync(token).status, 401);
        QCOMPARE(sync(school.kioskToken).status, 200); // the other kiosk carries on
        QVERIFY(server->store->kiosks().listKiosks().value().back().revoked);
        QVERIFY(client->get("/admin/kiosks", session(Admin)).body.find("Revoked") != std::string::npos);
        QCOMPARE(post(revoke, session(Admin), "").status, 303); // again: says so, changes nothing
        QCOMPARE(sync(token).status, 401);
    }

    void provisioningChecksNameAndCourses()
    {
        const std::size_t before = kioskCount();
        QCOMPARE(fieldErrorProblems(post("/admin/kiosks", session(Admin), "name=&courses=" + school.courseA.id), "name",
                                    "Give the kiosk a name"),
                 "");
        const auto none = post("/admin/kiosks", session(Admin), "name=Room+3");
        QCOMPARE(fieldErrorProblems(none, "courses", "Choose at least one course"), "");
        QVERIFY(none.body.find(R"(value="Room 3")") != std::string::npos); // kept for the next try
        QCOMPARE(fieldErrorProblems(post("/admin/kiosks", session(Admin),
                                         "name=Room+3&courses=00000000-0000-4000-8000-000000000000"),
                                    "courses", "There is no course"),
                 "");
        QCOMPARE(fieldErrorProblems(post("/admin/kiosks", session(Admin), "name=Room+3&courses=JS1"), "courses",
                                    "is not a course id"),
                 "");
        QCOMPARE(post("/admin/courses/" + school.courseB.id + "/remove", session(Admin), "").status, 303);
        QCOMPARE(fieldErrorProblems(post("/admin/kiosks", session(Admin), "name=Room+3&courses=" + school.courseB.id),
                                    "courses", "There is no course"),
                 "");
        QCOMPARE(kioskCount(), before);
    }

    void addingAPersonChecksEveryFieldAndChangesNothingWhenOneIsWrong()
    {
        const std::size_t before = peopleCount();
        const auto empty = post("/admin/people", session(Admin), "display_name=&email=");
        QCOMPARE(fieldErrorProblems(empty, "display_name", "Enter the person&#39;s name"), "");
        QCOMPARE(fieldErrorProblems(empty, "email", "Enter their email address"), "");
        const auto badEmail = post("/admin/people", session(Admin), "display_name=Ada+Lovelace&email=ada.example.org");
        QCOMPARE(fieldErrorProblems(badEmail, "email", "Enter an email address like name@example.org"), "");
        QVERIFY(badEmail.body.find(R"(value="Ada Lovelace")") != std::string::npos);
        QVERIFY(badEmail.body.find(R"(aria-invalid="true")") != std::string::npos);
        QCOMPARE(fieldErrorProblems(post("/admin/people", session(Admin), "display_name=Ada&email=TOMAS%40example.org"),
                                    "email", "Someone already has this email address"),
                 "");
        QCOMPARE(fieldErrorProblems(post("/admin/people", session(Admin),
                                         "display_name=Ada&email=ada%40example.org&github=ada+l"),
                                    "github", "Enter a GitHub username"),
                 "");
        QCOMPARE(fieldErrorProblems(post("/admin/people", session(Admin),
                                         "display_name=Ada&email=ada%40example.org&codewars=%3Cb%3E"),
                                    "codewars", "Enter a Codewars username"),
                 "");
        QCOMPARE(peopleCount(), before);

        const auto added = post("/admin/people", session(Admin),
                                "display_name=Ada+Lovelace&email=ada%40example.org&github=%40ada-l&codewars=ada_l");
        QVERIFY2(added.status == 201, added.body.c_str());
        QCOMPARE(peopleCount(), before + 1);
        const auto ada = server->store->people().personByEmail("ada@example.org").value();
        QVERIFY(ada.has_value());
        QCOMPARE(ada->displayName, "Ada Lovelace");
        QCOMPARE(ada->github, "ada-l");
        QCOMPARE(ada->codewars, "ada_l");
        QVERIFY(!ada->isAdmin);
        QVERIFY(added.body.find(ada->publicId) != std::string::npos);
        std::smatch m;
        QVERIFY(std::regex_search(added.body, m, std::regex(R"(<pre class="secret"><code>([^<]+)</code>)")));
        // The password shown once signs Ada in.
        const auto login = client->json("POST", "/api/v1/login",
                                        nlohmann::json{{"email", "ada@example.org"}, {"password", m[1].str()}}.dump());
        QCOMPARE(login.status, 200);
        QCOMPARE(added.body.find("$argon2"), std::string::npos);

        const auto people = client->get("/admin/people", session(Admin));
        QVERIFY(people.body.find("ada@example.org") != std::string::npos);
        QVERIFY(people.body.find("/admin/people/" + ada->publicId) != std::string::npos);
    }

    void peopleShowCoursesAndRolesButNeverHashes()
    {
        QVERIFY(server->store->people().setPasswordHash(school.teacherA.id, hashSecret("a long password", k_pinCost).value()));
        QVERIFY(server->store->people().setPinHash(school.teacherA.id, hashSecret("123456", k_pinCost).value()));
        for (const std::string& path : {std::string("/admin/people"), "/admin/people/" + school.teacherA.publicId}) {
            const auto r = client->get(path, session(Admin));
            QVERIFY2(r.status == 200, describe(path, ": ", r.status).c_str());
            QVERIFY2(r.body.find("$argon2") == std::string::npos, path.c_str());
            QVERIFY2(r.body.find("tomas@example.org") != std::string::npos, path.c_str());
            QVERIFY2(r.body.find(web::escape(school.courseA.name)) != std::string::npos, path.c_str());
            QVERIFY2(r.body.find("Teacher") != std::string::npos, path.c_str());
        }
        const auto ta = client->get("/admin/people/" + school.taA.publicId, session(Admin));
        QVERIFY(ta.body.find("<td>TA</td>") != std::string::npos);
    }

    void adminsMakeAndUnmakeOtherAdmins()
    {
        const std::string path = "/admin/people/" + school.teacherA.publicId + "/admin";
        QCOMPARE(client->get("/admin", session(Teacher)).status, 403);
        const auto made = post(path, session(Admin), "admin=1");
        QCOMPARE(made.status, 303);
        QCOMPARE(made.header("location"), "/admin/people/" + school.teacherA.publicId);
        QCOMPARE(flashOf(made)[0], 's');
        QCOMPARE(client->get("/admin", session(Teacher)).status, 200);
        QVERIFY(client->get("/admin/people/" + school.teacherA.publicId, session(Admin)).body.find("Remove admin rights")
                != std::string::npos);

        QCOMPARE(post(path, session(Admin), "admin=0").status, 303);
        QCOMPARE(client->get("/admin", session(Teacher)).status, 403);
        QCOMPARE(flashOf(post(path, session(Admin), "admin=maybe"))[0], 'e');
        QVERIFY(!server->store->people().personById(school.teacherA.id).value()->isAdmin);

        // Nobody removes their own rights, so one admin is always left.
        const auto self = post("/admin/people/" + school.admin.publicId + "/admin", session(Admin), "admin=0");
        QCOMPARE(self.status, 303);
        QCOMPARE(flashOf(self)[0], 'e');
        QVERIFY(server->store->people().personById(school.admin.id).value()->isAdmin);
        QCOMPARE(client->get("/admin/people/" + school.admin.publicId, session(Admin)).body.find("Remove admin rights"),
                 std::string::npos);
    }

    void removingACourseAsksFirst()
    {
        const std::string confirm = "/admin/courses/" + school.courseA.id + "/remove";
        const auto list = client->get("/admin/courses", session(Admin));
        QVERIFY(list.body.find("href=\"" + confirm + "\"") != std::string::npos);
        QVERIFY(list.body.find("Europe/London") != std::string::npos);
        QVERIFY(list.body.find("2 students · 1 TA · 1 teacher") != std::string::npos);
        const auto ask = client->get(confirm, session(Admin));
        QCOMPARE(ask.status, 200);
        QVERIFY(ask.body.find("Remove " + web::escape(school.courseA.name) + "?") != std::string::npos);
        QVERIFY(ask.body.find("1 kiosk serves it") != std::string::npos);
        QVERIFY(!server->store->courses().course(school.courseA.id).value()->removed); // asking changes nothing

        const auto removed = post(confirm, session(Admin), "");
        QCOMPARE(removed.status, 303);
        QCOMPARE(removed.header("location"), "/admin/courses");
        QVERIFY(server->store->courses().course(school.courseA.id).value()->removed);
        QCOMPARE(client->get("/admin/courses", session(Admin)).body.find(confirm), std::string::npos);
        QCOMPARE(post(confirm, session(Admin), "").status, 404);
    }

    void namesAreEscapedControlsLabelledAndPagesSmall()
    {
        const std::string evil = "<img src=x onerror=alert(1)>";
        const Person person = addPerson(*server->store, evil, "evil@example.org");
        QVERIFY(server->store->courses().setEnrollment(person.id, school.courseA.id, Role::Student, school.teacherA.id));
        QVERIFY(server->store->courses().createCourse({evil, "Europe/London", 10, 60, {}}, school.admin.id));
        QCOMPARE(post("/admin/kiosks", session(Admin), "name=" + web::urlEncode(evil) + "&courses=" + school.courseA.id)
                     .status,
                 201);
        const auto kiosks = server->store->kiosks().listKiosks().value();
        const std::vector<std::string> paths = adminPages(person, kiosks.back().id);
        for (const auto& path : paths) {
            const auto r = client->get(path, session(Admin));
            QVERIFY2(r.status == 200, describe(path, ": ", r.status).c_str());
            QVERIFY2(r.body.size() < 50'000u, describe(path, ": ", r.body.size(), " bytes").c_str());
            QVERIFY2(r.body.find("<img src=x") == std::string::npos, path.c_str());
            // One <h1>, and every visible control has an id and a label pointing at it.
            const std::string problems = pageStructureProblems(r.body);
            QVERIFY2(problems.empty(), (path + ": " + problems).c_str());
            QVERIFY2(matchCount(r.body, "<table") == matchCount(r.body, "<caption>"),
                     (path + ": a table without a caption").c_str());
        }
    }
};

QTEST_GUILESS_MAIN(AdminPagesTest)
#include "adminpagestest.moc"
