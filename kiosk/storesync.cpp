// KioskStore: one sync reply — acks, pulled changes, cursor, clock offset and
// the kiosk's identity — applied in a single transaction.
#include "kioskstore.h"
#include "storesql.h"

namespace imhere::kiosk {

namespace {

Result<void> applyAcks(Database& db, const std::vector<sync::Ack>& acks, std::int64_t nowMs)
{
    for (const auto& ack : acks) {
        if (ack.status == sync::AckStatus::Rejected) // kept aside for a volunteer, never resent
            TRY(moveOutboxRowAside(db, ack.id, ack.reason, nowMs));
        else
            TRY(run(db, "DELETE FROM outbox WHERE id = ?", ack.id));
    }
    return {};
}

Result<void> applyChanges(Database& db, const sync::Changes& changes)
{
    for (const auto& p : changes.people) {
        if (p.removed) {
            TRY(run(db, "DELETE FROM people WHERE public_id = ?", p.publicId));
            TRY(run(db, "DELETE FROM enrollments WHERE person = ?", p.publicId));
            continue;
        }
        TRY(run(db,
                "INSERT INTO people (public_id, display_name, pin_hash) VALUES (?, ?, ?) "
                "ON CONFLICT (public_id) DO UPDATE SET display_name = excluded.display_name, "
                "pin_hash = excluded.pin_hash",
                p.publicId, p.displayName, p.pinHash));
    }
    for (const auto& b : changes.badges) {
        TRY(run(db,
                "INSERT INTO badges (uid_hash, person, revoked) VALUES (?, ?, ?) "
                "ON CONFLICT (uid_hash) DO UPDATE SET person = excluded.person, revoked = excluded.revoked",
                b.uidHash, b.person, b.revoked ? 1 : 0));
    }
    for (const auto& c : changes.courses) {
        if (c.removed) {
            TRY(run(db, "DELETE FROM courses WHERE id = ?", c.id));
            continue;
        }
        TRY(run(db,
                "INSERT INTO courses (id, name, timezone, late_after_min, absent_after_min) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "timezone = excluded.timezone, late_after_min = excluded.late_after_min, "
                "absent_after_min = excluded.absent_after_min",
                c.id, c.name, c.timezone, c.lateAfterMin, c.absentAfterMin));
    }
    for (const auto& w : changes.windows) {
        TRY(run(db,
                "INSERT INTO windows (id, course, title, scheduled_start, opened_at, closed_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET course = excluded.course, "
                "title = excluded.title, scheduled_start = excluded.scheduled_start, "
                "opened_at = COALESCE(excluded.opened_at, windows.opened_at), "
                // The server's word on closing, reopening included, unless
                // this kiosk's own close of the window has not reached it yet.
                "closed_at = CASE WHEN excluded.closed_at IS NOT NULL THEN excluded.closed_at "
                "WHEN EXISTS (SELECT 1 FROM outbox WHERE type = 'window_close' "
                "AND instr(json, '\"' || windows.id || '\"') > 0) THEN windows.closed_at ELSE NULL END",
                w.id, w.course, w.title, w.scheduledStart, w.openedAt, w.closedAt));
    }
    for (const auto& e : changes.enrollments) {
        if (e.removed) {
            TRY(run(db, "DELETE FROM enrollments WHERE person = ? AND course = ?", e.person, e.course));
            continue;
        }
        TRY(run(db,
                "INSERT INTO enrollments (person, course, role) VALUES (?, ?, ?) "
                "ON CONFLICT (person, course) DO UPDATE SET role = excluded.role",
                e.person, e.course, sync::toString(e.role)));
    }
    for (const auto& c : changes.checkIns) {
        TRY(run(db,
                "INSERT INTO check_ins (id, person, window, at, source, confirmed, local) "
                "VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET "
                "confirmed = MAX(check_ins.confirmed, excluded.confirmed)",
                c.id, c.person, c.window, c.at, sync::toString(c.source), c.confirmed ? 1 : 0));
    }
    return {};
}

} // namespace

Result<void> KioskStore::applySync(const sync::SyncResponse& response, std::int64_t clockOffsetMs,
                                   std::int64_t receivedAtMs)
{
    TRY_ASSIGN(txn, Transaction::begin(m_db));
    TRY(applyAcks(m_db, response.acks, receivedAtMs));
    TRY(applyChanges(m_db, response.changes));
    TRY(setMeta("cursor", std::to_string(response.cursor)));
    TRY(setMeta("clock_offset_ms", std::to_string(clockOffsetMs)));
    if (const auto& k = response.kiosk) {
        TRY(setMeta("kiosk_id", std::to_string(k->id)));
        TRY(setMeta("kiosk_name", k->name));
        TRY(setMeta("kiosk_secret", k->secret));
        TRY(setMeta("badge_key", k->badgeKey));
    }
    return txn.commit();
}

} // namespace imhere::kiosk
