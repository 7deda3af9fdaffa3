// KioskStore: what the check-in and admin screens read.
#include "kioskstore.h"
#include "kiosklimits.h"

#include <map>

namespace imhere::kiosk {

namespace {

// Collects every row of `stmt` through `read`.
template <class T, class Read>
Result<std::vector<T>> collect(Result<Statement>& stmt, Read read)
{
    std::vector<T> rows;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return rows;
        rows.push_back(read(*stmt));
    }
}

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

constexpr std::string_view k_checkInColumns =
    "SELECT ci.id, ci.person, COALESCE(p.display_name, ci.person), ci.window, ci.at, ci.source, ci.confirmed "
    "FROM check_ins ci LEFT JOIN people p ON p.public_id = ci.person ";

} // namespace

Result<std::optional<Person>> KioskStore::personByBadge(std::string_view uidHash)
{
    auto stmt = m_db.prepare("SELECT p.public_id, p.display_name FROM badges b "
                             "JOIN people p ON p.public_id = b.person WHERE b.uid_hash = ? AND b.revoked = 0");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, uidHash);
    auto rows = collect<Person>(stmt, [](const Statement& s) { return Person{s.textAt(0), s.textAt(1)}; });
    if (!rows)
        return std::unexpected(rows.error());
    return rows->empty() ? std::optional<Person>{} : std::optional<Person>{rows->front()};
}

Result<std::optional<Person>> KioskStore::person(std::string_view publicId)
{
    auto stmt = m_db.prepare("SELECT public_id, display_name FROM people WHERE public_id = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, publicId);
    auto rows = collect<Person>(stmt, [](const Statement& s) { return Person{s.textAt(0), s.textAt(1)}; });
    if (!rows)
        return std::unexpected(rows.error());
    return rows->empty() ? std::optional<Person>{} : std::optional<Person>{rows->front()};
}

Result<std::optional<std::string>> KioskStore::pinHash(std::string_view publicId)
{
    auto stmt = m_db.prepare("SELECT pin_hash FROM people WHERE public_id = ? AND pin_hash IS NOT NULL");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, publicId);
    auto rows = collect<std::string>(stmt, [](const Statement& s) { return s.textAt(0); });
    if (!rows)
        return std::unexpected(rows.error());
    return rows->empty() ? std::optional<std::string>{} : std::optional<std::string>{rows->front()};
}

Result<bool> KioskStore::isStaff(std::string_view publicId)
{
    auto stmt = m_db.prepare("SELECT 1 FROM enrollments WHERE person = ? AND role IN ('ta', 'teacher') LIMIT 1");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, publicId);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return *row;
}

