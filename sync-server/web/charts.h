#pragma once
// Charts as inline SVG, drawn on the server: no JavaScript, a title and a
// description that screen readers announce (role="img", aria-labelledby),
// and a viewBox that scales to the column at 360 px. Every chart a page
// shows sits next to a table of the same figures.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::web {

struct ChartSeries {
    std::string name;
    std::vector<std::optional<double>> values; // one per label; none: a gap
    std::string colour;                        // an SVG paint such as #1d70b8
    bool dashed = false;
};

// Lines over categories (weeks, windows) on a 0..maxY scale; `unit` follows
// the axis numbers ("%"). `id` must be unique on the page.
[[nodiscard]] std::string lineChart(std::string_view id, std::string_view title, std::string_view description,
                                    const std::vector<std::string>& labels, const std::vector<ChartSeries>& series,
                                    double maxY = 100, std::string_view unit = "%");

// Grouped bars: one group per label, one bar per series.
[[nodiscard]] std::string barChart(std::string_view id, std::string_view title, std::string_view description,
                                   const std::vector<std::string>& labels, const std::vector<ChartSeries>& series,
                                   std::optional<double> maxY = std::nullopt, std::string_view unit = "");

} // namespace imhere::web
