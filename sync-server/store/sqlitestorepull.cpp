// SqliteStore: the pull half of kiosk sync — what changed since the cursor
// in the kiosk's courses, as current state, in bounded batches.

#include "sqlitestore.h"

#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/limits.h"

#include <algorithm>
#include <set>

namespace imhere::server {

namespace {

using namespace imhere::sync;

struct LogRow {
    std::int64_t seq;
    std::string kind;
    std::string ref;
    std::optional<std::string> course;
    std::optional<std::int64_t> refLast; // kind 'check_ins': the last rowid of the range
};

std::size_t total(const Changes& c)
{
    return c.people.size() + c.badges.size() + c.courses.size() + c.windows.size() + c.enrollments.size()
        + c.checkIns.size();
}

} // namespace

Result<void> SqliteStore::pullChanges(const Kiosk& kiosk, std::int64_t cursor, const PinRule& holdsPin,
                                      SyncResponse& response)
{
    std::lock_guard lock(m_mutex);
    std::vector<LogRow> rows;
    {
        // A kiosk's own check-ins are already on it: skipped here by origin,
        // without reading each one back.
        TRY_ASSIGN(s, query("SELECT seq, kind, ref, course, ref_last FROM change_log WHERE seq > ?1 AND (course IS NULL"
                            " OR course IN (SELECT course FROM kiosk_course WHERE kiosk = ?2))"
                            " AND (kiosk IS NULL OR kiosk <> ?2) ORDER BY seq LIMIT ?3"));
        s->bind(1, cursor).bind(2, std::int64_t{kiosk.id})
            .bind(3, static_cast<std::int64_t>(limits::k_syncChangeRowsPerReply));
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            rows.push_back({s->int64At(0), s->textAt(1), s->textAt(2), s->optionalTextAt(3), s->optionalInt64At(4)});
        }
    }
    response.more = rows.size() == limits::k_syncChangeRowsPerReply;
    if (rows.empty()) {
        TRY_ASSIGN(s, query("SELECT coalesce(max(seq), 0) FROM change_log"));
        TRY(s->step());
        response.cursor = s->int64At(0);
        return {};
    }

    Changes& out = response.changes;
    std::set<std::string> seen; // "kind:key", so each thing is sent once per reply

