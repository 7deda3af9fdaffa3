// PgStore: the pull half of kiosk sync — what changed since the cursor in
// the kiosk's courses, as current state, in bounded batches.
//
// The cursor is change_log.seq, and it is exact with several connections
// and several instances because every transaction that appends to the log
// holds the change-log lock from its first append to its commit
// (lockChangeLog): sequence numbers are then taken in commit order, so a
// reader never sees a number while a smaller one is still to commit, and
// no kiosk skips a change or gets one twice. The price is that writes which
// log changes commit one at a time, as they do on SQLite.

#include "pgstore.h"

#include "sync-server/serverlimits.h"

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
    std::optional<std::int64_t> origin;
    std::optional<std::int64_t> refLast; // kind 'check_ins': the last check_in.seq of the range
};

std::size_t total(const Changes& c)
{
    return c.people.size() + c.badges.size() + c.courses.size() + c.windows.size() + c.enrollments.size()
        + c.checkIns.size();
}

// Check-ins made elsewhere, as the kiosk shows them ($1 the kiosk, $2 the
// horizon): those of long-closed windows are history the kiosk has no use for.
constexpr std::string_view k_checkInColumns =
    "SELECT c.id, p.public_id, c.window_id, c.at, c.source,"
    " EXISTS (SELECT 1 FROM remote_confirm r WHERE r.check_in = c.id)"
    " FROM check_in c JOIN attendance_window w ON w.id = c.window_id JOIN person p ON p.id = c.person"
    " WHERE (c.kiosk IS NULL OR c.kiosk <> $1) AND (w.closed_at IS NULL OR w.closed_at > $2)";

} // namespace

Result<void> PgStore::lockChangeLog(PgConnection& db)
{
    // Any fixed number: held until the transaction ends.
    TRY_ASSIGN(s, db.query("SELECT pg_advisory_xact_lock(7305218114)"));
    return s->run();
}

