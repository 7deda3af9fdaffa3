// PgStore: the public API's privacy (PeopleRepository): opting out of
// per-person answers, erasing a person's personal data, and the mark its
// ETags hang on.

#include "pgstore.h"

namespace imhere::server {

Result<void> PgStore::setPublicOptOut(PersonId person, bool optOut, std::string_view actor)
{
    return write([&](PgConnection& db) -> Result<void> {
        if (optOut) {
            TRY_ASSIGN(s, db.query("INSERT INTO public_opt_out(person, at) VALUES($1, $2) ON CONFLICT DO NOTHING"));
            TRY(s->bindAll(person, m_clock.nowMs()).run());
        } else {
            TRY_ASSIGN(s, db.query("DELETE FROM public_opt_out WHERE person = $1"));
            TRY(s->bindAll(person).run());
        }
        TRY_ASSIGN(log, db.query("INSERT INTO privacy_log(person, kind, actor, at) VALUES($1, $2, $3, $4)"));
        return log->bindAll(person, optOut ? "opt_out" : "opt_in", actor, m_clock.nowMs()).run();
    });
}

Result<bool> PgStore::publicOptOut(PersonId person)
{
    bool out = false;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT 1 FROM public_opt_out WHERE person = $1"));
        TRY_ASSIGN(row, s->bind(1, person).step());
        out = row;
        return {};
    }));
    return out;
}

Result<std::vector<std::string>> PgStore::publicOptOuts()
{
    std::vector<std::string> ids;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT p.public_id FROM public_opt_out o JOIN person p ON p.id = o.person"));
        TRY_ASSIGN(all, s->collect([](PgStatement& row) { return row.textAt(0); }));
        ids = std::move(all);
        return {};
    }));
    return ids;
}

Result<void> PgStore::erasePerson(PersonId person, const std::string& placeholderName, std::string_view actor)
{
    return write([&](PgConnection& db) -> Result<void> {
        // The harvester's kept replies name the person's GitHub and Codewars names.
        TRY_ASSIGN(names, db.query("DELETE FROM harvest_reply WHERE url IN (SELECT r.url FROM harvest_reply r, person p"
                                   " WHERE p.id = $1 AND ((p.github IS NOT NULL AND strpos(r.url, 'author%3A' || p.github) > 0)"
                                   " OR (p.codewars IS NOT NULL AND strpos(r.url, '/users/' || p.codewars) > 0)))"));
        TRY(names->bindAll(person).run());
        TRY_ASSIGN(p, db.query("UPDATE person SET display_name = $1, email = NULL, github = NULL, codewars = NULL,"
                               " pin_hash = NULL, password_hash = NULL WHERE id = $2"));
        TRY(p->bindAll(placeholderName, person).run());
        TRY_ASSIGN(b, db.query("UPDATE badge SET revoked = 1 WHERE person = $1 AND revoked = 0 RETURNING uid_hash"));
        b->bind(1, person);
        TRY_ASSIGN(revoked, b->collect([](PgStatement& row) { return row.textAt(0); }));
        for (const auto& hash : revoked)
            TRY(logChange(db, "badge", hash, std::nullopt));
        for (std::string_view sql : {"DELETE FROM session WHERE person = $1", "DELETE FROM api_key WHERE person = $1",
                                     "DELETE FROM link_code WHERE person = $1",
                                     "DELETE FROM person_region WHERE person = $1",
                                     // The phone's token no longer matches anything.
                                     "UPDATE remote_device SET token_hash = sha256(gen_random_uuid()::text::bytea)"
                                     " WHERE person = $1",
                                     // Milestones: their own words, and what names their usernames.
                                     "UPDATE milestone SET title = 'Erased', description = '' WHERE owner = $1",
                                     "UPDATE milestone_confirmation SET note = '' WHERE person = $1",
                                     "DELETE FROM harvest_error WHERE person = $1"}) {
            TRY_ASSIGN(s, db.query(sql));
            TRY(s->bindAll(person).run());
        }
        TRY_ASSIGN(log, db.query("INSERT INTO privacy_log(person, kind, actor, at) VALUES($1, 'erase', $2, $3)"));
        TRY(log->bindAll(person, actor, m_clock.nowMs()).run());
        return logChange(db, "person", std::to_string(person), std::nullopt);
    });
}

Result<std::string> PgStore::publicDataMark()
{
    std::string mark;
    TRY(read([&](PgConnection& db) -> Result<void> {
        // Each max() is one step down an index; nothing here reads the records.
        TRY_ASSIGN(s, db.query("SELECT (SELECT coalesce(max(seq), 0) FROM check_in), (SELECT coalesce(max(seq), 0) FROM correction),"
                               " (SELECT coalesce(max(seq), 0) FROM flag_event), (SELECT coalesce(max(seq), 0) FROM window_event),"
                               " (SELECT coalesce(max(seq), 0) FROM remote_confirm), (SELECT coalesce(max(seq), 0) FROM change_log),"
                               " (SELECT coalesce(max(seq), 0) FROM privacy_log), (SELECT coalesce(max(seq), 0) FROM enrollment_history),"
                               " (SELECT count(*) FROM attendance_window), (SELECT seq FROM milestone_mark WHERE id = 1)"));
        TRY_ASSIGN(row, s->step());
        for (int i = 0; row && i < 10; ++i)
            mark += (i ? "." : "") + std::to_string(s->int64At(i));
        return {};
    }));
    // A milestone's state moves with the time gone, without any write.
    return mark + "." + std::to_string(m_clock.nowMs() / (24LL * 3'600'000));
}

} // namespace imhere::server
