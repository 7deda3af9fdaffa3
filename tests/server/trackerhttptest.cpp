// The trainee tracker over HTTP and the command line, on the demo school
// (`imhere-server demo-data`): the register a course exports reads under the
// tracker's own rules (read here independently of the server's code) and
// agrees with imhere's records; an old register imported through the API,
// the page or the command line gives the same report checked first and then
// for real, and a second import changes nothing; bad input changes nothing;
// only a course's staff see the register and only its teachers import.

#include "servercommand.h"
#include "testserver.h"

#include "tests/support/qtestsupport.h"
#include "tests/support/tempdir.h"

#include <QDateTime>
#include <QTest>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

constexpr std::string_view k_course = "WM5 · JS1";
const std::vector<std::string> k_headings{"Name", "Email", "Timestamp", "Course", "Module", "Day", "Location"};

// The register as the tracker reads it: the first row's headings must be
// exactly the seven; Day is sprint-N (1-20) or the welcome day; Timestamp
// is RFC 3339; a second row for an email and sprint is a duplicate.
struct TrackerRow {
    std::string email; // lower case
    int sprint = 0;
    QDateTime at;
    std::string course, module, location;
};

struct TrackerSheet {
    std::vector<TrackerRow> rows;
    std::vector<std::string> problems;
};

TrackerSheet readAsTheTracker(const std::string& text)
{
    TrackerSheet sheet;
    std::vector<std::vector<std::string>> cells;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find("\r\n", start);
        if (end == std::string::npos) {
            sheet.problems.push_back("a line without CRLF");
            break;
        }
        const std::string line = text.substr(start, end - start);
        start = end + 2;
        if (line.find('"') != std::string::npos)
            sheet.problems.push_back("a quoted cell the demo should not need: " + line);
        std::vector<std::string> fields{""};
        for (const char c : line) {
            if (c == ',')
                fields.emplace_back();
            else
                fields.back() += c;
        }
        cells.push_back(fields);
    }
    if (cells.empty() || cells[0] != k_headings) {
        sheet.problems.push_back("wrong headings");
        return sheet;
    }
    std::set<std::pair<std::string, int>> seen;
    const std::regex day(R"(sprint-([0-9]+))");
    for (std::size_t i = 1; i < cells.size(); ++i) {
        const auto& f = cells[i];
        if (f.size() < 7) {
            sheet.problems.push_back("row " + std::to_string(i) + ": fewer than 7 cells");
            continue;
        }
        TrackerRow row;
        row.email = QString::fromStdString(f[1]).toLower().toStdString();
        std::smatch m;
        if (f[5] == "welcome-to-code-your-future")
            row.sprint = 1;
        else if (std::regex_match(f[5], m, day))
            row.sprint = std::stoi(m[1].str());
        if (row.sprint < 1 || row.sprint > 20)
            sheet.problems.push_back("row " + std::to_string(i) + ": Day out of range: " + f[5]);
        row.at = QDateTime::fromString(QString::fromStdString(f[2]), Qt::ISODate);
        if (!row.at.isValid() || !f[2].ends_with("Z"))
            sheet.problems.push_back("row " + std::to_string(i) + ": Timestamp is not RFC 3339 UTC: " + f[2]);
        if (row.email.find('@') == std::string::npos)
            sheet.problems.push_back("row " + std::to_string(i) + ": not an email: " + f[1]);
        if (!seen.insert({row.email, row.sprint}).second)
            sheet.problems.push_back("row " + std::to_string(i) + ": duplicate for " + row.email);
        row.course = f[3];
        row.module = f[4];
        row.location = f[6];
        sheet.rows.push_back(std::move(row));
    }
    return sheet;
}

// The tracker's verdict on one sign-in against its class's start.
std::string trackerVerdict(const QDateTime& at, std::int64_t classStartMs)
{
    const auto start = QDateTime::fromMSecsSinceEpoch(classStartMs, Qt::UTC);
    if (at.toUTC().date() != start.date())
        return "wrong_day";
    return (at.toMSecsSinceEpoch() - classStartMs) / 60'000 > 10 ? "late" : "on_time";
}

std::string multipart(const std::map<std::string, std::string>& fields, const std::string& file)
{
    std::string body;
    for (const auto& [name, value] : fields)
        body += "--b0undary\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    body += "--b0undary\r\nContent-Disposition: form-data; name=\"register\"; filename=\"old.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n"
        + file + "\r\n--b0undary--\r\n";
    return body;
}

} // namespace

class TrackerHttpTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void theDemoRegisterReadsUnderTheTrackersRules();
    void anOldRegisterImportsOnce();
    void badRegistersChangeNothing();
    void onlyStaffSeeTheRegister();
    void trackerNamesThroughTheApi();
    void thePagesShowAndImport();
    void theCommandLineImports();

private:
    struct Demo {
        std::unique_ptr<TestServer> server;
        std::string course;
        Person teacher, ta, student, admin;
    };
    Demo serve();
    Headers as(Demo& demo, const Person& p) { return School::sessionFor(*demo.server, p); }

    TempDir m_dir;
    std::string m_seed; // the demo school's store
};

void TrackerHttpTest::initTestCase()
{
    m_seed = TestServer::seedLocation();
    const CommandOutcome made =
        runServerCommand(m_dir, "demo-data --db " + m_seed + " --badges " + (m_dir.path() / "demo-badges.txt").string());
    QVERIFY2(made.exitCode == 0, made.err.c_str());
}

TrackerHttpTest::Demo TrackerHttpTest::serve()
{
    Demo d;
    d.server = std::make_unique<TestServer>(m_seed);
    auto& store = *d.server->store;
    const auto courses = store.courses().listCourses(std::nullopt);
    for (const auto& c : *courses)
        if (c.course.name == k_course)
            d.course = c.course.id;
    const auto roster = store.courses().roster(d.course);
    for (const auto& m : *roster) {
        const Person p = **store.people().personByPublicId(m.publicId);
        if (m.role == Role::Teacher)
            d.teacher = p;
        if (m.role == Role::Ta && d.ta.id == 0)
            d.ta = p;
        if (m.role == Role::Student && d.student.id == 0)
            d.student = p;
    }
    d.admin = **store.people().personByEmail("admin@imhere.demo");
    return d;
}

