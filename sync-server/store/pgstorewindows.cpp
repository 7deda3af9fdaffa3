// PgStore: attendance windows.

#include "pgstore.h"

#include "core/random.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_windowColumns =
    "SELECT w.id, w.course, w.title, w.scheduled_start, w.opened_at, w.closed_at, p.public_id, w.scheduled_end"
    " FROM attendance_window w LEFT JOIN person p ON p.id = w.opened_by ";
// Windows in the order of SqliteStore's windowsOf.
constexpr std::string_view k_windowOrder = " ORDER BY coalesce(w.scheduled_start, w.opened_at), w.id COLLATE \"C\"";

Window windowFrom(const PgStatement& s)
{
    return Window{s.textAt(0),          s.textAt(1),          s.textAt(2),         s.optionalInt64At(3),
                  s.optionalInt64At(4), s.optionalInt64At(5), s.optionalTextAt(6), s.optionalInt64At(7)};
}

Result<std::optional<std::string>> courseOfWindow(PgConnection& db, std::string_view id)
{
    TRY_ASSIGN(s, db.query("SELECT course FROM attendance_window WHERE id = $1"));
    TRY_ASSIGN(row, s->bind(1, id).step());
    if (!row)
        return std::optional<std::string>();
    return std::optional(s->textAt(0));
}

// A slack_outbox row for a window that has just closed, inside the close's
// write; nothing when its course has no webhook (as SqliteStore::queueSlackPost).
Result<void> queueSlackPost(PgConnection& db, std::string_view window, std::int64_t now)
{
    TRY_ASSIGN(s, db.query("INSERT INTO slack_outbox(course, window_id, created_at, next_attempt_at)"
                           " SELECT c.id, w.id, $1, $1 FROM attendance_window w JOIN course c ON c.id = w.course"
                           " WHERE w.id = $2 AND c.slack_webhook IS NOT NULL AND c.removed = 0"));
    return s->bindAll(now, window).run();
}

} // namespace

Result<std::optional<Window>> PgStore::windowOn(PgConnection& db, std::string_view id)
{
    TRY_ASSIGN(s, db.query(std::string(k_windowColumns) + "WHERE w.id = $1"));
    TRY_ASSIGN(row, s->bind(1, id).step());
    if (!row)
        return std::optional<Window>();
    return std::optional(windowFrom(*s));
}

Result<std::vector<Window>> PgStore::windowsOfOn(PgConnection& db, std::string_view course)
{
    TRY_ASSIGN(s, db.query(std::string(k_windowColumns) + "WHERE w.course = $1" + std::string(k_windowOrder)));
    s->bind(1, course);
    return s->collect(windowFrom);
}

Result<std::vector<Window>> PgStore::windowsBetweenOn(PgConnection& db, std::string_view course, std::int64_t fromMs,
                                                      std::int64_t toMs)
{
    // Both arms of the OR are ranges of the (course, scheduled_start) index.
    TRY_ASSIGN(s, db.query(std::string(k_windowColumns)
                           + "WHERE w.course = $1 AND (w.scheduled_start BETWEEN $2 AND $3"
                             " OR (w.scheduled_start IS NULL AND w.opened_at BETWEEN $2 AND $3))"
                           + std::string(k_windowOrder)));
    s->bindAll(course, fromMs, toMs);
    return s->collect(windowFrom);
}

Result<std::optional<Window>> PgStore::window(std::string_view id)
{
    std::optional<Window> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(w, windowOn(db, id));
        found = std::move(w);
        return {};
    }));
    return found;
}

