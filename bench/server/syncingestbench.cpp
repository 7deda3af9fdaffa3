// Sync ingest: check-in events in batches of 100 through the real HTTP path
// (libcurl → libmicrohttpd → SqliteStore), next to a raw SQLite insert of
// the same rows in transactions of 100 on the same file system, with the
// same WAL + synchronous=FULL settings and page cache size. The ratio is the figure.
//
//   bench_server_sync [batches]   (default 200)

#include "benchschool.h"

#include "sync-server/api/routes.h"
#include "sync-server/http/httpserver.h"
#include "sync-server/serverlimits.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
#include "core/random.h"
#include "core/syncprotocol.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

using namespace imhere;
using namespace imhere::server;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int k_batch = 100;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out)
{
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::vector<sync::Event> batchOf(const bench::BenchSchool& s, int index, std::int64_t nowMs)
{
    std::vector<sync::Event> events;
    for (int i = 0; i < k_batch; ++i) {
        const auto& who = s.students[static_cast<std::size_t>(index * k_batch + i) % s.students.size()];
        const auto& window = s.windows[static_cast<std::size_t>(index) % s.windows.size()];
        events.push_back({newUuidV4(), nowMs, who, sync::CheckIn{who, window, sync::CheckInSource::Nfc}});
    }
    return events;
}

double syncIngest(const std::filesystem::path& dir, int batches)
{
    SystemClock clock;
    auto store = std::move(*SqliteStore::open((dir / "server.db").string(), clock));
    const auto school = bench::buildBenchSchool(*store, clock.nowMs(), 500, 4);
    ApiContext api(*store, clock);
    Router router;
    addAllRoutes(router, api);
    HttpServer http(router);
    if (!http.start({}))
        return 0;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    const std::string url = "http://127.0.0.1:" + std::to_string(http.port()) + "/api/v1/kiosk/sync";
    const std::string auth = "Authorization: Bearer " + school.kioskToken;
    curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    std::int64_t cursor = 0;
    // A kiosk sends its outbox rows as they are and its latest cursor; the
    // events' JSON is made before the clock starts, as the kiosk makes it on
    // its own machine.
    auto post = [&](const std::string& eventsJson) -> std::optional<sync::SyncResponse> {
        const std::string body = R"({"protocol":)" + std::to_string(sync::k_protocolVersion) + R"(,"kiosk_time":)"
            + std::to_string(clock.nowMs()) + R"(,"cursor":)" + std::to_string(cursor) + R"(,"events":[)"
            + eventsJson + "]}";
        std::string reply;
        curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply);
        long status = 0;
        if (curl_easy_perform(curl.get()) != CURLE_OK
            || (curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status), status != 200))
            return std::nullopt;
        auto decoded = sync::decodeResponse(reply);
        if (!decoded)
            return std::nullopt;
        cursor = decoded->cursor; // a kiosk keeps its cursor, so replies carry acks, not the roster
        return std::move(*decoded);
    };
    // Catch up first, as a kiosk in service would be.
    for (int i = 0; i < 100; ++i) {
        const auto r = post("");
        if (!r || !r->more)
            break;
    }
    std::vector<std::string> prepared;
    for (int b = 0; b < batches; ++b) {
        std::string json;
        for (const auto& e : batchOf(school, b, clock.nowMs()))
            json += (json.empty() ? "" : ",") + sync::encodeEvent(e);
        prepared.push_back(std::move(json));
    }
    const auto start = Steady::now();
    for (const auto& events : prepared) {
        const auto r = post(events);
        const bool allStored = r && r->acks.size() == k_batch
            && std::ranges::all_of(r->acks, [](const sync::Ack& a) { return a.status == sync::AckStatus::Stored; });
        if (!allStored) {
            std::fprintf(stderr, "sync failed: not every event was stored\n");
            return 0;
        }
    }
    const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
    curl_slist_free_all(headers);
    return batches * k_batch / seconds;
}

