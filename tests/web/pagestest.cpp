// The dashboard pages on a real server (libmicrohttpd on loopback, SQLite in a
// temporary directory): who may see which page, every form's CSRF and content
// type checks, and the user stories done through the forms as a browser would.

#include "webtestsupport.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/service/windowrules.h"
#include "sync-server/web/html.h"

#include "tests/support/qtestsupport.h"

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

} // namespace

class PagesTest : public QObject, public WebFixture {
    Q_OBJECT

    bool inRoster(const Person& p)
    {
        return server->store->courses().roleIn(p.id, school.courseA.id).value().has_value();
    }

private slots:
    void init() { startServer(); }
    void cleanup() { stopServer(); }

    void eachPersonSeesThePagesTheirRoleAllows()
    {
        struct Cell {
            std::string path;
            std::array<long, k_whoCount> expected; // anon stA stB TA teacher admin key
        };
        const std::vector<Cell> cells{
            {"/login", {200, 303, 303, 303, 303, 303, 200}},
            {"/", {303, 200, 200, 200, 200, 200, 303}},
            {"/me", {303, 200, 200, 200, 200, 200, 303}},
            {"/me/phones", {303, 200, 200, 200, 200, 200, 303}},
            {"/me/pin", {303, 200, 200, 200, 200, 200, 303}},
            {"/courses/new", {303, 403, 403, 403, 200, 200, 303}},
            {"/courses/" + school.courseA.id, {303, 200, 403, 200, 200, 200, 303}},
            {"/courses/" + school.courseB.id, {303, 403, 200, 403, 403, 200, 303}},
            {"/courses/" + school.courseA.id + "/tracker", {303, 403, 403, 200, 200, 200, 303}},
            {"/windows/" + school.openA.id, {303, 403, 403, 200, 200, 200, 303}},
            {"/windows/" + school.closedA.id, {303, 403, 403, 200, 200, 200, 303}},
            {"/windows/" + school.openA.id + "/people/" + school.studentA.publicId, {303, 403, 403, 200, 200, 200, 303}},
            {"/windows/" + school.openA.id + "/people/" + school.studentB.publicId, {303, 403, 403, 404, 404, 404, 303}},
            // Teachers are volunteers, with a record like a TA's.
            {"/windows/" + school.openA.id + "/people/" + school.teacherA.publicId, {303, 403, 403, 200, 200, 200, 303}},
            {"/courses/" + school.courseA.id + "/report", {303, 403, 403, 200, 200, 200, 303}},
            {"/courses/" + school.courseA.id + "/report?from=2026-12-01&to=2026-11-01", {303, 422, 422, 422, 422, 422, 303}},
            {"/courses/" + school.courseA.id + "/people/" + school.studentA.publicId, {303, 200, 403, 200, 200, 200, 303}},
            {"/courses/" + school.courseA.id + "/people/" + school.studentA2.publicId, {303, 403, 403, 200, 200, 200, 303}},
            {"/reports", {303, 403, 403, 403, 403, 200, 303}},
            {"/courses/not-a-uuid", {303, 400, 400, 400, 400, 400, 303}},
            {"/windows/00000000-0000-4000-8000-000000000000", {303, 404, 404, 404, 404, 404, 303}},
        };
        for (const auto& cell : cells) {
            for (int who = 0; who < k_whoCount; ++who) {
                const auto r = client->get(cell.path, session(static_cast<Who>(who)));
                const long expected = cell.expected[static_cast<std::size_t>(who)];
                QVERIFY2(r.status == expected, describe("GET ", cell.path, " as ", k_whoNames[who], ": ", r.status,
                                                        ", expected ", expected).c_str());
                if (r.status == 200 || r.status >= 400) {
                    QVERIFY2(r.header("content-type").find("text/html") != std::string::npos, cell.path.c_str());
                    QVERIFY(r.header("content-security-policy").find("default-src 'none'") != std::string::npos);
                }
            }
        }
        QCOMPARE(client->get("/", {}).header("location"), "/login");
    }

