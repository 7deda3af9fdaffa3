// Accounts people can get into, over HTTP on a real server: signing in lands
// on the page asked for (a path on this site only) and a wrong password says
// what to do next; "Forgot your password?" answers the same for any address
// and its mailed link (through a real SMTP server on loopback) sets the
// password once; links sent by an admin or a teacher are shown to pass on
// where no mail is sent; "My account" changes the password and signs out
// elsewhere; parallel sign-ins cannot pass the limit; adding a member does
// not tell an outsider whether an email has an account. The last test runs
// `imhere-server serve` with SMTP settings and gets its mail from the outbox.

#include "webtestsupport.h"

#include "tests/server/smtpsink.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/mail/smtpsender.h"
#include "sync-server/service/mail.h"
#include "sync-server/serverlimits.h"
#include "sync-server/store/sqlitestore.h"
#include "sync-server/web/html.h"

#include "tests/support/qtestsupport.h"

#include <csignal>
#include <sys/wait.h>

#include <atomic>
#include <regex>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {
constexpr std::string_view k_password = "violet harbour engine";
constexpr std::string_view k_site = "https://imhere.test";

// The "/password/<token>" path in a text, or "".
std::string linkPathIn(const std::string& text)
{
    std::smatch m;
    static const std::regex re("/password/[A-Za-z0-9_-]{20,}");
    return std::regex_search(text, m, re) ? m[0].str() : std::string();
}
} // namespace

class AccountPagesTest : public QObject, public WebFixture {
    Q_OBJECT

    // Sets a password for someone in the store.
    void givePassword(const Person& person, std::string_view password)
    {
        QVERIFY(server->store->people().setPasswordHash(person.id, *hashSecret(password, k_passwordCost)));
    }

    // The sign-in form as a browser posts it: its one-time token and cookie.
    HttpResult signInPost(const std::string& email, std::string_view password, const std::string& next = "")
    {
        const auto form = client->get("/login" + (next.empty() ? "" : "?next=" + web::urlEncode(next)));
        const std::string token = formField(form.body, "login_token");
        std::string body = "login_token=" + token + "&email=" + web::urlEncode(email)
            + "&password=" + web::urlEncode(password);
        const std::string carried = formField(form.body, "next");
        if (!carried.empty())
            body += "&next=" + web::urlEncode(carried); // a plain path: nothing escaped
        return client->request("POST", "/login", body,
                               {"Content-Type: application/x-www-form-urlencoded",
                                "Cookie: imhere_login=" + setCookie(form, "imhere_login")});
    }

    HttpResult resetPost(const std::string& email)
    {
        const auto form = client->get("/password-reset");
        return client->request("POST", "/password-reset",
                               "reset_token=" + formField(form.body, "reset_token") + "&email=" + web::urlEncode(email),
                               {"Content-Type: application/x-www-form-urlencoded",
                                "Cookie: imhere_reset=" + setCookie(form, "imhere_reset")});
    }

    MailRound deliver(SmtpSink& sink)
    {
        SmtpSender smtp({"127.0.0.1", sink.port(), false, "", "", "attendance@imhere.test", 10});
        return deliverDueMail(*server->services, [&](const NewMail& mail) {
                   const auto outcome = smtp.send({mail.recipient, mail.subject, mail.body});
                   return MailAttempt{outcome.sent, outcome.permanent(), outcome.error};
               })
            .value();
    }

private slots:
    void init() { startServer(); }
    void cleanup() { stopServer(); }

    void signingInLandsOnThePageAskedFor();
    void onlyAPathOnThisSiteIsFollowed();
    void aWrongPasswordSaysWhatToDoNext();
    void forgotPasswordMailsALinkThatWorksOnce();
    void forgotPasswordAnswersTheSameForAnyAddress();
    void withoutMailTheAdminSeesTheLinkToPassOn();
    void aTeacherInvitesTheClass();
    void myAccountChangesThePasswordAndSignsOutElsewhere();
    void parallelSignInsCannotPassTheLimit();
    void addingAMemberTellsOutsidersNothing();
    void serveMailsFromItsOutbox();
};

