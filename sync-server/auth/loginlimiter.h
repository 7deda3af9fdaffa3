#pragma once
// Counts failed logins per key (an account's email, a client address) in a
// sliding window; a key with too many recent failures is refused with 429
// before its password is even checked (DESIGN §6).
//
// Over a database several servers share, the attempts are counted there
// (store/attemptlog.h) under the limiter's name, so that the limit holds
// for a client whichever instance it reaches; otherwise in this process.
// When the shared count cannot be read the limiter refuses for
// k_unreadableWaitMs: failing closed, as the database the attempt needs is
// not answering anyway.
//
// Thread rules: all methods may be called from any thread.

#include "sync-server/store/attemptlog.h"

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace imhere::server {

class LoginLimiter {
public:
    LoginLimiter(int maxFailures, std::int64_t windowMs) : m_maxFailures(maxFailures), m_windowMs(windowMs) {}
    // Counting in `shared` under `name`.
    LoginLimiter(int maxFailures, std::int64_t windowMs, AttemptLog* shared, std::string name)
        : m_maxFailures(maxFailures), m_windowMs(windowMs), m_shared(shared), m_name(std::move(name))
    {
    }

    static constexpr std::int64_t k_unreadableWaitMs = 5'000;

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

    [[nodiscard]] std::string sharedKey(const std::string& key) const { return m_name + "/" + key; }

    const int m_maxFailures;
    const std::int64_t m_windowMs;
    AttemptLog* const m_shared = nullptr;
    const std::string m_name;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<std::int64_t>> m_failures;
};

} // namespace imhere::server
