// PgStore: Slack posts (OutboxRepository). A post is claimed with a lease
// before it is sent; with several instances their senders claim with
// FOR UPDATE SKIP LOCKED, so two never take the same post, and a post whose
// instance died is claimable again when its lease ends.

#include "pgstore.h"

#include <algorithm>

namespace imhere::server {

Result<std::optional<std::string>> PgStore::slackWebhook(std::string_view course)
{
    std::optional<std::string> url;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT slack_webhook FROM course WHERE id = $1 AND removed = 0"));
        TRY_ASSIGN(row, s->bind(1, course).step());
        if (!row)
            return fail(Errc::NotFound, "no such course");
        url = s->optionalTextAt(0);
        return {};
    }));
    return url;
}

Result<void> PgStore::setSlackWebhook(std::string_view course, const std::optional<std::string>& url, PersonId)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE course SET slack_webhook = $1 WHERE id = $2 AND removed = 0"));
        TRY(s->bindAll(url, course).run());
        if (s->affected() == 0)
            return fail(Errc::NotFound, "no such course");
        return {};
    });
}

Result<std::vector<QueuedSlackPost>> PgStore::claimSlackPosts(std::int64_t nowMs, std::int64_t leaseUntil,
                                                              std::size_t limit)
{
    std::vector<QueuedSlackPost> claimed;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("WITH due AS (SELECT id FROM slack_outbox"
                               " WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= $1"
                               " AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt_at, id"
                               " LIMIT $2 FOR UPDATE SKIP LOCKED)"
                               " UPDATE slack_outbox o SET lease_until = $3 FROM due, course c"
                               " WHERE o.id = due.id AND c.id = o.course"
                               " RETURNING o.id, o.course, o.window_id, c.slack_webhook, o.attempts, o.next_attempt_at"));
        s->bindAll(nowMs, static_cast<std::int64_t>(limit), leaseUntil);
        std::vector<std::pair<std::int64_t, QueuedSlackPost>> rows;
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            rows.push_back({s->int64At(5), QueuedSlackPost{s->int64At(0), s->textAt(1), s->textAt(2),
                                                           s->optionalTextAt(3), s->intAt(4)}});
        }
        // RETURNING has no order: oldest first, as the SELECT chose them.
        std::ranges::sort(rows, [](const auto& a, const auto& b) {
            return std::pair(a.first, a.second.id) < std::pair(b.first, b.second.id);
        });
        claimed.clear();
        for (auto& [due, post] : rows)
            claimed.push_back(std::move(post));
        return {};
    }));
    return claimed;
}

Result<void> PgStore::markSlackDelivered(std::int64_t id, std::int64_t at, int status)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE slack_outbox SET delivered_at = $1, last_attempt_at = $1, last_status = $2,"
                               " attempts = attempts + 1, lease_until = NULL, last_error = NULL"
                               " WHERE id = $3 AND delivered_at IS NULL"));
        return s->bindAll(at, status, id).run();
    });
}

Result<void> PgStore::markSlackFailed(std::int64_t id, std::int64_t at, std::optional<int> status,
                                      const std::string& error, std::optional<std::int64_t> nextAttemptAt)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE slack_outbox SET attempts = attempts + 1, last_status = $1, last_error = $2,"
                               " last_attempt_at = $4, next_attempt_at = coalesce($3::bigint, next_attempt_at),"
                               " lease_until = NULL, given_up_at = CASE WHEN $3::bigint IS NULL THEN $4::bigint END"
                               " WHERE id = $5 AND delivered_at IS NULL"));
        return s->bindAll(status, error, nextAttemptAt, at, id).run();
    });
}

// As in SQLite: for one server starting alone. With several instances over
// one database a starting instance must not end the others' claims; their
// leases end by themselves (which `serve` on PostgreSQL will rely on).
Result<void> PgStore::releaseSlackClaims()
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE slack_outbox SET lease_until = NULL WHERE lease_until IS NOT NULL"
                               " AND delivered_at IS NULL"));
        return s->run();
    });
}

Result<SlackOutboxState> PgStore::slackOutboxOf(std::string_view course)
{
    SlackOutboxState state;
    TRY(snapshot([&](PgConnection& db) -> Result<void> {
        state = SlackOutboxState{};
        TRY_ASSIGN(counts, db.query("SELECT count(delivered_at), count(*) FILTER (WHERE delivered_at IS NULL AND"
                                    " given_up_at IS NULL), count(given_up_at), max(delivered_at) FROM slack_outbox"
                                    " WHERE course = $1"));
        TRY(counts->bind(1, course).step());
        state.delivered = counts->int64At(0);
        state.waiting = counts->int64At(1);
        state.givenUp = counts->int64At(2);
        state.lastDeliveredAt = counts->optionalInt64At(3);
        // The latest post that failed and was not delivered since.
        TRY_ASSIGN(s, db.query("SELECT window_id, attempts, last_status, coalesce(last_error, ''),"
                               " CASE WHEN given_up_at IS NULL THEN next_attempt_at END, last_attempt_at"
                               " FROM slack_outbox WHERE course = $1 AND delivered_at IS NULL AND attempts > 0"
                               " ORDER BY id DESC LIMIT 1"));
        TRY_ASSIGN(row, s->bind(1, course).step());
        if (row) {
            const auto status = s->optionalInt64At(2);
            state.problem = SlackPostProblem{s->textAt(0), s->intAt(1),
                                             status ? std::optional(static_cast<int>(*status)) : std::nullopt,
                                             s->textAt(3), s->optionalInt64At(4), s->int64At(5)};
        }
        return {};
    }));
    return state;
}

} // namespace imhere::server