    // A person is sent when enrolled in a served course, with a PIN hash
    // when the rule says their roles there call for one.
    auto emitPerson = [&](PersonId id) -> Result<void> {
        if (!seen.insert("person:" + std::to_string(id)).second)
            return {};
        TRY_ASSIGN(s, query("SELECT p.public_id, p.display_name, p.pin_hash, e.role FROM person p"
                            " JOIN enrollment e ON e.person = p.id"
                            " JOIN kiosk_course k ON k.course = e.course AND k.kiosk = ?2 WHERE p.id = ?1"));
        s->bind(1, id).bind(2, std::int64_t{kiosk.id});
        std::optional<PersonChange> person;
        std::vector<Role> roles;
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            if (!person)
                person = PersonChange{s->textAt(0), s->textAt(1), s->optionalTextAt(2), false};
            if (const auto role = roleFromString(s->textAt(3)))
                roles.push_back(*role);
        }
        if (!person)
            return {};
        if (!holdsPin(roles))
            person->pinHash.reset();
        out.people.push_back(std::move(*person));
        return {};
    };
    auto emitBadgesOf = [&](PersonId id) -> Result<void> {
        TRY_ASSIGN(s, query("SELECT b.uid_hash, p.public_id, b.revoked FROM badge b JOIN person p ON p.id = b.person"
                            " WHERE b.person = ? AND EXISTS (SELECT 1 FROM enrollment e JOIN kiosk_course k"
                            " ON k.course = e.course AND k.kiosk = ? WHERE e.person = b.person)"));
        s->bind(1, id).bind(2, std::int64_t{kiosk.id});
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            if (seen.insert("badge:" + s->textAt(0)).second)
                out.badges.push_back({s->textAt(0), s->textAt(1), s->intAt(2) != 0});
        }
        return {};
    };

    // Check-ins made elsewhere, as the kiosk shows them. Those this kiosk made
    // itself are already on it, and those of long-closed windows are history
    // the kiosk has no use for.
    const std::int64_t horizon = response.serverTimeMs - limits::k_syncCheckInHorizonMs;
    auto emitCheckIns = [&](Lease& s) -> Result<void> {
        s->bind(1, std::int64_t{kiosk.id}).bind(2, horizon);
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            if (seen.insert("check_in:" + s->textAt(0)).second)
                out.checkIns.push_back({s->textAt(0), s->textAt(1), s->textAt(2), s->int64At(3),
                                        checkInSourceFromString(s->textAt(4)).value_or(CheckInSource::Manual),
                                        s->intAt(5) != 0});
        }
        return {};
    };
    // CROSS JOIN keeps check_in the outer loop: a rowid range or one id is
    // always the narrowest way in, where the course index would scan every
    // check-in of the course's open windows.
    constexpr std::string_view k_checkInColumns =
        "SELECT c.id, p.public_id, c.window_id, c.at, c.source,"
        " EXISTS (SELECT 1 FROM remote_confirm r WHERE r.check_in = c.id)"
        " FROM check_in c CROSS JOIN attendance_window w ON w.id = c.window_id JOIN person p ON p.id = c.person"
        " WHERE (c.kiosk IS NULL OR c.kiosk <> ?1) AND (w.closed_at IS NULL OR w.closed_at > ?2)";

    // The most one change_log row can add to a reply: a range of check-ins,
    // or a person with their enrollment and a few badges.
    constexpr std::size_t k_maxPerRow = std::max<std::size_t>(limits::k_syncCheckInsPerChangeRow, 100);
    for (const LogRow& row : rows) {
        // Stop early rather than overflow the reply; the cursor says where.
        if (total(out) + k_maxPerRow > imhere::limits::k_maxSyncChanges) {
            response.more = true;
            break;
        }
        response.cursor = row.seq;
        if (row.kind == "person") {
            TRY(emitPerson(std::stoll(row.ref)));
        } else if (row.kind == "badge") {
            TRY_ASSIGN(s, query("SELECT person FROM badge WHERE uid_hash = ?"));
            TRY_ASSIGN(found, s->bind(1, row.ref).step());
            if (found) {
                const PersonId owner = s->int64At(0);
                TRY(emitBadgesOf(owner)); // current state, so one copy per reply is enough
            }
        } else if (row.kind == "course") {
            if (!seen.insert("course:" + row.ref).second)
                continue;
            TRY_ASSIGN(c, course(row.ref));
            if (c)
                out.courses.push_back({c->id, c->name, c->timezone, c->lateAfterMin, c->absentAfterMin, c->removed});
        } else if (row.kind == "window") {
            if (!seen.insert("window:" + row.ref).second)
                continue;
            TRY_ASSIGN(w, windowUnlocked(row.ref));
            if (w)
                out.windows.push_back({w->id, w->course, w->title, w->scheduledStart, w->openedAt, w->closedAt});
        } else if (row.kind == "enrollment") {
            if (!row.course || !seen.insert("enrollment:" + row.ref + ":" + *row.course).second)
                continue;
            const PersonId person = std::stoll(row.ref);
            TRY_ASSIGN(p, personById(person));
            TRY_ASSIGN(role, roleIn(person, *row.course));
            if (!p)
                continue;
            out.enrollments.push_back({p->publicId, *row.course, role.value_or(Role::Student), !role.has_value()});
            // The person may have changed before they joined a served course.
            TRY(emitPerson(person));
            TRY(emitBadgesOf(person));
        } else if (row.kind == "check_in") {
            if (seen.contains("check_in:" + row.ref))
                continue;
            TRY_ASSIGN(s, query(std::string(k_checkInColumns) + " AND c.id = ?3"));
            s->bind(3, row.ref);
            TRY(emitCheckIns(s));
        } else if (row.kind == "check_ins" && row.course && row.refLast) {
            // One kiosk batch's check-ins in this course: a rowid range that
            // may hold other courses' check-ins too.
            TRY_ASSIGN(s, query(std::string(k_checkInColumns)
                                + " AND c.rowid BETWEEN ?3 AND ?4 AND w.course = ?5 ORDER BY c.rowid"));
            s->bind(3, std::int64_t{std::stoll(row.ref)}).bind(4, *row.refLast).bind(5, *row.course);
            TRY(emitCheckIns(s));
        }
    }
    return {};
}

} // namespace imhere::server
