// The public API (/api/public/v1) over a real server: figures from the
// records, small groups suppressed, people only by public id, pagination,
// ETag and 304, CORS, request budgets per client, the key setting, and the
// opt-out on My attendance.

#include "testserver.h"

#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <QTest>

#include <set>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

constexpr std::int64_t k_day = 86'400'000;
constexpr std::int64_t k_min = 60'000;

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

// A course of six trainees, a TA and a teacher, with two closed windows:
//   first:  s0 on time in the room, s1 on time from a phone, s2 late 15 min
//           (flagged LEFT_EARLY), s3 excused, s4 and s5 absent;
//   second: everyone on time.
struct BigCourse {
    Course course;
    Person teacher, ta;
    std::vector<Person> trainees;
    Window first, second;

    static BigCourse build(TestServer& server)
    {
        Store& store = *server.store;
        BigCourse b;
        b.teacher = addPerson(store, "Ada Teacher", "ada@example.org");
        b.ta = addPerson(store, "Tim Assistant");
        std::vector<PersonId> ids;
        for (int i = 0; i < 6; ++i) {
            b.trainees.push_back(addPerson(store, "Trainee Number" + std::to_string(i), "t" + std::to_string(i) + "@example.org"));
            ids.push_back(b.trainees.back().id);
        }
        // Everyone joined a month before the classes below.
        const auto now = server.clock.nowMs();
        server.clock.set(now - 30 * k_day);
        b.course = must(store.courses().createCourse({"Big · JS2", "Europe/London", 10, 60, ids}, b.teacher.id));
        must(store.courses().setEnrollment(b.ta.id, b.course.id, Role::Ta, b.teacher.id));
        server.clock.set(now);
        auto window = [&](const char* title, std::int64_t start) {
            return must(store.attendance().createWindow(
                {newUuidV4(), b.course.id, title, start, start, b.teacher.id, start + 2 * 3'600'000}));
        };
        b.first = window("Class 1", now - 8 * k_day);
        b.second = window("Class 2", now - 1 * k_day);
        auto checkIn = [&](const Person& p, const Window& w, std::int64_t after, CheckInSource source) {
            must(store.attendance().addCheckIn({newUuidV4(), p.id, w.id, *w.scheduledStart + after, source, b.teacher.id}));
        };
        const auto& t = b.trainees;
        checkIn(t[0], b.first, 1 * k_min, CheckInSource::Nfc);
        checkIn(t[1], b.first, 2 * k_min, CheckInSource::QrRemote);
        checkIn(t[2], b.first, 15 * k_min, CheckInSource::Nfc);
        must(store.attendance().addFlag({newUuidV4(), t[2].id, b.first.id, Flag::LeftEarly, true, "left at 19:00",
                                         b.teacher.id, *b.first.scheduledStart + 60 * k_min}));
        CorrectionEvent excuse;
        excuse.id = newUuidV4();
        excuse.person = t[3].id;
        excuse.window = b.first.id;
        excuse.present = false;
        excuse.excused = true;
        excuse.reason = "ill";
        excuse.actor = b.teacher.id;
        excuse.at = *b.first.scheduledStart;
        must(store.attendance().addCorrection(excuse));
        for (const auto& p : t)
            checkIn(p, b.second, 1 * k_min, CheckInSource::Nfc);
        return b;
    }
};

std::string base(const Course& c)
{
    return "/api/public/v1/courses/" + c.id;
}

} // namespace

class PublicApiTest : public QObject {
    Q_OBJECT

private slots:
    void coursesSuppressTraineeCountsUnderFive();
    void windowCountsComeFromTheRecords();
    void attendanceIsPseudonymousAndPaginated();
    void attendanceFiltersByDay();
    void traineeObjectCarriesFiguresAndFlags();
    void summaryIsWeekByWeek();
    void etagAnswers304UntilTheDataChanges();
    void corsForGetAndPreflight();
    void eachClientHasARequestBudget();
    void theServerCanRequireAKey();
    void optedOutTraineesAreLeftOutButStillCounted();
    void badParametersAreRefused();
};

