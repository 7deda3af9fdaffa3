// The public API at a long history: 500 trainees × 4 000 closed windows =
// 2 000 000 check-ins in one course. Through the real HTTP path (libcurl →
// libmicrohttpd → router → public view → SqliteStore, one client on
// loopback), p50 and p99 of
//   - a page of 500 attendance entries (one window's trainees) at a random
//     place in the history, next to a bare indexed SELECT of the same rows
//     (the window's check-ins joined to their people's public ids);
//   - a trainee object (4 000 windows of one trainee), next to a bare
//     indexed SELECT of that trainee's check-ins;
//   - an If-None-Match hit on an attendance page (answered 304 from the
//     store's high-water marks, without reading a record).
// The bare SELECTs run on their own connection to the same file with the
// same page cache, in the same run.
//
//   bench_server_public [requests]   (default 200)

#include "bench/benchtable.h"
#include "benchschool.h"

#include "sync-server/cli/routetable.h"
#include "sync-server/http/httpserver.h"
#include "sync-server/serverlimits.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
#include "core/encoding.h"
#include "core/random.h"

#include "tests/support/tempdir.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace imhere;
using namespace imhere::server;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int k_trainees = 500;
constexpr int k_windows = 4'000;
constexpr std::int64_t k_dayMs = 86'400'000;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out)
{
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

struct Stats {
    double p50 = 0;
    double p99 = 0;
};

Stats stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
    return {at(0.50), at(0.99)};
}

template <class F>
double timedMs(F&& work)
{
    const auto start = Steady::now();
    work();
    return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

// 4 000 closed windows a day apart and every trainee's check-in in each,
// written straight into the file in large transactions (the history, not
// what is measured).
std::vector<std::string> writeHistory(const std::string& path, const bench::BenchSchool& s, std::int64_t nowMs)
{
    auto db = Database::open(path);
    if (!db)
        throw std::runtime_error(db.error().message);
    std::vector<std::string> windows;
    auto window = db->prepare("INSERT INTO attendance_window(id, course, title, scheduled_start, opened_at, closed_at)"
                              " VALUES(?, ?, ?, ?, ?, ?)");
    auto checkIn = db->prepare("INSERT INTO check_in(id, person, window_id, at, source, actor, received_at)"
                               " VALUES(?, ?, ?, ?, ?, ?, ?)");
    if (!window || !checkIn)
        throw std::runtime_error("cannot prepare the history");
    constexpr int k_windowsPerTransaction = 200;
    for (int first = 0; first < k_windows; first += k_windowsPerTransaction) {
        auto txn = Transaction::begin(*db);
        for (int w = first; w < first + k_windowsPerTransaction; ++w) {
            const std::int64_t start = nowMs - static_cast<std::int64_t>(k_windows - w) * k_dayMs;
            windows.push_back(newUuidV4());
            window->reset();
            (void)window->bindAll(windows.back(), s.course, "Class " + std::to_string(w), start, start, start + 7'200'000)
                .run();
            for (int t = 0; t < k_trainees; ++t) {
                const std::int64_t at = start + ((t * 7 + w) % 20) * 60'000; // a few late
                checkIn->reset();
                (void)checkIn->bindAll(newUuidV4(), s.studentIds[static_cast<std::size_t>(t)], windows.back(), at,
                                       t % 9 == 0 ? "qr_remote" : "nfc", s.studentIds[0], at)
                    .run();
            }
        }
        (void)txn->commit();
    }
    // The roster came before the classes: everyone joined a day before the first.
    auto joined = db->prepare("UPDATE enrollment_history SET at = ?");
    if (!joined || !joined->bindAll(nowMs - static_cast<std::int64_t>(k_windows + 1) * k_dayMs).run())
        throw std::runtime_error("cannot date the roster");
    return windows;
}

} // namespace

