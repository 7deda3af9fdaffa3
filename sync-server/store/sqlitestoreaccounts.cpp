// SqliteStore: sessions of one person, links to set a password, and the
// mail outbox (migration 9).

#include "sqlitestore.h"

#include "core/result.h"

namespace imhere::server {

namespace {

std::string_view purposeText(AccountLinkPurpose purpose)
{
    return purpose == AccountLinkPurpose::Invitation ? "invitation" : "reset";
}

} // namespace

Result<std::int64_t> SqliteStore::deleteSessionsOf(PersonId person, const std::optional<Bytes>& keep)
{
    std::int64_t ended = 0;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("DELETE FROM session WHERE person = ? AND (?2 IS NULL OR token_hash <> ?2)"));
        s->bind(1, person);
        keep ? s->bindBlob(2, *keep) : s->bind(2, nullptr);
        TRY(s->run());
        ended = m_db.changes();
        return {};
    }));
    return ended;
}

Result<void> SqliteStore::touchSession(const Bytes& tokenHash, std::int64_t at)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE session SET last_used_at = ? WHERE token_hash = ? AND last_used_at < ?1"));
        s->bind(1, at).bindBlob(2, tokenHash);
        return s->run();
    });
}

Result<std::int64_t> SqliteStore::insertMail(const NewMail& mail)
{
    TRY_ASSIGN(s, query("INSERT INTO mail_outbox(recipient, subject, body, created_at, next_attempt_at)"
                        " VALUES(?, ?, ?, ?, ?4)"));
    TRY(s->bindAll(mail.recipient, mail.subject, mail.body, m_clock.nowMs()).run());
    return m_db.lastInsertRowId();
}

Result<void> SqliteStore::createAccountLink(const Bytes& tokenHash, PersonId person, AccountLinkPurpose purpose,
                                            std::optional<PersonId> issuedBy, std::int64_t expiresAt,
                                            const std::optional<NewMail>& mail)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO account_link(token_hash, person, purpose, issued_by, issued_at, expires_at)"
                            " VALUES(?, ?, ?, ?, ?, ?)"));
        s->bindBlob(1, tokenHash);
        TRY(s->bind(2, person).bind(3, purposeText(purpose)).bind(4, issuedBy).bind(5, m_clock.nowMs())
                .bind(6, expiresAt).run());
        if (mail)
            TRY(insertMail(*mail));
        return {};
    });
}

Result<void> SqliteStore::createResetLinkByEmail(std::string_view email, const Bytes& tokenHash,
                                                 std::int64_t expiresAt, const NewMail& mail)
{
    return write([&]() -> Result<void> {
        const std::int64_t now = m_clock.nowMs();
        TRY_ASSIGN(link, query("INSERT INTO account_link(token_hash, person, purpose, issued_at, expires_at)"
                               " SELECT ?, id, 'reset', ?, ? FROM person WHERE email = ?"));
        link->bindBlob(1, tokenHash);
        TRY(link->bind(2, now).bind(3, expiresAt).bind(4, email).run());
        TRY_ASSIGN(queued, query("INSERT INTO mail_outbox(recipient, subject, body, created_at, next_attempt_at)"
                                 " SELECT email, ?, ?, ?, ?3 FROM person WHERE email = ?4"));
        return queued->bindAll(mail.subject, mail.body, now, email).run();
    });
}

Result<std::optional<AccountLink>> SqliteStore::accountLink(const Bytes& tokenHash, std::int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT person, purpose, expires_at FROM account_link"
                        " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"));
    s->bindBlob(1, tokenHash).bind(2, nowMs);
    return s->first([](Statement& row) {
        return AccountLink{row.int64At(0),
                           row.textAt(1) == "invitation" ? AccountLinkPurpose::Invitation : AccountLinkPurpose::Reset,
                           row.int64At(2)};
    });
}

Result<std::optional<PersonId>> SqliteStore::useAccountLink(const Bytes& tokenHash, std::int64_t nowMs,
                                                            const std::string& passwordHash)
{
    std::optional<PersonId> person;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(use, query("UPDATE account_link SET used_at = ?1"
                              " WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1 RETURNING person"));
        use->bind(1, nowMs).bindBlob(2, tokenHash);
        TRY_ASSIGN(used, use->first([](Statement& row) { return row.int64At(0); }));
        TRY(use->run()); // finish the statement before the next one
        if (!used)
            return {};
        person = *used;
        TRY_ASSIGN(others, query("UPDATE account_link SET used_at = ?1 WHERE person = ?2 AND used_at IS NULL"));
        TRY(others->bindAll(nowMs, *used).run());
        TRY_ASSIGN(set, query("UPDATE person SET password_hash = ? WHERE id = ?"));
        TRY(set->bindAll(passwordHash, *used).run());
        TRY_ASSIGN(sessions, query("DELETE FROM session WHERE person = ?"));
        return sessions->bind(1, *used).run();
    }));
    return person;
}

Result<std::int64_t> SqliteStore::queueMail(const NewMail& mail)
{
    std::int64_t id = 0;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(inserted, insertMail(mail));
        id = inserted;
        return {};
    }));
    return id;
}

Result<std::vector<QueuedMail>> SqliteStore::dueMail(std::int64_t nowMs, std::size_t limit)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT id, recipient, subject, body, attempts FROM mail_outbox"
                        " WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= ?"
                        " ORDER BY next_attempt_at, id LIMIT ?"));
    s->bind(1, nowMs).bind(2, static_cast<std::int64_t>(limit));
    return s->collect([](Statement& row) {
        return QueuedMail{row.int64At(0), NewMail{row.textAt(1), row.textAt(2), row.textAt(3)}, row.intAt(4)};
    });
}

Result<void> SqliteStore::markMailSent(std::int64_t id, std::int64_t at)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, body = '', last_error = NULL"
                            " WHERE id = ?"));
        return s->bindAll(at, id).run();
    });
}

Result<void> SqliteStore::markMailFailed(std::int64_t id, std::int64_t at, const std::string& error,
                                         std::optional<std::int64_t> nextAttemptAt)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?,"
                            " next_attempt_at = coalesce(?, next_attempt_at),"
                            " given_up_at = CASE WHEN ?2 IS NULL THEN ? END, body = CASE WHEN ?2 IS NULL THEN ''"
                            " ELSE body END WHERE id = ?"));
        return s->bindAll(error, nextAttemptAt, at, id).run();
    });
}

Result<OutboxCounts> SqliteStore::outboxCounts()
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT count(*) FILTER (WHERE sent_at IS NULL AND given_up_at IS NULL),"
                        " count(sent_at), count(given_up_at) FROM mail_outbox"));
    TRY(s->step());
    return OutboxCounts{s->int64At(0), s->int64At(1), s->int64At(2)};
}

} // namespace imhere::server
