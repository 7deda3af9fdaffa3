// PgStore: kiosk sync ingest (DESIGN §5) — one batch of kiosk events in one
// transaction, read and written for the sync rules (service/kiosksync.h)
// through a SyncBatch. What the batch reads is loaded with a few queries
// (the people with their enrollments, the windows, the earlier outcomes)
// rather than a few per event, as SqliteStore does.

#include "pgstore.h"

#include "sync-server/serverlimits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <unordered_map>

namespace imhere::server {

using namespace imhere::sync;

namespace {

constexpr std::string_view k_windowColumns =
    "SELECT w.id, w.course, w.title, w.scheduled_start, w.opened_at, w.closed_at, p.public_id, w.scheduled_end"
    " FROM attendance_window w LEFT JOIN person p ON p.id = w.opened_by ";

} // namespace

class PgStore::Batch final : public SyncBatch {
public:
    Batch(PgStore& store, PgConnection& db, const Kiosk& kiosk, const SyncRequest& request)
        : m_store(store), m_db(db), m_kiosk(kiosk), m_request(request)
    {
    }

    Result<void> load();
    Result<const PersonRoles*> person(std::string_view publicId) override;
    Result<const Window*> window(std::string_view id) override;
    Result<std::optional<Course>> course(std::string_view id) override { return courseOn(m_db, id); }
    Result<std::unordered_map<std::string, Ack>> priorOutcomes() override;
    Result<bool> isCheckInOf(std::string_view checkIn, std::string_view window, std::string_view person) override
    {
        TRY_ASSIGN(s, m_db.query("SELECT 1 FROM check_in c JOIN person p ON p.id = c.person"
                                 " WHERE c.id = $1 AND c.window_id = $2 AND p.public_id = $3"));
        return s->bindAll(checkIn, window, person).step();
    }
    Result<std::optional<PersonId>> badgeHolder(std::string_view uidHash) override
    {
        TRY_ASSIGN(s, m_db.query("SELECT person FROM badge WHERE uid_hash = $1 AND revoked = 0"));
        TRY_ASSIGN(found, s->bind(1, uidHash).step());
        return found ? std::optional(s->int64At(0)) : std::nullopt;
    }
    Result<void> store(const Event& event) override;
    Result<void> keepOutcome(const Event& event, const std::optional<std::string>& rejection) override
    {
        // A stored check-in's check_in row is its receipt (see priorOutcomes).
        if (!rejection && std::holds_alternative<CheckIn>(event.body))
            return {};
        TRY_ASSIGN(receipt, m_db.query("INSERT INTO sync_receipt(event_id, kiosk, status, reason, received_at)"
                                       " VALUES($1, $2, $3, $4, $5)"));
        return receipt
            ->bindAll(event.id, std::int64_t{m_kiosk.id}, rejection ? "rejected" : "stored", rejection.value_or(""),
                      m_store.m_clock.nowMs())
            .run();
    }
    // change_log rows for the check-ins the batch stored: one per course
    // and chunk, as a range of check_in.seq with the kiosk as origin.
    Result<void> logCheckIns();

private:
    Result<void> loadPeople(const std::string& publicIdsJson);
    Result<void> loadWindows(const std::string& windowIdsJson);
    Result<PersonId> personId(std::string_view publicId);