Result<std::optional<std::string>> KioskStore::roleIn(std::string_view publicId, std::string_view course)
{
    auto stmt = m_db.prepare("SELECT role FROM enrollments WHERE person = ? AND course = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bindAll(publicId, course);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return std::optional<std::string>{};
    return std::optional<std::string>{stmt->textAt(0)};
}

Result<std::vector<Window>> KioskStore::openWindows(std::int64_t nowMs)
{
    auto stmt = m_db.prepare(k_openWindowsSql);
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bindAll(nowMs, limits::k_scheduledOpenEarlyMs, nullptr);
    return collect<Window>(stmt, readWindow);
}

Result<std::vector<Window>> KioskStore::openWindowsFor(std::string_view person, std::int64_t nowMs)
{
    auto stmt = m_db.prepare(k_openWindowsSql);
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bindAll(nowMs, limits::k_scheduledOpenEarlyMs, person);
    return collect<Window>(stmt, readWindow);
}

Result<std::optional<Window>> KioskStore::window(std::string_view id)
{
    auto stmt = m_db.prepare(R"sql(
SELECT w.id, w.course, COALESCE(c.name, ''), w.title, COALESCE(c.timezone, 'UTC'),
       COALESCE(w.scheduled_start, w.opened_at, 0),
       COALESCE(c.late_after_min, 10), COALESCE(c.absent_after_min, 60)
FROM windows w LEFT JOIN courses c ON c.id = w.course WHERE w.id = ?
)sql");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, id);
    auto rows = collect<Window>(stmt, readWindow);
    if (!rows)
        return std::unexpected(rows.error());
    return rows->empty() ? std::optional<Window>{} : std::optional<Window>{rows->front()};
}

Result<std::optional<CheckInRecord>> KioskStore::checkInFor(std::string_view person, std::string_view window)
{
    auto stmt = m_db.prepare(std::string(k_checkInColumns) +
                             "WHERE ci.window = ?2 AND ci.person = ?1 ORDER BY ci.at LIMIT 1");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bindAll(person, window);
    auto rows = collect<CheckInRecord>(stmt, readCheckIn);
    if (!rows)
        return std::unexpected(rows.error());
    return rows->empty() ? std::optional<CheckInRecord>{} : std::optional<CheckInRecord>{rows->front()};
}

Result<std::vector<CheckInRecord>> KioskStore::recentCheckIns(std::string_view window, int limit)
{
    auto stmt = m_db.prepare(std::string(k_checkInColumns) + "WHERE ci.window = ? ORDER BY ci.at DESC LIMIT ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bindAll(window, limit);
    return collect<CheckInRecord>(stmt, readCheckIn);
}

Result<std::vector<CheckInRecord>> KioskStore::unconfirmedRemote(std::string_view window)
{
    auto stmt = m_db.prepare(std::string(k_checkInColumns) +
                             "WHERE ci.window = ? AND ci.source = 'qr_remote' AND ci.confirmed = 0 ORDER BY ci.at");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, window);
    return collect<CheckInRecord>(stmt, readCheckIn);
}

Result<int> KioskStore::presentCount(std::string_view window)
{
    auto stmt = m_db.prepare(R"sql(
-- Run after every tap: people who checked in (read off the index, no temporary
-- table), less those corrected to absent, plus those corrected to present.
SELECT (SELECT COUNT(DISTINCT person) FROM check_ins WHERE window = ?1)
     - (SELECT COUNT(*) FROM corrections co WHERE co.window = ?1 AND co.present = 0
          AND EXISTS (SELECT 1 FROM check_ins ci WHERE ci.window = ?1 AND ci.person = co.person))
     + (SELECT COUNT(*) FROM corrections co WHERE co.window = ?1 AND co.present = 1
          AND NOT EXISTS (SELECT 1 FROM check_ins ci WHERE ci.window = ?1 AND ci.person = co.person))
)sql");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, window);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? stmt->intAt(0) : 0;
}

Result<std::vector<RosterEntry>> KioskStore::roster(std::string_view window)
{
    auto stmt = m_db.prepare(R"sql(
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
)sql");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, window);
    auto rows = collect<RosterEntry>(stmt, [](const Statement& s) {
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
    });
    if (!rows)
        return rows;
    auto flags = m_db.prepare("SELECT person, flag FROM flags WHERE window = ? ORDER BY flag");
    if (!flags)
        return std::unexpected(flags.error());
    flags->bind(1, window);
    auto pairs = collect<std::pair<std::string, std::string>>(
        flags, [](const Statement& s) { return std::pair{s.textAt(0), s.textAt(1)}; });
    if (!pairs)
        return std::unexpected(pairs.error());
    std::map<std::string, std::vector<std::string>, std::less<>> byPerson;
    for (auto& [person, flag] : *pairs)
        byPerson[person].push_back(flag);
    for (auto& entry : *rows) {
        if (auto it = byPerson.find(entry.person); it != byPerson.end())
            entry.flags = it->second;
    }
    return rows;
}

Result<std::vector<std::pair<std::string, std::string>>> KioskStore::courses()
{
    auto stmt = m_db.prepare("SELECT id, name FROM courses ORDER BY name");
    if (!stmt)
        return std::unexpected(stmt.error());
    return collect<std::pair<std::string, std::string>>(
        stmt, [](const Statement& s) { return std::pair{s.textAt(0), s.textAt(1)}; });
}

} // namespace imhere::kiosk
