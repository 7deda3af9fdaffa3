// SqliteStore: append-only attendance events, and what records are folded
// from (the fold itself is the domain's: service/attendancefold.h).

#include "sqlitestore.h"
#include "sqliterows.h"

#include "core/result.h"

#include <map>

namespace imhere::server {

namespace {

void bindKiosk(Statement& s, int index, std::optional<std::uint32_t> kiosk)
{
    kiosk ? s.bind(index, std::int64_t{*kiosk}) : s.bind(index, nullptr);
}

using EventKey = std::pair<std::string, std::string>; // (person public id, window id)

// The events of a course, narrowed to a window and/or a person. Each narrowing
// is its own statement rather than `(?2 IS NULL OR ...)`, which would keep
// SQLite from using the (window_id, person) indexes and make one record read
// every event of its course.
std::string scoped(std::string_view select, std::optional<std::string_view> window, std::optional<PersonId> person,
                   bool between = false)
{
    std::string sql(select);
    sql += " JOIN attendance_window w ON w.id = e.window_id JOIN person p ON p.id = e.person WHERE w.course = ?1";
    if (window)
        sql += " AND e.window_id = ?2";
    if (person)
        sql += " AND e.person = ?3";
    if (between)
        sql += " AND coalesce(w.scheduled_start, w.opened_at) BETWEEN ?4 AND ?5";
    return sql + " ORDER BY e.rowid";
}

void bindScope(Statement& s, std::string_view course, std::optional<std::string_view> window,
               std::optional<PersonId> person)
{
    s.bind(1, course);
    if (window)
        s.bind(2, *window);
    if (person)
        s.bind(3, *person);
}

} // namespace

Result<bool> SqliteStore::addCheckIn(const CheckInEvent& e)
{
    bool inserted = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(course, courseOfWindow(e.window));
        TRY_ASSIGN(added, insertCheckIn(e, course));
        inserted = added;
        return {};
    }));
    return inserted;
}

Result<std::optional<std::int64_t>> SqliteStore::insertCheckInRow(const CheckInEvent& e)
{
    TRY_ASSIGN(s, query("INSERT INTO check_in(id, person, window_id, at, source, kiosk, actor, received_at)"
                        " VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    s->bindAll(e.id, e.person, e.window, e.at, sync::toString(e.source));
    bindKiosk(*s, 6, e.kiosk);
    TRY(s->bind(7, e.actor).bind(8, m_clock.nowMs()).run());
    if (m_db.changes() == 0)
        return std::optional<std::int64_t>();
    return std::optional(m_db.lastInsertRowId());
}

Result<bool> SqliteStore::insertCheckIn(const CheckInEvent& e, std::optional<std::string_view> course)
{
    TRY_ASSIGN(row, insertCheckInRow(e));
    if (!row)
        return false;
    TRY(logChange("check_in", e.id, course, e.kiosk));
    return true;
}

Result<bool> SqliteStore::addCorrection(const CorrectionEvent& e)
{
    bool inserted = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO correction(id, person, window_id, present, reason, base, actor, at, kiosk,"
                            " received_at, excused) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
        s->bindAll(e.id, e.person, e.window, e.present ? 1 : 0, e.reason, e.base, e.actor, e.at);
        bindKiosk(*s, 9, e.kiosk);
        TRY(s->bind(10, m_clock.nowMs()).bind(11, e.excused ? 1 : 0).run());
        inserted = m_db.changes() > 0;
        return {};
    }));
    return inserted;
}

Result<bool> SqliteStore::addFlag(const FlagEvent& e)
{
    bool inserted = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO flag_event(id, person, window_id, flag, is_set, note, actor, at, kiosk,"
                            " received_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
        s->bindAll(e.id, e.person, e.window, sync::toString(e.flag), e.set ? 1 : 0, e.note, e.actor, e.at);
        bindKiosk(*s, 9, e.kiosk);
        TRY(s->bind(10, m_clock.nowMs()).run());
        inserted = m_db.changes() > 0;
        return {};
    }));
    return inserted;
}