    template <class T>
    using TextMap = std::unordered_map<std::string, std::optional<T>>;
    PgStore& m_store;
    PgConnection& m_db;
    const Kiosk& m_kiosk;
    const SyncRequest& m_request;
    TextMap<PersonRoles> m_people;
    TextMap<Window> m_windows;
    std::map<std::string, std::vector<std::int64_t>> m_checkIns; // seqs stored, by course
};

Result<void> PgStore::ingestSync(const Kiosk& kiosk, const SyncRequest& request,
                                 const std::function<Result<void>(SyncBatch&)>& apply)
{
    return write([&](PgConnection& db) -> Result<void> {
        // The change-log lock first, so that the batch's check_in rows are
        // consecutive among everything logged (logChange).
        TRY(lockChangeLog(db));
        Batch batch(*this, db, kiosk, request);
        TRY(batch.load());
        TRY(apply(batch));
        return batch.logCheckIns();
    });
}

Result<void> PgStore::Batch::load()
{
    std::vector<std::string_view> people;
    std::vector<std::string_view> windows;
    for (const DecodedEvent& decoded : m_request.events) {
        const auto* event = std::get_if<Event>(&decoded);
        if (!event)
            continue;
        people.push_back(event->actor);
        std::visit(
            [&](const auto& body) {
                if constexpr (requires { body.person; })
                    people.push_back(body.person);
                if constexpr (requires { body.window; })
                    windows.push_back(body.window);
            },
            event->body);
    }
    for (auto* ids : {&people, &windows}) {
        std::ranges::sort(*ids);
        ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
    }
    for (const auto id : people)
        m_people.emplace(std::string(id), std::nullopt); // unknown unless the query finds them
    for (const auto id : windows)
        m_windows.emplace(std::string(id), std::nullopt);
    TRY(loadPeople(jsonStringArray(people)));
    return loadWindows(jsonStringArray(windows));
}

Result<void> PgStore::Batch::loadPeople(const std::string& publicIdsJson)
{
    // One row per enrollment, or one with a NULL course for someone enrolled nowhere.
    TRY_ASSIGN(s, m_db.query("SELECT p.public_id, p.id, p.is_admin, e.course, e.role"
                             " FROM jsonb_array_elements_text($1::jsonb) j(value)"
                             " JOIN person p ON p.public_id = j.value LEFT JOIN enrollment e ON e.person = p.id"));
    s->bind(1, publicIdsJson);
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        auto& person = m_people[s->textAt(0)];
        if (!person)
            person = PersonRoles{s->int64At(1), s->boolAt(2), {}};
        if (!s->isNullAt(3)) {
            if (const auto role = roleFromString(s->textAt(4)))
                person->roles.emplace_back(s->textAt(3), *role);
        }
    }
    return {};
}

Result<void> PgStore::Batch::loadWindows(const std::string& windowIdsJson)
{
    TRY_ASSIGN(s, m_db.query(std::string(k_windowColumns)
                             + "JOIN jsonb_array_elements_text($1::jsonb) j(value) ON j.value = w.id"));
    s->bind(1, windowIdsJson);
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        Window window{s->textAt(0),          s->textAt(1),          s->textAt(2),         s->optionalInt64At(3),
                      s->optionalInt64At(4), s->optionalInt64At(5), s->optionalTextAt(6), s->optionalInt64At(7)};
        m_windows[window.id] = std::move(window);
    }
    return {};
}

Result<const SyncBatch::PersonRoles*> PgStore::Batch::person(std::string_view publicId)
{
    auto it = m_people.find(std::string(publicId));
    if (it == m_people.end()) {
        it = m_people.emplace(std::string(publicId), std::nullopt).first;
        TRY(loadPeople(jsonStringArray({publicId})));
    }
    return it->second ? &*it->second : nullptr;
}

Result<const Window*> PgStore::Batch::window(std::string_view id)
{
    auto it = m_windows.find(std::string(id));
    if (it == m_windows.end()) {
        it = m_windows.emplace(std::string(id), std::nullopt).first;
        TRY(loadWindows(jsonStringArray({id})));
    }
    return it->second ? &*it->second : nullptr;
}

Result<std::unordered_map<std::string, Ack>> PgStore::Batch::priorOutcomes()
{
    std::vector<std::string_view> ids;
    for (const DecodedEvent& decoded : m_request.events) {
        if (const auto* event = std::get_if<Event>(&decoded))
            ids.push_back(event->id);
    }
    // A receipt holds the first outcome; a check-in stored through sync has
    // none, its check_in row being the receipt.
    TRY_ASSIGN(s, m_db.query("SELECT i.value, r.status, r.reason FROM jsonb_array_elements_text($1::jsonb) i(value)"
                             " LEFT JOIN sync_receipt r ON r.event_id = i.value"
                             " WHERE r.event_id IS NOT NULL OR EXISTS (SELECT 1 FROM check_in c WHERE c.id = i.value)"));
    s->bind(1, jsonStringArray(ids));
    std::unordered_map<std::string, Ack> outcomes;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        std::string id = s->textAt(0);
        const auto status = s->optionalTextAt(1);
        Ack ack = status == "rejected" ? Ack{id, AckStatus::Rejected, s->textAt(2)} : Ack{id, AckStatus::Duplicate, {}};
        outcomes.emplace(std::move(id), std::move(ack));
    }
    return outcomes;
}

