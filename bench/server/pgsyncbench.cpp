// Sync ingest on PostgreSQL: kiosk batches of 100 check-ins through the
// domain's syncKiosk into PgStore, next to its floor, a bare batched INSERT
// of the same rows through libpq (one transaction of 100, a prepared
// statement) into a table with the indexes a check-in needs, in the same
// database; and the same batches into SqliteStore on the local disk for
// comparison. The paths take turns batch by batch, so that they meet the
// same load. No HTTP: the HTTP path is bench_server_sync's.
//
//   bench_server_pg_sync postgresql://... [batches]   (default 200)
//
// The database should be empty (the bench makes its school in it) and the
// cluster should keep the durability of production (fsync and
// synchronous_commit on), or the figures say nothing.

#include "bench/benchtable.h"
#include "benchschool.h"

#include "sync-server/service/kiosksync.h"
#include "sync-server/service/services.h"
#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitestore.h"

#include "core/random.h"
#include "core/syncprotocol.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

using namespace imhere;
using namespace imhere::server;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int k_batch = 100;

template <class F>
double timed(F&& work)
{
    const auto start = Steady::now();
    work();
    return std::chrono::duration<double>(Steady::now() - start).count();
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

// Kiosk batches through the domain into one store.
class StoreSync {
public:
    StoreSync(std::unique_ptr<Store> store, int batches) : m_store(std::move(store)), m_services(*m_store, m_clock)
    {
        m_school = bench::buildBenchSchool(*m_store, m_clock.nowMs(), 500, 4);
        m_kiosk = **m_store->kiosks().kioskByPrefix(m_school.kioskToken.substr(0, 11));
        for (int i = 0; i < 100; ++i) {
            auto r = syncKiosk(m_services, m_kiosk, {sync::k_protocolVersion, m_clock.nowMs(), m_cursor, {}});
            m_cursor = r->cursor;
            if (!r->more)
                break;
        }
        for (int b = 0; b < batches; ++b) {
            sync::SyncRequest request{sync::k_protocolVersion, m_clock.nowMs(), m_cursor, {}};
            for (auto& e : batchOf(m_school, b, m_clock.nowMs()))
                request.events.emplace_back(std::move(e));
            m_requests.push_back(std::move(request));
        }
    }

    bool store(int b)
    {
        auto& request = m_requests[static_cast<std::size_t>(b)];
        request.cursor = m_cursor;
        auto r = syncKiosk(m_services, m_kiosk, request);
        if (!r) {
            std::fprintf(stderr, "sync: %s\n", r.error().message.c_str());
            return false;
        }
        m_cursor = r->cursor;
        return true;
    }
    [[nodiscard]] const bench::BenchSchool& school() const { return m_school; }
    [[nodiscard]] const std::vector<sync::SyncRequest>& requests() const { return m_requests; }

private:
    SystemClock m_clock;
    std::unique_ptr<Store> m_store;
    Services m_services;
    bench::BenchSchool m_school;
    Kiosk m_kiosk;
    std::int64_t m_cursor = 0;
    std::vector<sync::SyncRequest> m_requests;
};

// The floor: the same rows, 100 to a transaction, through libpq.
class RawInsert {
public:
    RawInsert(std::unique_ptr<PgConnection> db, const bench::BenchSchool& school,
              const std::vector<sync::SyncRequest>& requests)
        : m_db(std::move(db)), m_requests(requests)
    {
        for (std::size_t i = 0; i < school.students.size(); ++i)
            m_rowIds.emplace(school.students[i], school.studentIds[i]);
        (void)m_db->exec("DROP TABLE IF EXISTS bench_check_in;"
                         "CREATE TABLE bench_check_in(id text PRIMARY KEY, person bigint NOT NULL,"
                         " window_id text NOT NULL, at bigint NOT NULL, source text NOT NULL, kiosk bigint,"
                         " actor bigint NOT NULL, received_at bigint NOT NULL);"
                         "CREATE INDEX bench_check_in_window ON bench_check_in(window_id, person)");
    }

    bool store(int b)
    {
        if (!m_db->exec("BEGIN"))
            return false;
        for (const auto& decoded : m_requests[static_cast<std::size_t>(b)].events) {
            const auto& e = std::get<sync::Event>(decoded);
            const auto& checkIn = std::get<sync::CheckIn>(e.body);
            const PersonId person = m_rowIds.at(checkIn.person);
            auto insert = m_db->query("INSERT INTO bench_check_in VALUES($1, $2, $3, $4, 'nfc', 1, $5, $6)");
            if (!insert || !(*insert)->bindAll(e.id + "-raw", person, checkIn.window, e.at, person, m_clock.nowMs()).run())
                return false;
        }
        return bool(m_db->exec("COMMIT"));
    }

private:
    std::unique_ptr<PgConnection> m_db;
    const std::vector<sync::SyncRequest>& m_requests;
    SystemClock m_clock;
    std::unordered_map<std::string, PersonId> m_rowIds;
};

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s postgresql://... [batches]\n", argv[0]);
        return 2;
    }
    const std::string url = argv[1];
    const int batches = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
    const auto dir = std::filesystem::temp_directory_path() / ("imhere-bench-" + newUuidV4().substr(0, 8));
    std::filesystem::create_directories(dir);
    SystemClock clock;
    auto pgStore = PgStore::open(url, clock, {.connections = 4});
    auto sqliteStore = SqliteStore::open((dir / "store.db").string(), clock);
    auto raw = PgConnection::connect(url);
    if (!pgStore || !sqliteStore || !raw) {
        std::fprintf(stderr, "cannot open the stores\n");
        return 1;
    }
    double pgSeconds = 0, rawSeconds = 0, sqliteSeconds = 0;
    bool ok = true;
    {
        StoreSync pg(std::unique_ptr<Store>(std::move(*pgStore)), batches);
        StoreSync sqlite(std::unique_ptr<Store>(std::move(*sqliteStore)), batches);
        RawInsert floor(std::move(*raw), pg.school(), pg.requests());
        for (int b = 0; b < batches && ok; ++b) {
            rawSeconds += timed([&] { ok = floor.store(b); });
            pgSeconds += timed([&] { ok = ok && pg.store(b); });
            sqliteSeconds += timed([&] { ok = ok && sqlite.store(b); });
        }
    }
    std::filesystem::remove_all(dir);
    if (!ok) {
        std::fprintf(stderr, "sync failed: not every event was stored\n");
        return 1;
    }
    const double events = double(batches) * k_batch;
    std::printf("sync ingest without HTTP, batches of %d, %d batches taking turns:\n", k_batch, batches);
    std::printf("  bare libpq INSERT (txn per batch)   : %10.0f rows/s\n", events / rawSeconds);
    std::printf("  syncKiosk into PgStore              : %10.0f events/s\n", events / pgSeconds);
    std::printf("  syncKiosk into SqliteStore (local)  : %10.0f events/s\n", events / sqliteSeconds);
    std::printf("  ratio PgStore / bare libpq insert   : %10.2f\n", rawSeconds / pgSeconds);
    bench::tableRow("sync ingest into PgStore, no HTTP", events / pgSeconds, "bare libpq INSERT, txn per batch",
                    events / rawSeconds, "rows/s");
    return 0;
}
