// SqliteStore: groups of single check-ins in one transaction on a connection
// of their own (CheckInWriter, docs/SERVER.md "Group commit").

#include "sqlitestore.h"

#include "core/result.h"

namespace imhere::server {

Result<std::vector<CheckInOutcome>> SqliteStore::commitCheckIns(std::span<const CheckInEvent> group,
                                                                 const CheckInRule& decide)
{
    std::lock_guard writing(m_writeMutex); // also guards m_groupDb
    std::vector<CheckInOutcome> outcomes;
    outcomes.reserve(group.size());
    // Any error leaves through TRY before the commit: the Transaction rolls
    // back and none of the group is stored.
    TRY_ASSIGN(txn, Transaction::begin(m_groupDb));
    for (const CheckInEvent& event : group) {
        TRY_ASSIGN(outcome, commitOne(event, decide));
        outcomes.push_back(outcome);
    }
    TRY(txn.commit());
    return outcomes;
}

// Reads what the rule needs and stores one check-in inside the group's
// transaction. The reads use the connection the group writes, so they see the
// check-ins stored earlier in the group.
Result<CheckInOutcome> SqliteStore::commitOne(const CheckInEvent& e, const CheckInRule& decide)
{
    std::string course;
    {
        TRY_ASSIGN(s, prepared(m_groupDb, m_groupStatements,
                               "SELECT w.course, w.opened_at, w.closed_at, en.role,"
                               " EXISTS (SELECT 1 FROM check_in c WHERE c.window_id = w.id AND c.person = ?2)"
                               " FROM attendance_window w LEFT JOIN enrollment en"
                               " ON en.person = ?2 AND en.course = w.course WHERE w.id = ?1"));
        TRY_ASSIGN(found, s->bindAll(e.window, e.person).step());
        if (!found)
            return CheckInOutcome::UnknownWindow;
        Window window;
        window.id = e.window;
        window.course = s->textAt(0);
        window.openedAt = s->optionalInt64At(1);
        window.closedAt = s->optionalInt64At(2);
        const auto role = s->isNullAt(3) ? std::nullopt : sync::roleFromString(s->textAt(3));
        if (const auto outcome = decide(e, window, role, s->intAt(4) != 0); outcome != CheckInOutcome::Stored)
            return outcome;
        course = std::move(window.course);
    }
    TRY_ASSIGN(insert, prepared(m_groupDb, m_groupStatements,
                                "INSERT INTO check_in(id, person, window_id, at, source, kiosk, actor, received_at)"
                                " VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    auto bindKiosk = [&e](Statement& s, int index) {
        e.kiosk ? s.bind(index, std::int64_t{*e.kiosk}) : s.bind(index, nullptr);
    };
    insert->bindAll(e.id, e.person, e.window, e.at, sync::toString(e.source));
    bindKiosk(*insert, 6);
    TRY(insert->bind(7, e.actor).bind(8, m_clock.nowMs()).run());
    TRY_ASSIGN(log, prepared(m_groupDb, m_groupStatements,
                             "INSERT INTO change_log(kind, ref, course, kiosk) VALUES('check_in', ?, ?, ?)"));
    log->bindAll(e.id, course);
    bindKiosk(*log, 3);
    TRY(log->run());
    return CheckInOutcome::Stored;
}

} // namespace imhere::server
