// bench_server_setup DB OUT: makes the wrk benchmark's school in DB and
// writes what checkin.lua needs to OUT (key, then windows, then students).

#include "benchschool.h"

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
    auto store = imhere::server::SqliteStore::open(argv[1], clock);
    if (!store) {
        std::fprintf(stderr, "bench_server_setup: %s\n", store.error().message.c_str());
        return 1;
    }
    // 400 × 100 distinct (person, window) pairs: every request a new check-in.
    const auto school = imhere::bench::buildBenchSchool(**store, clock.nowMs(), 400, 100);
    std::ofstream out(argv[2]);
    out << school.adminKey << '\n' << school.windows.size() << '\n';
    for (const auto& w : school.windows)
        out << w << '\n';
    for (const auto& s : school.students)
        out << s << '\n';
    return out ? 0 : 1;
}
