#pragma once
// Owning wrappers for POSIX file descriptors used by the reader workers.

#include "core/result.h"

#include <chrono>
#include <utility>

namespace imhere::hardware {

// Owns one file descriptor and closes it once. Movable, not copyable.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        if (this != &other) {
            reset(std::exchange(other.m_fd, -1));
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool valid() const { return m_fd >= 0; }
    [[nodiscard]] int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// A wake-up flag a worker can poll() on next to its device: stop() sets it
// from the owning thread and the worker's poll returns at once.
// Thread rules: notify() and isSet() from any thread.
class StopSignal {
public:
    StopSignal();
    void notify();
    void clear();
    [[nodiscard]] bool isSet() const;
    // The fd to add to a poll set (readable once notified).
    [[nodiscard]] int fd() const { return m_fd.get(); }
    // Sleeps up to `duration`; returns true if notified meanwhile.
    bool waitFor(std::chrono::milliseconds duration) const;

private:
    UniqueFd m_fd; // eventfd
};

// A connected pair of pipe ends.
struct Pipe {
    UniqueFd readEnd;
    UniqueFd writeEnd;
};
[[nodiscard]] Result<Pipe> makePipe();

// Writes all of `data` to a blocking or non-blocking fd; false on error.
bool writeAll(int fd, const void* data, std::size_t size);

} // namespace imhere::hardware
