// SqliteStore: the trainee tracker's names, regions, sprint numbers and
// register imports (trackerrepository.h, migration 6).

#include "sqlitestore.h"

#include "core/result.h"

namespace imhere::server {

Result<std::optional<TrackerIdentity>> SqliteStore::trackerIdentity(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT tracker_course, module, first_sprint_day FROM course_tracker WHERE course = ?"));
    s->bind(1, course);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<TrackerIdentity>();
    return std::optional(TrackerIdentity{s->textAt(0), s->textAt(1), s->optionalTextAt(2)});
}

Result<void> SqliteStore::setTrackerIdentity(std::string_view course, const std::optional<TrackerIdentity>& identity)
{
    return write([&]() -> Result<void> {
        if (!identity) {
            TRY_ASSIGN(s, query("DELETE FROM course_tracker WHERE course = ?"));
            return s->bind(1, course).run();
        }
        TRY_ASSIGN(s, query("INSERT INTO course_tracker(course, tracker_course, module, first_sprint_day)"
                            " VALUES(?, ?, ?, ?) ON CONFLICT(course) DO UPDATE SET"
                            " tracker_course = excluded.tracker_course, module = excluded.module,"
                            " first_sprint_day = excluded.first_sprint_day"));
        return s->bindAll(course, identity->course, identity->module, identity->firstSprintDay).run();
    });
}

Result<std::vector<TrackerPerson>> SqliteStore::trackerPeople(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT p.id, p.public_id, p.display_name, p.email, r.region, e.role FROM enrollment e"
                        " JOIN person p ON p.id = e.person LEFT JOIN person_region r ON r.person = p.id"
                        " WHERE e.course = ? ORDER BY p.display_name, p.id"));
    s->bind(1, course);
    std::vector<TrackerPerson> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.push_back({s->int64At(0), s->textAt(1), s->textAt(2), s->optionalTextAt(3), s->optionalTextAt(4),
                       sync::roleFromString(s->textAt(5)).value_or(Role::Student)});
    }
    return out;
}

Result<void> SqliteStore::setRegion(PersonId person, const std::optional<std::string>& region)
{
    return write([&]() -> Result<void> {
        if (!region) {
            TRY_ASSIGN(s, query("DELETE FROM person_region WHERE person = ?"));
            return s->bind(1, person).run();
        }
        TRY_ASSIGN(s, query("INSERT INTO person_region(person, region) VALUES(?, ?)"
                            " ON CONFLICT(person) DO UPDATE SET region = excluded.region"));
        return s->bindAll(person, *region).run();
    });
}

Result<std::map<std::string, int>> SqliteStore::windowSprints(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT ws.window_id, ws.sprint FROM window_sprint ws"
                        " JOIN attendance_window w ON w.id = ws.window_id WHERE w.course = ?"));
    s->bind(1, course);
    std::map<std::string, int> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.emplace(s->textAt(0), s->intAt(1));
    }
    return out;
}

Result<void> SqliteStore::setWindowSprint(std::string_view window, std::optional<int> sprint)
{
    return write([&]() -> Result<void> {
        if (!sprint) {
            TRY_ASSIGN(s, query("DELETE FROM window_sprint WHERE window_id = ?"));
            return s->bind(1, window).run();
        }
        TRY_ASSIGN(s, query("INSERT INTO window_sprint(window_id, sprint) VALUES(?, ?)"
                            " ON CONFLICT(window_id) DO UPDATE SET sprint = excluded.sprint"));
        return s->bindAll(window, *sprint).run();
    });
}

Result<std::int64_t> SqliteStore::recordRegisterImport(const RegisterImportRecord& record)
{
    std::int64_t id = 0;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO register_import(course, actor, at, rows, sha256) VALUES(?, ?, ?, ?, ?)"));
        TRY(s->bindAll(record.course, record.actor, record.at, record.rows, record.sha256).run());
        id = m_db.lastInsertRowId();
        TRY_ASSIGN(line, query("INSERT INTO imported_check_in(check_in, import, line) VALUES(?, ?, ?)"
                               " ON CONFLICT DO NOTHING"));
        for (const auto& [checkIn, number] : record.checkIns) {
            TRY(line->bindAll(checkIn, id, number).run());
            line->reset();
        }
        return {};
    }));
    return id;
}

Result<std::vector<std::string>> SqliteStore::importedCheckIns(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT i.check_in FROM imported_check_in i JOIN check_in c ON c.id = i.check_in"
                        " JOIN attendance_window w ON w.id = c.window_id WHERE w.course = ? ORDER BY i.check_in"));
    s->bind(1, course);
    std::vector<std::string> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.push_back(s->textAt(0));
    }
    return out;
}

} // namespace imhere::server
