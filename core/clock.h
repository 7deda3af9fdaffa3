#pragma once
// Time as UTC milliseconds since the Unix epoch, behind an interface so that
// tests and the demo can set it.

#include <atomic>
#include <cstdint>

namespace imhere {

// Thread rules: nowMs() may be called from any thread.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual std::int64_t nowMs() const = 0;
};

// Wall-clock time (CLOCK_REALTIME).
class SystemClock final : public Clock {
public:
    [[nodiscard]] std::int64_t nowMs() const override;
};

// Milliseconds on the monotonic clock (CLOCK_MONOTONIC, std::chrono::
// steady_clock) from an arbitrary start: for how long something lasts, never
// for a date. It does not move when the wall clock is set or a sync corrects
// it.
class SteadyClock final : public Clock {
public:
    [[nodiscard]] std::int64_t nowMs() const override;
};

// A clock that only moves when told to; safe to move from another thread.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startMs = 0) : m_nowMs(startMs) {}
    [[nodiscard]] std::int64_t nowMs() const override { return m_nowMs.load(); }
    void set(std::int64_t ms) { m_nowMs.store(ms); }
    void advance(std::int64_t ms) { m_nowMs.fetch_add(ms); }

private:
    std::atomic<std::int64_t> m_nowMs;
};

// A clock that adds a measured offset to another clock: the kiosk's view of
// server time (DESIGN §4, "codes on corrected time").
class OffsetClock final : public Clock {
public:
    explicit OffsetClock(const Clock& base) : m_base(base) {}
    [[nodiscard]] std::int64_t nowMs() const override { return m_base.nowMs() + m_offsetMs.load(); }
    void setOffsetMs(std::int64_t offset) { m_offsetMs.store(offset); }
    [[nodiscard]] std::int64_t offsetMs() const { return m_offsetMs.load(); }

private:
    const Clock& m_base;
    std::atomic<std::int64_t> m_offsetMs{0};
};

} // namespace imhere
