// The examples in docs/openapi.yaml run: every `x-try` of every operation is
// sent to a server holding the demo school (`imhere-server demo-data`), as
// the caller it names, and must get the status it names; the answer is then
// held against the document like every answer in the HTTP tests
// (contract.h). Each example gets a fresh copy of the demo database, so one
// that removes a course does not change what the next one finds.

#include "contract.h"
#include "testserver.h"

#include "sync-server/auth/tokens.h"

#include "core/random.h"
#include "core/rotatingcode.h"

#include "tests/support/qtestsupport.h"

#include <QTest>

#include <fstream>
#include <regex>
#include <sys/wait.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

// The demo school's ids that the document's examples stand for (the
// document's info.description says which is which).
constexpr std::string_view k_exampleCourse = "3f0c1a52-8b1e-4d7a-9c55-2e6b7d9a4f10";
constexpr std::string_view k_exampleOpenWindow = "8d2e6f14-5a3b-4c1d-9e7f-0a1b2c3d4e5f";
constexpr std::string_view k_exampleClosedWindow = "1c9b7a55-2d3e-4f60-8a1b-9c0d1e2f3a4b";
constexpr std::string_view k_exampleStudent = "k7q2m4x5ab";
constexpr std::string_view k_exampleTa = "t4a2zq6rcd";
constexpr std::string_view k_exampleOutsider = "q6w7e2r3ty";
constexpr std::string_view k_exampleCode = "tZPt6ZEOQp2RgiwPO3g6dwAAAAEKtRz_oT1ALShbaYqGvRKk";
constexpr std::string_view k_exampleNowMs = "1796400000000";
constexpr std::string_view k_examplePhone = "424242"; // a phone the student linked (My phones)
constexpr std::string_view k_demoCourseName = "WM5 · JS1";
constexpr std::string_view k_exampleKeyPrefix = "ak_k3yPr3f1"; // the teacher's read_key

void replaceAll(std::string& text, std::string_view from, std::string_view to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

std::string firstMatch(const std::string& text, const std::string& pattern)
{
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
}

std::string cookieFrom(const HttpResult& r, const std::string& name)
{
    for (const auto& h : r.headers) {
        const auto at = h.find(name + "=");
        if (at != std::string::npos && (h.starts_with("Set-Cookie") || h.starts_with("set-cookie")))
            return h.substr(at, h.find(';', at) - at);
    }
    return {};
}

struct SessionOf {
    std::string cookie; // "imhere_session=..."
    std::string csrf;
};

} // namespace

class ExamplesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void tries_data();
    void tries();

private:
    Headers headersFor(const std::string& who, bool formBody);
    std::string currentCode(std::int64_t nowMs) const;

    TempDir m_dir;
    std::string m_seed; // the demo school's store
    std::map<std::string, std::string> m_ids; // example id -> demo id
    std::map<std::string, SessionOf> m_callers;
    std::map<std::string, PersonId> m_people;
    std::string m_kioskToken;
    std::string m_readKey;
    Kiosk m_kiosk;
    std::string m_openWindow;
};

