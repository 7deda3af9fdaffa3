#pragma once
// Mail the server sends (invitations and password links): queued in the
// store's outbox by the use case that causes it, in the same transaction,
// and sent later by `serve`'s periodic sender, never while a request waits.
// A failed message is tried again after 1, 2, 4 ... minutes (at most an
// hour apart), and given up after 10 attempts or a permanent refusal.
//
// Thread rules: any thread; deliverDueMail runs on one thread at a time.

#include "services.h"

#include <functional>
#include <string>

namespace imhere::server {

// What sending one message came to.
struct MailAttempt {
    bool sent = false;
    bool permanent = false; // refused for good (an SMTP 5xx): no retry
    std::string error;
};
using SendMail = std::function<MailAttempt(const NewMail&)>;

struct MailRound {
    int sent = 0;
    int retrying = 0;
    int givenUp = 0;
};

// Sends what is due now, one message at a time.
[[nodiscard]] Result<MailRound> deliverDueMail(Services& services, const SendMail& send);

// The wait before the next attempt after `attemptsMade` failed ones.
[[nodiscard]] std::int64_t mailRetryDelayMs(int attemptsMade);

} // namespace imhere::server