Result<bool> SqliteStore::hasCheckIn(PersonId person, std::string_view window)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT 1 FROM check_in WHERE person = ? AND window_id = ? LIMIT 1"));
    s->bind(1, person).bind(2, window);
    return s->step();
}

Result<RecordInputs> SqliteStore::recordInputs(std::string_view courseId, std::optional<std::string_view> windowId,
                                               std::optional<PersonId> personId)
{
    return readRecordInputs(courseId, windowId, personId, std::nullopt);
}

Result<RecordInputs> SqliteStore::recordInputsBetween(std::string_view courseId, std::int64_t fromMs, std::int64_t toMs)
{
    return readRecordInputs(courseId, std::nullopt, std::nullopt, std::pair{fromMs, toMs});
}

Result<RecordInputs> SqliteStore::rosterInputs(std::string_view courseId)
{
    return readRecordInputs(courseId, std::nullopt, std::nullopt, std::nullopt, false);
}

Result<std::set<std::pair<std::string, std::string>>> SqliteStore::attendedWindows(
    std::string_view courseId, const std::vector<std::string>& publicIds)
{
    std::lock_guard lock(m_mutex);
    std::set<std::pair<std::string, std::string>> out;
    if (publicIds.empty())
        return out;
    // For each of the course's windows, each person's events through the
    // (window_id, person) indexes.
    TRY_ASSIGN(s, query("WITH who(id, public_id) AS (SELECT p.id, p.public_id FROM person p"
                        " WHERE p.public_id IN (SELECT value FROM json_each(?2)))"
                        " SELECT who.public_id, w.id FROM attendance_window w CROSS JOIN who"
                        " WHERE w.course = ?1 AND (EXISTS (SELECT 1 FROM check_in e WHERE e.window_id = w.id"
                        " AND e.person = who.id) OR EXISTS (SELECT 1 FROM correction e WHERE e.window_id = w.id"
                        " AND e.person = who.id))"));
    rows::JsonStrings ids;
    for (const std::string& id : publicIds)
        ids.add(id);
    s->bind(1, courseId).bind(2, ids.done());
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.emplace(s->textAt(0), s->textAt(1));
    }
    return out;
}