void PublicApiTest::coursesSuppressTraineeCountsUnderFive()
{
    TestServer server;
    School school = School::build(server);
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    auto r = client.get("/api/public/v1/courses");
    QCOMPARE(r.status, 200L);
    std::map<std::string, nlohmann::json> byId;
    const auto listed = r.json();
    for (const auto& c : listed["courses"])
        byId[c["id"]] = c;
    QCOMPARE(byId.size(), std::size_t(3));
    QVERIFY(byId[school.courseA.id]["trainees"].is_null());
    QCOMPARE(byId[school.courseA.id]["suppressed"].get<bool>(), true);
    QCOMPARE(byId[big.course.id]["trainees"].get<int>(), 6);
    QCOMPARE(byId[big.course.id]["suppressed"].get<bool>(), false);
    QCOMPARE(byId[big.course.id]["windows"].get<int>(), 2);
    QCOMPARE(byId[big.course.id]["schedule"]["late_after_min"].get<int>(), 10);
}

void PublicApiTest::windowCountsComeFromTheRecords()
{
    TestServer server;
    School school = School::build(server);
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    auto r = client.get(base(big.course) + "/windows");
    QCOMPARE(r.status, 200L);
    const auto windows = r.json()["windows"];
    QCOMPARE(windows.size(), std::size_t(2));
    const auto& first = windows[0];
    QCOMPARE(first["id"].get<std::string>(), big.first.id);
    QCOMPARE(first["state"].get<std::string>(), std::string("closed"));
    const nlohmann::json expected = {{"trainees", 6}, {"present", 3}, {"on_time", 2}, {"late", 1},
                                     {"absent", 2},  {"excused", 1}, {"remote", 1}};
    QCOMPARE(first["counts"].dump(), expected.dump());
    QCOMPARE(windows[1]["counts"]["on_time"].get<int>(), 6);
    // Two trainees: every count suppressed.
    auto small = client.get(base(school.courseA) + "/windows");
    QCOMPARE(small.status, 200L);
    const auto smallWindows = small.json();
    for (const auto& w : smallWindows["windows"]) {
        QVERIFY(w["counts"].is_null());
        QCOMPARE(w["suppressed"].get<bool>(), true);
    }
}

void PublicApiTest::attendanceIsPseudonymousAndPaginated()
{
    TestServer server;
    School::build(server);
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    std::string next = base(big.course) + "/attendance?limit=5";
    std::vector<nlohmann::json> entries;
    int pages = 0;
    while (!next.empty()) {
        auto r = client.get(next);
        QCOMPARE(r.status, 200L);
        ++pages;
        const auto page = r.json();
        for (const auto& e : page["attendance"])
            entries.push_back(e);
        const auto n = r.json()["next"];
        next = n.is_null() ? std::string() : n.get<std::string>();
        if (!next.empty())
            QCOMPARE(r.header("link"), "<" + next + ">; rel=\"next\"");
        QVERIFY(r.body.find("Trainee Number") == std::string::npos);
        QVERIFY(r.body.find("@example.org") == std::string::npos);
    }
    QCOMPARE(pages, 3);
    QCOMPARE(entries.size(), std::size_t(12)); // six trainees × two windows; the TA is no trainee
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& e : entries)
        seen.insert({e["trainee"].get<std::string>(), e["window"].get<std::string>()});
    QCOMPARE(seen.size(), std::size_t(12));
    const auto& t = big.trainees;
    for (const auto& e : entries) {
        if (e["window"] != big.first.id)
            continue;
        if (e["trainee"] == t[1].publicId)
            QCOMPARE(e["where"].get<std::string>(), std::string("remote"));
        if (e["trainee"] == t[2].publicId) {
            QCOMPARE(e["status"].get<std::string>(), std::string("late"));
            QCOMPARE(e["minutes_late"].get<int>(), 15);
            QCOMPARE(e["flags"].dump(), std::string(R"(["LEFT_EARLY"])"));
            QCOMPARE(e["where"].get<std::string>(), std::string("room"));
        }
        if (e["trainee"] == t[3].publicId)
            QCOMPARE(e["status"].get<std::string>(), std::string("excused"));
        if (e["trainee"] == t[4].publicId) {
            QCOMPARE(e["status"].get<std::string>(), std::string("absent"));
            QVERIFY(e["where"].is_null());
        }
    }
}

