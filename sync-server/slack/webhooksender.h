#pragma once
// Posts one JSON body to a Slack incoming webhook with libcurl and says how
// it went: the HTTP status, Slack's answer, and a 429's Retry-After. Knows
// nothing of the outbox: the caller decides what a failure means
// (service/slack.h).
//
// Thread rules: one post() at a time per WebhookSender; no shared state.

#include <optional>
#include <string>

namespace imhere::server {

struct WebhookOutcome {
    long status = 0;                      // the HTTP status, 0 when there was no answer
    std::string body;                     // Slack's answer ("ok", or a reason such as "invalid_payload")
    std::optional<long> retryAfter;       // a 429's Retry-After, in seconds
    std::string error;                    // libcurl's reason when there was no answer
};

class WebhookSender {
public:
    explicit WebhookSender(long timeoutSec) : m_timeoutSec(timeoutSec) {}
    // `url` has been checked (service/slack.h): https, or http on loopback
    // where the server allows it.
    [[nodiscard]] WebhookOutcome post(const std::string& url, const std::string& json) const;

private:
    long m_timeoutSec;
};

} // namespace imhere::server
