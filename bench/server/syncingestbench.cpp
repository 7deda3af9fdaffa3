// Sync ingest: check-in events in batches of 100 through the real HTTP path
// (libcurl → libmicrohttpd → SqliteStore), next to a raw SQLite insert of
// the same rows in transactions of 100 on the same file system: the same
// ids, people, windows and times, into a table with the indexes a check-in
// needs (its id, and (window, person) for "already checked in" and the
// records), with the same WAL + synchronous=FULL settings and page cache
// size. The ratio is the figure. The same insert without the (window,
// person) index is shown for reference. The paths take turns batch by
// batch, so they meet the same disk: on a shared machine the time an fsync
// takes drifts by a factor of several within a minute.
//
//   bench_server_sync [batches]   (default 200)

#include "bench/benchtable.h"
#include "benchschool.h"

#include "sync-server/cli/routetable.h"
#include "sync-server/service/kiosksync.h"
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
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

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

using Batch = std::vector<sync::Event>;

Batch batchOf(const bench::BenchSchool& s, int index, std::int64_t nowMs)
{
    Batch events;
    for (int i = 0; i < k_batch; ++i) {
        const auto& who = s.students[static_cast<std::size_t>(index * k_batch + i) % s.students.size()];
        const auto& window = s.windows[static_cast<std::size_t>(index) % s.windows.size()];
        events.push_back({newUuidV4(), nowMs, who, sync::CheckIn{who, window, sync::CheckInSource::Nfc}});
    }
    return events;
}

// Seconds `work` took.
template <class F>
double timed(F&& work)
{
    const auto start = Steady::now();
    work();
    return std::chrono::duration<double>(Steady::now() - start).count();
}

// The floor: the rows the HTTP path stores, one transaction of 100 each,
// into a table with check_in's columns and (optionally) its index.
class RawInsert {
public:
    RawInsert(const std::filesystem::path& file, bool windowIndex, const bench::BenchSchool& school,
              const std::vector<Batch>& batches)
        : m_batches(batches)
    {
        const Migration schema[] = {
            {1, windowIndex ? std::string_view(k_table) : std::string_view(k_table).substr(0, k_table.find("CREATE INDEX"))},
        };
        m_db.emplace(std::move(*Database::open(file.string(), {.migrations = schema,
                                                               .cacheKiB = server::limits::k_storeCacheKiB})));
        m_insert.emplace(std::move(*m_db->prepare("INSERT INTO check_in VALUES(?, ?, ?, ?, 'nfc', 1, ?, ?)")));
        for (std::size_t i = 0; i < school.students.size(); ++i)
            m_rowIds.emplace(school.students[i], school.studentIds[i]);
    }

    void store(int b)
    {
        auto txn = Transaction::begin(*m_db);
        for (const sync::Event& e : m_batches[static_cast<std::size_t>(b)]) {
            const auto& checkIn = std::get<sync::CheckIn>(e.body);
            const PersonId person = m_rowIds.at(checkIn.person);
            m_insert->reset();
            m_insert->bindAll(e.id, person, checkIn.window, e.at, person, m_clock.nowMs());
            (void)m_insert->run();
        }
        (void)txn->commit();
    }

private:
    static constexpr std::string_view k_table =
        "CREATE TABLE check_in(id TEXT PRIMARY KEY, person INTEGER NOT NULL, window_id TEXT NOT NULL,"
        " at INTEGER NOT NULL, source TEXT NOT NULL, kiosk INTEGER, actor INTEGER NOT NULL,"
        " received_at INTEGER NOT NULL) STRICT; CREATE INDEX check_in_window ON check_in(window_id, person);";

    const std::vector<Batch>& m_batches;
    SystemClock m_clock;
    std::optional<Database> m_db;
    std::optional<Statement> m_insert;
    std::unordered_map<std::string, PersonId> m_rowIds;
};

