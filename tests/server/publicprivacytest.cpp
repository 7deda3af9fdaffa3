// The privacy walk: over the demo school (`imhere-server demo-data`), every
// public route is walked — every course, every page of every list by its
// next links, every trainee object named in them, their preflights and a
// few refusals — and no personal value kept in the store (names, emails,
// GitHub and Codewars names, badge hashes, PIN and password hashes, the
// demo's raw badge UIDs) may appear anywhere in any answer, headers
// included; no internal numeric id either: every id in an answer is a UUID
// or a trainee's public id. Trainees' own milestone titles, descriptions and
// mentors' notes are personal too. Then `person erase` on one trainee: their
// personal data is gone and logged, their pseudonymous records stay.

#include "testserver.h"

#include "tests/support/qtestsupport.h"

#include <QTest>

#include <fstream>
#include <regex>
#include <set>
#include <sys/wait.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

int run(std::vector<std::string> args)
{
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(IMHERE_SERVER_BIN));
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(IMHERE_SERVER_BIN, argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The first column of `sql`'s rows in the store at `location`, the non-empty ones.
std::vector<std::string> column(const std::string& location, const std::string& sql)
{
    std::vector<std::string> out;
    for (auto& v : TestServer::textsIn(location, sql))
        if (!v.empty())
            out.push_back(std::move(v));
    return out;
}

} // namespace

class PublicPrivacyTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void noPersonalValueInAnyPublicAnswer();
    void eraseRemovesPersonalDataAndKeepsTheRecords();

private:
    void hold(const HttpResult& r, const std::string& path);
    void walkList(HttpClient& client, std::string path, const std::string& name,
                  const std::function<void(const nlohmann::json&)>& each);
    void walkJson(const nlohmann::json& value, const std::string& key, const std::string& path);

    TempDir m_dir;
    std::string m_seed; // the demo school's store
    std::vector<std::string> m_personal; // values that must appear nowhere
    std::set<std::string> m_trainees;    // public ids of students
    int m_answers = 0;
};

void PublicPrivacyTest::initTestCase()
{
    m_seed = TestServer::seedLocation();
    QCOMPARE(run({"demo-data", "--db=" + m_seed, "--badges=" + (m_dir.path() / "demo-badges.txt").string()}), 0);
    for (const char* sql : {"SELECT display_name FROM person", "SELECT email FROM person", "SELECT github FROM person",
                            "SELECT codewars FROM person", "SELECT pin_hash FROM person",
                            "SELECT password_hash FROM person", "SELECT uid_hash FROM badge",
                            "SELECT title FROM milestone WHERE owner IS NOT NULL",
                            "SELECT description FROM milestone WHERE owner IS NOT NULL",
                            "SELECT note FROM milestone_confirmation"}) {
        for (auto& v : column(m_seed, sql))
            m_personal.push_back(v);
    }
    for (auto& id : column(m_seed, "SELECT DISTINCT p.public_id FROM person p JOIN enrollment e ON e.person = p.id"
                                " WHERE e.role = 'student'"))
        m_trainees.insert(id);
    // The raw UIDs the demo prints for its badges.
    std::ifstream badges(m_dir.path() / "demo-badges.txt");
    for (std::string line; std::getline(badges, line);)
        if (!line.empty() && line[0] != '#')
            m_personal.push_back(line.substr(0, line.find('\t')));
    QVERIFY(m_personal.size() > 100);
    QVERIFY(m_trainees.size() >= 50);
}

void PublicPrivacyTest::walkJson(const nlohmann::json& value, const std::string& key, const std::string& path)
{
    static const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    static const std::regex publicId("^[a-z2-7]{10}$");
    if (value.is_object()) {
        for (const auto& [k, v] : value.items())
            walkJson(v, k, path);
        return;
    }
    if (value.is_array()) {
        for (const auto& v : value)
            walkJson(v, key, path);
        return;
    }
    const bool names = key == "id" || key.ends_with("_id") || key == "trainee" || key == "window" || key == "course"
        || key == "person";
    if (names) {
        // An id is a course or window UUID or a trainee's public id: never a number, never staff.
        QVERIFY2(value.is_string(), (path + ": " + key + " is not a string id").c_str());
        const std::string v = value;
        const bool isUuid = std::regex_match(v, uuid);
        QVERIFY2(isUuid || (std::regex_match(v, publicId) && m_trainees.contains(v)),
                 (path + ": " + key + " = " + v + " is neither a UUID nor a trainee's public id").c_str());
    }
    QVERIFY2(!(key == "display_name" || key == "email" || key == "github" || key == "codewars"),
             (path + ": has a " + key).c_str());
}

void PublicPrivacyTest::hold(const HttpResult& r, const std::string& path)
{
    ++m_answers;
    std::string everything = r.body;
    for (const auto& h : r.headers)
        everything += "\n" + h;
    for (const auto& v : m_personal)
        QVERIFY2(everything.find(v) == std::string::npos,
                 (path + " shows a personal value from the store: " + v).c_str());
    if (!r.body.empty() && r.header("content-type").starts_with("application/json"))
        walkJson(r.json(), "", path);
}