int main(int argc, char** argv)
{
    const int requests = argc > 1 ? std::max(20, std::atoi(argv[1])) : 200;
    test::TempDir dir("imhere-bench");
    const std::string path = (dir.path() / "public.db").string();
    SystemClock clock;
    auto opened = SqliteStore::open(path, clock);
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.error().message.c_str());
        return 1;
    }
    auto& store = **opened;
    const auto now = clock.nowMs();
    const auto school = bench::buildBenchSchool(store, now, k_trainees, 0);
    std::vector<std::string> windows;
    const double historyMs = timedMs([&] { windows = writeHistory(path, school, now); });
    std::printf("history: %d trainees x %d windows = %d check-ins, written in %.1f s\n", k_trainees, k_windows,
                k_trainees * k_windows, historyMs / 1000);

    Services services(store, clock);
    PublicApi publicApi(services, PublicApiSettings{false, 1'000'000'000});
    Router router;
    addPublicRoutes(router, publicApi);
    HttpServer http(router);
    if (!http.start({})) {
        std::fprintf(stderr, "the server did not start\n");
        return 1;
    }
    const std::string base = "http://127.0.0.1:" + std::to_string(http.port()) + "/api/public/v1";
    CURL* curl = curl_easy_init();
    std::string body;
    std::string etag;
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    auto get = [&](const std::string& url, const char* ifNoneMatch) {
        body.clear();
        curl_slist* headers = nullptr;
        std::string h = ifNoneMatch ? std::string("If-None-Match: ") + ifNoneMatch : std::string();
        if (ifNoneMatch)
            headers = curl_slist_append(headers, h.c_str());
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(headers);
        return status;
    };

    // The same rows, bare: its own connection, the store's page cache size.
    auto bare = Database::open(path, {.readOnly = true, .cacheKiB = server::limits::k_storeCacheKiB});
    auto windowRows = bare->prepare("SELECT c.id, p.public_id, c.at, c.source FROM check_in c JOIN person p"
                                    " ON p.id = c.person WHERE c.window_id = ?");
    auto personRows = bare->prepare("SELECT c.id, c.window_id, c.at, c.source FROM check_in c JOIN attendance_window w"
                                    " ON w.id = c.window_id WHERE w.course = ? AND c.person = ?");
    auto drain = [](Statement& s) {
        std::size_t n = 0;
        while (true) {
            auto row = s.step();
            if (!row || !*row)
                return n;
            ++n;
        }
    };

    std::mt19937 random(7);
    std::vector<double> page, pageBare, trainee, traineeBare, hit;
    const std::string attendance = base + "/courses/" + school.course + "/attendance?limit=500&cursor=";
    for (int i = 0; i < requests; ++i) {
        const auto w = static_cast<std::size_t>(random() % k_windows);
        const std::string next = "o" + std::to_string(w * k_trainees);
        const std::string cursor =
            base64UrlEncode(std::span(reinterpret_cast<const std::uint8_t*>(next.data()), next.size()));
        long status = 0;
        page.push_back(timedMs([&] { status = get(attendance + cursor, nullptr); }));
        if (status != 200 || body.find(school.students[0]) == std::string::npos) {
            std::fprintf(stderr, "attendance page: %ld %s\n", status, body.substr(0, 200).c_str());
            return 1;
        }
        std::size_t rows = 0;
        pageBare.push_back(timedMs([&] {
            windowRows->reset();
            windowRows->bind(1, windows[w]);
            rows = drain(*windowRows);
        }));
        if (rows != static_cast<std::size_t>(k_trainees))
            return 1;
    }
    for (int i = 0; i < requests; ++i) {
        const auto t = static_cast<std::size_t>(random() % k_trainees);
        long status = 0;
        trainee.push_back(timedMs([&] { status = get(base + "/trainees/" + school.students[t], nullptr); }));
        if (status != 200)
            return 1;
        std::size_t rows = 0;
        traineeBare.push_back(timedMs([&] {
            personRows->reset();
            personRows->bind(1, school.course).bind(2, school.studentIds[t]);
            rows = drain(*personRows);
        }));
        if (rows != static_cast<std::size_t>(k_windows))
            return 1;
    }
    // The ETag of one page, then If-None-Match hits on it.
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, +[](char* data, std::size_t size, std::size_t count, void* out) {
        std::string line(data, size * count);
        if (line.size() > 6 && (line.starts_with("ETag:") || line.starts_with("etag:")))
            *static_cast<std::string*>(out) = line.substr(6, line.find_last_not_of("\r\n") - 5);
        return size * count;
    });
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &etag);
    const std::string cached = attendance + "bzUwMDAwMA"; // "o500000": the 1 001st window
    if (get(cached, nullptr) != 200 || etag.empty())
        return 1;
    for (int i = 0; i < requests; ++i) {
        long status = 0;
        hit.push_back(timedMs([&] { status = get(cached, etag.c_str()); }));
        if (status != 304)
            return 1;
    }
    // The same pages when every trainee joined after the whole history (a
    // register imported afterwards): each window's records then come from
    // its check-ins, all 2 000 000 of them read to place a page.
    std::vector<double> late;
    {
        auto db = Database::open(path);
        auto after = db ? db->prepare("UPDATE enrollment_history SET at = ?") : std::unexpected(db.error());
        if (!after || !after->bindAll(now).run())
            return 1;
    }
    for (int i = 0; i < std::max(5, requests / 10); ++i) {
        const auto w = static_cast<std::size_t>(random() % k_windows);
        const std::string next = "o" + std::to_string(w * k_trainees);
        const std::string cursor =
            base64UrlEncode(std::span(reinterpret_cast<const std::uint8_t*>(next.data()), next.size()));
        long status = 0;
        late.push_back(timedMs([&] { status = get(attendance + cursor, nullptr); }));
        if (status != 200 || body.find(school.students[0]) == std::string::npos)
            return 1;
    }
    curl_easy_cleanup(curl);

    const Stats p = stats(page), pb = stats(pageBare), t = stats(trainee), tb = stats(traineeBare), h = stats(hit);
    std::printf("%d requests each, one client on loopback\n", requests);
    bench::tableRow("public API, attendance page of 500, p50", p.p50, "bare indexed SELECT, p50", pb.p50, "ms");
    bench::tableRow("public API, attendance page of 500, p99", p.p99, "bare indexed SELECT, p99", pb.p99, "ms");
    const Stats l = stats(late);
    bench::tableRow("public API, attendance page, every trainee joined after the history, p50", l.p50,
                    "bare indexed SELECT, p50", pb.p50, "ms");
    bench::tableRow("public API, trainee object, p50", t.p50, "bare indexed SELECT, p50", tb.p50, "ms");
    bench::tableRow("public API, If-None-Match hit (304), p50", h.p50, "page's bare SELECT, p50", pb.p50, "ms");
    std::printf("attendance page of 500:  p50 %7.2f ms  p99 %7.2f ms | bare SELECT p50 %6.2f ms p99 %6.2f ms | x%.0f at p50\n",
                p.p50, p.p99, pb.p50, pb.p99, p.p50 / pb.p50);
    std::printf("trainee object (%d):   p50 %7.2f ms  p99 %7.2f ms | bare SELECT p50 %6.2f ms p99 %6.2f ms | x%.0f at p50\n",
                k_windows, t.p50, t.p99, tb.p50, tb.p99, t.p50 / tb.p50);
    std::printf("the page, every trainee joined after the history: p50 %7.2f ms  p99 %7.2f ms (%zu requests)\n",
                l.p50, l.p99, late.size());
    std::printf("If-None-Match hit (304): p50 %7.2f ms  p99 %7.2f ms | x%.2f of the page's bare SELECT at p50\n", h.p50,
                h.p99, h.p50 / pb.p50);
    return 0;
}