void TrackerHttpTest::theDemoRegisterReadsUnderTheTrackersRules()
{
    auto demo = serve();
    HttpClient client = demo.server->client();
    const auto teacher = as(demo, demo.teacher);
    const auto reply = client.get("/api/v1/courses/" + demo.course + "/register.csv", teacher);
    QCOMPARE(reply.status, 200L);
    QVERIFY(reply.header("content-type").starts_with("text/csv"));
    QVERIFY(reply.header("content-disposition").starts_with("attachment"));
    const TrackerSheet sheet = readAsTheTracker(reply.body);
    for (const auto& p : sheet.problems)
        qWarning("%s", p.c_str());
    QVERIFY(sheet.problems.empty());
    QVERIFY(sheet.rows.size() > 100);

    // imhere's own records, window by window, and each window's sprint.
    const auto tracker = client.get("/api/v1/courses/" + demo.course + "/tracker", teacher).json()["tracker"];
    QCOMPARE(tracker["identity"]["module"].get<std::string>(), std::string("JS1"));
    std::map<std::string, int> sprintOf;
    for (const auto& w : tracker["windows"])
        if (!w["sprint"].is_null())
            sprintOf[w["id"].get<std::string>()] = w["sprint"].get<int>();
    const auto records = client.get("/api/v1/courses/" + demo.course + "/records", teacher).json()["records"];
    auto& store = *demo.server->store;
    std::map<std::string, std::string> emailOf; // public id -> email, lower case
    const auto roster = store.courses().roster(demo.course);
    for (const auto& m : *roster) {
        const auto p = **store.people().personByPublicId(m.publicId);
        if (m.role == Role::Student && p.email)
            emailOf[m.publicId] = QString::fromStdString(*p.email).toLower().toStdString();
    }
    // Per trainee and sprint: the earliest window attended, as imhere recorded it.
    struct Attended {
        std::int64_t at = 0;
        std::int64_t classStart = 0;
        std::string status;
    };
    std::map<std::pair<std::string, int>, Attended> expected;
    for (const auto& r : records) {
        const auto person = r["person"].get<std::string>();
        if (!emailOf.contains(person) || !sprintOf.contains(r["window"].get<std::string>()))
            continue;
        const bool corrected = r["corrected"].get<bool>();
        const bool attended = corrected ? r["present"].get<bool>() : !r["first_check_in"].is_null();
        if (!attended)
            continue;
        const auto key = std::pair(emailOf[person], sprintOf[r["window"].get<std::string>()]);
        const auto start = r["window_start"].get<std::int64_t>();
        if (expected.contains(key) && expected[key].classStart < start)
            continue;
        expected[key] = {r["first_check_in"].is_null() ? start : r["first_check_in"].get<std::int64_t>(), start,
                         r["status"].is_null() ? "" : r["status"].get<std::string>()};
    }
    QCOMPARE(sheet.rows.size(), expected.size());
    std::map<std::string, int> verdicts;
    for (const auto& row : sheet.rows) {
        const auto it = expected.find({row.email, row.sprint});
        QVERIFY2(it != expected.end(), (row.email + " sprint " + std::to_string(row.sprint)).c_str());
        QCOMPARE(row.at.toMSecsSinceEpoch(), it->second.at / 1000 * 1000);
        QCOMPARE(row.course, std::string("ITP-2026-10"));
        QCOMPARE(row.location, std::string("West Midlands"));
        const auto verdict = trackerVerdict(row.at, it->second.classStart);
        ++verdicts[verdict];
        // The tracker's on time is imhere's; its late is imhere's late, or
        // a check-in so late that imhere recorded absent.
        const auto& status = it->second.status;
        if (verdict == "on_time")
            QVERIFY2(status == "on_time" || status.empty(), (row.email + " " + status).c_str());
        else if (verdict == "late")
            QVERIFY2(status == "late" || status == "absent", (row.email + " " + status).c_str());
    }
    // The tracker's score per trainee is the same reading of the same rows.
    for (const auto& t : tracker["trainees"]) {
        const auto email = emailOf[t["person"].get<std::string>()];
        for (const auto& [sprint, verdict] : t["sprints"].items()) {
            const auto row = std::ranges::find_if(sheet.rows, [&](const TrackerRow& r) {
                return r.email == email && r.sprint == std::stoi(sprint);
            });
            if (row == sheet.rows.end()) {
                QCOMPARE(verdict.get<std::string>(), std::string("absent"));
            } else {
                QCOMPARE(verdict.get<std::string>(),
                         trackerVerdict(row->at, expected.at({email, std::stoi(sprint)}).classStart));
            }
        }
    }
    qInfo("register of %s: %zu rows, %d on time, %d late, %d wrong day", k_course.data(), sheet.rows.size(),
          verdicts["on_time"], verdicts["late"], verdicts["wrong_day"]);
}

void TrackerHttpTest::anOldRegisterImportsOnce()
{
    auto demo = serve();
    HttpClient client = demo.server->client();
    const auto admin = as(demo, demo.admin);
    const std::string sheet = client.get("/api/v1/courses/" + demo.course + "/register.csv", admin).body;
    nlohmann::json students = nlohmann::json::array();
    const auto members = client.get("/api/v1/courses/" + demo.course + "/members", admin).json();
    for (const auto& m : members["members"])
        if (m["role"] == "student")
            students.push_back(m["public_id"]);
    const auto made = client.json("POST", "/api/v1/courses",
                                  nlohmann::json{{"name", "Old JS1"}, {"timezone", "Europe/London"}, {"students", students}}
                                      .dump(),
                                  admin);
    QCOMPARE(made.status, 201L);
    const std::string old = made.json()["course"]["id"];
    auto csv = admin;
    csv.push_back("Content-Type: text/csv");

    const auto noTime = client.request("POST", "/api/v1/courses/" + old + "/register/dry-run", sheet, csv);
    QCOMPARE(noTime.status, 422L); // no window to take the class's time from
    // Midnight: the window made for today's sprint does not start after its
    // check-ins, whenever the test runs.
    const auto dry = client.request("POST", "/api/v1/courses/" + old + "/register/dry-run?class_start=00:00", sheet, csv);
    QCOMPARE(dry.status, 200L);
    const auto checked = dry.json()["import"];
    QCOMPARE(demo.server->countInFile("SELECT count(*) FROM attendance_window WHERE course = '" + old + "'"), 0);
    const auto real = client.request("POST", "/api/v1/courses/" + old + "/register?class_start=00:00", sheet, csv);
    QCOMPARE(real.status, 200L);
    auto done = real.json()["import"];
    QCOMPARE(done["dry_run"].get<bool>(), false);
    done["dry_run"] = true;
    QCOMPARE(done.dump(), checked.dump()); // the same report, checked first and then for real
    QVERIFY(checked["recorded"].get<int>() > 100);
    QVERIFY(checked["skipped"].empty());

    const std::string checkIns = "SELECT count(*) FROM check_in c JOIN attendance_window w ON w.id = c.window_id"
                                 " WHERE w.course = '" + old + "'";
    const auto stored = demo.server->countInFile(checkIns);
    QCOMPARE(stored, checked["recorded"].get<std::int64_t>());
    const auto again = client.request("POST", "/api/v1/courses/" + old + "/register", sheet, csv);
    QCOMPARE(again.status, 200L);
    QCOMPARE(again.json()["import"]["recorded"].get<int>(), 0);
    QCOMPARE(again.json()["import"]["already_recorded"].get<int>(), checked["recorded"].get<int>());
    QCOMPARE(demo.server->countInFile(checkIns), stored);

    // The new course's register has the same sign-ins in the same sprints.
    const auto back = readAsTheTracker(client.get("/api/v1/courses/" + old + "/register.csv", admin).body);
    const auto first = readAsTheTracker(sheet);
    QVERIFY(back.problems.empty());
    std::set<std::tuple<std::string, int, qint64>> a, b;
    for (const auto& r : first.rows)
        a.insert({r.email, r.sprint, r.at.toMSecsSinceEpoch()});
    for (const auto& r : back.rows)
        b.insert({r.email, r.sprint, r.at.toMSecsSinceEpoch()});
    QVERIFY(a == b);
}

