#pragma once
// One row of the table bench/run.sh prints: a figure, the floor it is held
// against (measured in the same run) and their ratio. Each bench prints its
// own report as before and, beside it, a line per figure starting "TABLE|"
// that run.sh collects into one table.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace imhere::bench {

struct Quantiles {
    double p50 = 0;
    double p99 = 0;
};

// The nearest-rank 50th and 99th percentiles of `v` (zeros when empty).
inline Quantiles quantilesOf(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::ranges::sort(v);
    auto at = [&v](double q) {
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
        return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
    };
    return {at(0.50), at(0.99)};
}

// 12345 -> "12345", 52.19 -> "52.2", 0.2601 -> "0.260", 0.001082 -> "0.00108".
inline std::string figureText(double v)
{
    char out[32];
    const double a = v < 0 ? -v : v;
    std::snprintf(out, sizeof out, a >= 1000 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
    return out;
}

// `value` and `floor` in the same unit; the ratio is value ÷ floor.
inline void tableRow(const char* figure, double value, const char* floor, double floorValue, const char* unit)
{
    std::printf("TABLE|%s|%s %s|%s|%s %s|%s\n", figure, figureText(value).c_str(), unit, floor,
                figureText(floorValue).c_str(), unit, floorValue > 0 ? figureText(value / floorValue).c_str() : "");
    std::fflush(stdout);
}

// A figure with no physical floor to hold it against (memory, a cold start).
inline void tableFigure(const char* figure, double value, const char* unit, const char* note)
{
    std::printf("TABLE|%s|%s %s|%s||\n", figure, figureText(value).c_str(), unit, note);
    std::fflush(stdout);
}

} // namespace imhere::bench
