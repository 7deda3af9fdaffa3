// PgStore: the trainee tracker's names, regions, sprint numbers and register
// imports (trackerrepository.h).

#include "pgstore.h"

namespace imhere::server {

Result<std::optional<TrackerIdentity>> PgStore::trackerIdentity(std::string_view course)
{
    std::optional<TrackerIdentity> identity;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT tracker_course, module, first_sprint_day FROM course_tracker WHERE course = $1"));
        TRY_ASSIGN(row, s->bind(1, course).step());
        if (row)
            identity = TrackerIdentity{s->textAt(0), s->textAt(1), s->optionalTextAt(2)};
        return {};
    }));
    return identity;
}

Result<void> PgStore::setTrackerIdentity(std::string_view course, const std::optional<TrackerIdentity>& identity)
{
    return write([&](PgConnection& db) -> Result<void> {
        if (!identity) {
            TRY_ASSIGN(s, db.query("DELETE FROM course_tracker WHERE course = $1"));
            return s->bind(1, course).run();
        }
        TRY_ASSIGN(s, db.query("INSERT INTO course_tracker(course, tracker_course, module, first_sprint_day)"
                               " VALUES($1, $2, $3, $4) ON CONFLICT(course) DO UPDATE SET"
                               " tracker_course = excluded.tracker_course, module = excluded.module,"
                               " first_sprint_day = excluded.first_sprint_day"));
        return s->bindAll(course, identity->course, identity->module, identity->firstSprintDay).run();
    });
}

Result<std::vector<TrackerPerson>> PgStore::trackerPeople(std::string_view course)
{
    std::vector<TrackerPerson> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT p.id, p.public_id, p.display_name, p.email, r.region, e.role FROM enrollment e"
                               " JOIN person p ON p.id = e.person LEFT JOIN person_region r ON r.person = p.id"
                               " WHERE e.course = $1 ORDER BY p.display_name COLLATE \"C\", p.id"));
        s->bind(1, course);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return TrackerPerson{row.int64At(0),         row.textAt(1),         row.textAt(2),
                                 row.optionalTextAt(3),  row.optionalTextAt(4),
                                 sync::roleFromString(row.textAt(5)).value_or(Role::Student)};
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<void> PgStore::setRegion(PersonId person, const std::optional<std::string>& region)
{
    return write([&](PgConnection& db) -> Result<void> {
        if (!region) {
            TRY_ASSIGN(s, db.query("DELETE FROM person_region WHERE person = $1"));
            return s->bind(1, person).run();
        }
        TRY_ASSIGN(s, db.query("INSERT INTO person_region(person, region) VALUES($1, $2)"
                               " ON CONFLICT(person) DO UPDATE SET region = excluded.region"));
        return s->bindAll(person, *region).run();
    });
}

Result<std::map<std::string, int>> PgStore::windowSprints(std::string_view course)
{
    std::map<std::string, int> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT ws.window_id, ws.sprint FROM window_sprint ws"
                               " JOIN attendance_window w ON w.id = ws.window_id WHERE w.course = $1"));
        s->bind(1, course);
        out.clear();
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            out.emplace(s->textAt(0), s->intAt(1));
        }
        return {};
    }));
    return out;
}

Result<void> PgStore::setWindowSprint(std::string_view window, std::optional<int> sprint)
{
    return write([&](PgConnection& db) -> Result<void> {
        if (!sprint) {
            TRY_ASSIGN(s, db.query("DELETE FROM window_sprint WHERE window_id = $1"));
            return s->bind(1, window).run();
        }
        TRY_ASSIGN(s, db.query("INSERT INTO window_sprint(window_id, sprint) VALUES($1, $2)"
                               " ON CONFLICT(window_id) DO UPDATE SET sprint = excluded.sprint"));
        return s->bindAll(window, *sprint).run();
    });
}

Result<std::int64_t> PgStore::recordRegisterImport(const RegisterImportRecord& record)
{
    std::int64_t id = 0;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO register_import(course, actor, at, rows, sha256)"
                               " VALUES($1, $2, $3, $4, $5) RETURNING id"));
        TRY(s->bindAll(record.course, record.actor, record.at, record.rows, record.sha256).step());
        id = s->int64At(0);
        TRY_ASSIGN(line, db.query("INSERT INTO imported_check_in(check_in, import, line) VALUES($1, $2, $3)"
                                  " ON CONFLICT DO NOTHING"));
        for (const auto& [checkIn, number] : record.checkIns) {
            line->reset();
            TRY(line->bindAll(checkIn, id, number).run());
        }
        return {};
    }));
    return id;
}

Result<std::vector<std::string>> PgStore::importedCheckIns(std::string_view course)
{
    std::vector<std::string> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT i.check_in FROM imported_check_in i JOIN check_in c ON c.id = i.check_in"
                               " JOIN attendance_window w ON w.id = c.window_id WHERE w.course = $1"
                               " ORDER BY i.check_in COLLATE \"C\""));
        s->bind(1, course);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) { return row.textAt(0); }));
        out = std::move(all);
        return {};
    }));
    return out;
}

} // namespace imhere::server