Result<std::vector<Window>> PgStore::windowsOf(std::string_view course)
{
    std::vector<Window> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(all, windowsOfOn(db, course));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<std::vector<Window>> PgStore::windowsBetween(std::string_view course, std::int64_t fromMs, std::int64_t toMs)
{
    std::vector<Window> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(all, windowsBetweenOn(db, course, fromMs, toMs));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<std::vector<Window>> PgStore::openWindows()
{
    std::vector<Window> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query(std::string(k_windowColumns)
                               + "WHERE w.closed_at IS NULL AND w.opened_at IS NOT NULL"
                                 " ORDER BY w.opened_at, w.id COLLATE \"C\""));
        TRY_ASSIGN(all, s->collect(windowFrom));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<Window> PgStore::createWindow(const NewWindow& w)
{
    std::optional<Window> created;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY(lockChangeLog(db)); // first: see commitCheckIns (pgstorerecords.cpp)
        TRY_ASSIGN(s, db.query("INSERT INTO attendance_window(id, course, title, scheduled_start, opened_at, opened_by,"
                               " scheduled_end) VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"));
        TRY(s->bindAll(w.id, w.course, w.title, w.scheduledStart, w.openAt, w.actor, w.scheduledEnd).run());
        if (s->affected() == 0)
            return fail(Errc::AlreadyExists, "a window with this id already exists");
        if (w.openAt) {
            TRY_ASSIGN(e, db.query("INSERT INTO window_event(id, window_id, kind, actor, at, received_at)"
                                   " VALUES($1, $2, 'open', $3, $4, $5)"));
            TRY(e->bindAll(newUuidV4(), w.id, w.actor, *w.openAt, m_clock.nowMs()).run());
            if (w.closeAt) {
                TRY_ASSIGN(u, db.query("UPDATE attendance_window SET closed_at = greatest($1, opened_at) WHERE id = $2"));
                TRY(u->bindAll(*w.closeAt, w.id).run());
                TRY_ASSIGN(c, db.query("INSERT INTO window_event(id, window_id, kind, actor, at, received_at)"
                                       " VALUES($1, $2, 'close', $3, $4, $5)"));
                TRY(c->bindAll(newUuidV4(), w.id, w.actor, *w.closeAt, m_clock.nowMs()).run());
            }
        }
        TRY(logChange(db, "window", w.id, w.course));
        TRY_ASSIGN(read, windowOn(db, w.id));
        created = std::move(read);
        return {};
    }));
    return *created;
}

Result<Window> PgStore::openWindow(std::string_view id, std::int64_t at, PersonId actor)
{
    return markWindow(id, at, actor, "open",
                      "UPDATE attendance_window SET opened_at = $2, opened_by = $3 WHERE id = $1 AND opened_at IS NULL",
                      [&](PgStatement& s) { s.bind(2, at).bind(3, actor ? std::optional(actor) : std::nullopt); });
}

Result<Window> PgStore::closeWindow(std::string_view id, std::int64_t at, PersonId actor)
{
    return markWindow(id, at, actor, "close",
                      "UPDATE attendance_window SET closed_at = greatest($2, coalesce(opened_at, $2)),"
                      " opened_at = coalesce(opened_at, $2) WHERE id = $1 AND closed_at IS NULL",
                      [&](PgStatement& s) { s.bind(2, at); });
}

Result<Window> PgStore::reopenWindow(std::string_view id, std::int64_t at, std::int64_t until, PersonId actor)
{
    return markWindow(id, at, actor, "reopen",
                      "UPDATE attendance_window SET closed_at = NULL,"
                      " scheduled_end = greatest(coalesce(scheduled_end, 0), $2) WHERE id = $1 AND closed_at IS NOT NULL",
                      [&](PgStatement& s) { s.bind(2, until); });
}

Result<Window> PgStore::markWindow(std::string_view id, std::int64_t at, PersonId actor, std::string_view kind,
                                   std::string_view update, const std::function<void(PgStatement&)>& bindMore)
{
    std::optional<Window> marked;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY(lockChangeLog(db)); // first: see commitCheckIns (pgstorerecords.cpp)
        TRY_ASSIGN(s, db.query(update));
        s->bind(1, id);
        bindMore(*s);
        TRY(s->run());
        if (s->affected() > 0) {
            TRY_ASSIGN(e, db.query("INSERT INTO window_event(id, window_id, kind, actor, at, received_at)"
                                   " VALUES($1, $2, $3, $4, $5, $6)"));
            // Actor 0: the server itself (a window closed at its end).
            TRY(e->bindAll(newUuidV4(), id, kind, actor ? std::optional(actor) : std::nullopt, at, m_clock.nowMs())
                    .run());
            if (kind == "close")
                TRY(queueSlackPost(db, id, m_clock.nowMs()));
            TRY_ASSIGN(course, courseOfWindow(db, id));
            TRY(logChange(db, "window", id, course));
        }
        TRY_ASSIGN(w, windowOn(db, id));
        marked = std::move(w);
        return {};
    }));
    if (!marked)
        return fail(Errc::NotFound, "no such window");
    return *marked;
}

} // namespace imhere::server