    void everyFormNeedsASessionItsCsrfTokenAndAFormBody()
    {
        std::set<std::string> posts;
        for (const Route& r : server->router.routes()) {
            // Signing in and getting into an account are for people not signed in.
            if (r.method == "POST" && !r.pattern.starts_with("/api/") && !r.pattern.starts_with("/q/") && r.pattern != "/login"
                && r.pattern != "/password-reset" && !r.pattern.starts_with("/password/"))
                posts.insert(r.pattern);
        }
        QCOMPARE_GE(posts.size(), 10u);
        const Headers teacher = session(Teacher);
        for (std::string path : posts) {
            for (const auto& [key, value] : {std::pair{"{course}", school.courseA.id}, std::pair{"{window}", school.openA.id},
                                             std::pair{"{person}", school.studentA.publicId},
                                             std::pair{"{kiosk}", std::to_string(school.kiosk.id)}}) {
                if (const auto at = path.find(key); at != std::string::npos)
                    path.replace(at, std::string(key).size(), value);
            }
            // A file upload is multipart/form-data; every other form is urlencoded.
            const bool upload = path.ends_with("/import");
            const std::string type = upload ? "Content-Type: multipart/form-data; boundary=xx"
                                            : "Content-Type: application/x-www-form-urlencoded";
            const auto body = [upload](const std::string& name, const std::string& value) {
                return upload ? "--xx\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                        + "\r\n--xx--\r\n"
                              : name + "=" + value;
            };
            const auto anonymous = client->request("POST", path, body("x", "1"), {type});
            QVERIFY2(anonymous.status == 303, describe(path, " anonymous: ", anonymous.status).c_str());
            const auto noToken = client->request("POST", path, body("x", "1"), {teacher[0], type});
            QVERIFY2(noToken.status == 403, describe(path, " without the CSRF token: ", noToken.status).c_str());
            const auto wrongToken = client->request("POST", path, body("csrf", "forged"), {teacher[0], type});
            QVERIFY2(wrongToken.status == 403, describe(path, " with a forged token: ", wrongToken.status).c_str());
            const auto json = client->request("POST", path, "{}", {teacher[0], "Content-Type: application/json"});
            QVERIFY2(json.status == 415, describe(path, " with a JSON body: ", json.status).c_str());
            const auto broken = client->request("POST", path, upload ? "--xx\r\nnot a header\r\n" : "a=%zz",
                                                {teacher[0], type});
            QVERIFY2(broken.status == 400, describe(path, " with a malformed body: ", broken.status).c_str());
        }
        // None of that changed anything.
        QVERIFY(inRoster(school.studentA));
        QVERIFY(server::isOpenAt(*server->store->attendance().window(school.openA.id).value(), server->clock.nowMs()));
        QVERIFY(server->store->courses().course(school.courseA.id).value().has_value());
        QVERIFY(!server->store->courses().course(school.courseA.id).value()->removed);
    }

