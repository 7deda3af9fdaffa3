// SqliteStore: kiosk sync (DESIGN §5) — one batch of kiosk events in one
// transaction, read and written for the sync rules (service/kiosksync.h)
// through a SyncBatch.

#include "sqlitestore.h"

#include "sync-server/serverlimits.h"

#include "core/result.h"

#include <algorithm>

namespace imhere::server {

using namespace imhere::sync;

class SqliteStore::Batch final : public SyncBatch {
public:
    Batch(SqliteStore& store, const Kiosk& kiosk, const SyncRequest& request)
        : m_store(store), m_kiosk(kiosk), m_request(request)
    {
    }

    Result<const PersonRoles*> person(std::string_view publicId) override { return m_store.batchPerson(publicId); }
    Result<const Window*> window(std::string_view id) override { return m_store.batchWindow(id); }
    Result<std::optional<Course>> course(std::string_view id) override { return m_store.course(id); }
    Result<std::unordered_map<std::string, Ack>> priorOutcomes() override { return m_store.priorOutcomes(m_request); }

    Result<bool> isCheckInOf(std::string_view checkIn, std::string_view window, std::string_view person) override
    {
        TRY_ASSIGN(s, m_store.query("SELECT 1 FROM check_in c JOIN person p ON p.id = c.person"
                                    " WHERE c.id = ? AND c.window_id = ? AND p.public_id = ?"));
        return s->bindAll(checkIn, window, person).step();
    }

    Result<std::optional<PersonId>> badgeHolder(std::string_view uidHash) override
    {
        TRY_ASSIGN(s, m_store.query("SELECT person FROM badge WHERE uid_hash = ? AND revoked = 0"));
        TRY_ASSIGN(found, s->bind(1, uidHash).step());
        return found ? std::optional(s->int64At(0)) : std::nullopt;
    }

    Result<void> store(const Event& event) override { return m_store.storeEvent(m_kiosk, event); }

    Result<void> keepOutcome(const Event& event, const std::optional<std::string>& rejection) override
    {
        // A stored check-in's check_in row is its receipt (see priorOutcomes).
        if (!rejection && std::holds_alternative<CheckIn>(event.body))
            return {};
        TRY_ASSIGN(receipt, m_store.query("INSERT INTO sync_receipt(event_id, kiosk, status, reason, received_at)"
                                          " VALUES(?, ?, ?, ?, ?)"));
        return receipt
            ->bindAll(event.id, std::int64_t{m_kiosk.id}, rejection ? "rejected" : "stored", rejection.value_or(""),
                      m_store.m_clock.nowMs())
            .run();
    }

private:
    SqliteStore& m_store;
    const Kiosk& m_kiosk;
    const SyncRequest& m_request;
};

Result<void> SqliteStore::ingestSync(const Kiosk& kiosk, const SyncRequest& request,
                                     const std::function<Result<void>(SyncBatch&)>& apply)
{
    std::lock_guard lock(m_mutex);
    return write([&]() -> Result<void> {
        TRY(loadBatch(request));
        Batch batch(*this, kiosk, request);
        TRY(apply(batch));
        return logBatchCheckIns(kiosk);
    });
}

Result<void> SqliteStore::logBatchCheckIns(const Kiosk& kiosk)
{
    // One row per course and chunk instead of one per check-in: a batch's
    // rowids are consecutive (the write lock is held), and the pull reads a
    // range with one query and filters it by course.
    for (const auto& [course, rowids] : m_batchCheckIns) {
        for (std::size_t first = 0; first < rowids.size(); first += limits::k_syncCheckInsPerChangeRow) {
            const std::size_t last = std::min(rowids.size(), first + limits::k_syncCheckInsPerChangeRow) - 1;
            TRY(logCheckIns(rowids[first], rowids[last], course, kiosk.id));
        }
    }
    m_batchCheckIns.clear();
    return {};
}

Result<void> SqliteStore::storeEvent(const Kiosk& kiosk, const Event& event)
{
    // The sync rules checked both in this same transaction.
    auto personId = [&](std::string_view publicId) -> Result<PersonId> {
        TRY_ASSIGN(p, batchPerson(publicId));
        if (!p)
            return fail(Errc::NotFound, "no person " + std::string(publicId));
        return p->id;
    };
    TRY_ASSIGN(actorId, personId(event.actor));
    return std::visit(
        [&](const auto& b) -> Result<void> {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, CheckIn>) {
                TRY_ASSIGN(person, personId(b.person));
                TRY_ASSIGN(window, batchWindow(b.window));
                if (!window)
                    return fail(Errc::NotFound, "no window " + b.window);
                TRY_ASSIGN(row, insertCheckInRow({event.id, person, b.window, event.at, b.source, actorId, kiosk.id}));
                if (row) // logged once the batch is in (logBatchCheckIns)
                    m_batchCheckIns[window->course].push_back(*row);
                return {};
            } else if constexpr (std::is_same_v<T, Correction>) {
                TRY_ASSIGN(person, personId(b.person));
                return withoutValue(addCorrection(
                    {event.id, person, b.window, b.present, b.reason, b.base, actorId, event.at, kiosk.id}));
            } else if constexpr (std::is_same_v<T, FlagChange>) {
                TRY_ASSIGN(person, personId(b.person));
                return withoutValue(
                    addFlag({event.id, person, b.window, b.flag, b.set, b.note, actorId, event.at, kiosk.id}));
            } else if constexpr (std::is_same_v<T, WindowOpen>) {
                m_batchWindows.erase(b.window); // read again by later events of the batch
                return withoutValue(createWindow({b.window, b.course, b.title, b.scheduledStart, event.at, actorId}));
            } else if constexpr (std::is_same_v<T, WindowClose>) {
                m_batchWindows.erase(b.window);
                return withoutValue(closeWindow(b.window, event.at, actorId));
            } else if constexpr (std::is_same_v<T, BadgeEnroll>) {
                TRY_ASSIGN(person, personId(b.person));
                return addBadge(person, b.uidHash);
            } else if constexpr (std::is_same_v<T, RemoteConfirm>) {
                TRY_ASSIGN(s, query("INSERT INTO remote_confirm(id, check_in, actor, at, kiosk, received_at)"
                                    " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
                TRY(s->bindAll(event.id, b.checkIn, actorId, event.at, std::int64_t{kiosk.id}, m_clock.nowMs())
                        .run());
                TRY_ASSIGN(course, courseOfWindow(b.window));
                return logChange("check_in", b.checkIn, course);
            }
        },
        event.body);
}

} // namespace imhere::server
