#pragma once
// A course's Slack channel (docs/REPORTS.md, "Slack"). A course's teachers
// (or an admin) give it a Slack incoming-webhook URL; when one of its
// windows closes (a teacher, a kiosk or the window's end closing it), the
// close queues a post in the store's outbox in the same transaction
// (OutboxRepository). `serve`'s Slack sender later posts the window's
// written summary as Block Kit with a plain-text fallback, never while a
// request waits:
// - a post is claimed with a lease before it goes, and marked delivered in
//   the transaction that records Slack's 2xx, so once recorded it is never
//   posted again, and a post claimed by a server that stopped is taken up
//   again by the next one;
// - a 5xx or no answer is tried again after 30 s, 1, 2, 4 ... minutes (at
//   most an hour apart); a 429 after its Retry-After; another 4xx (a
//   webhook Slack revoked, a channel archived) is given up at once, as is a
//   post after 10 attempts.
// The webhook URL is a secret: it is shown back only masked.
//
// Thread rules: any thread; deliverDueSlackPosts runs on one thread at a time.

#include "services.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

struct WindowReport;

// What Slack answered one post (sync-server/slack/webhooksender.h).
struct SlackAnswer {
    long status = 0; // 0: no answer (refused, reset, timed out)
    std::string body;
    std::optional<long> retryAfterSec;
    std::string error; // why there was no answer
};
using PostToSlack = std::function<SlackAnswer(const std::string& url, const std::string& json)>;

struct SlackRound {
    int delivered = 0;
    int retrying = 0;
    int givenUp = 0;
};

// Posts what is due now, one post at a time.
[[nodiscard]] Result<SlackRound> deliverDueSlackPosts(Services& services, const PostToSlack& post);

// invalid_request unless `url` is a Slack incoming webhook:
// https://hooks.slack.com/services/T…/B…/secret, or, where the server
// allows it (the slack-loopback setting, for tests and the demo),
// http://127.0.0.1:PORT/… or http://[::1]:PORT/….
[[nodiscard]] Result<void> checkSlackWebhook(std::string_view url, bool allowLoopback);
// "https://hooks.slack.com/services/T…/B…/••••": enough to recognise it,
// not enough to post to it.
[[nodiscard]] std::string maskSlackWebhook(std::string_view url);

// A course's teachers and admins set (or, with nullopt, remove) its webhook.
[[nodiscard]] Result<void> setSlackWebhook(Services& services, const Caller& caller, std::string_view course,
                                           const std::optional<std::string>& url);

// What the course's staff see: the masked webhook and how posts went.
struct SlackStatus {
    std::optional<std::string> maskedWebhook;
    SlackOutboxState outbox;
};
[[nodiscard]] Result<SlackStatus> slackStatus(Services& services, const Caller& caller, std::string_view course);

// A window's summary as a Slack message: a JSON object with `text` (the
// plain-text fallback) and `blocks` (section and context blocks), within
// Slack's limits.
[[nodiscard]] std::string slackMessage(const WindowReport& report);

} // namespace imhere::server
