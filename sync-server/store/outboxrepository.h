#pragma once
// Mail waiting to be sent (migration 9): written with what caused it (an
// invitation, a reset link), read and marked by the periodic sender of
// `serve`. Persistence only: when to try again is the domain's
// (service/mail.h).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/result.h"

#include <cstddef>
#include <string>
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
};

} // namespace imhere::server