    void signInThroughTheFormAndOut()
    {
        must(server->store->people().setPasswordHash(school.teacherA.id, hashSecret("correct horse battery", k_passwordCost).value()));
        const auto form = client->get("/login");
        QCOMPARE(form.status, 200);
        const std::string token = formField(form.body, "login_token");
        QVERIFY(!token.empty());
        const std::string cookie = "Cookie: imhere_login=" + token;
        const std::string ct = "Content-Type: application/x-www-form-urlencoded";

        auto wrong = client->request("POST", "/login", "email=tomas%40example.org&password=nope&login_token=" + token, {cookie, ct});
        QCOMPARE(wrong.status, 401);
        QVERIFY(wrong.body.find("The email address or password is wrong") != std::string::npos);
        QVERIFY(wrong.body.find(R"(value="tomas@example.org")") != std::string::npos); // kept for a retry
        auto noCookie = client->request("POST", "/login",
                                        "email=tomas%40example.org&password=correct+horse+battery&login_token=" + token, {ct});
        QCOMPARE(noCookie.status, 403); // a form from elsewhere cannot sign anyone in

        auto ok = client->request("POST", "/login",
                                  "email=tomas%40example.org&password=correct+horse+battery&login_token=" + token, {cookie, ct});
        QCOMPARE(ok.status, 303);
        QCOMPARE(ok.header("location"), "/");
        const std::string setCookie = ok.header("set-cookie");
        QCOMPARE(setCookie.rfind("imhere_session=", 0), 0u);
        QVERIFY(setCookie.find("HttpOnly") != std::string::npos);
        QVERIFY(setCookie.find("SameSite=Strict") != std::string::npos);
        const std::string session = "Cookie: " + setCookie.substr(0, setCookie.find(';'));
        const auto home = client->get("/", {session});
        QCOMPARE(home.status, 200);
        QVERIFY(home.body.find("Tomás Teacher") != std::string::npos);
        QVERIFY(home.body.find(web::escape(school.courseA.name)) != std::string::npos);
        QVERIFY(home.body.find("Close attendance window") != std::string::npos); // the open window

        const std::string csrf = formField(home.body, "csrf");
        QVERIFY(!csrf.empty());
        auto out = client->request("POST", "/logout", "csrf=" + csrf, {session, ct});
        QCOMPARE(out.status, 303);
        QCOMPARE(client->get("/", {session}).status, 303); // the session is gone
    }

    void teacherTogglesPresenceWithAReason()
    {
        const auto before = record(school.closedA, school.studentA);
        QVERIFY(!before.present);
        const std::string path = "/windows/" + school.closedA.id + "/people/" + school.studentA.publicId + "/presence";
        const std::string reasonField = "reason-" + school.studentA.publicId;

        const auto missing = post(path, session(Teacher), "present=1&" + reasonField + "=");
        QCOMPARE(missing.status, 303);
        QCOMPARE(flashOf(missing)[0], 'e'); // an error message on the window page
        QVERIFY(!record(school.closedA, school.studentA).present);

        const auto ta = post(path, session(Ta), "present=1&" + reasonField + "=forgot+to+clock+in");
        QCOMPARE(ta.status, 403); // TAs do not change attendance
        QVERIFY(!record(school.closedA, school.studentA).present);

        const auto ok = post(path, session(Teacher), "present=1&" + reasonField + "=forgot+to+clock+in&base=");
        QCOMPARE(ok.status, 303);
        QCOMPARE(ok.header("location"), "/windows/" + school.closedA.id);
        QCOMPARE(flashOf(ok)[0], 's');
        const auto after = record(school.closedA, school.studentA);
        QVERIFY(after.present);
        QVERIFY(after.corrected);

        const auto page = client->get("/windows/" + school.closedA.id, session(Teacher));
        QVERIFY(page.body.find("Corrected") != std::string::npos);
        // The window page links to each record's page, where the forms are:
        // presence for teachers, flags for teachers and TAs.
        const std::string recordPath = "/windows/" + school.closedA.id + "/people/" + school.studentA.publicId;
        QVERIFY(page.body.find("href=\"" + recordPath + "\"") != std::string::npos);
        QVERIFY(client->get(recordPath, session(Teacher)).body.find("action=\"" + path + "\"") != std::string::npos);
        const auto taPage = client->get(recordPath, session(Ta));
        QCOMPARE(taPage.body.find("action=\"" + path + "\""), std::string::npos);
        QVERIFY(taPage.body.find("action=\"" + recordPath + "/flags\"") != std::string::npos);
    }

