// bench_server_pg_floor URL [rows]: the floors of PostgreSQL on this
// cluster, through libpq: one check-in row per transaction (what one lone
// check-in costs at the least: a round trip and a WAL flush), as p50 and
// p99 of `rows` commits (default 500), and rows 100 to a transaction (a
// kiosk batch's least cost), in rows/s. Prints "FLOOR name value" lines
// for scripts beside its report.

#include "bench/benchtable.h"

#include "sync-server/store/pgconnection.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace imhere;
using namespace imhere::server;
using Steady = std::chrono::steady_clock;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fputs("usage: bench_server_pg_floor postgresql://... [rows]\n", stderr);
        return 2;
    }
    const int rows = argc > 2 ? std::atoi(argv[2]) : 500;
    auto connected = PgConnection::connect(argv[1]);
    if (!connected) {
        std::fprintf(stderr, "bench_server_pg_floor: %s\n", connected.error().message.c_str());
        return 1;
    }
    PgConnection& db = **connected;
    if (!db.exec("DROP TABLE IF EXISTS floor_check_in;"
                 "CREATE TABLE floor_check_in(id text PRIMARY KEY, person bigint NOT NULL, window_id text NOT NULL,"
                 " at bigint NOT NULL, source text NOT NULL, kiosk bigint, actor bigint NOT NULL,"
                 " received_at bigint NOT NULL);"
                 "CREATE INDEX floor_check_in_window ON floor_check_in(window_id, person)")) {
        std::fputs("bench_server_pg_floor: cannot make the table\n", stderr);
        return 1;
    }
    auto insertOne = [&](int i) {
        auto s = db.query("INSERT INTO floor_check_in VALUES($1, $2, $3, $4, 'nfc', 1, $2, $4)");
        return s && (*s)->bindAll("row-" + std::to_string(i), std::int64_t{i}, std::string("w") + std::to_string(i % 200),
                                  std::int64_t{i})
                        .run();
    };
    std::vector<double> single;
    for (int i = 0; i < rows; ++i) {
        const auto start = Steady::now();
        if (!insertOne(i)) // autocommit: one transaction, one WAL flush
            return 1;
        single.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
    }
    const auto q = bench::quantilesOf(single);
    const int batches = rows / 100 > 0 ? rows / 100 : 1;
    const auto start = Steady::now();
    for (int b = 0; b < batches; ++b) {
        if (!db.exec("BEGIN"))
            return 1;
        for (int i = 0; i < 100; ++i) {
            if (!insertOne(rows + b * 100 + i))
                return 1;
        }
        if (!db.exec("COMMIT"))
            return 1;
    }
    const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
    const double perSecond = batches * 100 / seconds;
    std::printf("libpq, one check-in row per transaction: p50 %.3f ms, p99 %.3f ms (%d commits)\n", q.p50, q.p99,
                rows);
    std::printf("libpq, 100 rows per transaction: %.0f rows/s (%d transactions)\n", perSecond, batches);
    std::printf("FLOOR single_p50_ms %.4f\nFLOOR single_p99_ms %.4f\nFLOOR batched_rows_per_s %.0f\n", q.p50, q.p99,
                perSecond);
    (void)db.exec("DROP TABLE floor_check_in");
    return 0;
}
