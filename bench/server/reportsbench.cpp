// Reports at a long history: 5 years of a school of 5 000 trainees in 200
// course-years (40 a year) of 25 trainees, each with 400 classes (a full-time
// year: two a day, four days a week) = 2 000 000 check-ins, with a
// correction and a flag on every 50th record. Calling the domain's report
// functions (service/reportviews.h) on the real SqliteStore, p50 and p99 of
//   - the course report of one course-year,
//   - one trainee's record in it,
//   - the overview across every course over four weeks,
//   - the CSV export of one course-year,
// each next to the floor measured in the same run: a bare
// SELECT COUNT(*) over the same check-ins (the course's for the first
// three and the export, every one for the overview).
//
//   bench_server_reports [requests]   (default 30; the overview runs a third as often)
//
// With IMHERE_BENCH_PG set (bench_with_pg, bench/server/run-pg.sh), the same
// history is then copied into PostgreSQL with imhere-server migrate's copy
// and the same reports run on PgStore, next to a bare count(*) there.

#include "bench/benchtable.h"
#include "sync-server/service/reportviews.h"
#include "sync-server/store/pgconnection.h"
#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitestore.h"
#include "sync-server/store/sqlitetopg.h"

#include "core/clock.h"
#include "core/database.h"
#include "core/random.h"

#include "tests/support/tempdir.h"
#include "bench/must.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

using namespace imhere;
using namespace imhere::server;
using imhere::bench::must;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int k_courses = 200;
constexpr int k_traineesPerCourse = 25;
constexpr int k_windowsPerCourse = 400;
constexpr std::int64_t k_dayMs = 86'400'000;
constexpr std::int64_t k_yearMs = 365 * k_dayMs;

struct Stats {
    double p50 = 0;
    double p99 = 0;
};

Stats stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
        return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
    };
    return {at(0.50), at(0.99)};
}

