// PgStore: append-only attendance events, groups of single check-ins, and
// what records are folded from (the fold itself is the domain's:
// service/attendancefold.h).
//
// Every event insert is `ON CONFLICT DO NOTHING` on the event's id (made
// where it happened), so an event sent twice, or to two instances, is
// stored once and the second answer says it was not new.

#include "pgstore.h"

#include <nlohmann/json.hpp>

#include <set>

namespace imhere::server {

namespace {

std::optional<std::int64_t> kioskOf(std::optional<std::uint32_t> kiosk)
{
    return kiosk ? std::optional<std::int64_t>(*kiosk) : std::nullopt;
}

// The events of a course, narrowed to a window and/or a person, in the order
// stored; the narrowing is in the SQL (not `$2 IS NULL OR ...`) so that the
// (window_id, person) indexes serve it.
std::string scoped(std::string_view select, std::optional<std::string_view> window, std::optional<PersonId> person,
                   bool between)
{
    std::string sql(select);
    sql += " JOIN attendance_window w ON w.id = e.window_id JOIN person p ON p.id = e.person WHERE w.course = $1";
    int next = 2;
    if (window)
        sql += " AND e.window_id = $" + std::to_string(next++);
    if (person)
        sql += " AND e.person = $" + std::to_string(next++);
    if (between) {
        sql += " AND coalesce(w.scheduled_start, w.opened_at) BETWEEN $" + std::to_string(next) + " AND $"
               + std::to_string(next + 1);
    }
    return sql + " ORDER BY e.seq";
}

} // namespace

Result<bool> PgStore::addCheckIn(const CheckInEvent& e)
{
    bool inserted = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(added, insertCheckIn(db, e));
        inserted = added;
        return {};
    }));
    return inserted;
}

Result<bool> PgStore::insertCheckIn(PgConnection& db, const CheckInEvent& e)
{
    TRY(lockChangeLog(db)); // first: see commitCheckIns
    TRY_ASSIGN(s, db.query("INSERT INTO check_in(id, person, window_id, at, source, kiosk, actor, received_at)"
                           " VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"
                           " RETURNING (SELECT course FROM attendance_window WHERE id = $3)"));
    s->bindAll(e.id, e.person, e.window, e.at, sync::toString(e.source), kioskOf(e.kiosk), e.actor, m_clock.nowMs());
    TRY_ASSIGN(row, s->step());
    if (!row)
        return false;
    TRY(logChange(db, "check_in", e.id, s->optionalTextAt(0), e.kiosk));
    return true;
}

Result<bool> PgStore::addCorrection(const CorrectionEvent& e)
{
    bool inserted = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO correction(id, person, window_id, present, reason, base, actor, at, kiosk,"
                               " received_at, excused) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                               " ON CONFLICT DO NOTHING"));
        TRY(s->bindAll(e.id, e.person, e.window, e.present ? 1 : 0, e.reason, e.base, e.actor, e.at, kioskOf(e.kiosk),
                       m_clock.nowMs(), e.excused ? 1 : 0)
                .run());
        inserted = s->affected() > 0;
        return {};
    }));
    return inserted;
}

Result<bool> PgStore::addFlag(const FlagEvent& e)
{
    bool inserted = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO flag_event(id, person, window_id, flag, is_set, note, actor, at, kiosk,"
                               " received_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING"));
        TRY(s->bindAll(e.id, e.person, e.window, sync::toString(e.flag), e.set ? 1 : 0, e.note, e.actor, e.at,
                       kioskOf(e.kiosk), m_clock.nowMs())
                .run());
        inserted = s->affected() > 0;
        return {};
    }));
    return inserted;
}

Result<bool> PgStore::hasCheckIn(PersonId person, std::string_view window)
{
    bool found = false;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT 1 FROM check_in WHERE person = $1 AND window_id = $2 LIMIT 1"));
        TRY_ASSIGN(row, s->bindAll(person, window).step());
        found = row;
        return {};
    }));
    return found;
}