    void aRecordPageShowsEveryChangeAndTheReportFollowsAlertsUp()
    {
        // A correction, then the person's record shows it with the value before.
        const std::string presence = "/windows/" + school.closedA.id + "/people/" + school.studentA.publicId + "/presence";
        QCOMPARE(post(presence, session(Teacher), "present=1&reason-" + school.studentA.publicId + "=came+late&base=").status,
                 303);
        const std::string recordPage = "/courses/" + school.courseA.id + "/people/" + school.studentA.publicId;
        const auto mine = client->get(recordPage, session(StudentOfCourse));
        QCOMPARE(mine.status, 200L);
        QVERIFY2(pageStructureProblems(mine.body).empty(), pageStructureProblems(mine.body).c_str());
        QVERIFY(mine.body.find("Marked present") != std::string::npos);
        QVERIFY(mine.body.find("came late") != std::string::npos);
        QVERIFY(mine.body.find(school.teacherA.displayName) != std::string::npos);
        QVERIFY(mine.body.find("role=\"img\"") != std::string::npos); // the week-by-week chart
        // Students see no Change links; staff do.
        QCOMPARE(mine.body.find("/windows/" + school.closedA.id + "/people/"), std::string::npos);
        QVERIFY(client->get(recordPage, session(Ta)).body.find("/windows/" + school.closedA.id + "/people/")
                != std::string::npos);

        // studentA2 missed the closed class; a course that alerts after one absence lists them.
        QCOMPARE(post("/courses/" + school.courseA.id + "/settings", session(Ta),
                      "alert-below-percent=70&alert-absent-run=1").status,
                 403);
        const auto saved = post("/courses/" + school.courseA.id + "/settings", session(Teacher),
                                "alert-below-percent=70&alert-absent-run=1");
        QCOMPARE(flashOf(saved)[0], 's');
        const auto bad = post("/courses/" + school.courseA.id + "/settings", session(Teacher),
                              "alert-below-percent=170&alert-absent-run=1");
        QCOMPARE(flashOf(bad)[0], 'e');
        const std::string reportPath = "/courses/" + school.courseA.id + "/report";
        auto report = client->get(reportPath, session(Ta));
        QCOMPARE(report.status, 200L);
        QVERIFY2(pageStructureProblems(report.body).empty(), pageStructureProblems(report.body).c_str());
        QVERIFY(report.body.find("Absent 1 time in a row") != std::string::npos);
        const std::string since = formField(report.body, "since");
        QVERIFY(!since.empty());
        const std::string note = "note-absent_run-" + school.studentA2.publicId;
        const auto followed = post("/courses/" + school.courseA.id + "/alerts", session(Ta),
                                   "person=" + school.studentA2.publicId + "&kind=absent_run&since=" + since + "&" + note
                                       + "=called+them");
        QCOMPARE(followed.status, 303);
        QCOMPARE(flashOf(followed)[0], 's');
        report = client->get(reportPath, session(Ta));
        QVERIFY(report.body.find("Followed up") != std::string::npos);
        QVERIFY(report.body.find("called them") != std::string::npos);
        // The course page's link to the report no longer counts it.
        QCOMPARE(client->get("/courses/" + school.courseA.id, session(Teacher)).body.find("following up"),
                 std::string::npos);
    }

    void aTeacherReopensAClosedWindowFromItsPage()
    {
        const std::string path = "/windows/" + school.closedA.id;
        QVERIFY(client->get(path, session(Teacher)).body.find("action=\"" + path + "/reopen\"") != std::string::npos);
        QCOMPARE(client->get(path, session(Ta)).body.find("action=\"" + path + "/reopen\""), std::string::npos);
        QCOMPARE(post(path + "/reopen", session(Ta), "").status, 403);
        const auto done = post(path + "/reopen", session(Teacher), "");
        QCOMPARE(done.status, 303);
        QCOMPARE(flashOf(done)[0], 's');
        QVERIFY(!server->store->attendance().window(school.closedA.id)->value().closedAt);
        // A summary in sentences heads the page.
        QVERIFY(client->get(path, session(Teacher)).body.find("trainees present") != std::string::npos);
    }