// A kiosk posting its outbox to a real server over loopback HTTP.
class HttpSync {
public:
    HttpSync(const std::filesystem::path& dir, int batches)
        : m_store(std::move(*SqliteStore::open((dir / "server.db").string(), m_clock))),
          m_school(bench::buildBenchSchool(*m_store, m_clock.nowMs(), 500, 4)), m_services(*m_store, m_clock),
          m_api(m_services), m_publicApi(m_services, {}),
          m_http(m_router)
    {
        addAllRoutes(m_router, m_api, m_publicApi);
        if (!m_http.start({}))
            throw std::runtime_error("the server did not start");
        m_url = "http://127.0.0.1:" + std::to_string(m_http.port()) + "/api/v1/kiosk/sync";
        const std::string auth = "Authorization: Bearer " + m_school.kioskToken;
        m_headers = curl_slist_append(m_headers, auth.c_str());
        m_headers = curl_slist_append(m_headers, "Content-Type: application/json");
        m_headers = curl_slist_append(m_headers, "Expect:");
        // Catch up first, as a kiosk in service would be.
        for (int i = 0; i < 100; ++i) {
            const auto r = post("");
            if (!r || !r->more)
                break;
        }
        // A kiosk sends its outbox rows as they are and its latest cursor;
        // the events' JSON is made before the clock starts, as the kiosk
        // makes it on its own machine.
        for (int b = 0; b < batches; ++b) {
            m_batches.push_back(batchOf(m_school, b, m_clock.nowMs()));
            std::string json;
            for (const auto& e : m_batches.back())
                json += (json.empty() ? "" : ",") + sync::encodeEvent(e);
            m_prepared.push_back(std::move(json));
        }
    }
    ~HttpSync()
    {
        m_http.stop();
        curl_slist_free_all(m_headers);
    }
    HttpSync(const HttpSync&) = delete;
    HttpSync& operator=(const HttpSync&) = delete;

    [[nodiscard]] const bench::BenchSchool& school() const { return m_school; }
    [[nodiscard]] const std::vector<Batch>& batches() const { return m_batches; }

    // false unless every event was acknowledged as stored.
    bool store(int b)
    {
        const auto r = post(m_prepared[static_cast<std::size_t>(b)]);
        return r && r->acks.size() == k_batch
            && std::ranges::all_of(r->acks, [](const sync::Ack& a) { return a.status == sync::AckStatus::Stored; });
    }

private:
    std::optional<sync::SyncResponse> post(const std::string& eventsJson)
    {
        const std::string body = R"({"protocol":)" + std::to_string(sync::k_protocolVersion) + R"(,"kiosk_time":)"
            + std::to_string(m_clock.nowMs()) + R"(,"cursor":)" + std::to_string(m_cursor) + R"(,"events":[)"
            + eventsJson + "]}";
        std::string reply;
        CURL* curl = m_curl.get();
        curl_easy_setopt(curl, CURLOPT_URL, m_url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, m_headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
        long status = 0;
        if (curl_easy_perform(curl) != CURLE_OK
            || (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status), status != 200))
            return std::nullopt;
        auto decoded = sync::decodeResponse(reply);
        if (!decoded)
            return std::nullopt;
        m_cursor = decoded->cursor; // a kiosk keeps its cursor, so replies carry acks, not the roster
        return std::move(*decoded);
    }

    SystemClock m_clock;
    std::unique_ptr<SqliteStore> m_store;
    bench::BenchSchool m_school;
    Services m_services;
    ApiContext m_api;
    PublicApi m_publicApi;
    Router m_router;
    HttpServer m_http;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> m_curl{curl_easy_init(), &curl_easy_cleanup};
    curl_slist* m_headers = nullptr;
    std::string m_url;
    std::int64_t m_cursor = 0;
    std::vector<Batch> m_batches;
    std::vector<std::string> m_prepared;
};