void PublicApiTest::attendanceFiltersByDay()
{
    TestServer server;
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    const auto day = [&](std::int64_t ms) {
        const std::time_t t = ms / 1000;
        char text[11];
        std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&t));
        return std::string(text);
    };
    // London is UTC or one hour ahead; a window starts at the test's clock
    // time, so ask for a few days around the second class only.
    const auto second = *big.second.scheduledStart;
    auto r = client.get(base(big.course) + "/attendance?from=" + day(second - k_day) + "&to=" + day(second + k_day));
    QCOMPARE(r.status, 200L);
    QCOMPARE(r.json()["attendance"].size(), std::size_t(6));
    const auto filtered = r.json();
    for (const auto& e : filtered["attendance"])
        QCOMPARE(e["window"].get<std::string>(), big.second.id);
}

void PublicApiTest::traineeObjectCarriesFiguresAndFlags()
{
    TestServer server;
    School school = School::build(server);
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    auto r = client.get("/api/public/v1/trainees/" + big.trainees[2].publicId);
    QCOMPARE(r.status, 200L);
    const auto t = r.json();
    QCOMPARE(t["public_id"].get<std::string>(), big.trainees[2].publicId);
    QCOMPARE(t["courses"].size(), std::size_t(1));
    const auto& c = t["courses"][0];
    QCOMPARE(c["attendance_pct"].get<double>(), 100.0);
    QCOMPARE(c["on_time_pct"].get<double>(), 50.0);
    QCOMPARE(c["windows"].size(), std::size_t(2));
    QCOMPARE(c["windows"][0]["flags"].dump(), std::string(R"(["LEFT_EARLY"])"));
    QVERIFY(r.body.find("Trainee Number") == std::string::npos);
    // Absent once, on time once.
    auto absentOnce = client.get("/api/public/v1/trainees/" + big.trainees[4].publicId).json();
    QCOMPARE(absentOnce["courses"][0]["attendance_pct"].get<double>(), 50.0);
    // An excused absence counts in neither figure.
    auto excused = client.get("/api/public/v1/trainees/" + big.trainees[3].publicId).json();
    QCOMPARE(excused["courses"][0]["attendance_pct"].get<double>(), 100.0);
    // Only trainees have a trainee object.
    QCOMPARE(client.get("/api/public/v1/trainees/" + big.teacher.publicId).status, 404L);
    QCOMPARE(client.get("/api/public/v1/trainees/" + big.ta.publicId).status, 404L);
    QCOMPARE(client.get("/api/public/v1/trainees/" + school.outsider.publicId).status, 404L);
    QCOMPARE(client.get("/api/public/v1/trainees/NOT-AN-ID").status, 400L);
}

void PublicApiTest::summaryIsWeekByWeek()
{
    TestServer server;
    School school = School::build(server);
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    auto r = client.get(base(big.course) + "/summary");
    QCOMPARE(r.status, 200L);
    const auto weeks = r.json()["weeks"];
    QCOMPARE(weeks.size(), std::size_t(2)); // the classes are a week apart
    QCOMPARE(weeks[0]["windows"].get<int>(), 1);
    QCOMPARE(weeks[0]["trainees"].get<int>(), 6);
    // First class: present 3 of 5 counted (the excused one does not count),
    // on time 2 of the 3 present (the reports' rules, service/reports.h).
    QCOMPARE(weeks[0]["attendance_pct"].get<double>(), 60.0);
    QCOMPARE(weeks[0]["on_time_pct"].get<double>(), 66.7);
    QCOMPARE(weeks[1]["attendance_pct"].get<double>(), 100.0);
    auto small = client.get(base(school.courseA) + "/summary").json();
    for (const auto& w : small["weeks"]) {
        QVERIFY(w["attendance_pct"].is_null() && w["trainees"].is_null());
        QCOMPARE(w["suppressed"].get<bool>(), true);
    }
}