    void studentsCheckInFromTheCoursePageAndSeeTheirCohort()
    {
        const std::string coursePath = "/courses/" + school.courseA.id;
        auto page = client->get(coursePath, session(StudentOfCourse));
        QVERIFY(page.body.find("Your class and you") != std::string::npos);
        QVERIFY(page.body.find("action=\"/windows/" + school.openA.id + "/check-in\"") != std::string::npos);
        // Another trainee's name never shows on a student's course page.
        QCOMPARE(page.body.find(school.studentA2.displayName), std::string::npos);
        const auto done = post("/windows/" + school.openA.id + "/check-in", session(StudentOfCourse), "back=" + coursePath);
        QCOMPARE(done.status, 303);
        QCOMPARE(done.header("location"), coursePath);
        QVERIFY(record(school.openA, school.studentA).present);
        page = client->get(coursePath, session(StudentOfCourse));
        QCOMPARE(page.body.find("action=\"/windows/" + school.openA.id + "/check-in\""), std::string::npos);
    }

    void teachersAndTasSetFlagsStudentsCannot()
    {
        const std::string path = "/windows/" + school.openA.id + "/people/" + school.studentA.publicId + "/flags";
        const std::string who = school.studentA.publicId;
        QCOMPARE(post(path, session(StudentOfCourse), "flag-" + who + "=CAMERA_OFF&set=1").status, 403);
        QVERIFY(record(school.openA, school.studentA).flags.empty());
        QCOMPARE(post(path, session(Ta), "flag-" + who + "=CAMERA_OFF&set=1&note-" + who + "=camera+off").status, 303);
        QCOMPARE(record(school.openA, school.studentA).flags, std::vector<Flag>{Flag::CameraOff});
        QCOMPARE(flashOf(post(path, session(Ta), "flag-" + who + "=NOT_A_FLAG&set=1"))[0], 'e');
        QCOMPARE(post(path, session(Teacher), "flag-" + who + "=CAMERA_OFF&set=0").status, 303);
        QVERIFY(record(school.openA, school.studentA).flags.empty());
    }

    void taCannotChangeTheRosterTeacherCan()
    {
        const std::string remove = "/courses/" + school.courseA.id + "/members/" + school.studentA2.publicId + "/remove";
        QCOMPARE(post(remove, session(Ta), "").status, 403);
        QVERIFY(inRoster(school.studentA2));
        // The roster page links to the question before removing (confirmpages.cpp).
        const auto teacherPage = client->get("/courses/" + school.courseA.id + "/roster", session(Teacher));
        QVERIFY(teacherPage.body.find(remove) != std::string::npos);
        const auto taPage = client->get("/courses/" + school.courseA.id + "/roster", session(Ta));
        QCOMPARE(taPage.body.find(remove), std::string::npos); // no button for what a TA may not do

        QCOMPARE(post(remove, session(Teacher), "").status, 303);
        QVERIFY(!inRoster(school.studentA2));

        // "Add TA to Class" by id, then by email.
        const std::string add = "/courses/" + school.courseA.id + "/members";
        QCOMPARE(post(add, session(Ta), "role=ta&person-ta=" + school.outsider.publicId).status, 403);
        QVERIFY(!inRoster(school.outsider));
        QCOMPARE(flashOf(post(add, session(Teacher), "role=ta&person-ta=" + school.outsider.publicId))[0], 's');
        QVERIFY(server->store->courses().roleIn(school.outsider.id, school.courseA.id).value() == Role::Ta);
        QCOMPARE(post(add, session(Teacher), "role=student&person-student=nobody%40example.org").status, 422);
        // The pages add students and TAs; teachers are named by an org admin (the API).
        QCOMPARE(post(add, session(Teacher), "role=teacher&person-teacher=" + school.studentB.publicId).status, 422);
        QVERIFY(!server->store->courses().roleIn(school.studentB.id, school.courseA.id).value());
    }

