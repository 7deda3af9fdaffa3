// SqliteStore: courses, enrollments and attendance windows.

#include "sqlitestore.h"

#include "sqliterows.h"

#include "core/result.h"

#include "core/random.h"

namespace imhere::server {

using rows::k_windowColumns;
using rows::windowFrom;

namespace {

Course courseFrom(Statement& s)
{
    return Course{s.textAt(0), s.textAt(1), s.textAt(2), s.intAt(3), s.intAt(4), s.intAt(5) != 0,
                  s.intAt(6),  s.intAt(7),  s.intAt(8),  s.intAt(9)};
}

// Every row of a window query.
Result<std::vector<Window>> windowsFrom(Statement& s)
{
    std::vector<Window> out;
    for (;;) {
        TRY_ASSIGN(row, s.step());
        if (!row)
            break;
        out.push_back(windowFrom(s));
    }
    return out;
}

} // namespace

Result<Course> SqliteStore::createCourse(const NewCourse& c, PersonId creator)
{
    Course created{newUuidV4(), c.name,  c.timezone,       c.lateAfterMin, c.absentAfterMin,
                   false,       c.windowLengthMin, c.closeGraceMin};
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO course(id, name, timezone, late_after_min, absent_after_min, created_at,"
                            " window_length_min, close_grace_min) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
        TRY(s->bindAll(created.id, c.name, c.timezone, c.lateAfterMin, c.absentAfterMin, m_clock.nowMs(),
                       c.windowLengthMin, c.closeGraceMin)
                .run());
        TRY(logChange("course", created.id, created.id));
        TRY(setEnrollment(creator, created.id, Role::Teacher, creator));
        for (const PersonId student : c.students) {
            if (student != creator)
                TRY(setEnrollment(student, created.id, Role::Student, creator));
        }
        return {};
    }));
    return created;
}

Result<std::optional<Course>> SqliteStore::course(std::string_view id)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT id, name, timezone, late_after_min, absent_after_min, removed, window_length_min,"
                        " close_grace_min, alert_below_percent, alert_absent_run FROM course WHERE id = ?"));
    s->bind(1, id);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<Course>();
    return std::optional(courseFrom(*s));
}

Result<std::vector<CourseWithRole>> SqliteStore::listCourses(std::optional<PersonId> person)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT c.id, c.name, c.timezone, c.late_after_min, c.absent_after_min, c.removed,"
                        " c.window_length_min, c.close_grace_min, c.alert_below_percent, c.alert_absent_run, e.role FROM course c LEFT JOIN enrollment e ON e.course = c.id AND e.person = ?1"
                        " WHERE c.removed = 0 AND (?2 OR e.role IS NOT NULL) ORDER BY c.name, c.id"));
    s->bind(1, person.value_or(0)).bind(2, person ? 0 : 1);
    std::vector<CourseWithRole> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.push_back({courseFrom(*s), s->isNullAt(10) ? std::nullopt : sync::roleFromString(s->textAt(10))});
    }
    return out;
}

Result<void> SqliteStore::updateCourse(const Course& c, PersonId)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE course SET name = ?, late_after_min = ?, absent_after_min = ?, window_length_min = ?,"
                            " close_grace_min = ?, alert_below_percent = ?, alert_absent_run = ? WHERE id = ? AND removed = 0"));
        TRY(s->bindAll(c.name, c.lateAfterMin, c.absentAfterMin, c.windowLengthMin, c.closeGraceMin,
                       c.alertBelowPercent, c.alertAbsentRun, c.id)
                .run());
        if (m_db.changes() == 0)
            return fail(Errc::NotFound, "no such course");
        return logChange("course", c.id, c.id);
    });
}

Result<void> SqliteStore::followUpAlert(std::string_view course, PersonId person, std::string_view kind,
                                        std::string_view since, std::string_view note, PersonId actor)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO alert_follow_up(course, person, kind, since, note, actor, at)"
                            " VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
        TRY(s->bindAll(course, person, kind, since, note, actor, m_clock.nowMs()).run());
        if (m_db.changes() == 0)
            return fail(Errc::AlreadyExists, "this alert was already followed up");
        return {};
    });
}

Result<std::vector<AlertFollowUp>> SqliteStore::alertFollowUps(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT p.public_id, f.kind, f.since, f.note, a.display_name, f.at FROM alert_follow_up f"
                        " JOIN person p ON p.id = f.person JOIN person a ON a.id = f.actor"
                        " WHERE f.course = ? ORDER BY f.at, p.public_id"));
    s->bind(1, course);
    std::vector<AlertFollowUp> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.push_back({s->textAt(0), s->textAt(1), s->textAt(2), s->textAt(3), s->textAt(4), s->int64At(5)});
    }
    return out;
}

