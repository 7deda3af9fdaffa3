// PgStore: sign-in sessions, links to set a password, and the mail outbox.

#include "pgstore.h"

namespace imhere::server {

namespace {

std::string_view purposeText(AccountLinkPurpose purpose)
{
    return purpose == AccountLinkPurpose::Invitation ? "invitation" : "reset";
}

} // namespace

Result<void> PgStore::createSession(const Bytes& tokenHash, const Session& session)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(purge, db.query("DELETE FROM session WHERE expires_at < $1"));
        TRY(purge->bind(1, m_clock.nowMs()).run());
        TRY_ASSIGN(s, db.query("INSERT INTO session(token_hash, person, csrf, expires_at, last_used_at)"
                               " VALUES($1, $2, $3, $4, $5)"));
        s->bindBlob(1, tokenHash);
        return s->bind(2, session.person).bind(3, session.csrfToken).bind(4, session.expiresAt)
            .bind(5, session.lastUsedAt != 0 ? session.lastUsedAt : m_clock.nowMs()).run();
    });
}

Result<std::optional<Session>> PgStore::session(const Bytes& tokenHash, std::int64_t nowMs)
{
    std::optional<Session> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT person, csrf, expires_at, last_used_at FROM session"
                               " WHERE token_hash = $1 AND expires_at > $2"));
        TRY_ASSIGN(row, s->bindBlob(1, tokenHash).bind(2, nowMs).step());
        if (row)
            found = Session{s->int64At(0), s->textAt(1), s->int64At(2), s->int64At(3)};
        return {};
    }));
    return found;
}

Result<void> PgStore::deleteSession(const Bytes& tokenHash)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("DELETE FROM session WHERE token_hash = $1"));
        return s->bindBlob(1, tokenHash).run();
    });
}

Result<std::int64_t> PgStore::deleteSessionsOf(PersonId person, const std::optional<Bytes>& keep)
{
    std::int64_t ended = 0;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("DELETE FROM session WHERE person = $1 AND ($2::bytea IS NULL OR token_hash <> $2)"));
        s->bind(1, person);
        keep ? s->bindBlob(2, *keep) : s->bind(2, nullptr);
        TRY(s->run());
        ended = s->affected();
        return {};
    }));
    return ended;
}

Result<void> PgStore::touchSession(const Bytes& tokenHash, std::int64_t at)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE session SET last_used_at = $1 WHERE token_hash = $2 AND last_used_at < $1"));
        return s->bind(1, at).bindBlob(2, tokenHash).run();
    });
}

Result<std::int64_t> PgStore::insertMail(PgConnection& db, const NewMail& mail)
{
    TRY_ASSIGN(s, db.query("INSERT INTO mail_outbox(recipient, subject, body, created_at, next_attempt_at)"
                           " VALUES($1, $2, $3, $4, $4) RETURNING id"));
    TRY(s->bindAll(mail.recipient, mail.subject, mail.body, m_clock.nowMs()).step());
    return s->int64At(0);
}

Result<void> PgStore::createAccountLink(const Bytes& tokenHash, PersonId person, AccountLinkPurpose purpose,
                                        std::optional<PersonId> issuedBy, std::int64_t expiresAt,
                                        const std::optional<NewMail>& mail)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO account_link(token_hash, person, purpose, issued_by, issued_at, expires_at)"
                               " VALUES($1, $2, $3, $4, $5, $6)"));
        s->bindBlob(1, tokenHash);
        TRY(s->bind(2, person).bind(3, purposeText(purpose)).bind(4, issuedBy).bind(5, m_clock.nowMs())
                .bind(6, expiresAt).run());
        if (mail)
            TRY(insertMail(db, *mail));
        return {};
    });
}

Result<void> PgStore::createResetLinkByEmail(std::string_view email, const Bytes& tokenHash, std::int64_t expiresAt,
                                             const NewMail& mail)
{
    return write([&](PgConnection& db) -> Result<void> {
        const std::int64_t now = m_clock.nowMs();
        // lower(email): the person_email index, as SQLite's COLLATE NOCASE.
        TRY_ASSIGN(link, db.query("INSERT INTO account_link(token_hash, person, purpose, issued_at, expires_at)"
                                  " SELECT $1, id, 'reset', $2, $3 FROM person WHERE lower(email) = lower($4)"));
        link->bindBlob(1, tokenHash);
        TRY(link->bind(2, now).bind(3, expiresAt).bind(4, email).run());
        TRY_ASSIGN(queued, db.query("INSERT INTO mail_outbox(recipient, subject, body, created_at, next_attempt_at)"
                                    " SELECT email, $1, $2, $3, $3 FROM person WHERE lower(email) = lower($4)"));
        return queued->bindAll(mail.subject, mail.body, now, email).run();
    });
}

