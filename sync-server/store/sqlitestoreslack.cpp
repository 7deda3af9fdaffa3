// SqliteStore: a course's Slack webhook and the posts waiting for it
// (migration 13).

#include "sqlitestore.h"

#include "core/result.h"

namespace imhere::server {

Result<void> SqliteStore::queueSlackPost(std::string_view window)
{
    const auto now = m_clock.nowMs();
    TRY_ASSIGN(s, query("INSERT INTO slack_outbox(course, window_id, created_at, next_attempt_at)"
                        " SELECT c.id, w.id, ?1, ?1 FROM attendance_window w JOIN course c ON c.id = w.course"
                        " WHERE w.id = ?2 AND c.slack_webhook IS NOT NULL AND c.removed = 0"));
    return s->bindAll(now, window).run();
}

Result<std::optional<std::string>> SqliteStore::slackWebhook(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT slack_webhook FROM course WHERE id = ? AND removed = 0"));
    TRY_ASSIGN(row, s->bind(1, course).step());
    if (!row)
        return fail(Errc::NotFound, "no such course");
    return s->optionalTextAt(0);
}

Result<void> SqliteStore::setSlackWebhook(std::string_view course, const std::optional<std::string>& url, PersonId)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE course SET slack_webhook = ? WHERE id = ? AND removed = 0"));
        TRY(s->bindAll(url, course).run());
        if (m_db.changes() == 0)
            return fail(Errc::NotFound, "no such course");
        return {};
    });
}

Result<std::vector<QueuedSlackPost>> SqliteStore::claimSlackPosts(std::int64_t nowMs, std::int64_t leaseUntil,
                                                                  std::size_t limit)
{
    std::vector<QueuedSlackPost> claimed;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("SELECT o.id, o.course, o.window_id, c.slack_webhook, o.attempts FROM slack_outbox o"
                            " JOIN course c ON c.id = o.course"
                            " WHERE o.delivered_at IS NULL AND o.given_up_at IS NULL AND o.next_attempt_at <= ?1"
                            " AND (o.lease_until IS NULL OR o.lease_until <= ?1) ORDER BY o.next_attempt_at, o.id"
                            " LIMIT ?2"));
        s->bindAll(nowMs, static_cast<std::int64_t>(limit));
        TRY_ASSIGN(rows, s->collect([](Statement& row) {
            return QueuedSlackPost{row.int64At(0), row.textAt(1), row.textAt(2), row.optionalTextAt(3),
                                   row.intAt(4)};
        }));
        TRY_ASSIGN(lease, query("UPDATE slack_outbox SET lease_until = ? WHERE id = ?"));
        for (const QueuedSlackPost& post : rows) {
            lease->reset();
            TRY(lease->bindAll(leaseUntil, post.id).run());
        }
        claimed = std::move(rows);
        return {};
    }));
    return claimed;
}

Result<void> SqliteStore::markSlackDelivered(std::int64_t id, std::int64_t at, int status)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE slack_outbox SET delivered_at = ?1, last_attempt_at = ?1, last_status = ?2,"
                            " attempts = attempts + 1,"
                            " lease_until = NULL, last_error = NULL WHERE id = ?3 AND delivered_at IS NULL"));
        return s->bindAll(at, status, id).run();
    });
}

Result<void> SqliteStore::markSlackFailed(std::int64_t id, std::int64_t at, std::optional<int> status,
                                          const std::string& error, std::optional<std::int64_t> nextAttemptAt)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE slack_outbox SET attempts = attempts + 1, last_status = ?1, last_error = ?2, last_attempt_at = ?4,"
                            " next_attempt_at = coalesce(?3, next_attempt_at), lease_until = NULL,"
                            " given_up_at = CASE WHEN ?3 IS NULL THEN ?4 END"
                            " WHERE id = ?5 AND delivered_at IS NULL"));
        return s->bindAll(status, error, nextAttemptAt, at, id).run();
    });
}

Result<void> SqliteStore::releaseSlackClaims()
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE slack_outbox SET lease_until = NULL WHERE lease_until IS NOT NULL"
                            " AND delivered_at IS NULL"));
        return s->run();
    });
}

Result<SlackOutboxState> SqliteStore::slackOutboxOf(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    SlackOutboxState state;
    TRY_ASSIGN(counts, query("SELECT count(delivered_at), count(*) FILTER (WHERE delivered_at IS NULL AND"
                             " given_up_at IS NULL), count(given_up_at), max(delivered_at) FROM slack_outbox"
                             " WHERE course = ?"));
    TRY(counts->bind(1, course).step());
    state.delivered = counts->int64At(0);
    state.waiting = counts->int64At(1);
    state.givenUp = counts->int64At(2);
    state.lastDeliveredAt = counts->optionalInt64At(3);
    // The latest post that failed and was not delivered since.
    TRY_ASSIGN(s, query("SELECT window_id, attempts, last_status, coalesce(last_error, ''),"
                        " CASE WHEN given_up_at IS NULL THEN next_attempt_at END, last_attempt_at"
                        " FROM slack_outbox WHERE course = ? AND delivered_at IS NULL AND attempts > 0"
                        " ORDER BY id DESC LIMIT 1"));
    s->bind(1, course);
    TRY_ASSIGN(problem, s->first([](Statement& row) {
        const auto status = row.optionalInt64At(2);
        return SlackPostProblem{row.textAt(0), row.intAt(1),
                                status ? std::optional(static_cast<int>(*status)) : std::nullopt, row.textAt(3),
                                row.optionalInt64At(4), row.int64At(5)};
    }));
    state.problem = std::move(problem);
    return state;
}

} // namespace imhere::server
