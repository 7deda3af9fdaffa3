#pragma once
// Counts failed logins per key (an account's email, a client address) in a
// sliding window; a key with too many recent failures is refused with 429
// before its password is even checked (DESIGN §6).
//
// Thread rules: all methods may be called from any thread.

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace imhere::server {

class LoginLimiter {
public:
    LoginLimiter(int maxFailures, std::int64_t windowMs) : m_maxFailures(maxFailures), m_windowMs(windowMs) {}

    // Milliseconds until `key` may try again; 0 when it may now.
    [[nodiscard]] std::int64_t retryAfterMs(const std::string& key, std::int64_t nowMs);
    // Checks and counts an attempt in one step, so that attempts made in
    // parallel cannot pass the limit between a check and a count: 0 and
    // the attempt counted as a failure (until release() or reset()), or
    // the milliseconds to wait and nothing counted.
    [[nodiscard]] std::int64_t admit(const std::string& key, std::int64_t nowMs);
    // Forgets one attempt admit() counted at `atMs` (it succeeded).
    void release(const std::string& key, std::int64_t atMs);
    void recordFailure(const std::string& key, std::int64_t nowMs);
    void reset(const std::string& key);

private:
    void prune(std::int64_t nowMs);
    std::int64_t waitLocked(const std::string& key, std::int64_t nowMs);

    const int m_maxFailures;
    const std::int64_t m_windowMs;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<std::int64_t>> m_failures;
};

} // namespace imhere::server