Result<std::vector<CheckInOutcome>> PgStore::commitCheckIns(std::span<const CheckInEvent> group,
                                                             const CheckInRule& decide)
{
    // One transaction for the group: one commit (one WAL flush) for all of
    // them, and a few statements whatever its size: one read of what the
    // rule needs for every check-in, one insert of those stored and one of
    // their change-log rows. Any error stores none of it.
    //
    // The change-log lock comes first, and the rest runs READ COMMITTED:
    // everything the rule reads (windows opened and closed, enrolments,
    // check-ins) is written only by transactions that take the same lock
    // before they write (createWindow, markWindow, enrol, removeEnrollment,
    // insertCheckIn, ingestSync), and each statement after taking it sees
    // all they committed. That is the one-at-a-time outcome SERIALIZABLE would give,
    // without the false conflicts its predicate locks raise between groups
    // of different instances writing near each other in check_in's index.
    std::vector<CheckInOutcome> outcomes;
    TRY(m_pool->transact(PgIsolation::ReadCommitted, [&](PgConnection& db) -> Result<void> {
        outcomes.assign(group.size(), CheckInOutcome::UnknownWindow);
        TRY(lockChangeLog(db));
        nlohmann::json asked = nlohmann::json::array();
        for (std::size_t i = 0; i < group.size(); ++i)
            asked.push_back({{"i", i}, {"w", group[i].window}, {"p", group[i].person}});
        TRY_ASSIGN(s, db.query("SELECT a.i, w.course, w.opened_at, w.closed_at, en.role,"
                               " EXISTS (SELECT 1 FROM check_in c WHERE c.window_id = w.id AND c.person = a.p)"
                               " FROM jsonb_to_recordset($1::jsonb) a(i int, w text, p bigint)"
                               " JOIN attendance_window w ON w.id = a.w"
                               " LEFT JOIN enrollment en ON en.person = a.p AND en.course = w.course"));
        s->bind(1, asked.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        struct Found {
            Window window;
            std::optional<Role> role;
            bool checkedIn = false;
        };
        std::vector<std::optional<Found>> found(group.size());
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            const auto i = static_cast<std::size_t>(s->intAt(0));
            Found f;
            f.window.id = group[i].window;
            f.window.course = s->textAt(1);
            f.window.openedAt = s->optionalInt64At(2);
            f.window.closedAt = s->optionalInt64At(3);
            f.role = s->isNullAt(4) ? std::nullopt : sync::roleFromString(s->textAt(4));
            f.checkedIn = s->boolAt(5);
            found[i] = std::move(f);
        }
        // In the group's order, each seeing the ones stored before it.
        std::set<std::pair<std::string_view, PersonId>> storedHere;
        nlohmann::json rows = nlohmann::json::array();
        for (std::size_t i = 0; i < group.size(); ++i) {
            const CheckInEvent& e = group[i];
            if (!found[i])
                continue; // UnknownWindow
            const bool checkedIn = found[i]->checkedIn || storedHere.contains({e.window, e.person});
            outcomes[i] = decide(e, found[i]->window, found[i]->role, checkedIn);
            if (outcomes[i] != CheckInOutcome::Stored)
                continue;
            storedHere.emplace(e.window, e.person);
            rows.push_back({{"n", rows.size()}, {"id", e.id}, {"person", e.person}, {"window_id", e.window},
                            {"at", e.at}, {"source", sync::toString(e.source)},
                            {"kiosk", e.kiosk ? nlohmann::json(*e.kiosk) : nlohmann::json()}, {"actor", e.actor},
                            {"course", found[i]->window.course}});
        }
        if (rows.empty())
            return {};
        const std::string rowsJson = rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        TRY_ASSIGN(insert, db.query("INSERT INTO check_in(id, person, window_id, at, source, kiosk, actor, received_at)"
                                    " SELECT r.id, r.person, r.window_id, r.at, r.source, r.kiosk, r.actor, $2"
                                    " FROM jsonb_to_recordset($1::jsonb) r(n int, id text, person bigint,"
                                    " window_id text, at bigint, source text, kiosk bigint, actor bigint) ORDER BY r.n"));
        TRY(insert->bindAll(rowsJson, m_clock.nowMs()).run());
        TRY_ASSIGN(log, db.query("INSERT INTO change_log(kind, ref, course, kiosk)"
                                 " SELECT 'check_in', r.id, r.course, r.kiosk"
                                 " FROM jsonb_to_recordset($1::jsonb) r(n int, id text, course text, kiosk bigint)"
                                 " ORDER BY r.n"));
        return log->bind(1, rowsJson).run();
    }));
    return outcomes;
}

