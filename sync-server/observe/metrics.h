#pragma once
// Counters, gauges and histograms with labels, rendered in the Prometheus
// text exposition format (version 0.0.4). Families are registered once, at
// start; a labelled child is made on first use and lives as long as the
// registry, so references to children stay valid.
//
// Thread rules: register families from one thread before any use; after
// that with(), the children's methods and render() from any thread.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace imhere::server::observe {

class Counter {
public:
    void add(std::uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

class Gauge {
public:
    void set(double v) { m_value.store(v, std::memory_order_relaxed); }
    [[nodiscard]] double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Histogram {
public:
    // `bounds`: the upper bounds of the buckets, ascending; +Inf is implied.
    explicit Histogram(std::span<const double> bounds);
    void observe(double v);

    struct Snapshot {
        std::vector<double> bounds;
        std::vector<std::uint64_t> cumulative; // one per bound, then +Inf
        double sum = 0;
        std::uint64_t count = 0;
    };
    [[nodiscard]] Snapshot snapshot() const;

private:
    const std::vector<double> m_bounds;
    mutable std::mutex m_mutex;
    std::vector<std::uint64_t> m_counts; // per bucket, not cumulative; last is +Inf
    double m_sum = 0;
    std::uint64_t m_count = 0;
};

using Labels = std::vector<std::string>;

class FamilyBase {
public:
    FamilyBase(std::string name, std::string help, std::vector<std::string> labelNames);
    virtual ~FamilyBase() = default;
    virtual void render(std::string& out) const = 0;

protected:
    // name{label="value",...} with the given extra label last (for "le").
    [[nodiscard]] std::string series(std::string_view suffix, const Labels& values,
                                     std::string_view extraName = {}, std::string_view extraValue = {}) const;
    void header(std::string& out, std::string_view type) const;

    const std::string m_name;
    const std::string m_help;
    const std::vector<std::string> m_labelNames;
    mutable std::mutex m_mutex;
};

template <class Metric>
class Family final : public FamilyBase {
public:
    Family(std::string name, std::string help, std::vector<std::string> labelNames, std::vector<double> bounds = {})
        : FamilyBase(std::move(name), std::move(help), std::move(labelNames)), m_bounds(std::move(bounds))
    {
    }

    // The child for these label values (one per label name, in order).
    Metric& with(const Labels& values)
    {
        std::lock_guard lock(m_mutex);
        auto& child = m_children[values];
        if (!child)
            child = make();
        return *child;
    }

    void render(std::string& out) const override;

private:
    std::unique_ptr<Metric> make() const
    {
        if constexpr (std::is_same_v<Metric, Histogram>)
            return std::make_unique<Histogram>(m_bounds);
        else
            return std::make_unique<Metric>();
    }

    const std::vector<double> m_bounds;
    std::map<Labels, std::unique_ptr<Metric>> m_children;
};

template <>
void Family<Counter>::render(std::string& out) const;
template <>
void Family<Gauge>::render(std::string& out) const;
template <>
void Family<Histogram>::render(std::string& out) const;

class MetricsRegistry {
public:
    Family<Counter>& counter(std::string name, std::string help, std::vector<std::string> labelNames = {});
    Family<Gauge>& gauge(std::string name, std::string help, std::vector<std::string> labelNames = {});
    Family<Histogram>& histogram(std::string name, std::string help, std::vector<std::string> labelNames,
                                 std::vector<double> bounds);

    // Every family in the order registered, as text/plain; version=0.0.4.
    [[nodiscard]] std::string render() const;

private:
    std::vector<std::unique_ptr<FamilyBase>> m_families;
};

// A number as Prometheus writes it: integers without a fraction, +Inf, NaN.
[[nodiscard]] std::string formatValue(double v);
// A label value with \, " and newline escaped.
[[nodiscard]] std::string escapeLabelValue(std::string_view v);

} // namespace imhere::server::observe