void PublicApiTest::etagAnswers304UntilTheDataChanges()
{
    TestServer server;
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    const std::string path = "/api/public/v1/trainees/" + big.trainees[4].publicId;
    auto first = client.get(path);
    QCOMPARE(first.status, 200L);
    const std::string etag = first.header("etag");
    QVERIFY(etag.size() > 2 && etag.front() == '"');
    QCOMPARE(first.header("cache-control"), std::string("public, max-age=60"));
    auto cached = client.get(path, {"If-None-Match: " + etag});
    QCOMPARE(cached.status, 304L);
    QVERIFY(cached.body.empty());
    QCOMPARE(cached.header("etag"), etag);
    QCOMPARE(client.get(path, {"If-None-Match: W/" + etag + ", \"other\""}).status, 304L);
    QCOMPARE(client.get(path, {"If-None-Match: \"stale\""}).status, 200L);
    // Another route has another ETag.
    QVERIFY(client.get(base(big.course) + "/windows").header("etag") != etag);
    // A flag set on the trainee changes the answer, so the ETag too.
    must(server.store->attendance().addFlag({newUuidV4(), big.trainees[4].id, big.second.id, Flag::CameraOff, true, "",
                                             big.teacher.id, server.clock.nowMs()}));
    auto changed = client.get(path, {"If-None-Match: " + etag});
    QCOMPARE(changed.status, 200L);
    QVERIFY(changed.header("etag") != etag);
    QVERIFY(changed.body.find("CAMERA_OFF") != std::string::npos);
}

void PublicApiTest::corsForGetAndPreflight()
{
    TestServer server;
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    auto r = client.get("/api/public/v1/courses", {"Origin: https://volunteers.example"});
    QCOMPARE(r.header("access-control-allow-origin"), std::string("*"));
    QVERIFY(r.header("access-control-expose-headers").find("ETag") != std::string::npos);
    auto missing = client.get(base(big.course) + "/windows?limit=0");
    QCOMPARE(missing.status, 422L);
    QCOMPARE(missing.header("access-control-allow-origin"), std::string("*"));
    auto preflight = client.request("OPTIONS", base(big.course) + "/attendance",
                                    {}, {"Origin: https://volunteers.example", "Access-Control-Request-Method: GET",
                                         "Access-Control-Request-Headers: authorization"});
    QCOMPARE(preflight.status, 204L);
    QCOMPARE(preflight.header("access-control-allow-methods"), std::string("GET, OPTIONS"));
    QVERIFY(preflight.header("access-control-allow-headers").find("Authorization") != std::string::npos);
    // Read-only: no other method.
    auto post = client.json("POST", "/api/public/v1/courses", "{}");
    QCOMPARE(post.status, 405L);
}