void AccountPagesTest::signingInLandsOnThePageAskedFor()
{
    givePassword(school.teacherA, k_password);
    const std::string page = "/courses/" + school.courseA.id;
    const auto asked = client->get(page);
    QCOMPARE(asked.status, 303L);
    QCOMPARE(asked.header("location"), "/login?next=" + web::urlEncode(page));
    const auto in = signInPost("tomas@example.org", k_password, page);
    QCOMPARE(in.status, 303L);
    QCOMPARE(in.header("location"), page);
    // Without a next: home.
    QCOMPARE(signInPost("tomas@example.org", k_password).header("location"), "/");
}

void AccountPagesTest::onlyAPathOnThisSiteIsFollowed()
{
    givePassword(school.teacherA, k_password);
    for (const std::string next : {"//evil.example/", "/\\evil.example", "https://evil.example/", "http:/evil",
                                   "javascript:alert(1)", "evil.example", "/\tevil", "/%0d%0aSet-Cookie:x"}) {
        const auto form = client->get("/login?next=" + web::urlEncode(next));
        QCOMPARE(form.status, 200L);
        QCOMPARE(formField(form.body, "next"), "");
        // Posted directly, too.
        const std::string token = formField(form.body, "login_token");
        const auto in = client->request("POST", "/login",
                                        "login_token=" + token + "&email=tomas%40example.org&password="
                                            + web::urlEncode(k_password) + "&next=" + web::urlEncode(next),
                                        {"Content-Type: application/x-www-form-urlencoded",
                                         "Cookie: imhere_login=" + setCookie(form, "imhere_login")});
        QCOMPARE(in.status, 303L);
        QVERIFY2(in.header("location") == "/", describe(next, " -> ", in.header("location")).c_str());
    }
}

void AccountPagesTest::aWrongPasswordSaysWhatToDoNext()
{
    givePassword(school.teacherA, k_password);
    const auto wrong = signInPost("tomas@example.org", "not the password");
    QCOMPARE(wrong.status, 401L);
    QVERIFY(wrong.body.contains("The email address or password is wrong"));
    QVERIFY(wrong.body.contains("href=\"/password-reset\""));
    QVERIFY(wrong.body.contains("teacher or an org admin"));
    QCOMPARE(pageStructureProblems(wrong.body), "");
    // The sign-in page always offers it.
    QVERIFY(client->get("/login").body.contains("Forgot your password?"));
}

void AccountPagesTest::forgotPasswordMailsALinkThatWorksOnce()
{
    server->services->mail = MailSettings{true, std::string(k_site)};
    SmtpSink sink;
    const auto form = client->get("/password-reset");
    QCOMPARE(form.status, 200L);
    QCOMPARE(pageStructureProblems(form.body), "");
    const auto asked = resetPost("tomas@example.org");
    QCOMPARE(asked.status, 200L);
    QVERIFY(asked.body.contains("Check your email"));
    // Nothing was sent while the request was answered.
    QCOMPARE(sink.connections(), 0);
    QCOMPARE(deliver(sink).sent, 1);
    const auto messages = sink.messages();
    QCOMPARE(messages.size(), std::size_t(1));
    QCOMPARE(messages.front().to, std::vector<std::string>{"tomas@example.org"});
    QVERIFY(messages.front().body().contains(std::string(k_site) + "/password/"));
    const std::string path = linkPathIn(messages.front().body());
    QVERIFY(!path.empty());

    const auto open = client->get(path);
    QCOMPARE(open.status, 200L);
    QVERIFY(open.body.contains("Choose a new password"));
    QCOMPARE(pageStructureProblems(open.body), "");
    const Headers formType{"Content-Type: application/x-www-form-urlencoded"};
    const auto weak = client->request("POST", path, "password=password1234&confirm=password1234", formType);
    QCOMPARE(weak.status, 422L);
    QVERIFY(weak.body.contains("most common"));
    const auto mismatch = client->request("POST", path, "password=one+long+passphrase&confirm=another+one", formType);
    QCOMPARE(mismatch.status, 422L);
    const std::string good = web::urlEncode(k_password);
    const auto set = client->request("POST", path, "password=" + good + "&confirm=" + good, formType);
    QCOMPARE(set.status, 303L);
    QCOMPARE(set.header("location"), "/login");
    QCOMPARE(signInPost("tomas@example.org", k_password).status, 303L);
    // Once only.
    QCOMPARE(client->get(path).status, 410L);
    QCOMPARE(client->request("POST", path, "password=" + good + "&confirm=" + good, formType).status, 410L);
    QCOMPARE(client->get("/password/not-a-real-token-at-all-0123456789").status, 410L);
}

