#include "mail.h"
#include "retry.h"

#include "sync-server/serverlimits.h"

namespace imhere::server {

std::int64_t mailRetryDelayMs(int attemptsMade)
{
    return retryDelayMs({limits::k_mailFirstRetryMs, limits::k_mailLongestRetryMs}, attemptsMade);
}

Result<MailRound> deliverDueMail(Services& services, const SendMail& send)
{
    MailRound round;
    TRY_ASSIGN(due, services.store.outbox().dueMail(services.clock.nowMs(), limits::k_mailPerRound));
    for (const QueuedMail& queued : due) {
        const MailAttempt attempt = send(queued.mail);
        const std::int64_t now = services.clock.nowMs();
        if (attempt.sent) {
            TRY(services.store.outbox().markMailSent(queued.id, now));
            ++round.sent;
            continue;
        }
        const int made = queued.attempts + 1;
        const bool giveUp = attempt.permanent || made >= limits::k_mailMaxAttempts;
        TRY(services.store.outbox().markMailFailed(queued.id, now, attempt.error.substr(0, 500),
                                                   giveUp ? std::nullopt
                                                          : std::optional(now + mailRetryDelayMs(made))));
        ++(giveUp ? round.givenUp : round.retrying);
    }
    return round;
}

} // namespace imhere::server