Result<RecordInputs> PgStore::recordInputs(std::string_view course, std::optional<std::string_view> window,
                                           std::optional<PersonId> person)
{
    return readRecordInputs(course, window, person, std::nullopt);
}

Result<RecordInputs> PgStore::recordInputsBetween(std::string_view course, std::int64_t fromMs, std::int64_t toMs)
{
    return readRecordInputs(course, std::nullopt, std::nullopt, std::pair{fromMs, toMs});
}

Result<RecordInputs> PgStore::rosterInputs(std::string_view course)
{
    return readRecordInputs(course, std::nullopt, std::nullopt, std::nullopt, false);
}

Result<std::set<std::pair<std::string, std::string>>> PgStore::attendedWindows(std::string_view course,
                                                                               const std::vector<std::string>& publicIds)
{
    std::set<std::pair<std::string, std::string>> out;
    if (publicIds.empty())
        return out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        // For each of the course's windows, each person's events through the
        // (window_id, person) indexes.
        TRY_ASSIGN(s, db.query("SELECT who.public_id, w.id FROM attendance_window w"
                               " CROSS JOIN (SELECT p.id, p.public_id FROM person p"
                               " JOIN jsonb_array_elements_text($2::jsonb) j(value) ON j.value = p.public_id) who"
                               " WHERE w.course = $1 AND (EXISTS (SELECT 1 FROM check_in e WHERE e.window_id = w.id"
                               " AND e.person = who.id) OR EXISTS (SELECT 1 FROM correction e"
                               " WHERE e.window_id = w.id AND e.person = who.id))"));
        s->bindAll(course, jsonStringArray(publicIds));
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            out.emplace(s->textAt(0), s->textAt(1));
        }
        return {};
    }));
    return out;
}

