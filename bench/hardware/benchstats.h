#pragma once
// Median and 95th percentile of a set of timings, in microseconds.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace imhere::bench {

struct Spread {
    double median = 0;
    double p95 = 0;
};

inline Spread spreadOf(std::vector<double> micros)
{
    if (micros.empty()) {
        return {};
    }
    std::ranges::sort(micros);
    const auto at = [&micros](double q) { return micros[static_cast<std::size_t>(q * static_cast<double>(micros.size() - 1))]; };
    return {at(0.5), at(0.95)};
}

} // namespace imhere::bench