// The same batches straight into the store, without HTTP or JSON: shows how
// the time splits between storage and transport.
double storeIngest(const std::filesystem::path& dir, int batches)
{
    SystemClock clock;
    auto store = std::move(*SqliteStore::open((dir / "store.db").string(), clock));
    const auto school = bench::buildBenchSchool(*store, clock.nowMs(), 500, 4);
    auto kiosk = **store->kioskByPrefix(school.kioskToken.substr(0, 11));
    std::int64_t cursor = 0;
    for (int i = 0; i < 100; ++i) {
        auto r = store->sync(kiosk, {sync::k_protocolVersion, clock.nowMs(), cursor, {}}, clock.nowMs());
        cursor = r->cursor;
        if (!r->more)
            break;
    }
    std::vector<sync::SyncRequest> requests;
    for (int b = 0; b < batches; ++b) {
        sync::SyncRequest request{sync::k_protocolVersion, clock.nowMs(), cursor, {}};
        for (auto& e : batchOf(school, b, clock.nowMs()))
            request.events.emplace_back(std::move(e));
        requests.push_back(std::move(request));
    }
    const auto start = Steady::now();
    for (auto& request : requests) {
        request.cursor = cursor;
        auto r = store->sync(kiosk, request, clock.nowMs());
        if (!r)
            return 0;
        cursor = r->cursor;
    }
    return batches * k_batch / std::chrono::duration<double>(Steady::now() - start).count();
}

double rawInsert(const std::filesystem::path& dir, int batches)
{
    static constexpr Migration k_schema[] = {
        {1, "CREATE TABLE check_in(id TEXT PRIMARY KEY, person INTEGER NOT NULL, window_id TEXT NOT NULL,"
            " at INTEGER NOT NULL, source TEXT NOT NULL, kiosk INTEGER, actor INTEGER NOT NULL,"
            " received_at INTEGER NOT NULL) STRICT;"},
    };
    auto db = std::move(
        *Database::open((dir / "raw.db").string(), {.migrations = k_schema, .cacheKiB = server::limits::k_storeCacheKiB}));
    auto insert = std::move(*db.prepare("INSERT INTO check_in VALUES(?, ?, ?, ?, 'nfc', 1, ?, ?)"));
    std::vector<std::string> ids;
    for (int i = 0; i < batches * k_batch; ++i)
        ids.push_back(newUuidV4());
    const std::string window = newUuidV4();
    const auto start = Steady::now();
    for (int b = 0; b < batches; ++b) {
        auto txn = Transaction::begin(db);
        for (int i = 0; i < k_batch; ++i) {
            insert.reset();
            insert.bindAll(ids[static_cast<std::size_t>(b * k_batch + i)], i, window, std::int64_t{1}, i,
                           std::int64_t{2});
            (void)insert.run();
        }
        (void)txn->commit();
    }
    return batches * k_batch / std::chrono::duration<double>(Steady::now() - start).count();
}

} // namespace

int main(int argc, char** argv)
{
    const int batches = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    const auto dir = std::filesystem::temp_directory_path() / ("imhere-bench-" + newUuidV4().substr(0, 8));
    std::filesystem::create_directories(dir);
    const double raw = rawInsert(dir, batches);
    const double ingest = syncIngest(dir, batches);
    const double stored = storeIngest(dir, batches);
    std::filesystem::remove_all(dir);
    std::printf("sync ingest, batches of %d, %d batches, on %s:\n", k_batch, batches,
                std::filesystem::temp_directory_path().c_str());
    std::printf("  raw SQLite insert (txn per batch): %10.0f rows/s\n", raw);
    std::printf("  POST /api/v1/kiosk/sync          : %10.0f events/s\n", ingest);
    std::printf("  Store::sync, no HTTP or JSON     : %10.0f events/s\n", stored);
    std::printf("  ratio sync / raw                 : %10.2f   (goal >= 0.5)\n", raw > 0 ? ingest / raw : 0.0);
    return 0;
}