void PublicPrivacyTest::walkList(HttpClient& client, std::string path, const std::string& name,
                                 const std::function<void(const nlohmann::json&)>& each)
{
    while (!path.empty()) {
        const auto r = client.get(path);
        QCOMPARE(r.status, 200L);
        hold(r, path);
        const auto page = r.json();
        for (const auto& item : page[name])
            each(item);
        const auto next = page["next"];
        path = next.is_null() ? std::string() : next.get<std::string>();
    }
}

void PublicPrivacyTest::noPersonalValueInAnyPublicAnswer()
{
    TestServer server(PublicApiSettings{false, 1'000'000}, m_seed);
    auto client = server.client();
    std::vector<std::string> courses;
    walkList(client, "/api/public/v1/courses?limit=1", "courses",
             [&](const nlohmann::json& c) { courses.push_back(c["id"]); });
    QCOMPARE(courses.size(), std::size_t(3));
    std::set<std::string> trainees;
    std::size_t entries = 0;
    std::size_t milestones = 0;
    for (const auto& c : courses) {
        const std::string base = "/api/public/v1/courses/" + c;
        walkList(client, base + "/windows?limit=7", "windows", [](const nlohmann::json&) {});
        walkList(client, base + "/attendance?limit=500", "attendance", [&](const nlohmann::json& e) {
            trainees.insert(e["trainee"]);
            ++entries;
        });
        const auto summary = client.get(base + "/summary");
        QCOMPARE(summary.status, 200L);
        hold(summary, base + "/summary");
        const auto ofCourse = client.get(base + "/milestones");
        QCOMPARE(ofCourse.status, 200L);
        hold(ofCourse, base + "/milestones");
        QVERIFY(!ofCourse.json()["milestones"].empty());
        for (const auto& t : ofCourse.json()["trainees"])
            QVERIFY2(m_trainees.contains(t["trainee"].get<std::string>()), "a milestone row of someone not a trainee");
        for (const std::string route : {"/windows", "/attendance", "/summary", "/milestones"})
            hold(client.request("OPTIONS", base + route), base + route + " (OPTIONS)");
    }
    QVERIFY(entries > 500); // the walk followed next links past the first page
    QCOMPARE(trainees.size(), m_trainees.size());
    for (const auto& t : trainees) {
        const auto r = client.get("/api/public/v1/trainees/" + t);
        QCOMPARE(r.status, 200L);
        hold(r, "/api/public/v1/trainees/" + t);
        milestones += r.json()["milestones"].size();
    }
    QVERIFY(milestones > 3 * trainees.size()); // the course's and their own
    // Refusals say nothing personal either.
    for (const std::string path : {"/api/public/v1/trainees/aaaaaaaaaa", "/api/public/v1/courses?limit=999",
                                   "/api/public/v1/courses/00000000-0000-4000-8000-000000000000/windows"})
        hold(client.get(path), path);
    QVERIFY(m_answers > 60);
}

void PublicPrivacyTest::eraseRemovesPersonalDataAndKeepsTheRecords()
{
    const std::string db = TestServer::copyOf(m_seed);
    const std::string who = *m_trainees.begin();
    std::int64_t records = 0;
    {
        TestServer before(PublicApiSettings{}, db);
        auto r = before.client().get("/api/public/v1/trainees/" + who);
        QCOMPARE(r.status, 200L);
        records = static_cast<std::int64_t>(r.json()["courses"][0]["windows"].size());
    }
    QCOMPARE(run({"person", "erase", who, "--db=" + db, "--requested-by=ticket 42"}), 0);
    QCOMPARE(run({"person", "erase", "aaaaaaaaaa", "--db=" + db}), 1);

    TestServer after(PublicApiSettings{}, db);
    auto person = [&](const std::string& column) {
        return after.countInFile("SELECT count(*) FROM person WHERE public_id = '" + who + "' AND " + column);
    };
    QCOMPARE(person("display_name = 'Erased person'"), 1);
    QCOMPARE(person("email IS NULL AND github IS NULL AND codewars IS NULL AND pin_hash IS NULL AND password_hash IS NULL"),
             1);
    const std::string of = " WHERE person = (SELECT id FROM person WHERE public_id = '" + who + "')";
    QCOMPARE(after.countInFile("SELECT count(*) FROM badge" + of + " AND revoked = 0"), 0);
    QCOMPARE(after.countInFile("SELECT count(*) FROM session" + of), 0);
    QCOMPARE(after.countInFile("SELECT count(*) FROM api_key" + of), 0);
    QCOMPARE(after.countInFile("SELECT count(*) FROM harvest_error" + of), 0);
    QCOMPARE(after.countInFile("SELECT count(*) FROM milestone WHERE owner = (SELECT id FROM person WHERE public_id = '"
                               + who + "') AND title <> 'Erased'"),
             0);
    QCOMPARE(after.countInFile("SELECT count(*) FROM privacy_log" + of + " AND kind = 'erase' AND actor LIKE '%ticket 42'"),
             1);
    QVERIFY(after.countInFile("SELECT count(*) FROM check_in" + of) > 0);
    // The pseudonymous record stays, under the same public id.
    auto r = after.client().get("/api/public/v1/trainees/" + who);
    QCOMPARE(r.status, 200L);
    QCOMPARE(static_cast<std::int64_t>(r.json()["courses"][0]["windows"].size()), records);
}

QTEST_GUILESS_MAIN(PublicPrivacyTest)
#include "publicprivacytest.moc"