void TrackerHttpTest::badRegistersChangeNothing()
{
    auto demo = serve();
    HttpClient client = demo.server->client();
    auto csv = as(demo, demo.teacher);
    csv.push_back("Content-Type: text/csv");
    const std::string path = "/api/v1/courses/" + demo.course + "/register";
    const auto count = [&] { return demo.server->countInFile("SELECT count(*) FROM check_in"); };
    const auto windows = [&] { return demo.server->countInFile("SELECT count(*) FROM attendance_window"); };
    const auto before = std::pair(count(), windows());
    const std::string email = demo.student.email.value_or("");
    QVERIFY(!email.empty());

    // A good row and a malformed one: neither is kept.
    const std::string bad = "Name,Email,Timestamp,Course,Module,Day,Location\r\n"
                            "A,"
        + email + ",2026-09-01T17:00:00Z,ITP,JS1,sprint-19,\r\nB," + email + ",not a time,ITP,JS1,sprint-20,\r\n";
    auto reply = client.request("POST", path, bad, csv);
    QCOMPARE(reply.status, 422L);
    QCOMPARE(reply.errorCode(), std::string("invalid_request"));
    QVERIFY(reply.json()["error"]["message"].get<std::string>().find("line 3") != std::string::npos);
    reply = client.request("POST", path, "Name,Email\r\n", csv);
    QCOMPARE(reply.status, 422L);
    reply = client.request("POST", path + "?class_start=6pm", "Name,Email\r\n", csv);
    QCOMPARE(reply.status, 422L);
    auto json = as(demo, demo.teacher);
    json.push_back("Content-Type: application/json");
    QCOMPARE(client.request("POST", path, "{}", json).status, 415L);
    QCOMPARE(client.request("POST", path, std::string(3 << 20, 'a'), csv).status, 413L);
    QCOMPARE(std::pair(count(), windows()), before);
}

void TrackerHttpTest::onlyStaffSeeTheRegister()
{
    auto demo = serve();
    HttpClient client = demo.server->client();
    const std::string base = "/api/v1/courses/" + demo.course;
    QCOMPARE(client.get(base + "/register.csv").status, 401L);
    QCOMPARE(client.get(base + "/register.csv", as(demo, demo.student)).status, 403L);
    QCOMPARE(client.get(base + "/tracker", as(demo, demo.student)).status, 403L);
    QCOMPARE(client.get(base + "/register.csv", as(demo, demo.ta)).status, 200L);
    auto csv = as(demo, demo.ta);
    csv.push_back("Content-Type: text/csv");
    QCOMPARE(client.request("POST", base + "/register/dry-run", "Name\r\n", csv).status, 403L);
    QCOMPARE(client.json("PUT", base + "/tracker", R"({"identity":null})", as(demo, demo.ta)).status, 403L);
    QCOMPARE(client.get("/courses/" + demo.course + "/tracker", as(demo, demo.student)).status, 403L);
}

