#pragma once
// A school for the benchmarks: one course, many students, open windows, a
// kiosk and an admin API key, written straight through the Store.

#include "sync-server/store/store.h"

#include <string>
#include <vector>

namespace imhere::bench {

struct BenchSchool {
    std::string course;
    std::vector<std::string> windows;  // open now
    std::vector<std::string> students; // public ids
    std::vector<server::PersonId> studentIds; // the same people's row ids
    std::string kioskToken;
    std::string adminKey; // API key, scope write
};

[[nodiscard]] BenchSchool buildBenchSchool(server::Store& store, std::int64_t nowMs, int students, int windows);

} // namespace imhere::bench