Result<PersonId> PgStore::Batch::personId(std::string_view publicId)
{
    TRY_ASSIGN(p, person(publicId));
    if (!p)
        return fail(Errc::NotFound, "no person " + std::string(publicId));
    return p->id;
}

Result<void> PgStore::Batch::store(const Event& event)
{
    // The sync rules checked what they need in this same transaction.
    TRY_ASSIGN(actorId, personId(event.actor));
    const std::optional<std::uint32_t> kiosk = m_kiosk.id;
    return std::visit(
        [&](const auto& b) -> Result<void> {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, CheckIn>) {
                TRY_ASSIGN(person, personId(b.person));
                TRY_ASSIGN(w, window(b.window));
                if (!w)
                    return fail(Errc::NotFound, "no window " + b.window);
                TRY_ASSIGN(s, m_db.query("INSERT INTO check_in(id, person, window_id, at, source, kiosk, actor,"
                                         " received_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8)"
                                         " ON CONFLICT DO NOTHING RETURNING seq"));
                TRY_ASSIGN(row, s->bindAll(event.id, person, b.window, event.at, toString(b.source),
                                           std::int64_t{m_kiosk.id}, actorId, m_store.m_clock.nowMs())
                                    .step());
                if (row) // logged once the batch is in (logCheckIns)
                    m_checkIns[w->course].push_back(s->int64At(0));
                return {};
            } else if constexpr (std::is_same_v<T, Correction>) {
                TRY_ASSIGN(person, personId(b.person));
                return withoutValue(m_store.addCorrection(
                    {event.id, person, b.window, b.present, b.reason, b.base, actorId, event.at, kiosk}));
            } else if constexpr (std::is_same_v<T, FlagChange>) {
                TRY_ASSIGN(person, personId(b.person));
                return withoutValue(
                    m_store.addFlag({event.id, person, b.window, b.flag, b.set, b.note, actorId, event.at, kiosk}));
            } else if constexpr (std::is_same_v<T, WindowOpen>) {
                m_windows.erase(b.window); // read again by later events of the batch
                return withoutValue(
                    m_store.createWindow({b.window, b.course, b.title, b.scheduledStart, event.at, actorId}));
            } else if constexpr (std::is_same_v<T, WindowClose>) {
                m_windows.erase(b.window);
                return withoutValue(m_store.closeWindow(b.window, event.at, actorId));
            } else if constexpr (std::is_same_v<T, BadgeEnroll>) {
                TRY_ASSIGN(person, personId(b.person));
                return m_store.addBadge(person, b.uidHash);
            } else if constexpr (std::is_same_v<T, RemoteConfirm>) {
                TRY_ASSIGN(s, m_db.query("INSERT INTO remote_confirm(id, check_in, actor, at, kiosk, received_at)"
                                         " VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"));
                TRY(s->bindAll(event.id, b.checkIn, actorId, event.at, std::int64_t{m_kiosk.id},
                               m_store.m_clock.nowMs())
                        .run());
                TRY_ASSIGN(c, m_db.query("SELECT course FROM attendance_window WHERE id = $1"));
                TRY_ASSIGN(found, c->bind(1, b.window).step());
                return logChange(m_db, "check_in", b.checkIn,
                                 found ? std::optional<std::string>(c->textAt(0)) : std::nullopt);
            }
        },
        event.body);
}

Result<void> PgStore::Batch::logCheckIns()
{
    TRY_ASSIGN(s, m_db.query("INSERT INTO change_log(kind, ref, course, kiosk, ref_last)"
                             " VALUES('check_ins', $1, $2, $3, $4)"));
    for (const auto& [course, seqs] : m_checkIns) {
        for (std::size_t first = 0; first < seqs.size(); first += limits::k_syncCheckInsPerChangeRow) {
            const std::size_t last = std::min(seqs.size(), first + limits::k_syncCheckInsPerChangeRow) - 1;
            s->reset();
            TRY(s->bindAll(std::to_string(seqs[first]), course, std::int64_t{m_kiosk.id}, seqs[last]).run());
        }
    }
    return {};
}

} // namespace imhere::server
