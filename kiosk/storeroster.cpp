// KioskStore: what the check-in and admin screens read.
#include "kioskstore.h"
#include "kiosklimits.h"
#include "storesql.h"

#include <map>

namespace imhere::kiosk {

namespace {

constexpr std::string_view k_openWindowsSql = R"sql(
SELECT w.id, w.course, COALESCE(c.name, ''), w.title, COALESCE(c.timezone, 'UTC'),
       COALESCE(w.scheduled_start, w.opened_at),
       COALESCE(c.late_after_min, 10), COALESCE(c.absent_after_min, 60)
FROM windows w LEFT JOIN courses c ON c.id = w.course
WHERE w.closed_at IS NULL
  AND (w.opened_at IS NOT NULL
       OR (w.scheduled_start IS NOT NULL AND w.scheduled_start - ?2 <= ?1
           AND ?1 <= w.scheduled_start + COALESCE(c.absent_after_min, 60) * 60000))
  AND (?3 IS NULL OR w.course IN (SELECT course FROM enrollments WHERE person = ?3))
ORDER BY COALESCE(w.scheduled_start, w.opened_at) DESC, w.id
)sql";

Person readPerson(const Statement& s)
{
    return Person{s.textAt(0), s.textAt(1)};
}

std::pair<std::string, std::string> readTextPair(const Statement& s)
{
    return {s.textAt(0), s.textAt(1)};
}

Window readWindow(const Statement& s)
{
    Window w;
    w.id = s.textAt(0);
    w.course = s.textAt(1);
    w.courseName = s.textAt(2);
    w.title = s.textAt(3);
    w.timezone = s.textAt(4);
    w.startMs = s.int64At(5);
    w.timing.lateAfterMin = s.intAt(6);
    w.timing.absentAfterMin = s.intAt(7);
    return w;
}

CheckInRecord readCheckIn(const Statement& s)
{
    return CheckInRecord{s.textAt(0), s.textAt(1), s.textAt(2), s.textAt(3),
                         s.int64At(4), s.textAt(5), s.intAt(6) != 0};
}

RosterEntry readRosterEntry(const Statement& s)
{
    RosterEntry e;
    e.person = s.textAt(0);
    e.name = s.textAt(1);
    e.role = s.textAt(2);
    e.checkedInAt = s.optionalInt64At(3);
    e.source = s.optionalTextAt(4).value_or("");
    if (auto present = s.optionalInt64At(5))
        e.corrected = *present != 0;
    e.lastEventId = s.optionalTextAt(6).value_or("");
    return e;
}

constexpr std::string_view k_checkInColumns =
    "SELECT ci.id, ci.person, COALESCE(p.display_name, ci.person), ci.window, ci.at, ci.source, ci.confirmed "
    "FROM check_ins ci LEFT JOIN people p ON p.public_id = ci.person ";

} // namespace

Result<std::optional<Person>> KioskStore::personByBadge(std::string_view uidHash)
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT p.public_id, p.display_name FROM badges b "
                                  "JOIN people p ON p.public_id = b.person WHERE b.uid_hash = ? AND b.revoked = 0"));
    stmt.bind(1, uidHash);
    return stmt.first(readPerson);
}

Result<std::optional<Person>> KioskStore::person(std::string_view publicId)
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT public_id, display_name FROM people WHERE public_id = ?"));
    stmt.bind(1, publicId);
    return stmt.first(readPerson);
}

Result<std::optional<std::string>> KioskStore::pinHash(std::string_view publicId)
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT pin_hash FROM people WHERE public_id = ? AND pin_hash IS NOT NULL"));
    stmt.bind(1, publicId);
    return stmt.first(readText);
}

Result<bool> KioskStore::isStaff(std::string_view publicId)
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT 1 FROM enrollments WHERE person = ? AND role IN ('ta', 'teacher') LIMIT 1"));
    stmt.bind(1, publicId);
    return stmt.step();
}

Result<std::optional<std::string>> KioskStore::roleIn(std::string_view publicId, std::string_view course)
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT role FROM enrollments WHERE person = ? AND course = ?"));
    stmt.bindAll(publicId, course);
    return stmt.first(readText);
}

Result<std::vector<Window>> KioskStore::openWindows(std::int64_t nowMs)
{
    TRY_ASSIGN(stmt, m_db.prepare(k_openWindowsSql));
    stmt.bindAll(nowMs, limits::k_scheduledOpenEarlyMs, nullptr);
    return stmt.collect(readWindow);
}

Result<std::vector<Window>> KioskStore::openWindowsFor(std::string_view person, std::int64_t nowMs)
{
    TRY_ASSIGN(stmt, m_db.prepare(k_openWindowsSql));
    stmt.bindAll(nowMs, limits::k_scheduledOpenEarlyMs, person);
    return stmt.collect(readWindow);
}