void TrackerHttpTest::trackerNamesThroughTheApi()
{
    auto demo = serve();
    HttpClient client = demo.server->client();
    const auto teacher = as(demo, demo.teacher);
    const std::string base = "/api/v1/courses/" + demo.course;
    auto view = client.get(base + "/tracker", teacher).json()["tracker"];
    const std::string window = view["windows"][0]["id"];
    const std::string trainee = view["trainees"][0]["person"];
    const nlohmann::json change{{"identity", {{"course", "ITP-2027-01"}, {"module", "JS2"}}},
                                {"regions", {{trainee, "Glasgow"}}},
                                {"sprints", {{window, 3}}}};
    auto reply = client.json("PUT", base + "/tracker", change.dump(), teacher);
    QCOMPARE(reply.status, 200L);
    view = reply.json()["tracker"];
    QCOMPARE(view["identity"]["course"].get<std::string>(), std::string("ITP-2027-01"));
    QCOMPARE(view["windows"][0]["sprint"].get<int>(), 3);
    QVERIFY(view["windows"][0]["sprint_set"].get<bool>());
    QCOMPARE(view["trainees"][0]["region"].get<std::string>(), std::string("Glasgow"));
    const auto sheet = readAsTheTracker(client.get(base + "/register.csv", teacher).body);
    QVERIFY(sheet.problems.empty());
    QCOMPARE(sheet.rows[0].course, std::string("ITP-2027-01"));
    QCOMPARE(sheet.rows[0].module, std::string("JS2"));

    // A bad sprint beside good changes: nothing is kept.
    reply = client.json("PUT", base + "/tracker",
                        nlohmann::json{{"regions", {{trainee, "Leeds"}}}, {"sprints", {{window, 0}}}}.dump(), teacher);
    QCOMPARE(reply.status, 422L);
    QCOMPARE(client.get(base + "/tracker", teacher).json()["tracker"]["trainees"][0]["region"].get<std::string>(),
             std::string("Glasgow"));
    QCOMPARE(client.json("PUT", base + "/tracker", R"({"colour":"red"})", teacher).status, 422L);
    QCOMPARE(client.json("PUT", base + "/tracker", R"({"regions":{"not-an-id":"x"}})", teacher).status, 422L);
}

void TrackerHttpTest::thePagesShowAndImport()
{
    auto demo = serve();
    HttpClient client = demo.server->client();
    const auto teacher = as(demo, demo.teacher);
    auto page = client.get("/courses/" + demo.course + "/tracker", teacher);
    QCOMPARE(page.status, 200L);
    QVERIFY(page.body.find("Tracker score") != std::string::npos);
    QVERIFY(page.body.find("register.csv") != std::string::npos);
    QVERIFY(page.body.find("Import an old register") != std::string::npos);
    const auto taPage = client.get("/courses/" + demo.course + "/tracker", as(demo, demo.ta));
    QCOMPARE(taPage.status, 200L);
    QVERIFY(taPage.body.find("Import an old register") == std::string::npos);
    QVERIFY(client.get("/courses/" + demo.course, teacher).body.find("Tracker score") != std::string::npos);

    // Upload: checked, then imported; each a page with the report.
    std::string csrf;
    for (const auto& h : teacher)
        if (h.starts_with("X-CSRF-Token: "))
            csrf = h.substr(14);
    Headers upload{teacher[0], "Content-Type: multipart/form-data; boundary=b0undary"};
    const std::string sheet = client.get("/api/v1/courses/" + demo.course + "/register.csv", teacher).body;
    const auto count = [&] { return demo.server->countInFile("SELECT count(*) FROM check_in"); };
    const auto before = count();
    auto reply = client.request("POST", "/courses/" + demo.course + "/tracker/import",
                                multipart({{"csrf", csrf}, {"mode", "check"}}, sheet), upload);
    QCOMPARE(reply.status, 200L);
    QVERIFY(reply.body.find("Register checked") != std::string::npos);
    QVERIFY(reply.body.find("already recorded") != std::string::npos);
    reply = client.request("POST", "/courses/" + demo.course + "/tracker/import",
                           multipart({{"csrf", csrf}, {"mode", "import"}}, sheet), upload);
    QCOMPARE(reply.status, 200L);
    QVERIFY(reply.body.find("Register imported") != std::string::npos);
    QVERIFY(reply.body.find("0 check-in(s) recorded") != std::string::npos); // all there already
    reply = client.request("POST", "/courses/" + demo.course + "/tracker/import",
                           multipart({{"csrf", "wrong"}, {"mode", "import"}}, sheet), upload);
    QCOMPARE(reply.status, 403L);
    reply = client.request("POST", "/courses/" + demo.course + "/tracker/import",
                           "--b0undary\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b0undary--\r\n", upload);
    QCOMPARE(reply.status, 400L);
    QCOMPARE(count(), before);

    // The names form: saved, then shown.
    Headers form{teacher[0], "Content-Type: application/x-www-form-urlencoded"};
    reply = client.request("POST", "/courses/" + demo.course + "/tracker",
                           "csrf=" + csrf + "&tracker-course=ITP-2027-04&module=JS3&first-sprint-day=", form);
    QCOMPARE(reply.status, 303L);
    QVERIFY(client.get("/courses/" + demo.course + "/tracker", teacher).body.find("ITP-2027-04") != std::string::npos);
    reply = client.request("POST", "/courses/" + demo.course + "/tracker",
                           "csrf=" + csrf + "&tracker-course=ITP&module=", form);
    QCOMPARE(reply.status, 303L); // refused with a message, names kept
    QVERIFY(client.get("/courses/" + demo.course + "/tracker", teacher).body.find("ITP-2027-04") != std::string::npos);
}