template <class F>
double timedMs(F&& work)
{
    const auto start = Steady::now();
    work();
    return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

struct School {
    Person admin;
    std::vector<Course> courses;
    std::vector<std::vector<Person>> trainees; // per course
};

School buildSchool(Store& store)
{
    School s;
    s.admin = must(store.people().createPerson({"Admin", "admin@bench.test", {}, {}, {}, {}, true}), "admin");
    for (int c = 0; c < k_courses; ++c) {
        const Person teacher = must(store.people().createPerson({"Teacher " + std::to_string(c), {}, {}, {}, {}, {}, false}),
                                    "teacher");
        s.courses.push_back(must(store.courses().createCourse({"Course " + std::to_string(c), "Europe/London", 10, 60, {}},
                                                              teacher.id),
                                 "course"));
        s.trainees.emplace_back();
        for (int t = 0; t < k_traineesPerCourse; ++t) {
            s.trainees.back().push_back(must(
                store.people().createPerson({"Trainee " + std::to_string(c) + "-" + std::to_string(t), {}, {}, {}, {}, {}, false}),
                "trainee"));
            (void)store.courses().setEnrollment(s.trainees.back().back().id, s.courses.back().id, Role::Student, teacher.id);
        }
    }
    return s;
}

// Course c runs in year c / 40, its 400 classes over that year; every
// trainee checks in to every class (some late), and every 50th record gets a
// correction and a flag. Written straight into the file.
void writeHistory(const std::string& path, const School& s, std::int64_t nowMs)
{
    auto db = must(Database::open(path), "open");
    auto window = must(db.prepare("INSERT INTO attendance_window(id, course, title, scheduled_start, opened_at, closed_at)"
                                  " VALUES(?, ?, ?, ?, ?, ?)"),
                       "prepare");
    auto checkIn = must(db.prepare("INSERT INTO check_in(id, person, window_id, at, source, actor, received_at)"
                                   " VALUES(?, ?, ?, ?, ?, ?, ?)"),
                        "prepare");
    auto correction = must(db.prepare("INSERT INTO correction(id, person, window_id, present, reason, actor, at,"
                                      " received_at) VALUES(?, ?, ?, 0, 'left early', ?, ?, ?)"),
                           "prepare");
    auto flag = must(db.prepare("INSERT INTO flag_event(id, person, window_id, flag, is_set, note, actor, at,"
                                " received_at) VALUES(?, ?, ?, 'CAMERA_OFF', 1, 'camera off', ?, ?, ?)"),
                     "prepare");
    std::int64_t n = 0;
    for (int c = 0; c < k_courses; ++c) {
        auto txn = must(Transaction::begin(db), "begin");
        const std::int64_t yearStart = nowMs - (5 - c / 40) * k_yearMs;
        for (int w = 0; w < k_windowsPerCourse; ++w) {
            // Two a day, four days a week.
            const std::int64_t start = yearStart + (w / 8) * 7 * k_dayMs + (w % 8 / 2) * k_dayMs + (w % 2) * 5 * 3'600'000;
            const std::string id = newUuidV4();
            window.reset();
            (void)window.bindAll(id, s.courses[static_cast<std::size_t>(c)].id, "Class " + std::to_string(w), start,
                                  start, start + 3 * 3'600'000)
                .run();
            for (const Person& p : s.trainees[static_cast<std::size_t>(c)]) {
                const std::int64_t at = start + ((p.id * 7 + w) % 25) * 60'000;
                checkIn.reset();
                (void)checkIn.bindAll(newUuidV4(), p.id, id, at, p.id % 9 == 0 ? "qr_remote" : "nfc", p.id, at).run();
                if (++n % 50 == 0) {
                    correction.reset();
                    (void)correction.bindAll(newUuidV4(), p.id, id, s.admin.id, at + 3'600'000, at + 3'600'000).run();
                    flag.reset();
                    (void)flag.bindAll(newUuidV4(), p.id, id, s.admin.id, at + 3'600'000, at + 3'600'000).run();
                }
            }
        }
        must(txn.commit(), "commit");
    }
}

std::int64_t bareCount(Database& db, const std::string& course)
{
    auto q = must(db.prepare(course.empty() ? "SELECT COUNT(*) FROM check_in"
                                            : "SELECT COUNT(*) FROM check_in c JOIN attendance_window w ON w.id = c.window_id"
                                              " WHERE w.course = ?"),
                  "prepare");
    if (!course.empty())
        q.bind(1, course);
    (void)q.step();
    return q.int64At(0);
}

std::int64_t pgCount(PgConnection& db, const std::string& course)
{
    auto q = must(db.query(course.empty() ? "SELECT count(*) FROM check_in"
                                          : "SELECT count(*) FROM check_in c JOIN attendance_window w ON w.id = c.window_id"
                                            " WHERE w.course = $1"),
                  "prepare");
    if (!course.empty())
        q->bind(1, course);
    (void)must(q->step(), "count");
    return q->int64At(0);
}

std::string g_backend; // "" for SQLite, " on PostgreSQL"

void row(const char* what, const Stats& s, const Stats& floor)
{
    const std::string figure = std::string(what) + g_backend;
    const std::string floorName = "bare SELECT COUNT(*)" + g_backend;
    bench::tableRow((figure + ", p50").c_str(), s.p50, (floorName + ", p50").c_str(), floor.p50, "ms");
    bench::tableRow((figure + ", p99").c_str(), s.p99, (floorName + ", p99").c_str(), floor.p99, "ms");
    std::printf("| %s | %.2f | %.2f | %.3f | %.3f | %.0f× | %.0f× |\n", what, s.p50, s.p99, floor.p50, floor.p99,
                s.p50 / floor.p50, s.p99 / floor.p99);
}

// The four reports on `store`, each next to `count` (a bare count of the
// same check-ins on the same database).
void measure(Store& store, const School& school, int requests, std::int64_t now,
             const std::function<std::int64_t(const std::string&)>& count)
{
    SystemClock clock;
    Services services(store, clock);
    Caller admin{school.admin, PrincipalKind::Session, {}};
    // The latest year's courses: the one people read most.
    const std::size_t c = k_courses - 1;
    const std::string course = school.courses[c].id;
    const std::string trainee = school.trainees[c][3].publicId;

    std::vector<double> report, record, csv, courseFloor, overviewMs, allFloor;
    std::size_t checked = 0;
    for (int i = 0; i < requests; ++i) {
        courseFloor.push_back(timedMs([&] { checked += static_cast<std::size_t>(count(course)); }));
        report.push_back(timedMs([&] { checked += must(courseReport(services, admin, course, {}), "report").figures.windows.size(); }));
        record.push_back(timedMs([&] { checked += must(personReport(services, admin, course, trainee), "record").records.size(); }));
        csv.push_back(timedMs([&] { checked += must(recordsCsv(services, admin, course, {}), "csv").size(); }));
    }
    const auto today = floorDiv(now, k_dayMs);
    const DateRange fourWeeks{civilFromDays(today - 27), civilFromDays(today)};
    for (int i = 0; i < std::max(3, requests / 3); ++i) {
        allFloor.push_back(timedMs([&] { checked += static_cast<std::size_t>(count("")); }));
        overviewMs.push_back(timedMs([&] { checked += must(overview(services, admin, fourWeeks), "overview").rows.size(); }));
    }
    std::printf("\n%d requests each (the overview %d), one thread; floor: a bare SELECT COUNT(*) over the same "
                "check-ins in the same run\n\n",
                requests, std::max(3, requests / 3));
    std::printf("| Report | p50 ms | p99 ms | floor p50 ms | floor p99 ms | p50 ÷ floor | p99 ÷ floor |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    row("course report, one course-year (10 000 records)", stats(report), stats(courseFloor));
    row("a trainee's record (400 classes)", stats(record), stats(courseFloor));
    row("records.csv, one course-year", stats(csv), stats(courseFloor));
    row("overview, 200 courses, 4 weeks", stats(overviewMs), stats(allFloor));
    std::printf("\n(checksum %zu)\n", checked);
}

} // namespace

int main(int argc, char** argv)
{
    const int requests = argc > 1 ? std::max(5, std::atoi(argv[1])) : 30;
    test::TempDir dir("imhere-bench-reports");
    const std::string path = (dir.path() / "reports.db").string();
    SystemClock clock;
    auto store = must(SqliteStore::open(path, clock), "open");
    const auto now = clock.nowMs();
    School school;
    const double setupMs = timedMs([&] { school = buildSchool(*store); });
    const double historyMs = timedMs([&] { writeHistory(path, school, now); });
    std::printf("history: %d course-years x %d trainees x %d classes = %d check-ins (a correction and a flag on every "
                "50th); people and courses %.1f s, history %.1f s\n",
                k_courses, k_traineesPerCourse, k_windowsPerCourse,
                k_courses * k_traineesPerCourse * k_windowsPerCourse, setupMs / 1000, historyMs / 1000);

    store.reset(); // every page of the file written
    measure(*must(SqliteStore::open(path, clock), "open"), school, requests, now,
            [&](const std::string& course) {
                static auto floorDb = must(Database::open(path), "open");
                return bareCount(floorDb, course);
            });

    // The same school on PostgreSQL, when there is a cluster to use
    // (bench/server/run-pg.sh: bench_with_pg sets IMHERE_BENCH_PG).
    if (const char* base = std::getenv("IMHERE_BENCH_PG")) {
        const std::string url = std::string(base) + "reports";
        const auto copied = must(copySqliteToPg(path, url, {}), "copy into PostgreSQL");
        std::printf("\ncopied into PostgreSQL with imhere-server migrate's copy: %lld rows in %.1f s\n",
                    static_cast<long long>(copied.rows), copied.seconds);
        auto pg = must(PgStore::open(url, clock, {.connections = 2}), "open PostgreSQL");
        auto floorDb = must(PgConnection::connect(url), "connect");
        g_backend = " on PostgreSQL";
        measure(*pg, school, requests, now, [&](const std::string& course) { return pgCount(*floorDb, course); });
    }
    return 0;
}