Result<std::optional<Window>> KioskStore::window(std::string_view id)
{
    TRY_ASSIGN(stmt, m_db.prepare(R"sql(
SELECT w.id, w.course, COALESCE(c.name, ''), w.title, COALESCE(c.timezone, 'UTC'),
       COALESCE(w.scheduled_start, w.opened_at, 0),
       COALESCE(c.late_after_min, 10), COALESCE(c.absent_after_min, 60)
FROM windows w LEFT JOIN courses c ON c.id = w.course WHERE w.id = ?
)sql"));
    stmt.bind(1, id);
    return stmt.first(readWindow);
}

Result<std::optional<CheckInRecord>> KioskStore::checkInFor(std::string_view person, std::string_view window)
{
    TRY_ASSIGN(stmt, m_db.prepare(std::string(k_checkInColumns) +
                                  "WHERE ci.window = ?2 AND ci.person = ?1 ORDER BY ci.at LIMIT 1"));
    stmt.bindAll(person, window);
    return stmt.first(readCheckIn);
}

Result<std::vector<CheckInRecord>> KioskStore::recentCheckIns(std::string_view window, int limit)
{
    TRY_ASSIGN(stmt, m_db.prepare(std::string(k_checkInColumns) + "WHERE ci.window = ? ORDER BY ci.at DESC LIMIT ?"));
    stmt.bindAll(window, limit);
    return stmt.collect(readCheckIn);
}

Result<std::vector<CheckInRecord>> KioskStore::unconfirmedRemote(std::string_view window)
{
    TRY_ASSIGN(stmt, m_db.prepare(std::string(k_checkInColumns) + "WHERE ci.window = ? AND ci.source = 'qr_remote' "
                                                                   "AND ci.confirmed = 0 ORDER BY ci.at"));
    stmt.bind(1, window);
    return stmt.collect(readCheckIn);
}

Result<int> KioskStore::presentCount(std::string_view window)
{
    TRY_ASSIGN(stmt, m_db.prepare(R"sql(
-- Run after every tap: people who checked in (read off the index, no temporary
-- table), less those corrected to absent, plus those corrected to present.
SELECT (SELECT COUNT(DISTINCT person) FROM check_ins WHERE window = ?1)
     - (SELECT COUNT(*) FROM corrections co WHERE co.window = ?1 AND co.present = 0
          AND EXISTS (SELECT 1 FROM check_ins ci WHERE ci.window = ?1 AND ci.person = co.person))
     + (SELECT COUNT(*) FROM corrections co WHERE co.window = ?1 AND co.present = 1
          AND NOT EXISTS (SELECT 1 FROM check_ins ci WHERE ci.window = ?1 AND ci.person = co.person))
)sql"));
    stmt.bind(1, window);
    TRY_ASSIGN(row, stmt.step());
    return row ? stmt.intAt(0) : 0;
}

Result<std::vector<RosterEntry>> KioskStore::roster(std::string_view window)
{
    TRY_ASSIGN(stmt, m_db.prepare(R"sql(
SELECT e.person, COALESCE(p.display_name, e.person), e.role,
       (SELECT MIN(at) FROM check_ins ci WHERE ci.person = e.person AND ci.window = ?1),
       (SELECT source FROM check_ins ci WHERE ci.person = e.person AND ci.window = ?1 ORDER BY at LIMIT 1),
       co.present,
       COALESCE(co.event_id,
                (SELECT id FROM check_ins ci WHERE ci.person = e.person AND ci.window = ?1 ORDER BY at DESC LIMIT 1))
FROM enrollments e
LEFT JOIN people p ON p.public_id = e.person
LEFT JOIN corrections co ON co.person = e.person AND co.window = ?1
WHERE e.course = (SELECT course FROM windows WHERE id = ?1)
ORDER BY e.role = 'student' DESC, 2
)sql"));
    stmt.bind(1, window);
    TRY_ASSIGN(rows, stmt.collect(readRosterEntry));
    TRY_ASSIGN(flags, m_db.prepare("SELECT person, flag FROM flags WHERE window = ? ORDER BY flag"));
    flags.bind(1, window);
    TRY_ASSIGN(pairs, flags.collect(readTextPair));
    std::map<std::string, std::vector<std::string>, std::less<>> byPerson;
    for (auto& [person, flag] : pairs)
        byPerson[person].push_back(flag);
    for (auto& entry : rows) {
        if (auto it = byPerson.find(entry.person); it != byPerson.end())
            entry.flags = it->second;
    }
    return rows;
}

Result<std::vector<std::pair<std::string, std::string>>> KioskStore::courses()
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT id, name FROM courses ORDER BY name"));
    return stmt.collect(readTextPair);
}

} // namespace imhere::kiosk