Result<Window> SqliteStore::reopenWindow(std::string_view id, std::int64_t at, std::int64_t until, PersonId actor)
{
    return markWindow(id, at, actor, "reopen",
                      "UPDATE attendance_window SET closed_at = NULL, scheduled_end = max(coalesce(scheduled_end, 0), ?3)"
                      " WHERE id = ?2 AND closed_at IS NOT NULL",
                      [&](Statement& s) { s.bind(3, until); });
}

Result<void> SqliteStore::removeCourse(std::string_view id, PersonId)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE course SET removed = 1 WHERE id = ? AND removed = 0"));
        TRY(s->bind(1, id).run());
        if (m_db.changes() == 0)
            return fail(Errc::NotFound, "no such course");
        return logChange("course", id, id);
    });
}

Result<std::optional<Role>> SqliteStore::roleIn(PersonId person, std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT role FROM enrollment WHERE person = ? AND course = ?"));
    s->bind(1, person).bind(2, course);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<Role>();
    return sync::roleFromString(s->textAt(0));
}

Result<void> SqliteStore::setEnrollment(PersonId person, std::string_view course, Role role, PersonId actor)
{
    return write([&]() -> Result<void> {
        const auto roleName = sync::toString(role);
        TRY_ASSIGN(s, query("INSERT INTO enrollment(person, course, role) VALUES(?, ?, ?)"
                            " ON CONFLICT(person, course) DO UPDATE SET role = excluded.role"
                            " WHERE role <> excluded.role"));
        TRY(s->bind(1, person).bind(2, course).bind(3, roleName).run());
        if (m_db.changes() == 0)
            return {};
        TRY_ASSIGN(h, query("INSERT INTO enrollment_history(person, course, role, actor, at) VALUES(?, ?, ?, ?, ?)"));
        h->bindAll(person, course, roleName, actor, m_clock.nowMs());
        if (actor == 0)
            h->bind(4, nullptr); // from the command line, not a person
        TRY(h->run());
        return logChange("enrollment", std::to_string(person), course);
    });
}

Result<bool> SqliteStore::removeEnrollment(PersonId person, std::string_view course, PersonId actor)
{
    bool removed = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("DELETE FROM enrollment WHERE person = ? AND course = ?"));
        TRY(s->bind(1, person).bind(2, course).run());
        removed = m_db.changes() > 0;
        if (!removed)
            return {};
        TRY_ASSIGN(h, query("INSERT INTO enrollment_history(person, course, role, actor, at)"
                            " VALUES(?, ?, NULL, ?, ?)"));
        h->bindAll(person, course, actor, m_clock.nowMs());
        if (actor == 0)
            h->bind(3, nullptr);
        TRY(h->run());
        return logChange("enrollment", std::to_string(person), course);
    }));
    return removed;
}

Result<std::vector<Member>> SqliteStore::roster(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT p.public_id, p.display_name, e.role FROM enrollment e JOIN person p ON p.id = e.person"
                        " WHERE e.course = ? ORDER BY p.display_name, p.id"));
    s->bind(1, course);
    std::vector<Member> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.push_back({s->textAt(0), s->textAt(1), sync::roleFromString(s->textAt(2)).value_or(Role::Student)});
    }
    return out;
}

// ---- windows ---------------------------------------------------------------------

Result<std::optional<Window>> SqliteStore::windowUnlocked(std::string_view id)
{
    TRY_ASSIGN(s, query(std::string(k_windowColumns) + "WHERE w.id = ?"));
    s->bind(1, id);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<Window>();
    return std::optional(windowFrom(*s));
}

Result<std::optional<std::string>> SqliteStore::courseOfWindow(std::string_view id)
{
    TRY_ASSIGN(s, query("SELECT course FROM attendance_window WHERE id = ?"));
    TRY_ASSIGN(row, s->bind(1, id).step());
    if (!row)
        return std::optional<std::string>();
    return std::optional(s->textAt(0));
}

Result<std::optional<Window>> SqliteStore::window(std::string_view id)
{
    std::lock_guard lock(m_mutex);
    return windowUnlocked(id);
}

Result<std::vector<Window>> SqliteStore::windowsOf(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string(k_windowColumns)
                        + "WHERE w.course = ? ORDER BY coalesce(w.scheduled_start, w.opened_at), w.id"));
    s->bind(1, course);
    return windowsFrom(*s);
}