Result<RecordInputs> SqliteStore::readRecordInputs(std::string_view courseId, std::optional<std::string_view> windowId,
                                                   std::optional<PersonId> personId,
                                                   std::optional<std::pair<std::int64_t, std::int64_t>> between,
                                                   bool withEvents)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(courseRow, course(courseId));
    if (!courseRow)
        return fail(Errc::NotFound, "no such course");
    RecordInputs in;
    in.course = std::move(*courseRow);
    std::vector<Window>& windows = in.windows;
    if (windowId) {
        TRY_ASSIGN(w, windowUnlocked(*windowId));
        if (!w)
            return fail(Errc::NotFound, "no such window");
        windows.push_back(*w);
    } else {
        TRY_ASSIGN(all, between ? windowsBetween(courseId, between->first, between->second) : windowsOf(courseId));
        windows = std::move(all);
    }
    auto bindAllScope = [&](Statement& st) {
        bindScope(st, courseId, windowId, personId);
        if (between)
            st.bind(4, between->first).bind(5, between->second);
    };

    std::vector<Member>& members = in.members;
    {
        TRY_ASSIGN(s, query(std::string("SELECT p.public_id, p.display_name, e.role FROM enrollment e JOIN person p"
                                        " ON p.id = e.person WHERE e.course = ?1")
                            + (personId ? " AND e.person = ?2" : "") + " ORDER BY p.display_name, p.id"));
        s->bind(1, courseId);
        if (personId)
            s->bind(2, *personId);
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            members.push_back({s->textAt(0), s->textAt(1), sync::roleFromString(s->textAt(2)).value_or(Role::Student)});
        }
    }

    {
        // Joins and removals in order; a change of role keeps the span going.
        TRY_ASSIGN(s, query(std::string("SELECT p.public_id, h.role IS NOT NULL, h.at FROM enrollment_history h JOIN person p"
                                        " ON p.id = h.person WHERE h.course = ?1")
                            + (personId ? " AND h.person = ?2" : "") + " ORDER BY h.seq"));
        s->bind(1, courseId);
        if (personId)
            s->bind(2, *personId);
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            auto& spans = in.enrolment[s->textAt(0)];
            const bool joins = s->intAt(1) != 0;
            const std::int64_t at = s->int64At(2);
            const bool inCourse = !spans.empty() && !spans.back().left;
            if (joins && !inCourse)
                spans.push_back({at, std::nullopt});
            else if (!joins && inCourse)
                spans.back().left = at;
        }
    }

    if (!withEvents)
        return in;
    auto& events = in.events;
    {
        TRY_ASSIGN(s, query(scoped("SELECT e.id, p.public_id, e.window_id, e.at, e.source FROM check_in e", windowId,
                                   personId, between.has_value())));
        bindAllScope(*s);
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            events[{s->textAt(1), s->textAt(2)}].checkIns.push_back(
                {s->textAt(0), s->int64At(3), sync::checkInSourceFromString(s->textAt(4)).value_or(CheckInSource::Manual)});
        }
    }
    {
        TRY_ASSIGN(s, query(scoped("SELECT e.id, p.public_id, e.window_id, e.at, e.present, e.base, e.excused FROM correction e",
                                   windowId, personId, between.has_value())));
        bindAllScope(*s);
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            events[{s->textAt(1), s->textAt(2)}].corrections.push_back(
                {s->textAt(0), s->int64At(3), s->intAt(4) != 0, s->optionalTextAt(5), s->intAt(6) != 0});
        }
    }
    {
        TRY_ASSIGN(s, query(scoped("SELECT e.id, p.public_id, e.window_id, e.at, e.flag, e.is_set FROM flag_event e",
                                   windowId, personId, between.has_value())));
        bindAllScope(*s);
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            events[{s->textAt(1), s->textAt(2)}].flags.push_back(
                {s->textAt(0), s->int64At(3), sync::flagFromString(s->textAt(4)).value_or(Flag::LeftEarly),
                 s->intAt(5) != 0});
        }
    }

    return in;
}

Result<std::vector<HistoryEvent>> SqliteStore::recordHistory(std::string_view course, PersonId person)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT 0, c.id, c.window_id, c.at, a.display_name, c.reason, c.present, c.excused, NULL, 1,"
                        " c.kiosk IS NOT NULL, c.rowid FROM correction c JOIN attendance_window w ON w.id = c.window_id"
                        " JOIN person a ON a.id = c.actor WHERE w.course = ?1 AND c.person = ?2"
                        " UNION ALL"
                        " SELECT 1, f.id, f.window_id, f.at, a.display_name, f.note, 0, 0, f.flag, f.is_set,"
                        " f.kiosk IS NOT NULL, f.rowid FROM flag_event f JOIN attendance_window w ON w.id = f.window_id"
                        " JOIN person a ON a.id = f.actor WHERE w.course = ?1 AND f.person = ?2"
                        " ORDER BY 4, 1, 12"));
    s->bind(1, course).bind(2, person);
    std::vector<HistoryEvent> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        HistoryEvent e;
        e.kind = s->intAt(0) == 0 ? HistoryEvent::Kind::Correction : HistoryEvent::Kind::Flag;
        e.id = s->textAt(1);
        e.window = s->textAt(2);
        e.at = s->int64At(3);
        e.actorName = s->textAt(4);
        e.text = s->textAt(5);
        e.present = s->intAt(6) != 0;
        e.excused = s->intAt(7) != 0;
        if (!s->isNullAt(8))
            e.flag = sync::flagFromString(s->textAt(8)).value_or(Flag::LeftEarly);
        e.set = s->intAt(9) != 0;
        e.fromKiosk = s->intAt(10) != 0;
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace imhere::server
