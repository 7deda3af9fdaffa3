// bench_server_setup DB OUT: makes the wrk benchmark's school in DB (a
// SQLite file or a postgresql:// URL) and writes what checkin.lua needs to
// OUT (key, then windows, then students).

#include "benchschool.h"

#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitestore.h"

#include <cstdio>
#include <fstream>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fputs("usage: bench_server_setup DB OUT\n", stderr);
        return 2;
    }
    imhere::SystemClock clock;
    const std::string db = argv[1];
    imhere::Result<std::unique_ptr<imhere::server::Store>> store;
    if (db.starts_with("postgresql://"))
        store = imhere::server::PgStore::open(db, clock, {});
    else
        store = imhere::server::SqliteStore::open(db, clock);
    if (!store) {
        std::fprintf(stderr, "bench_server_setup: %s\n", store.error().message.c_str());
        return 1;
    }
    // 1000 × 200 distinct (person, window) pairs: every request of a run a
    // new check-in, at up to 10 000 check-ins a second for 10 s.
    const auto school = imhere::bench::buildBenchSchool(**store, clock.nowMs(), 1000, 200);
    std::ofstream out(argv[2]);
    out << school.adminKey << '\n' << school.windows.size() << '\n';
    for (const auto& w : school.windows)
        out << w << '\n';
    for (const auto& s : school.students)
        out << s << '\n';
    return out ? 0 : 1;
}
