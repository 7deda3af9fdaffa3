#include "metrics.h"

#include <algorithm>
#include <cmath>
#include <charconv>

namespace imhere::server::observe {

std::string formatValue(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    // The shortest text that reads back as the same double.
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, v);
    return ec == std::errc{} ? std::string(text, end) : std::string("NaN");
}

std::string escapeLabelValue(std::string_view v)
{
    std::string out;
    out.reserve(v.size());
    for (const char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

Histogram::Histogram(std::span<const double> bounds)
    : m_bounds(bounds.begin(), bounds.end()), m_counts(bounds.size() + 1, 0)
{
}

void Histogram::observe(double v)
{
    const auto bucket = static_cast<std::size_t>(std::lower_bound(m_bounds.begin(), m_bounds.end(), v) - m_bounds.begin());
    std::lock_guard lock(m_mutex);
    ++m_counts[bucket];
    m_sum += v;
    ++m_count;
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot s;
    s.bounds = m_bounds;
    std::lock_guard lock(m_mutex);
    std::uint64_t running = 0;
    for (const auto n : m_counts) {
        running += n;
        s.cumulative.push_back(running);
    }
    s.sum = m_sum;
    s.count = m_count;
    return s;
}

FamilyBase::FamilyBase(std::string name, std::string help, std::vector<std::string> labelNames)
    : m_name(std::move(name)), m_help(std::move(help)), m_labelNames(std::move(labelNames))
{
}

std::string FamilyBase::series(std::string_view suffix, const Labels& values, std::string_view extraName,
                               std::string_view extraValue) const
{
    std::string out = m_name;
    out += suffix;
    std::string labels;
    for (std::size_t i = 0; i < m_labelNames.size() && i < values.size(); ++i)
        labels += (labels.empty() ? "" : ",") + m_labelNames[i] + "=\"" + escapeLabelValue(values[i]) + "\"";
    if (!extraName.empty())
        labels += (labels.empty() ? "" : ",") + std::string(extraName) + "=\"" + std::string(extraValue) + "\"";
    if (!labels.empty())
        out += "{" + labels + "}";
    return out;
}

void FamilyBase::header(std::string& out, std::string_view type) const
{
    out += "# HELP " + m_name + " " + m_help + "\n";
    out += "# TYPE " + m_name + " " + std::string(type) + "\n";
}

template <>
void Family<Counter>::render(std::string& out) const
{
    header(out, "counter");
    std::lock_guard lock(m_mutex);
    for (const auto& [labels, child] : m_children)
        out += series("", labels) + " " + std::to_string(child->value()) + "\n";
}

template <>
void Family<Gauge>::render(std::string& out) const
{
    header(out, "gauge");
    std::lock_guard lock(m_mutex);
    for (const auto& [labels, child] : m_children)
        out += series("", labels) + " " + formatValue(child->value()) + "\n";
}

template <>
void Family<Histogram>::render(std::string& out) const
{
    header(out, "histogram");
    std::lock_guard lock(m_mutex);
    for (const auto& [labels, child] : m_children) {
        const auto s = child->snapshot();
        for (std::size_t i = 0; i < s.bounds.size(); ++i)
            out += series("_bucket", labels, "le", formatValue(s.bounds[i])) + " " + std::to_string(s.cumulative[i])
                + "\n";
        out += series("_bucket", labels, "le", "+Inf") + " " + std::to_string(s.cumulative.back()) + "\n";
        out += series("_sum", labels) + " " + formatValue(s.sum) + "\n";
        out += series("_count", labels) + " " + std::to_string(s.count) + "\n";
    }
}

Family<Counter>& MetricsRegistry::counter(std::string name, std::string help, std::vector<std::string> labelNames)
{
    auto family = std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(labelNames));
    auto& ref = *family;
    m_families.push_back(std::move(family));
    return ref;
}

Family<Gauge>& MetricsRegistry::gauge(std::string name, std::string help, std::vector<std::string> labelNames)
{
    auto family = std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(labelNames));
    auto& ref = *family;
    m_families.push_back(std::move(family));
    return ref;
}

Family<Histogram>& MetricsRegistry::histogram(std::string name, std::string help, std::vector<std::string> labelNames,
                                              std::vector<double> bounds)
{
    auto family = std::make_unique<Family<Histogram>>(std::move(name), std::move(help), std::move(labelNames),
                                                      std::move(bounds));
    auto& ref = *family;
    m_families.push_back(std::move(family));
    return ref;
}

std::string MetricsRegistry::render() const
{
    std::string out;
    for (const auto& family : m_families)
        family->render(out);
    return out;
}

} // namespace imhere::server::observe