Result<std::vector<Window>> SqliteStore::windowsBetween(std::string_view course, std::int64_t fromMs, std::int64_t toMs)
{
    std::lock_guard lock(m_mutex);
    // Both arms of the OR are ranges of the (course, scheduled_start) index.
    TRY_ASSIGN(s, query(std::string(k_windowColumns)
                        + "WHERE w.course = ?1 AND (w.scheduled_start BETWEEN ?2 AND ?3"
                          " OR (w.scheduled_start IS NULL AND w.opened_at BETWEEN ?2 AND ?3))"
                          " ORDER BY coalesce(w.scheduled_start, w.opened_at), w.id"));
    s->bind(1, course).bind(2, fromMs).bind(3, toMs);
    return windowsFrom(*s);
}

Result<std::vector<Window>> SqliteStore::openWindows()
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string(k_windowColumns)
                        + "WHERE w.closed_at IS NULL AND w.opened_at IS NOT NULL ORDER BY w.opened_at, w.id"));
    return windowsFrom(*s);
}

Result<Window> SqliteStore::createWindow(const NewWindow& w)
{
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO attendance_window(id, course, title, scheduled_start, opened_at, opened_by,"
                            " scheduled_end) VALUES(?, ?, ?, ?, ?, ?, ?)"));
        if (auto r = s->bindAll(w.id, w.course, w.title, w.scheduledStart, w.openAt, w.actor, w.scheduledEnd).run(); !r) {
            if (r.error().code == Errc::Constraint)
                return fail(Errc::AlreadyExists, "a window with this id already exists");
            return r;
        }
        if (w.openAt) {
            TRY_ASSIGN(e, query("INSERT INTO window_event(id, window_id, kind, actor, at, received_at)"
                                " VALUES(?, ?, 'open', ?, ?, ?)"));
            TRY(e->bindAll(newUuidV4(), w.id, w.actor, *w.openAt, m_clock.nowMs()).run());
            if (w.closeAt) {
                TRY_ASSIGN(u, query("UPDATE attendance_window SET closed_at = max(?1, opened_at) WHERE id = ?2"));
                TRY(u->bindAll(*w.closeAt, w.id).run());
                TRY_ASSIGN(c, query("INSERT INTO window_event(id, window_id, kind, actor, at, received_at)"
                                    " VALUES(?, ?, 'close', ?, ?, ?)"));
                TRY(c->bindAll(newUuidV4(), w.id, w.actor, *w.closeAt, m_clock.nowMs()).run());
            }
        }
        return logChange("window", w.id, w.course);
    }));
    TRY_ASSIGN(created, window(w.id));
    return *created;
}

Result<Window> SqliteStore::openWindow(std::string_view id, std::int64_t at, PersonId actor)
{
    return markWindow(id, at, actor, "open",
                      "UPDATE attendance_window SET opened_at = ?1, opened_by = ?3 WHERE id = ?2 AND opened_at IS NULL",
                      [&](Statement& s) { s.bind(3, actor ? std::optional(actor) : std::nullopt); });
}

Result<Window> SqliteStore::closeWindow(std::string_view id, std::int64_t at, PersonId actor)
{
    return markWindow(id, at, actor, "close",
                      "UPDATE attendance_window SET closed_at = max(?1, coalesce(opened_at, ?1)),"
                      " opened_at = coalesce(opened_at, ?1) WHERE id = ?2 AND closed_at IS NULL",
                      [](Statement&) {});
}

Result<Window> SqliteStore::markWindow(std::string_view id, std::int64_t at, PersonId actor, std::string_view kind,
                                       std::string_view update, const std::function<void(Statement&)>& bindMore)
{
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query(update));
        s->bind(1, at).bind(2, id);
        bindMore(*s);
        TRY(s->run());
        if (m_db.changes() == 0)
            return {};
        TRY_ASSIGN(e, query("INSERT INTO window_event(id, window_id, kind, actor, at, received_at)"
                            " VALUES(?, ?, ?, ?, ?, ?)"));
        // Actor 0: the server itself (a window closed at its end).
        TRY(e->bindAll(newUuidV4(), id, kind, actor ? std::optional(actor) : std::nullopt, at, m_clock.nowMs()).run());
        if (kind == "close")
            TRY(queueSlackPost(id));
        TRY_ASSIGN(course, courseOfWindow(id));
        return logChange("window", id, course);
    }));
    TRY_ASSIGN(w, window(id));
    if (!w)
        return fail(Errc::NotFound, "no such window");
    return *w;
}

} // namespace imhere::server