Result<void> PgStore::pullChanges(const Kiosk& kiosk, std::int64_t cursor, const PinRule& holdsPin,
                                  SyncResponse& response)
{
    // One snapshot: the log and the state it points at agree.
    return snapshot([&](PgConnection& db) -> Result<void> {
        response.changes = Changes{};
        response.cursor = cursor;
        std::vector<LogRow> rows;
        {
            // A kiosk's own check-ins are already on it: skipped here by origin.
            TRY_ASSIGN(s, db.query("SELECT seq, kind, ref, course, kiosk, ref_last FROM change_log WHERE seq > $1"
                                   " AND (course IS NULL OR course IN (SELECT course FROM kiosk_course WHERE kiosk = $2))"
                                   " AND (kiosk IS NULL OR kiosk <> $2) ORDER BY seq LIMIT $3"));
            s->bindAll(cursor, std::int64_t{kiosk.id}, static_cast<std::int64_t>(limits::k_syncChangeRowsPerReply));
            TRY_ASSIGN(all, s->collect([](PgStatement& row) {
                return LogRow{row.int64At(0),         row.textAt(1),         row.textAt(2),
                              row.optionalTextAt(3),  row.optionalInt64At(4), row.optionalInt64At(5)};
            }));
            rows = std::move(all);
        }
        response.more = rows.size() == limits::k_syncChangeRowsPerReply;
        if (rows.empty()) {
            TRY_ASSIGN(s, db.query("SELECT coalesce(max(seq), 0) FROM change_log"));
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
            TRY_ASSIGN(s, db.query("SELECT p.public_id, p.display_name, p.pin_hash, e.role FROM person p"
                                   " JOIN enrollment e ON e.person = p.id"
                                   " JOIN kiosk_course k ON k.course = e.course AND k.kiosk = $2 WHERE p.id = $1"));
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
            TRY_ASSIGN(s, db.query("SELECT b.uid_hash, p.public_id, b.revoked FROM badge b JOIN person p ON p.id = b.person"
                                   " WHERE b.person = $1 AND EXISTS (SELECT 1 FROM enrollment e JOIN kiosk_course k"
                                   " ON k.course = e.course AND k.kiosk = $2 WHERE e.person = b.person)"));
            s->bind(1, id).bind(2, std::int64_t{kiosk.id});
            for (;;) {
                TRY_ASSIGN(row, s->step());
                if (!row)
                    break;
                if (seen.insert("badge:" + s->textAt(0)).second)
                    out.badges.push_back({s->textAt(0), s->textAt(1), s->boolAt(2)});
            }
            return {};
        };
        const std::int64_t horizon = response.serverTimeMs - limits::k_syncCheckInHorizonMs;
        auto emitCheckIns = [&](PgStatement& s) -> Result<void> {
            for (;;) {
                TRY_ASSIGN(row, s.step());
                if (!row)
                    break;
                if (seen.insert("check_in:" + s.textAt(0)).second)
                    out.checkIns.push_back({s.textAt(0), s.textAt(1), s.textAt(2), s.int64At(3),
                                            checkInSourceFromString(s.textAt(4)).value_or(CheckInSource::Manual),
                                            s.boolAt(5)});
            }
            return {};
        };

        // The most one change_log row can add to a reply: a range of
        // check-ins, or a person with their enrollment and a few badges.
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
                TRY_ASSIGN(s, db.query("SELECT person FROM badge WHERE uid_hash = $1"));
                TRY_ASSIGN(found, s->bind(1, row.ref).step());
                if (found) {
                    const PersonId owner = s->int64At(0);
                    TRY(emitBadgesOf(owner)); // current state, so one copy per reply is enough
                }
            } else if (row.kind == "course") {
                if (!seen.insert("course:" + row.ref).second)
                    continue;
                TRY_ASSIGN(c, courseOn(db, row.ref));
                if (c)
                    out.courses.push_back({c->id, c->name, c->timezone, c->lateAfterMin, c->absentAfterMin, c->removed});
            } else if (row.kind == "window") {
                if (!seen.insert("window:" + row.ref).second)
                    continue;
                TRY_ASSIGN(w, windowOn(db, row.ref));
                if (w)
                    out.windows.push_back({w->id, w->course, w->title, w->scheduledStart, w->openedAt, w->closedAt});
            } else if (row.kind == "enrollment") {
                if (!row.course || !seen.insert("enrollment:" + row.ref + ":" + *row.course).second)
                    continue;
                const PersonId person = std::stoll(row.ref);
                TRY_ASSIGN(s, db.query("SELECT p.public_id, e.role FROM person p"
                                       " LEFT JOIN enrollment e ON e.person = p.id AND e.course = $2 WHERE p.id = $1"));
                TRY_ASSIGN(found, s->bind(1, person).bind(2, *row.course).step());
                if (!found)
                    continue;
                const auto role = s->isNullAt(1) ? std::nullopt : roleFromString(s->textAt(1));
                out.enrollments.push_back({s->textAt(0), *row.course, role.value_or(Role::Student), !role.has_value()});
                // The person may have changed before they joined a served course.
                TRY(emitPerson(person));
                TRY(emitBadgesOf(person));
            } else if (row.kind == "check_in") {
                if (seen.contains("check_in:" + row.ref))
                    continue;
                TRY_ASSIGN(s, db.query(std::string(k_checkInColumns) + " AND c.id = $3"));
                s->bindAll(std::int64_t{kiosk.id}, horizon, row.ref);
                TRY(emitCheckIns(*s));
            } else if (row.kind == "check_ins" && row.course && row.refLast && row.origin) {
                // One kiosk batch's check-ins in this course: a seq range that
                // may hold other check-ins too, told apart by course and origin.
                TRY_ASSIGN(s, db.query(std::string(k_checkInColumns)
                                       + " AND c.seq BETWEEN $3 AND $4 AND w.course = $5 AND c.kiosk = $6"
                                         " ORDER BY c.seq"));
                s->bindAll(std::int64_t{kiosk.id}, horizon, std::int64_t{std::stoll(row.ref)}, *row.refLast,
                           *row.course, *row.origin);
                TRY(emitCheckIns(*s));
            }
        }
        return {};
    });
}

} // namespace imhere::server