void AccountPagesTest::forgotPasswordAnswersTheSameForAnyAddress()
{
    server->services->mail = MailSettings{true, std::string(k_site)};
    const auto known = resetPost("tomas@example.org");
    const auto unknown = resetPost("nobody@example.org");
    QCOMPARE(known.status, unknown.status);
    auto withoutAddress = [](std::string body, const std::string& email) {
        return std::regex_replace(body, std::regex(email), "ADDRESS");
    };
    QCOMPARE(withoutAddress(known.body, "tomas@example.org"), withoutAddress(unknown.body, "nobody@example.org"));
    // The JSON API too.
    const auto apiKnown = client->json("POST", "/api/v1/password-resets", R"({"email":"admin@example.org"})");
    const auto apiUnknown = client->json("POST", "/api/v1/password-resets", R"({"email":"nobody2@example.org"})");
    QCOMPARE(apiKnown.status, 202L);
    QCOMPARE(apiKnown.body, apiUnknown.body);
    QCOMPARE(client->json("POST", "/api/v1/password-resets", R"({"email":"not an address"})").status, 422L);
    QCOMPARE(client->json("POST", "/api/v1/password-resets", R"({"mail":"a@b.c"})").status, 422L);
    QCOMPARE(server->store->outbox().outboxCounts()->waiting, std::int64_t(2));
}

void AccountPagesTest::withoutMailTheAdminSeesTheLinkToPassOn()
{
    const Headers admin = session(Admin);
    const auto page = client->get("/admin/people/" + school.studentA.publicId, admin);
    QVERIFY(page.body.contains("has no password yet"));
    QVERIFY(page.body.contains("Send an invitation"));
    const auto sent = post("/people/" + school.studentA.publicId + "/password-link", admin, "purpose=invitation");
    QCOMPARE(sent.status, 201L);
    QCOMPARE(pageStructureProblems(sent.body), "");
    const std::string path = linkPathIn(sent.body);
    QVERIFY(!path.empty());
    QVERIFY(sent.body.contains(server->url() + path));
    QVERIFY(client->get(path).body.contains("Welcome to imhere"));

    // The JSON API shows it too, once; a student may not ask for one.
    const auto api = client->json("POST", "/api/v1/people/" + school.studentA2.publicId + "/password-link",
                                  R"({"purpose":"reset"})", admin);
    QCOMPARE(api.status, 201L);
    QVERIFY(api.json()["mailed"] == false);
    QVERIFY(api.json()["link"].get<std::string>().starts_with(server->url() + "/password/"));
    const auto refused = client->json("POST", "/api/v1/people/" + school.studentA2.publicId + "/password-link",
                                      R"({"purpose":"reset"})", session(StudentOfCourse));
    QCOMPARE(refused.status, 403L);
    QCOMPARE(client->json("POST", "/api/v1/people/" + school.studentA2.publicId + "/password-link",
                          R"({"purpose":"welcome"})", admin)
                 .status,
             422L);
}