void PublicApiTest::eachClientHasARequestBudget()
{
    TestServer server(PublicApiSettings{false, 3});
    School school = School::build(server);
    auto client = server.client();
    server.clock.set(server.clock.nowMs() - server.clock.nowMs() % 60'000); // the start of a minute
    for (int left = 2; left >= 0; --left) {
        auto r = client.get("/api/public/v1/courses");
        QCOMPARE(r.status, 200L);
        QCOMPARE(r.header("ratelimit-limit"), std::string("3"));
        QCOMPARE(r.header("ratelimit-remaining"), std::to_string(left));
        QCOMPARE(r.header("ratelimit-reset"), std::string("60"));
    }
    server.clock.advance(20'000);
    auto refused = client.get("/api/public/v1/courses");
    QCOMPARE(refused.status, 429L);
    QCOMPARE(refused.errorCode(), std::string("rate_limited"));
    QCOMPARE(refused.header("retry-after"), std::string("40"));
    QCOMPARE(refused.header("access-control-allow-origin"), std::string("*"));
    // A client with an API key has its own budget.
    QCOMPARE(client.get("/api/public/v1/courses", bearer(school.readKey)).status, 200L);
    // The next minute, a whole budget again.
    server.clock.advance(40'000);
    QCOMPARE(client.get("/api/public/v1/courses").status, 200L);
}

void PublicApiTest::theServerCanRequireAKey()
{
    TestServer server(PublicApiSettings{true, 120});
    School school = School::build(server);
    auto client = server.client();
    auto anonymous = client.get("/api/public/v1/courses");
    QCOMPARE(anonymous.status, 401L);
    QCOMPARE(anonymous.errorCode(), std::string("unauthenticated"));
    auto keyed = client.get("/api/public/v1/courses", bearer(school.readKey));
    QCOMPARE(keyed.status, 200L);
    QCOMPARE(keyed.header("cache-control"), std::string("private, max-age=60"));
    QCOMPARE(client.get("/api/public/v1/courses", bearer(school.kioskToken)).status, 401L);
    // A revoked key stops working at once.
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const auto keys = client.get("/api/v1/api-keys", teacher).json()["api_keys"];
    QCOMPARE(client.request("DELETE", "/api/v1/api-keys/" + keys[0]["prefix"].get<std::string>(), {}, teacher).status,
             200L);
    QCOMPARE(client.get("/api/public/v1/courses", bearer(school.readKey)).status, 401L);
    // Open by default, yet a bad key is refused.
    TestServer open;
    QCOMPARE(open.client().get("/api/public/v1/courses", bearer("ak_notarealkeyatall0000000000000000")).status, 401L);
}

void PublicApiTest::optedOutTraineesAreLeftOutButStillCounted()
{
    TestServer server;
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    const Person& t0 = big.trainees[0];
    const Headers session = School::sessionFor(server, t0);
    const std::string csrf = session[1].substr(std::string("X-CSRF-Token: ").size());
    auto me = client.get("/me", {session[0]});
    QVERIFY(me.body.find("Leave me out of the public API") != std::string::npos);
    auto out = client.request("POST", "/me/public-api", "csrf=" + csrf + "&public=out",
                              {session[0], "Content-Type: application/x-www-form-urlencoded"});
    QCOMPARE(out.status, 303L);
    QCOMPARE(server.countInFile("SELECT count(*) FROM privacy_log WHERE kind = 'opt_out'"), 1);
    QCOMPARE(client.get("/api/public/v1/trainees/" + t0.publicId).status, 404L);
    auto entries = client.get(base(big.course) + "/attendance?limit=500");
    QCOMPARE(entries.json()["attendance"].size(), std::size_t(10));
    QVERIFY(entries.body.find(t0.publicId) == std::string::npos);
    // Pages that split windows find the same entries.
    std::set<std::string> paged;
    for (std::string next = base(big.course) + "/attendance?limit=3"; !next.empty();) {
        const auto page = client.get(next).json();
        for (const auto& e : page["attendance"])
            paged.insert(e["trainee"].get<std::string>() + " " + e["window"].get<std::string>());
        next = page["next"].is_null() ? std::string() : page["next"].get<std::string>();
    }
    QCOMPARE(paged.size(), std::size_t(10));
    QVERIFY(!paged.contains(t0.publicId + " " + big.first.id));
    // Still counted where the group is five or more.
    auto windows = client.get(base(big.course) + "/windows").json()["windows"];
    QCOMPARE(windows[0]["counts"]["trainees"].get<int>(), 6);
    QCOMPARE(windows[0]["counts"]["on_time"].get<int>(), 2);
    QVERIFY(client.get("/me", {session[0]}).body.find("Show my records again") != std::string::npos);
    // And back in.
    QCOMPARE(client.request("POST", "/me/public-api", "csrf=" + csrf + "&public=in",
                            {session[0], "Content-Type: application/x-www-form-urlencoded"})
                 .status,
             303L);
    QCOMPARE(client.get("/api/public/v1/trainees/" + t0.publicId).status, 200L);
    // A choice that is neither changes nothing.
    client.request("POST", "/me/public-api", "csrf=" + csrf + "&public=maybe",
                   {session[0], "Content-Type: application/x-www-form-urlencoded"});
    QCOMPARE(server.countInFile("SELECT count(*) FROM public_opt_out"), 0);
}

void PublicApiTest::badParametersAreRefused()
{
    TestServer server;
    BigCourse big = BigCourse::build(server);
    auto client = server.client();
    const std::string a = base(big.course) + "/attendance";
    QCOMPARE(client.get(a + "?limit=501").status, 422L);
    QCOMPARE(client.get(a + "?limit=0").status, 422L);
    QCOMPARE(client.get(a + "?limit=ten").status, 422L);
    QCOMPARE(client.get(a + "?cursor=forged").status, 422L);
    QCOMPARE(client.get(a + "?from=2026-02-30").status, 422L);
    QCOMPARE(client.get(a + "?from=2026-03-02&to=2026-03-01").status, 422L);
    QCOMPARE(client.get(a + "?colour=red").status, 422L);
    QCOMPARE(client.get(a + "?limit=500").status, 200L);
    QCOMPARE(client.get("/api/public/v1/courses/not-a-course/windows").status, 400L);
    QCOMPARE(client.get("/api/public/v1/courses/00000000-0000-4000-8000-000000000000/windows").status, 404L);
    QCOMPARE(client.get(base(big.course) + "/summary?limit=3").status, 422L);
}

QTEST_GUILESS_MAIN(PublicApiTest)
#include "publicapitest.moc"