// The same batches straight into the store, without HTTP or JSON: shows how
// the time splits between storage and transport.
class StoreSync {
public:
    StoreSync(const std::filesystem::path& dir, int batches)
        : m_store(std::move(*SqliteStore::open((dir / "store.db").string(), m_clock))), m_services(*m_store, m_clock)
    {
        const auto school = bench::buildBenchSchool(*m_store, m_clock.nowMs(), 500, 4);
        m_kiosk = **m_store->kiosks().kioskByPrefix(school.kioskToken.substr(0, 11));
        for (int i = 0; i < 100; ++i) {
            auto r = syncKiosk(m_services, m_kiosk, {sync::k_protocolVersion, m_clock.nowMs(), m_cursor, {}});
            m_cursor = r->cursor;
            if (!r->more)
                break;
        }
        for (int b = 0; b < batches; ++b) {
            sync::SyncRequest request{sync::k_protocolVersion, m_clock.nowMs(), m_cursor, {}};
            for (auto& e : batchOf(school, b, m_clock.nowMs()))
                request.events.emplace_back(std::move(e));
            m_requests.push_back(std::move(request));
        }
    }

    bool store(int b)
    {
        auto& request = m_requests[static_cast<std::size_t>(b)];
        request.cursor = m_cursor;
        auto r = syncKiosk(m_services, m_kiosk, request);
        if (!r)
            return false;
        m_cursor = r->cursor;
        return true;
    }

private:
    SystemClock m_clock;
    std::unique_ptr<SqliteStore> m_store;
    Services m_services;
    Kiosk m_kiosk;
    std::int64_t m_cursor = 0;
    std::vector<sync::SyncRequest> m_requests;
};

std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

} // namespace

int main(int argc, char** argv)
{
    const int batches = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    const auto dir = std::filesystem::temp_directory_path() / ("imhere-bench-" + newUuidV4().substr(0, 8));
    std::filesystem::create_directories(dir);
    const std::string loadBefore = loadAverage();
    double rawSeconds = 0, rawKeyOnlySeconds = 0, httpSeconds = 0, storeSeconds = 0;
    bool ok = true;
    {
        HttpSync http(dir, batches);
        RawInsert raw(dir / "raw.db", true, http.school(), http.batches());
        RawInsert rawKeyOnly(dir / "raw-key-only.db", false, http.school(), http.batches());
        StoreSync store(dir, batches);
        for (int b = 0; b < batches && ok; ++b) {
            rawSeconds += timed([&] { raw.store(b); });
            httpSeconds += timed([&] { ok = http.store(b); });
            storeSeconds += timed([&] { ok = ok && store.store(b); });
            rawKeyOnlySeconds += timed([&] { rawKeyOnly.store(b); });
        }
    }
    std::filesystem::remove_all(dir);
    if (!ok) {
        std::fprintf(stderr, "sync failed: not every event was stored\n");
        return 1;
    }
    const double events = double(batches) * k_batch;
    const double raw = events / rawSeconds;
    const double ingest = events / httpSeconds;
    std::printf("sync ingest, batches of %d, %d batches taking turns, on %s (load average %s -> %s):\n", k_batch,
                batches, std::filesystem::temp_directory_path().c_str(), loadBefore.c_str(), loadAverage().c_str());
    std::printf("  raw SQLite insert (txn per batch): %10.0f rows/s\n", raw);
    std::printf("  POST /api/v1/kiosk/sync          : %10.0f events/s\n", ingest);
    std::printf("  Store::sync, no HTTP or JSON     : %10.0f events/s\n", events / storeSeconds);
    std::printf("  ratio sync / raw                 : %10.2f   (goal >= 0.5)\n", ingest / raw);
    bench::tableRow("sync ingest, POST /api/v1/kiosk/sync", ingest, "raw SQLite insert, txn per batch", raw, "rows/s");
    std::printf("  raw insert without the (window, person) index, for reference: %.0f rows/s\n",
                events / rawKeyOnlySeconds);
    return 0;
}