    void studentChecksInOnceFromTheHomePage()
    {
        const auto home = client->get("/", session(StudentOfCourse));
        const std::string action = "/windows/" + school.openA.id + "/check-in";
        QVERIFY(home.body.find(action) != std::string::npos);
        QCOMPARE(flashOf(post(action, session(StudentOfCourse), "back=%2F"))[0], 's');
        QVERIFY(record(school.openA, school.studentA).firstCheckIn.has_value());
        const auto again = post(action, session(StudentOfCourse), "back=%2F");
        QCOMPARE(again.header("location"), "/");
        QCOMPARE(flashOf(again)[0], 'e'); // already checked in
        QCOMPARE(post(action, session(StudentOfOther), "").status, 403);
        QCOMPARE(post(action, session(StudentOfCourse), "back=https%3A%2F%2Fevil.example").header("location"), "/");
        QCOMPARE(post(action, session(StudentOfCourse), "back=%2F%2Fevil.example").header("location"), "/");
    }

    void teacherOpensAndClosesWindowsAndAddsACourse()
    {
        // Week 1 is open: a second one is opened on purpose.
        const auto opened = post("/courses/" + school.courseA.id + "/windows", session(Teacher), "title=Week+2&alongside=yes");
        QCOMPARE(opened.status, 303);
        const auto windows = server->store->attendance().windowsOf(school.courseA.id).value();
        QVERIFY(std::ranges::any_of(windows, [&](const Window& w) { return w.title == "Week 2" && w.openedAt; }));
        QCOMPARE(post("/windows/" + school.openA.id + "/close", session(Ta), "").status, 303);
        QVERIFY(server->store->attendance().window(school.openA.id).value()->closedAt.has_value());

        const auto bad = post("/courses", session(Teacher), "name=JS2&timezone=Mars%2FBase&late_after_min=10&absent_after_min=60");
        QCOMPARE(bad.status, 422);
        QVERIFY(bad.body.find("unknown IANA time zone") != std::string::npos);
        QVERIFY(bad.body.find(R"(href="#f-timezone")") != std::string::npos); // the summary links to the field
        const auto created = post("/courses", session(Teacher),
                                  "name=JS2&timezone=Europe%2FLondon&late_after_min=5&absent_after_min=45&students="
                                      + school.outsider.publicId);
        QCOMPARE(created.status, 303);
        const std::string id = created.header("location").substr(9);
        QVERIFY(server->store->courses().roleIn(school.outsider.id, id).value() == Role::Student);
        QVERIFY(server->store->courses().roleIn(school.teacherA.id, id).value() == Role::Teacher);
    }

    void namesAreEscapedAndControlsLabelled()
    {
        const Person evil = addPerson(*server->store, "<img src=x onerror=alert(1)>");
        must(server->store->courses().setEnrollment(evil.id, school.courseA.id, Role::Student, school.teacherA.id));
        const std::vector<std::string> paths{"/", "/me", "/courses/new", "/courses/" + school.courseA.id,
                                             "/windows/" + school.openA.id,
                                             "/windows/" + school.openA.id + "/people/" + evil.publicId};
        for (const auto& path : paths) {
            const auto r = client->get(path, session(Teacher));
            QVERIFY2(r.status == 200, describe(path, ": ", r.status).c_str());
            QVERIFY2(r.body.find("<img src=x") == std::string::npos, path.c_str());
            QVERIFY(r.body.find("<html lang=\"en\">") != std::string::npos);
            // One <h1>, and every visible control has an id and a label pointing at it.
            const std::string problems = pageStructureProblems(r.body);
            QVERIFY2(problems.empty(), (path + ": " + problems).c_str());
        }
    }
};

QTEST_GUILESS_MAIN(PagesTest)
#include "pagestest.moc"