void ExamplesTest::initTestCase()
{
    m_seed = TestServer::seedLocation();
    const std::string db = "--db=" + m_seed;
    const std::string badges = "--badges=" + (m_dir.path() / "demo-badges.txt").string();
    const pid_t pid = fork();
    if (pid == 0) {
        execl(IMHERE_SERVER_BIN, IMHERE_SERVER_BIN, "demo-data", db.c_str(), badges.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    QCOMPARE(waitpid(pid, &status, 0), pid);
    QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, "imhere-server demo-data failed");
    std::ifstream(m_dir.path() / "demo-kiosk-token.txt") >> m_kioskToken;
    QVERIFY(m_kioskToken.starts_with("kt_"));

    SystemClock clock;
    auto opened = Backends::openAt(m_seed, clock);
    QVERIFY(opened);
    auto& store = **opened;
    const auto courses = store.courses().listCourses(std::nullopt);
    QVERIFY(courses);
    std::string course;
    for (const auto& c : *courses)
        if (c.course.name == k_demoCourseName)
            course = c.course.id;
    QVERIFY(!course.empty());
    m_ids[std::string(k_exampleCourse)] = course;

    const auto windows = store.attendance().windowsOf(course);
    QVERIFY(windows);
    for (const auto& w : *windows) {
        if (!w.closedAt && m_openWindow.empty())
            m_openWindow = w.id;
        if (w.closedAt && !m_ids.contains(std::string(k_exampleClosedWindow)))
            m_ids[std::string(k_exampleClosedWindow)] = w.id;
    }
    QVERIFY(!m_openWindow.empty() && m_ids.contains(std::string(k_exampleClosedWindow)));
    m_ids[std::string(k_exampleOpenWindow)] = m_openWindow;

    const auto roster = store.courses().roster(course);
    QVERIFY(roster);
    for (const auto& m : *roster) {
        const std::string role(sync::toString(m.role));
        if (m_people.contains(role))
            continue;
        auto person = store.people().personByPublicId(m.publicId);
        QVERIFY(person && *person);
        m_people[role] = (*person)->id;
        if (role == "student")
            m_ids[std::string(k_exampleStudent)] = m.publicId;
        if (role == "ta")
            m_ids[std::string(k_exampleTa)] = m.publicId;
    }
    QVERIFY(m_people.contains("student") && m_people.contains("ta") && m_people.contains("teacher"));
    auto admin = store.people().personByEmail("admin@imhere.demo");
    QVERIFY(admin && *admin);
    m_people["admin"] = (*admin)->id;
    auto outsider = store.people().createPerson({"Olu Outsider", "olu@example.org", std::nullopt, std::nullopt,
                                                 std::nullopt, std::nullopt, false});
    QVERIFY(outsider);
    m_people["outsider"] = outsider->id;
    m_ids[std::string(k_exampleOutsider)] = outsider->publicId;

    for (const auto& [who, id] : m_people) {
        const std::string token = randomToken(32);
        SessionOf caller{"imhere_session=" + token, randomToken(32)};
        QVERIFY(store.credentials().createSession(sha256(token), Session{id, caller.csrf, clock.nowMs() + 86'400'000}));
        m_callers[who] = caller;
    }
    const IssuedToken read = issueToken(k_apiKeyPrefix);
    QVERIFY(store.credentials().createApiKey(m_people["teacher"], read.lookup, read.hash, ApiScope::Read));
    m_readKey = read.token;
    m_ids[std::string(k_exampleKeyPrefix)] = read.lookup;
    auto kiosk = store.kiosks().kioskById(1);
    QVERIFY(kiosk && *kiosk);
    m_kiosk = **kiosk;
}

Headers ExamplesTest::headersFor(const std::string& who, bool formBody)
{
    if (who == "none")
        return {};
    if (who == "kiosk")
        return bearer(m_kioskToken);
    if (who == "read_key")
        return bearer(m_readKey);
    const auto found = m_callers.find(who);
    if (found == m_callers.end()) {
        QTest::qFail(("docs/openapi.yaml names an unknown caller " + who).c_str(), __FILE__, __LINE__);
        return {};
    }
    Headers h{"Cookie: " + found->second.cookie};
    // A form carries its own csrf field; the header would stand in for it.
    if (!formBody)
        h.push_back("X-CSRF-Token: " + found->second.csrf);
    return h;
}

std::string ExamplesTest::currentCode(std::int64_t nowMs) const
{
    const auto bytes = uuidBytes(m_openWindow);
    WindowId id{};
    std::ranges::copy(*bytes, id.begin());
    return RotatingCode::generateAt(m_kiosk.secret, id, m_kiosk.id, nowMs);
}

void ExamplesTest::tries_data()
{
    QTest::addColumn<QByteArray>("attempt");
    const auto reply = contract::ask({{"op", "tries"}});
    QVERIFY2(reply.contains("tries"), reply.dump().c_str());
    for (const auto& t : reply["tries"]) {
        const std::string row = t["operation"].get<std::string>() + " " + t["name"].get<std::string>() + " as "
            + t["as"].get<std::string>() + " -> " + std::to_string(t["status"].get<int>());
        QTest::newRow(row.c_str()) << QByteArray::fromStdString(t.dump());
    }
}

void ExamplesTest::tries()
{
    QFETCH(QByteArray, attempt);
    const auto t = nlohmann::json::parse(attempt.toStdString());
    TestServer server(m_seed);
    HttpClient client = server.client();
    const std::string who = t["as"];
    const bool form = t["content_type"].is_string() && t["content_type"] == "application/x-www-form-urlencoded";
    std::string path = t["path"];
    std::string body = t["body"].is_string() ? t["body"].get<std::string>() : std::string();
    Headers headers = headersFor(who, form);
    const auto now = server.clock.nowMs();

    for (const auto& [example, demo] : m_ids) {
        replaceAll(path, example, demo);
        replaceAll(body, example, demo);
    }
    replaceAll(body, k_exampleNowMs, std::to_string(now));
    const std::string code = currentCode(now);
    replaceAll(path, k_exampleCode, code);
    if (m_callers.contains(who))
        replaceAll(body, "CSRF_TOKEN", m_callers[who].csrf);
    if (body.find("LOGIN_TOKEN") != std::string::npos) {
        // The sign-in form's one-time token and its cookie, as a browser gets them.
        const auto page = client.get("/login");
        replaceAll(body, "LOGIN_TOKEN", firstMatch(page.body, R"(name="login_token" value="([^"]+)\")"));
        headers.push_back("Cookie: " + cookieFrom(page, "imhere_login"));
    }
    if (body.find("TICKET") != std::string::npos) {
        // The phone opens the page first: its device cookie and the page's ticket.
        const auto page = client.get("/q/" + code);
        QCOMPARE(page.status, 200L);
        replaceAll(body, "TICKET", firstMatch(page.body, R"(name="ticket" value="([^"]+)\")"));
        headers.push_back("Cookie: " + cookieFrom(page, "imhere_device"));
    }
    if (path.find("PASSWORD_LINK_TOKEN") != std::string::npos) {
        // A fresh invitation's link, as the org admin gets it where no mail is sent.
        const auto& admin = m_callers["admin"];
        const auto made = client.json("POST", "/api/v1/people/" + m_ids[std::string(k_exampleStudent)] + "/password-link",
                                      R"({"purpose":"invitation"})",
                                      {"Cookie: " + admin.cookie, "X-CSRF-Token: " + admin.csrf});
        QCOMPARE(made.status, 201L);
        const std::string link = made.json()["link"];
        replaceAll(path, "PASSWORD_LINK_TOKEN", link.substr(link.rfind('/') + 1));
    }
    if (body.find("LINK_CODE") != std::string::npos) {
        // The trainee's own link code, from their attendance page.
        const auto& student = m_callers["student"];
        const auto page = client.request("POST", "/me/link-code", "csrf=" + student.csrf,
                                         {"Cookie: " + student.cookie,
                                          "Content-Type: application/x-www-form-urlencoded"});
        replaceAll(body, "LINK_CODE", firstMatch(page.body, "<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>"));
    }
    if (path.find(k_examplePhone) != std::string::npos) {
        // A phone the student linked with their own code, by its number on
        // their "My phones" page.
        const auto& student = m_callers["student"];
        const Headers asStudent{"Cookie: " + student.cookie, "Content-Type: application/x-www-form-urlencoded"};
        const auto linkPage = client.request("POST", "/me/link-code", "csrf=" + student.csrf, asStudent);
        const std::string linkCode = firstMatch(linkPage.body, "<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>");
        const auto scan = client.get("/q/" + code);
        const std::string ticket = firstMatch(scan.body, R"(name="ticket" value="([^"]+)\")");
        const auto linked = client.request("POST", "/q/" + code, "ticket=" + ticket + "&link_code=" + linkCode,
                                           {"Cookie: " + cookieFrom(scan, "imhere_device"),
                                            "Content-Type: application/x-www-form-urlencoded"});
        QCOMPARE(linked.status, 200L);
        const auto phones = client.get("/me/phones", {"Cookie: " + student.cookie});
        replaceAll(path, k_examplePhone, firstMatch(phones.body, R"(action="/me/phones/([0-9]+)/unlink")"));
    }
    for (const auto& h : t["headers"]) {
        std::string line = h;
        replaceAll(line, "PADDING_20KIB", std::string(20 << 10, 'a'));
        headers.push_back(line);
    }
    // No body, no Content-Type (libcurl would otherwise say it is a form).
    headers.push_back("Content-Type: " + (t["content_type"].is_string() ? t["content_type"].get<std::string>() : ""));

    // One Cookie header, as a browser sends it.
    std::string cookies;
    Headers merged;
    for (const auto& h : headers) {
        if (h.starts_with("Cookie: "))
            cookies += (cookies.empty() ? "" : "; ") + h.substr(8);
        else
            merged.push_back(h);
    }
    if (!cookies.empty())
        merged.push_back("Cookie: " + cookies);
    const auto r = client.request(t["method"], path, body, merged);
    QVERIFY2(r.status == t["status"].get<long>(),
             (std::to_string(r.status) + " " + r.header("location") + " " + r.body.substr(0, 600)).c_str());
}

QTEST_GUILESS_MAIN(ExamplesTest)
#include "examplestest.moc"
