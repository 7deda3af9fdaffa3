#include "charts.h"

#include "html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace imhere::web {

namespace {

constexpr double k_width = 400;
constexpr double k_height = 250;
constexpr double k_left = 44;
constexpr double k_right = 12;
constexpr double k_top = 16;
constexpr double k_bottom = 56; // axis labels and the legend

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s(buf);
    if (s.ends_with(".0"))
        s.resize(s.size() - 2);
    return s;
}

// A tidy step for about four grid lines up to maxY.
double gridStep(double maxY)
{
    const double raw = maxY / 4;
    const double magnitude = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * magnitude >= raw)
            return m * magnitude;
    return 10 * magnitude;
}

std::string open(std::string_view id, std::string_view title, std::string_view description)
{
    const std::string i = escape(id);
    return "<figure class=\"chart\"><svg viewBox=\"0 0 " + num(k_width) + " " + num(k_height)
        + "\" role=\"img\" aria-labelledby=\"" + i + "-title " + i + "-desc\" focusable=\"false\">"
        + "<title id=\"" + i + "-title\">" + escape(title) + "</title><desc id=\"" + i + "-desc\">"
        + escape(description) + "</desc>";
}

// The frame: horizontal grid lines with their values, and the category labels.
std::string axes(const std::vector<std::string>& labels, double maxY, std::string_view unit, double slot)
{
    std::string s;
    const double plotH = k_height - k_top - k_bottom;
    const double step = gridStep(maxY);
    for (double v = 0; v <= maxY + 1e-9; v += step) {
        const double y = k_top + plotH * (1 - v / maxY);
        s += "<line x1=\"" + num(k_left) + "\" x2=\"" + num(k_width - k_right) + "\" y1=\"" + num(y) + "\" y2=\""
            + num(y) + "\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>";
        s += "<text x=\"" + num(k_left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\" font-size=\"13\" "
             "fill=\"#0b0c0c\">" + num(v) + escape(unit) + "</text>";
    }
    // At most six category labels, evenly picked, so they never overlap.
    const std::size_t every = std::max<std::size_t>(1, (labels.size() + 5) / 6);
    for (std::size_t i = 0; i < labels.size(); i += every) {
        const double x = k_left + slot * (static_cast<double>(i) + 0.5);
        s += "<text x=\"" + num(x) + "\" y=\"" + num(k_height - k_bottom + 16) + "\" text-anchor=\"middle\" "
             "font-size=\"13\" fill=\"#0b0c0c\">" + escape(labels[i]) + "</text>";
    }
    return s;
}

std::string legend(const std::vector<ChartSeries>& series)
{
    std::string s;
    double x = k_left;
    const double y = k_height - 14;
    for (const ChartSeries& c : series) {
        s += "<rect x=\"" + num(x) + "\" y=\"" + num(y - 10) + "\" width=\"14\" height=\"" + (c.dashed ? "4" : "10")
            + "\" fill=\"" + escape(c.colour) + "\"/>";
        s += "<text x=\"" + num(x + 20) + "\" y=\"" + num(y) + "\" font-size=\"13\" fill=\"#0b0c0c\">"
            + escape(c.name) + "</text>";
        x += 32 + 7.5 * static_cast<double>(c.name.size());
    }
    return s;
}

double maxOf(const std::vector<ChartSeries>& series)
{
    double m = 0;
    for (const ChartSeries& c : series)
        for (const auto& v : c.values)
            if (v)
                m = std::max(m, *v);
    return m;
}

} // namespace

std::string lineChart(std::string_view id, std::string_view title, std::string_view description,
                      const std::vector<std::string>& labels, const std::vector<ChartSeries>& series, double maxY,
                      std::string_view unit)
{
    const double plotW = k_width - k_left - k_right;
    const double plotH = k_height - k_top - k_bottom;
    const double slot = labels.empty() ? plotW : plotW / static_cast<double>(labels.size());
    std::string s = open(id, title, description) + axes(labels, maxY, unit, slot);
    for (const ChartSeries& c : series) {
        std::string path;
        bool pen = false;
        std::string dots;
        for (std::size_t i = 0; i < c.values.size() && i < labels.size(); ++i) {
            if (!c.values[i]) {
                pen = false;
                continue;
            }
            const double x = k_left + slot * (static_cast<double>(i) + 0.5);
            const double y = k_top + plotH * (1 - std::clamp(*c.values[i], 0.0, maxY) / maxY);
            path += std::string(pen ? " L" : " M") + num(x) + " " + num(y);
            pen = true;
            dots += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + escape(c.colour) + "\"/>";
        }
        if (!path.empty())
            s += "<path d=\"" + path.substr(1) + "\" fill=\"none\" stroke=\"" + escape(c.colour)
                + "\" stroke-width=\"2.5\"" + (c.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>";
        s += dots;
    }
    return s + legend(series) + "</svg></figure>";
}

std::string barChart(std::string_view id, std::string_view title, std::string_view description,
                     const std::vector<std::string>& labels, const std::vector<ChartSeries>& series,
                     std::optional<double> maxY, std::string_view unit)
{
    const double top = maxY.value_or(std::max(1.0, std::ceil(maxOf(series))));
    const double plotW = k_width - k_left - k_right;
    const double plotH = k_height - k_top - k_bottom;
    const double slot = labels.empty() ? plotW : plotW / static_cast<double>(labels.size());
    std::string s = open(id, title, description) + axes(labels, top, unit, slot);
    const double barW = series.empty() ? 0 : slot * 0.8 / static_cast<double>(series.size());
    for (std::size_t k = 0; k < series.size(); ++k) {
        const ChartSeries& c = series[k];
        for (std::size_t i = 0; i < c.values.size() && i < labels.size(); ++i) {
            if (!c.values[i])
                continue;
            const double h = plotH * std::clamp(*c.values[i], 0.0, top) / top;
            const double x = k_left + slot * static_cast<double>(i) + slot * 0.1 + barW * static_cast<double>(k);
            s += "<rect x=\"" + num(x) + "\" y=\"" + num(k_top + plotH - h) + "\" width=\"" + num(std::max(barW - 1, 1.0))
                + "\" height=\"" + num(h) + "\" fill=\"" + escape(c.colour) + "\"/>";
        }
    }
    return s + legend(series) + "</svg></figure>";
}

} // namespace imhere::web
