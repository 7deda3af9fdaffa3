// KioskStore: events made at the kiosk, their local effect and the outbox.
#include "kioskstore.h"

namespace imhere::kiosk {

namespace {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};

Result<void> run(Database& db, std::string_view sql, auto... args)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return std::unexpected(stmt.error());
    return stmt->bindAll(args...).run();
}

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
    auto txn = Transaction::begin(m_db);
    if (!txn)
        return std::unexpected(txn.error());
    if (auto r = applyLocalEffect(event); !r)
        return r;
    if (auto r = run(m_db, "INSERT INTO outbox (id, type, json, created_at) VALUES (?, ?, ?, ?)", event.id,
                     sync::eventTypeName(event.body), sync::encodeEvent(event), event.at);
        !r)
        return r;
    return txn->commit();
}

Result<std::vector<OutboxRow>> KioskStore::outboxBatch(std::size_t limit)
{
    auto stmt = m_db.prepare("SELECT seq, id, json FROM outbox ORDER BY seq LIMIT ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, static_cast<std::int64_t>(limit));
    std::vector<OutboxRow> rows;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return rows;
        rows.push_back(OutboxRow{stmt->int64At(0), stmt->textAt(1), stmt->textAt(2)});
    }
}

Result<std::int64_t> KioskStore::outboxLength()
{
    auto stmt = m_db.prepare("SELECT COUNT(*) FROM outbox");
    if (!stmt)
        return std::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return stmt->int64At(0);
}

Result<void> KioskStore::setAside(const std::string& id, const std::string& reason, std::int64_t nowMs)
{
    auto txn = Transaction::begin(m_db);
    if (!txn)
        return std::unexpected(txn.error());
    if (auto r = run(m_db,
                     "INSERT OR REPLACE INTO rejected (id, type, json, reason, rejected_at) "
                     "SELECT id, type, json, ?, ? FROM outbox WHERE id = ?",
                     reason, nowMs, id);
        !r)
        return r;
    if (auto r = run(m_db, "DELETE FROM outbox WHERE id = ?", id); !r)
        return r;
    return txn->commit();
}

Result<std::vector<RejectedEvent>> KioskStore::rejectedEvents(int limit)
{
    auto stmt = m_db.prepare("SELECT id, type, reason, rejected_at FROM rejected ORDER BY rejected_at DESC LIMIT ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, limit);
    std::vector<RejectedEvent> rows;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return rows;
        rows.push_back(RejectedEvent{stmt->textAt(0), stmt->textAt(1), stmt->textAt(2), stmt->int64At(3)});
    }
}

} // namespace imhere::kiosk