void TrackerHttpTest::theCommandLineImports()
{
    TempDir dir;
    const std::string db = TestServer::copyOf(m_seed);
    std::string course;
    std::string sheet;
    {
        SystemClock clock;
        auto store = Backends::openAt(db, clock);
        QVERIFY(store);
        const auto courses = (*store)->courses().listCourses(std::nullopt);
        for (const auto& c : *courses)
            if (c.course.name == "NW6 · React")
                course = c.course.id;
    }
    // A register for this course's trainees from before imhere: one sprint
    // that has no window yet.
    {
        SystemClock clock;
        auto store = Backends::openAt(db, clock);
        sheet = "Day,Location,Email,Name,Date,Time,Course,Module\r\n";
        int n = 0;
        const auto roster = (*store)->courses().roster(course);
        for (const auto& m : *roster) {
            if (m.role != Role::Student || n++ >= 5)
                continue;
            const auto p = **(*store)->people().personByPublicId(m.publicId);
            sheet += "sprint-20,North West," + QString::fromStdString(*p.email).toUpper().toStdString() + ","
                + p.displayName + ",2026-09-01,19:0" + std::to_string(n) + ",SDC,React\r\n";
        }
        sheet += "sprint-20,North West,nobody@example.org,Nobody,2026-09-01,19:00,SDC,React\r\n";
    }
    const auto file = dir.path() / "old.csv";
    std::ofstream(file) << sheet;
    const std::string args = "import-register " + file.string() + " --course " + course + " --db " + db;
    const CommandOutcome dry = runServerCommand(dir, args + " --dry-run");
    QVERIFY2(dry.exitCode == 0, dry.err.c_str());
    QVERIFY2(dry.out.find("5 check-in(s) would be recorded; 0 already recorded.") != std::string::npos,
             dry.out.c_str());
    QVERIFY(dry.out.find("Line 7 skipped: no one in imhere has the email nobody@example.org.") != std::string::npos);
    const CommandOutcome real = runServerCommand(dir, args);
    QVERIFY2(real.exitCode == 0, real.err.c_str());
    QVERIFY2(real.out.find("5 check-in(s) recorded; 0 already recorded.") != std::string::npos, real.out.c_str());
    QVERIFY(real.out.find("Windows created for sprint(s) 20.") != std::string::npos);
    const CommandOutcome again = runServerCommand(dir, args);
    QVERIFY2(again.out.find("0 check-in(s) recorded; 5 already recorded.") != std::string::npos, again.out.c_str());
    const CommandOutcome broken = runServerCommand(dir, args + " --class-start 7pm");
    QCOMPARE(broken.exitCode, 1);
    QVERIFY(broken.err.find("--class-start 7pm") != std::string::npos);
}

QTEST_GUILESS_MAIN(TrackerHttpTest)
#include "trackerhttptest.moc"