void AccountPagesTest::aTeacherInvitesTheClass()
{
    const Headers teacher = session(Teacher);
    // On the course's People page; a student sees neither.
    QVERIFY(client->get("/courses/" + school.courseA.id + "/roster", teacher).body.contains("Invite everyone without a password"));
    QVERIFY(!client->get("/courses/" + school.courseA.id, session(StudentOfCourse))
                 .body.contains("Invite everyone without a password"));
    const auto sent = post("/courses/" + school.courseA.id + "/invitations", teacher, "");
    QCOMPARE(sent.status, 201L);
    // The TA and two students.
    QCOMPARE(matchCount(sent.body, "/password/[A-Za-z0-9_-]{20,}"), std::ptrdiff_t(3));
    QCOMPARE(pageStructureProblems(sent.body), "");
    const auto api = client->json("POST", "/api/v1/courses/" + school.courseA.id + "/invitations", "", teacher);
    QCOMPARE(api.status, 201L);
    QCOMPARE(api.json()["invitations"].size(), std::size_t(3));
    QCOMPARE(client->json("POST", "/api/v1/courses/" + school.courseA.id + "/invitations", "", session(Ta)).status,
             403L);
    QCOMPARE(post("/courses/" + school.courseB.id + "/invitations", teacher, "").status, 403L);
}

void AccountPagesTest::myAccountChangesThePasswordAndSignsOutElsewhere()
{
    givePassword(school.teacherA, k_password);
    const Headers me = session(Teacher);
    const Headers elsewhere = session(Teacher);
    const auto page = client->get("/account", me);
    QCOMPARE(page.status, 200L);
    QCOMPARE(pageStructureProblems(page.body), "");
    QVERIFY(page.body.contains("tomas@example.org"));

    const auto wrong = post("/account/password", me,
                            "current_password=nope&new_password=a+long+new+passphrase&confirm=a+long+new+passphrase");
    QCOMPARE(wrong.status, 422L);
    QVERIFY(wrong.body.contains("current password is not right"));
    const auto weak = post("/account/password", me,
                           "current_password=" + web::urlEncode(k_password) + "&new_password=short&confirm=short");
    QCOMPARE(weak.status, 422L);
    QVERIFY(weak.body.contains("at least 12 characters"));
    QCOMPARE(client->get("/account", elsewhere).status, 200L);
    const auto changed = post("/account/password", me,
                              "current_password=" + web::urlEncode(k_password)
                                  + "&new_password=a+long+new+passphrase&confirm=a+long+new+passphrase");
    QCOMPARE(changed.status, 303L);
    QCOMPARE(client->get("/account", me).status, 200L);
    QCOMPARE(client->get("/account", elsewhere).status, 303L); // signed out
    QCOMPARE(signInPost("tomas@example.org", "a long new passphrase").status, 303L);

    // "Sign out everywhere else", on the page and through the API.
    const Headers laptop = session(Teacher);
    QCOMPARE(post("/account/sign-out-others", me, "").status, 303L);
    QCOMPARE(client->get("/account", laptop).status, 303L);
    QCOMPARE(client->get("/account", me).status, 200L);
    const Headers phone = session(Teacher);
    const auto api = client->json("POST", "/api/v1/me/sign-out-others", "", me);
    QCOMPARE(api.status, 200L);
    QVERIFY(api.json()["signed_out"] == 1);
    QCOMPARE(client->get("/api/v1/me", phone).status, 401L);
    const auto apiChange = client->json("POST", "/api/v1/me/password",
                                        R"({"current_password":"a long new passphrase","new_password":"qwertyuiop123"})",
                                        me);
    QCOMPARE(apiChange.status, 422L);
    QCOMPARE(client->json("POST", "/api/v1/me/password",
                          R"({"current_password":"a long new passphrase","new_password":"yet another passphrase"})", me)
                 .status,
             200L);
}

