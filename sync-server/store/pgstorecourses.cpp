// PgStore: courses, enrollments and alert follow-ups.

#include "pgstore.h"

#include "core/random.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_courseColumns =
    "SELECT id, name, timezone, late_after_min, absent_after_min, removed, window_length_min, close_grace_min,"
    " alert_below_percent, alert_absent_run FROM course ";

Course courseFrom(const PgStatement& s)
{
    return Course{s.textAt(0), s.textAt(1), s.textAt(2), s.intAt(3), s.intAt(4), s.boolAt(5),
                  s.intAt(6),  s.intAt(7),  s.intAt(8),  s.intAt(9)};
}

std::optional<PersonId> actorOrNull(PersonId actor)
{
    // Actor 0: from the command line rather than by a person.
    return actor ? std::optional(actor) : std::nullopt;
}

} // namespace

Result<Course> PgStore::createCourse(const NewCourse& c, PersonId creator)
{
    Course created;
    TRY(write([&](PgConnection& db) -> Result<void> {
        created = Course{newUuidV4(), c.name, c.timezone, c.lateAfterMin, c.absentAfterMin,
                         false,       c.windowLengthMin, c.closeGraceMin};
        TRY_ASSIGN(s, db.query("INSERT INTO course(id, name, timezone, late_after_min, absent_after_min, created_at,"
                               " window_length_min, close_grace_min) VALUES($1, $2, $3, $4, $5, $6, $7, $8)"));
        TRY(s->bindAll(created.id, c.name, c.timezone, c.lateAfterMin, c.absentAfterMin, m_clock.nowMs(),
                       c.windowLengthMin, c.closeGraceMin)
                .run());
        TRY(logChange(db, "course", created.id, created.id));
        TRY(enrol(db, creator, created.id, Role::Teacher, creator));
        for (const PersonId student : c.students) {
            if (student != creator)
                TRY(enrol(db, student, created.id, Role::Student, creator));
        }
        return {};
    }));
    return created;
}

Result<std::optional<Course>> PgStore::courseOn(PgConnection& db, std::string_view id)
{
    TRY_ASSIGN(s, db.query(std::string(k_courseColumns) + "WHERE id = $1"));
    TRY_ASSIGN(row, s->bind(1, id).step());
    if (!row)
        return std::optional<Course>();
    return std::optional(courseFrom(*s));
}

Result<std::optional<Course>> PgStore::course(std::string_view id)
{
    std::optional<Course> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(c, courseOn(db, id));
        found = std::move(c);
        return {};
    }));
    return found;
}

Result<std::vector<CourseWithRole>> PgStore::listCourses(std::optional<PersonId> person)
{
    std::vector<CourseWithRole> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT c.id, c.name, c.timezone, c.late_after_min, c.absent_after_min, c.removed,"
                               " c.window_length_min, c.close_grace_min, c.alert_below_percent, c.alert_absent_run,"
                               " e.role FROM course c LEFT JOIN enrollment e ON e.course = c.id AND e.person = $1"
                               " WHERE c.removed = 0 AND ($2::integer = 1 OR e.role IS NOT NULL)"
                               " ORDER BY c.name COLLATE \"C\", c.id COLLATE \"C\""));
        s->bind(1, person.value_or(0)).bind(2, person ? 0 : 1);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return CourseWithRole{courseFrom(row),
                                  row.isNullAt(10) ? std::nullopt : sync::roleFromString(row.textAt(10))};
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<void> PgStore::updateCourse(const Course& c, PersonId)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE course SET name = $1, late_after_min = $2, absent_after_min = $3,"
                               " window_length_min = $4, close_grace_min = $5, alert_below_percent = $6,"
                               " alert_absent_run = $7 WHERE id = $8 AND removed = 0"));
        TRY(s->bindAll(c.name, c.lateAfterMin, c.absentAfterMin, c.windowLengthMin, c.closeGraceMin,
                       c.alertBelowPercent, c.alertAbsentRun, c.id)
                .run());
        if (s->affected() == 0)
            return fail(Errc::NotFound, "no such course");
        return logChange(db, "course", c.id, c.id);
    });
}

Result<void> PgStore::removeCourse(std::string_view id, PersonId)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE course SET removed = 1 WHERE id = $1 AND removed = 0"));
        TRY(s->bind(1, id).run());
        if (s->affected() == 0)
            return fail(Errc::NotFound, "no such course");
        return logChange(db, "course", id, id);
    });
}

