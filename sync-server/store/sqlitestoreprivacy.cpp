// The public API's privacy (PeopleRepository): opting out of per-person
// answers, erasing a person's personal data, and the mark its ETags hang on.

#include "sqlitestore.h"

namespace imhere::server {

Result<void> SqliteStore::setPublicOptOut(PersonId person, bool optOut, std::string_view actor)
{
    return write([&]() -> Result<void> {
        if (optOut) {
            TRY_ASSIGN(s, query("INSERT INTO public_opt_out(person, at) VALUES(?, ?) ON CONFLICT DO NOTHING"));
            TRY(s->bindAll(person, m_clock.nowMs()).run());
        } else {
            TRY_ASSIGN(s, query("DELETE FROM public_opt_out WHERE person = ?"));
            TRY(s->bindAll(person).run());
        }
        TRY_ASSIGN(log, query("INSERT INTO privacy_log(person, kind, actor, at) VALUES(?, ?, ?, ?)"));
        return log->bindAll(person, optOut ? "opt_out" : "opt_in", actor, m_clock.nowMs()).run();
    });
}

Result<bool> SqliteStore::publicOptOut(PersonId person)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT 1 FROM public_opt_out WHERE person = ?"));
    s->bind(1, person);
    TRY_ASSIGN(row, s->step());
    return row;
}

Result<std::vector<std::string>> SqliteStore::publicOptOuts()
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT p.public_id FROM public_opt_out o JOIN person p ON p.id = o.person"));
    return s->collect([](Statement& row) { return row.textAt(0); });
}

Result<void> SqliteStore::erasePerson(PersonId person, const std::string& placeholderName, std::string_view actor)
{
    return write([&]() -> Result<void> {
        // The harvester's kept replies name the person's GitHub and Codewars names.
        TRY_ASSIGN(names, query("DELETE FROM harvest_reply WHERE url IN (SELECT r.url FROM harvest_reply r, person p"
                                " WHERE p.id = ? AND ((p.github IS NOT NULL AND instr(r.url, 'author%3A' || p.github) > 0)"
                                " OR (p.codewars IS NOT NULL AND instr(r.url, '/users/' || p.codewars) > 0)))"));
        TRY(names->bindAll(person).run());
        TRY_ASSIGN(p, query("UPDATE person SET display_name = ?, email = NULL, github = NULL, codewars = NULL,"
                            " pin_hash = NULL, password_hash = NULL WHERE id = ?"));
        TRY(p->bindAll(placeholderName, person).run());
        TRY_ASSIGN(b, query("UPDATE badge SET revoked = 1 WHERE person = ? AND revoked = 0 RETURNING uid_hash"));
        b->bind(1, person);
        TRY_ASSIGN(revoked, b->collect([](Statement& row) { return row.textAt(0); }));
        for (const auto& hash : revoked)
            TRY(logChange("badge", hash, std::nullopt));
        for (std::string_view sql : {"DELETE FROM session WHERE person = ?", "DELETE FROM api_key WHERE person = ?",
                                     "DELETE FROM link_code WHERE person = ?",
                                     "DELETE FROM person_region WHERE person = ?",
                                     // The phone's token no longer matches anything.
                                     "UPDATE remote_device SET token_hash = randomblob(32) WHERE person = ?",
                                     // Milestones: their own words, and what names their usernames.
                                     "UPDATE milestone SET title = 'Erased', description = '' WHERE owner = ?",
                                     "UPDATE milestone_confirmation SET note = '' WHERE person = ?",
                                     "DELETE FROM harvest_error WHERE person = ?"}) {
            TRY_ASSIGN(s, query(sql));
            TRY(s->bindAll(person).run());
        }
        TRY_ASSIGN(log, query("INSERT INTO privacy_log(person, kind, actor, at) VALUES(?, 'erase', ?, ?)"));
        TRY(log->bindAll(person, actor, m_clock.nowMs()).run());
        return logChange("person", std::to_string(person), std::nullopt);
    });
}

Result<std::string> SqliteStore::publicDataMark()
{
    std::lock_guard lock(m_mutex);
    // Each max() is one step down an index; nothing here reads the records.
    TRY_ASSIGN(s, query("SELECT (SELECT coalesce(max(rowid), 0) FROM check_in), (SELECT coalesce(max(rowid), 0) FROM correction),"
                        " (SELECT coalesce(max(rowid), 0) FROM flag_event), (SELECT coalesce(max(rowid), 0) FROM window_event),"
                        " (SELECT coalesce(max(rowid), 0) FROM remote_confirm), (SELECT coalesce(max(seq), 0) FROM change_log),"
                        " (SELECT coalesce(max(seq), 0) FROM privacy_log), (SELECT coalesce(max(seq), 0) FROM enrollment_history),"
                        " (SELECT count(*) FROM attendance_window), (SELECT seq FROM milestone_mark WHERE id = 1)"));
    TRY_ASSIGN(row, s->step());
    std::string mark;
    for (int i = 0; row && i < 10; ++i)
        mark += (i ? "." : "") + std::to_string(s->int64At(i));
    // A milestone's state moves with the time gone, without any write.
    return mark + "." + std::to_string(m_clock.nowMs() / (24LL * 3'600'000));
}

} // namespace imhere::server
