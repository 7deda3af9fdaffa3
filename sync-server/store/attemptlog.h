#pragma once
// Attempts counted per key in a sliding window (failed sign-ins, wrong
// phone link codes, remote check-in requests), kept in the database so that
// every server instance over it counts the same attempts: with two
// instances behind a load balancer, a client gets the budget once, not once
// per instance. auth/loginlimiter.h is the rule; this is its storage when
// the database is shared. A store with one server (SQLite) has none, and
// the limiter counts in memory.
//
// `key` names the limiter and the client ("sign-in/account:ana@…").
// Thread rules: any thread; see store.h.

#include "core/result.h"

#include <cstdint>
#include <string_view>

namespace imhere::server {

class AttemptLog {
public:
    virtual ~AttemptLog() = default;

    // Milliseconds until `key` may try again (0: now), with at most `max`
    // attempts in any `windowMs`.
    [[nodiscard]] virtual Result<std::int64_t> attemptWait(std::string_view key, std::int64_t nowMs,
                                                           std::int64_t windowMs, int max) = 0;
    // The same check and, when it passes, the attempt counted, in one step
    // that attempts made at once through any instance cannot slip between.
    [[nodiscard]] virtual Result<std::int64_t> admitAttempt(std::string_view key, std::int64_t nowMs,
                                                            std::int64_t windowMs, int max) = 0;
    // Counts an attempt, keeping no more than `max` for the key.
    [[nodiscard]] virtual Result<void> recordAttempt(std::string_view key, std::int64_t nowMs, std::int64_t windowMs,
                                                     int max) = 0;
    // Forgets one attempt counted at `atMs` (it succeeded).
    [[nodiscard]] virtual Result<void> forgetAttempt(std::string_view key, std::int64_t atMs) = 0;
    // Forgets every attempt of `key`.
    [[nodiscard]] virtual Result<void> forgetAttempts(std::string_view key) = 0;
};

} // namespace imhere::server