void AccountPagesTest::parallelSignInsCannotPassTheLimit()
{
    givePassword(school.teacherA, k_password);
    constexpr int k_attempts = 10;
    std::vector<long> statuses(k_attempts, 0);
    std::vector<std::thread> threads;
    std::atomic<int> ready = 0;
    const std::string url = server->url();
    for (int i = 0; i < k_attempts; ++i)
        threads.emplace_back([&, i] {
            HttpClient mine(url);
            ++ready;
            while (ready < k_attempts)
                std::this_thread::yield();
            statuses[static_cast<std::size_t>(i)] =
                mine.json("POST", "/api/v1/login", R"({"email":"tomas@example.org","password":"guess"})").status;
        });
    for (auto& t : threads)
        t.join();
    QCOMPARE(std::ranges::count(statuses, 401L), std::ptrdiff_t(server::limits::k_loginFailuresPerAccount));
    QCOMPARE(std::ranges::count(statuses, 429L),
             std::ptrdiff_t(k_attempts - server::limits::k_loginFailuresPerAccount));
}

void AccountPagesTest::addingAMemberTellsOutsidersNothing()
{
    // A student of the course tries an email with an account and one without.
    const Headers student = session(StudentOfCourse);
    const auto existing = post("/courses/" + school.courseA.id + "/members", student,
                               "role=student&person-student=tomas%40example.org");
    const auto missing = post("/courses/" + school.courseA.id + "/members", student,
                              "role=student&person-student=nobody%40example.org");
    QCOMPARE(existing.status, 403L);
    QCOMPARE(missing.status, existing.status);
    QCOMPARE(missing.body, existing.body);
    // The same for a new course by someone who may not add one.
    const auto course = post("/courses", student, "name=X&timezone=Europe%2FLondon&late_after_min=10&absent_after_min=60"
                                                  "&students=nobody%40example.org");
    QCOMPARE(course.status, 403L);
    // The teacher is told, on the roster page with the error at its field.
    const auto told = post("/courses/" + school.courseA.id + "/members", session(Teacher),
                           "role=student&person-student=nobody%40example.org");
    QCOMPARE(told.status, 422L);
    QVERIFY(told.body.contains("Nobody has the imhere id or email address nobody@example.org"));
}

void AccountPagesTest::serveMailsFromItsOutbox()
{
    // `serve` with SMTP settings from the environment; its periodic sender
    // delivers what a request queued.
    SmtpSink sink;
    TempDir dir("imhere-serve-mail-test");
    const std::string db = dir.file("imhere.db");
    {
        ManualClock clock(SystemClock().nowMs());
        auto store = SqliteStore::open(db, clock).value();
        QVERIFY(store->people().createPerson({"Kim Newcomer", "kim@example.org", std::nullopt, std::nullopt,
                                              std::nullopt, std::nullopt, false}));
    }
    ::setenv("IMHERE_SMTP_HOST", "127.0.0.1", 1);
    ::setenv("IMHERE_SMTP_PORT", std::to_string(sink.port()).c_str(), 1);
    ::setenv("IMHERE_SMTP_STARTTLS", "no", 1);
    ::setenv("IMHERE_MAIL_FROM", "attendance@imhere.test", 1);
    ::setenv("IMHERE_PUBLIC_URL", std::string(k_site).c_str(), 1);
    const ServerProcess serve = startServerProcess(IMHERE_SERVER_BIN, db);
    for (const char* name : {"IMHERE_SMTP_HOST", "IMHERE_SMTP_PORT", "IMHERE_SMTP_STARTTLS", "IMHERE_MAIL_FROM",
                             "IMHERE_PUBLIC_URL"})
        ::unsetenv(name);
    QVERIFY(!serve.url.empty());
    HttpClient http(serve.url);
    const auto asked = http.json("POST", "/api/v1/password-resets", R"({"email":"kim@example.org"})");
    QCOMPARE(asked.status, 202L);
    QVERIFY(asked.json()["mail_enabled"] == true);
    const bool arrived = sink.waitForMessages(1, std::chrono::seconds(30));
    QVERIFY(arrived);
    const std::string path = linkPathIn(sink.messages().front().body());
    QVERIFY(sink.messages().front().body().contains(std::string(k_site) + path));
    QCOMPARE(http.get(path).status, 200L);
    ::kill(serve.pid, SIGTERM);
    int status = 0;
    ::waitpid(serve.pid, &status, 0);
    QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

QTEST_GUILESS_MAIN(AccountPagesTest)
#include "accountpagestest.moc"