Result<std::optional<AccountLink>> PgStore::accountLink(const Bytes& tokenHash, std::int64_t nowMs)
{
    std::optional<AccountLink> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT person, purpose, expires_at FROM account_link"
                               " WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"));
        TRY_ASSIGN(row, s->bindBlob(1, tokenHash).bind(2, nowMs).step());
        if (row) {
            found = AccountLink{s->int64At(0),
                                s->textAt(1) == "invitation" ? AccountLinkPurpose::Invitation : AccountLinkPurpose::Reset,
                                s->int64At(2)};
        }
        return {};
    }));
    return found;
}

Result<std::optional<PersonId>> PgStore::useAccountLink(const Bytes& tokenHash, std::int64_t nowMs,
                                                        const std::string& passwordHash)
{
    std::optional<PersonId> person;
    TRY(write([&](PgConnection& db) -> Result<void> {
        person.reset();
        TRY_ASSIGN(use, db.query("UPDATE account_link SET used_at = $1"
                                 " WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING person"));
        TRY_ASSIGN(row, use->bind(1, nowMs).bindBlob(2, tokenHash).step());
        if (!row)
            return {};
        const PersonId used = use->int64At(0);
        TRY_ASSIGN(others, db.query("UPDATE account_link SET used_at = $1 WHERE person = $2 AND used_at IS NULL"));
        TRY(others->bindAll(nowMs, used).run());
        TRY_ASSIGN(set, db.query("UPDATE person SET password_hash = $1 WHERE id = $2"));
        TRY(set->bindAll(passwordHash, used).run());
        TRY_ASSIGN(sessions, db.query("DELETE FROM session WHERE person = $1"));
        TRY(sessions->bind(1, used).run());
        person = used;
        return {};
    }));
    return person;
}

// ---- the mail outbox ---------------------------------------------------------------

Result<std::int64_t> PgStore::queueMail(const NewMail& mail)
{
    std::int64_t id = 0;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(inserted, insertMail(db, mail));
        id = inserted;
        return {};
    }));
    return id;
}

Result<std::vector<QueuedMail>> PgStore::dueMail(std::int64_t nowMs, std::size_t limit)
{
    std::vector<QueuedMail> due;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT id, recipient, subject, body, attempts FROM mail_outbox"
                               " WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= $1"
                               " ORDER BY next_attempt_at, id LIMIT $2"));
        s->bind(1, nowMs).bind(2, static_cast<std::int64_t>(limit));
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return QueuedMail{row.int64At(0), NewMail{row.textAt(1), row.textAt(2), row.textAt(3)}, row.intAt(4)};
        }));
        due = std::move(all);
        return {};
    }));
    return due;
}

Result<void> PgStore::markMailSent(std::int64_t id, std::int64_t at)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, body = '',"
                               " last_error = NULL WHERE id = $2"));
        return s->bindAll(at, id).run();
    });
}

Result<void> PgStore::markMailFailed(std::int64_t id, std::int64_t at, const std::string& error,
                                     std::optional<std::int64_t> nextAttemptAt)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1,"
                               " next_attempt_at = coalesce($2::bigint, next_attempt_at),"
                               " given_up_at = CASE WHEN $2::bigint IS NULL THEN $3::bigint END,"
                               " body = CASE WHEN $2::bigint IS NULL THEN '' ELSE body END WHERE id = $4"));
        return s->bindAll(error, nextAttemptAt, at, id).run();
    });
}

Result<OutboxCounts> PgStore::outboxCounts()
{
    OutboxCounts counts;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT count(*) FILTER (WHERE sent_at IS NULL AND given_up_at IS NULL),"
                               " count(sent_at), count(given_up_at) FROM mail_outbox"));
        TRY(s->step());
        counts = OutboxCounts{s->int64At(0), s->int64At(1), s->int64At(2)};
        return {};
    }));
    return counts;
}

} // namespace imhere::server
