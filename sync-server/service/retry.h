#pragma once
// How long the senders of `serve` wait before trying a message again (the
// mail outbox, service/mail.h; Slack posts, service/slack.h): the first
// wait after one failure, doubling with each further failure up to the
// longest.
//
// Thread rules: pure functions.

#include <cstdint>

namespace imhere::server {

struct Backoff {
    std::int64_t firstMs = 60'000;
    std::int64_t longestMs = 3'600'000;
};

// The wait before the next attempt after `attemptsMade` failed ones.
[[nodiscard]] std::int64_t retryDelayMs(const Backoff& backoff, int attemptsMade);

} // namespace imhere::server
