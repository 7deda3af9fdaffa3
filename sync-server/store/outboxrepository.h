#pragma once
// Mail waiting to be sent (migration 10), and Slack posts (migration 13): written with what caused it (an
// invitation, a reset link), read and marked by the periodic sender of
// `serve`. Persistence only: when to try again is the domain's
// (service/mail.h).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

class OutboxRepository {
public:
    virtual ~OutboxRepository() = default;

    [[nodiscard]] virtual Result<std::int64_t> queueMail(const NewMail& mail) = 0;
    // Up to `limit` messages due at `nowMs`, oldest first.
    [[nodiscard]] virtual Result<std::vector<QueuedMail>> dueMail(std::int64_t nowMs, std::size_t limit) = 0;
    // Sent: the body (which may hold a link) is blanked.
    [[nodiscard]] virtual Result<void> markMailSent(std::int64_t id, std::int64_t at) = 0;
    // Failed this time: tried again at `nextAttemptAt`, or never when nullopt.
    [[nodiscard]] virtual Result<void> markMailFailed(std::int64_t id, std::int64_t at, const std::string& error,
                                                     std::optional<std::int64_t> nextAttemptAt) = 0;
    [[nodiscard]] virtual Result<OutboxCounts> outboxCounts() = 0;

    // Slack (migration 13). Closing a window queues a post for its course
    // when the course has a webhook, in the transaction of the close
    // (AttendanceRepository::closeWindow, a kiosk's close included).
    [[nodiscard]] virtual Result<std::optional<std::string>> slackWebhook(std::string_view course) = 0;
    // nullopt removes it; posts already waiting go to the webhook the
    // course has when they are sent.
    [[nodiscard]] virtual Result<void> setSlackWebhook(std::string_view course, const std::optional<std::string>& url,
                                                       PersonId actor) = 0;
    // Up to `limit` posts due at `nowMs` and not claimed by a live lease,
    // oldest first, each now claimed until `leaseUntil`.
    [[nodiscard]] virtual Result<std::vector<QueuedSlackPost>> claimSlackPosts(std::int64_t nowMs,
                                                                               std::int64_t leaseUntil,
                                                                               std::size_t limit) = 0;
    // Slack took it (`status`, a 2xx): recorded in one transaction, so it
    // is never claimed again.
    [[nodiscard]] virtual Result<void> markSlackDelivered(std::int64_t id, std::int64_t at, int status) = 0;
    // Failed this time: claimable again at `nextAttemptAt`, or never when nullopt.
    [[nodiscard]] virtual Result<void> markSlackFailed(std::int64_t id, std::int64_t at, std::optional<int> status,
                                                      const std::string& error,
                                                      std::optional<std::int64_t> nextAttemptAt) = 0;
    // Ends every claim: for a server starting, when no other sender can be
    // running (the database lock, cli/databaselock.h).
    [[nodiscard]] virtual Result<void> releaseSlackClaims() = 0;
    [[nodiscard]] virtual Result<SlackOutboxState> slackOutboxOf(std::string_view course) = 0;
};

} // namespace imhere::server