Result<void> PgStore::followUpAlert(std::string_view course, PersonId person, std::string_view kind,
                                    std::string_view since, std::string_view note, PersonId actor)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO alert_follow_up(course, person, kind, since, note, actor, at)"
                               " VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"));
        TRY(s->bindAll(course, person, kind, since, note, actor, m_clock.nowMs()).run());
        if (s->affected() == 0)
            return fail(Errc::AlreadyExists, "this alert was already followed up");
        return {};
    });
}

Result<std::vector<AlertFollowUp>> PgStore::alertFollowUps(std::string_view course)
{
    std::vector<AlertFollowUp> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT p.public_id, f.kind, f.since, f.note, a.display_name, f.at FROM alert_follow_up f"
                               " JOIN person p ON p.id = f.person JOIN person a ON a.id = f.actor"
                               " WHERE f.course = $1 ORDER BY f.at, p.public_id COLLATE \"C\""));
        s->bind(1, course);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return AlertFollowUp{row.textAt(0), row.textAt(1), row.textAt(2),
                                 row.textAt(3), row.textAt(4), row.int64At(5)};
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<std::optional<Role>> PgStore::roleIn(PersonId person, std::string_view course)
{
    std::optional<Role> role;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT role FROM enrollment WHERE person = $1 AND course = $2"));
        TRY_ASSIGN(row, s->bindAll(person, course).step());
        if (row)
            role = sync::roleFromString(s->textAt(0));
        return {};
    }));
    return role;
}

Result<void> PgStore::enrol(PgConnection& db, PersonId person, std::string_view course, Role role, PersonId actor)
{
    const auto roleName = sync::toString(role);
    TRY(lockChangeLog(db)); // first: see commitCheckIns (pgstorerecords.cpp)
    TRY_ASSIGN(s, db.query("INSERT INTO enrollment(person, course, role) VALUES($1, $2, $3)"
                           " ON CONFLICT(person, course) DO UPDATE SET role = excluded.role"
                           " WHERE enrollment.role <> excluded.role"));
    TRY(s->bindAll(person, course, roleName).run());
    if (s->affected() == 0)
        return {};
    TRY_ASSIGN(h, db.query("INSERT INTO enrollment_history(person, course, role, actor, at)"
                           " VALUES($1, $2, $3, $4, $5)"));
    TRY(h->bindAll(person, course, roleName, actorOrNull(actor), m_clock.nowMs()).run());
    return logChange(db, "enrollment", std::to_string(person), course);
}

Result<void> PgStore::setEnrollment(PersonId person, std::string_view course, Role role, PersonId actor)
{
    return write([&](PgConnection& db) { return enrol(db, person, course, role, actor); });
}

Result<bool> PgStore::removeEnrollment(PersonId person, std::string_view course, PersonId actor)
{
    bool removed = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY(lockChangeLog(db)); // first: see commitCheckIns (pgstorerecords.cpp)
        TRY_ASSIGN(s, db.query("DELETE FROM enrollment WHERE person = $1 AND course = $2"));
        TRY(s->bindAll(person, course).run());
        removed = s->affected() > 0;
        if (!removed)
            return {};
        TRY_ASSIGN(h, db.query("INSERT INTO enrollment_history(person, course, role, actor, at)"
                               " VALUES($1, $2, NULL, $3, $4)"));
        TRY(h->bindAll(person, course, actorOrNull(actor), m_clock.nowMs()).run());
        return logChange(db, "enrollment", std::to_string(person), course);
    }));
    return removed;
}

Result<std::vector<Member>> PgStore::roster(std::string_view course)
{
    std::vector<Member> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT p.public_id, p.display_name, e.role FROM enrollment e"
                               " JOIN person p ON p.id = e.person WHERE e.course = $1"
                               " ORDER BY p.display_name COLLATE \"C\", p.id"));
        s->bind(1, course);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return Member{row.textAt(0), row.textAt(1), sync::roleFromString(row.textAt(2)).value_or(Role::Student)};
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<std::vector<Enrollment>> PgStore::listEnrollments()
{
    std::vector<Enrollment> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT e.person, e.course, e.role FROM enrollment e JOIN course c ON c.id = e.course"
                               " WHERE c.removed = 0 ORDER BY e.person, c.name COLLATE \"C\", c.id COLLATE \"C\""));
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return Enrollment{row.int64At(0), row.textAt(1),
                              sync::roleFromString(row.textAt(2)).value_or(Role::Student)};
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

} // namespace imhere::server