Result<RecordInputs> PgStore::readRecordInputs(std::string_view courseId, std::optional<std::string_view> windowId,
                                               std::optional<PersonId> personId,
                                               std::optional<std::pair<std::int64_t, std::int64_t>> between,
                                               bool withEvents)
{
    RecordInputs in;
    // One snapshot: the windows, members and events agree with each other.
    TRY(snapshot([&](PgConnection& db) -> Result<void> {
        in = RecordInputs{};
        TRY_ASSIGN(courseRow, courseOn(db, courseId));
        if (!courseRow)
            return fail(Errc::NotFound, "no such course");
        in.course = std::move(*courseRow);
        if (windowId) {
            TRY_ASSIGN(w, windowOn(db, *windowId));
            if (!w)
                return fail(Errc::NotFound, "no such window");
            in.windows.push_back(*w);
        } else {
            TRY_ASSIGN(all, between ? windowsBetweenOn(db, courseId, between->first, between->second)
                                    : windowsOfOn(db, courseId));
            in.windows = std::move(all);
        }
        auto bindScope = [&](PgStatement& st) {
            int next = 1;
            st.bind(next++, courseId);
            if (windowId)
                st.bind(next++, *windowId);
            if (personId)
                st.bind(next++, *personId);
            if (between)
                st.bind(next, between->first).bind(next + 1, between->second);
        };
        {
            TRY_ASSIGN(s, db.query(std::string("SELECT p.public_id, p.display_name, e.role FROM enrollment e"
                                               " JOIN person p ON p.id = e.person WHERE e.course = $1")
                                   + (personId ? " AND e.person = $2" : "")
                                   + " ORDER BY p.display_name COLLATE \"C\", p.id"));
            s->bind(1, courseId);
            if (personId)
                s->bind(2, *personId);
            TRY_ASSIGN(members, s->collect([](PgStatement& row) {
                return Member{row.textAt(0), row.textAt(1),
                              sync::roleFromString(row.textAt(2)).value_or(Role::Student)};
            }));
            in.members = std::move(members);
        }
        {
            // Joins and removals in order; a change of role keeps the span going.
            TRY_ASSIGN(s, db.query(std::string("SELECT p.public_id, h.role IS NOT NULL, h.at FROM enrollment_history h"
                                               " JOIN person p ON p.id = h.person WHERE h.course = $1")
                                   + (personId ? " AND h.person = $2" : "") + " ORDER BY h.seq"));
            s->bind(1, courseId);
            if (personId)
                s->bind(2, *personId);
            for (;;) {
                TRY_ASSIGN(row, s->step());
                if (!row)
                    break;
                auto& spans = in.enrolment[s->textAt(0)];
                const bool joins = s->boolAt(1);
                const std::int64_t at = s->int64At(2);
                const bool inCourse = !spans.empty() && !spans.back().left;
                if (joins && !inCourse)
                    spans.push_back({at, std::nullopt});
                else if (!joins && inCourse)
                    spans.back().left = at;
            }
        }
        if (!withEvents)
            return {};
        auto& events = in.events;
        {
            TRY_ASSIGN(s, db.query(scoped("SELECT e.id, p.public_id, e.window_id, e.at, e.source FROM check_in e",
                                          windowId, personId, between.has_value())));
            bindScope(*s);
            for (;;) {
                TRY_ASSIGN(row, s->step());
                if (!row)
                    break;
                events[{s->textAt(1), s->textAt(2)}].checkIns.push_back(
                    {s->textAt(0), s->int64At(3),
                     sync::checkInSourceFromString(s->textAt(4)).value_or(CheckInSource::Manual)});
            }
        }
        {
            TRY_ASSIGN(s, db.query(scoped("SELECT e.id, p.public_id, e.window_id, e.at, e.present, e.base, e.excused"
                                          " FROM correction e",
                                          windowId, personId, between.has_value())));
            bindScope(*s);
            for (;;) {
                TRY_ASSIGN(row, s->step());
                if (!row)
                    break;
                events[{s->textAt(1), s->textAt(2)}].corrections.push_back(
                    {s->textAt(0), s->int64At(3), s->boolAt(4), s->optionalTextAt(5), s->boolAt(6)});
            }
        }
        {
            TRY_ASSIGN(s, db.query(scoped("SELECT e.id, p.public_id, e.window_id, e.at, e.flag, e.is_set FROM flag_event e",
                                          windowId, personId, between.has_value())));
            bindScope(*s);
            for (;;) {
                TRY_ASSIGN(row, s->step());
                if (!row)
                    break;
                events[{s->textAt(1), s->textAt(2)}].flags.push_back(
                    {s->textAt(0), s->int64At(3), sync::flagFromString(s->textAt(4)).value_or(Flag::LeftEarly),
                     s->boolAt(5)});
            }
        }
        return {};
    }));
    return in;
}

Result<std::vector<HistoryEvent>> PgStore::recordHistory(std::string_view course, PersonId person)
{
    std::vector<HistoryEvent> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT 0, c.id, c.window_id, c.at, a.display_name, c.reason, c.present, c.excused,"
                               " NULL, 1, c.kiosk IS NOT NULL, c.seq FROM correction c"
                               " JOIN attendance_window w ON w.id = c.window_id JOIN person a ON a.id = c.actor"
                               " WHERE w.course = $1 AND c.person = $2"
                               " UNION ALL"
                               " SELECT 1, f.id, f.window_id, f.at, a.display_name, f.note, 0, 0, f.flag, f.is_set,"
                               " f.kiosk IS NOT NULL, f.seq FROM flag_event f"
                               " JOIN attendance_window w ON w.id = f.window_id JOIN person a ON a.id = f.actor"
                               " WHERE w.course = $1 AND f.person = $2"
                               " ORDER BY 4, 1, 12"));
        s->bindAll(course, person);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            HistoryEvent e;
            e.kind = row.intAt(0) == 0 ? HistoryEvent::Kind::Correction : HistoryEvent::Kind::Flag;
            e.id = row.textAt(1);
            e.window = row.textAt(2);
            e.at = row.int64At(3);
            e.actorName = row.textAt(4);
            e.text = row.textAt(5);
            e.present = row.boolAt(6);
            e.excused = row.boolAt(7);
            if (!row.isNullAt(8))
                e.flag = sync::flagFromString(row.textAt(8)).value_or(Flag::LeftEarly);
            e.set = row.boolAt(9);
            e.fromKiosk = row.boolAt(10);
            return e;
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

} // namespace imhere::server
