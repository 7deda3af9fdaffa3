// KioskStore: events made at the kiosk, their local effect and the outbox.
#include "kioskstore.h"
#include "storesql.h"

namespace imhere::kiosk {

namespace {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};

} // namespace

Result<void> KioskStore::applyLocalEffect(const sync::Event& event)
{
    using namespace sync;
    Database& db = m_db;
    return std::visit(
        Overloaded{
            [&](const CheckIn& c) {
                return run(db,
                           "INSERT INTO check_ins (id, person, window, at, source, confirmed, local) "
                           "VALUES (?, ?, ?, ?, ?, 1, 1)",
                           event.id, c.person, c.window, event.at, toString(c.source));
            },
            [&](const Correction& c) {
                return run(db,
                           "INSERT INTO corrections (person, window, present, event_id, at) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (person, window) DO UPDATE SET present = excluded.present, "
                           "event_id = excluded.event_id, at = excluded.at",
                           c.person, c.window, c.present ? 1 : 0, event.id, event.at);
            },
            [&](const FlagChange& f) {
                return f.set ? run(db, "INSERT OR IGNORE INTO flags (person, window, flag) VALUES (?, ?, ?)",
                                   f.person, f.window, toString(f.flag))
                             : run(db, "DELETE FROM flags WHERE person = ? AND window = ? AND flag = ?", f.person,
                                   f.window, toString(f.flag));
            },
            [&](const WindowOpen& w) {
                return run(db,
                           "INSERT INTO windows (id, course, title, scheduled_start, opened_at) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET opened_at = excluded.opened_at, "
                           "closed_at = NULL",
                           w.window, w.course, w.title, w.scheduledStart, event.at);
            },
            [&](const WindowClose& w) {
                return run(db, "UPDATE windows SET closed_at = ? WHERE id = ?", event.at, w.window);
            },
            [&](const BadgeEnroll& b) {
                return run(db,
                           "INSERT INTO badges (uid_hash, person, revoked) VALUES (?, ?, 0) "
                           "ON CONFLICT (uid_hash) DO UPDATE SET person = excluded.person, revoked = 0",
                           b.uidHash, b.person);
            },
            [&](const RemoteConfirm& r) {
                return run(db, "UPDATE check_ins SET confirmed = 1 WHERE id = ?", r.checkIn);
            },
        },
        event.body);
}

Result<void> KioskStore::recordEvent(const sync::Event& event)
{
    TRY_ASSIGN(txn, Transaction::begin(m_db));
    TRY(applyLocalEffect(event));
    TRY(run(m_db, "INSERT INTO outbox (id, type, json, created_at) VALUES (?, ?, ?, ?)", event.id,
            sync::eventTypeName(event.body), sync::encodeEvent(event), event.at));
    return txn.commit();
}

Result<std::vector<OutboxRow>> KioskStore::outboxBatch(std::size_t limit)
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT seq, id, json FROM outbox ORDER BY seq LIMIT ?"));
    stmt.bind(1, static_cast<std::int64_t>(limit));
    return stmt.collect([](const Statement& s) { return OutboxRow{s.int64At(0), s.textAt(1), s.textAt(2)}; });
}

Result<std::int64_t> KioskStore::outboxLength()
{
    TRY_ASSIGN(stmt, m_db.prepare("SELECT COUNT(*) FROM outbox"));
    TRY(stmt.step());
    return stmt.int64At(0);
}

Result<void> moveOutboxRowAside(Database& db, std::string_view id, std::string_view reason, std::int64_t nowMs)
{
    TRY(run(db,
            "INSERT OR REPLACE INTO rejected (id, type, json, reason, rejected_at) "
            "SELECT id, type, json, ?, ? FROM outbox WHERE id = ?",
            reason, nowMs, id));
    return run(db, "DELETE FROM outbox WHERE id = ?", id);
}

Result<void> KioskStore::setAside(const std::string& id, const std::string& reason, std::int64_t nowMs)
{
    TRY_ASSIGN(txn, Transaction::begin(m_db));
    TRY(moveOutboxRowAside(m_db, id, reason, nowMs));
    return txn.commit();
}

Result<std::vector<RejectedEvent>> KioskStore::rejectedEvents(int limit)
{
    TRY_ASSIGN(stmt,
               m_db.prepare("SELECT id, type, reason, rejected_at FROM rejected ORDER BY rejected_at DESC LIMIT ?"));
    stmt.bind(1, limit);
    return stmt.collect(
        [](const Statement& s) { return RejectedEvent{s.textAt(0), s.textAt(1), s.textAt(2), s.int64At(3)}; });
}

} // namespace imhere::kiosk
