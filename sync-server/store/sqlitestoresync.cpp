// SqliteStore: kiosk sync (DESIGN §5) — applying a batch of kiosk events
// once each, and the cursor pull of what the kiosk's courses need.

#include "sqlitestore.h"

#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/limits.h"

#include <algorithm>
#include <set>

namespace imhere::server {

namespace {

using namespace imhere::sync;

bool serves(const Kiosk& kiosk, std::string_view course)
{
    return std::ranges::find(kiosk.courses, course) != kiosk.courses.end();
}

bool runsClass(std::optional<Role> role)
{
    return role == Role::Teacher || role == Role::Ta;
}

bool participates(std::optional<Role> role)
{
    return role == Role::Student || role == Role::Ta;
}

// Rejection reasons are stable snake_case codes the kiosk can act on.
using Rejection = std::optional<std::string>;

} // namespace

Result<SyncResponse> SqliteStore::sync(const Kiosk& kiosk, const SyncRequest& request, std::int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    SyncResponse response;
    response.serverTimeMs = nowMs;
    if (!request.events.empty()) {
        TRY(write([&]() -> Result<void> {
            TRY(loadBatch(request));
            TRY_ASSIGN(outcomes, priorOutcomes(request));
            for (const DecodedEvent& decoded : request.events) {
                if (const auto* bad = std::get_if<EventRejection>(&decoded)) {
                    std::string reason = "invalid_event: " + bad->reason;
                    reason.resize(std::min(reason.size(), imhere::limits::k_maxReasonBytes));
                    response.acks.push_back({bad->id, AckStatus::Rejected, std::move(reason)});
                    continue;
                }
                const Event& event = std::get<Event>(decoded);
                if (const auto prior = outcomes.find(event.id); prior != outcomes.end()) {
                    response.acks.push_back(prior->second);
                    continue;
                }
                TRY_ASSIGN(ack, applyEvent(kiosk, event, nowMs));
                // The same id again later in this batch is answered as a replay.
                outcomes.emplace(event.id, ack.status == AckStatus::Stored ? Ack{event.id, AckStatus::Duplicate, {}}
                                                                            : ack);
                response.acks.push_back(std::move(ack));
            }
            return logBatchCheckIns(kiosk);
        }));
    }
    TRY(pullChanges(kiosk, request.cursor, response));
    if (request.cursor == 0) {
        TRY_ASSIGN(key, badgeKey());
        response.kiosk = KioskIdentity{kiosk.id, kiosk.name, base64UrlEncode(kiosk.secret), base64UrlEncode(key)};
    }
    return response;
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

// Called inside the batch's transaction for an id with no prior outcome.
Result<Ack> SqliteStore::applyEvent(const Kiosk& kiosk, const Event& event, std::int64_t nowMs)
{
    TRY_ASSIGN(rejection, rejectionFor(kiosk, event, nowMs));
    if (!rejection)
        TRY(storeEvent(kiosk, event));
    // A stored check-in's check_in row is its receipt (see priorOutcomes).
    if (rejection || !std::holds_alternative<CheckIn>(event.body)) {
        TRY_ASSIGN(receipt, query("INSERT INTO sync_receipt(event_id, kiosk, status, reason, received_at)"
                                  " VALUES(?, ?, ?, ?, ?)"));
        TRY(receipt->bindAll(event.id, std::int64_t{kiosk.id}, rejection ? "rejected" : "stored",
                             rejection.value_or(""), nowMs)
                .run());
    }
    if (rejection)
        return Ack{event.id, AckStatus::Rejected, *rejection};
    return Ack{event.id, AckStatus::Stored, {}};
}

Result<Rejection> SqliteStore::rejectionFor(const Kiosk& kiosk, const Event& event, std::int64_t nowMs)
{
    if (event.at > nowMs + limits::k_maxEventFutureSkewMs)
        return Rejection("from_future");
    TRY_ASSIGN(actor, batchPerson(event.actor));
    if (!actor)
        return Rejection("unknown_actor");

    // The role the actor has in `course`; an org admin counts as a teacher.
    auto actorRole = [&](std::string_view course) -> std::optional<Role> {
        return actor->isAdmin ? std::optional(Role::Teacher) : actor->roleIn(course);
    };
    // Person and window of a per-record event, checked the same way for
    // check-ins, corrections, flags and remote confirmations.
    auto recordTarget = [&](std::string_view personId,
                            std::string_view windowId) -> Result<std::pair<Rejection, const Window*>> {
        TRY_ASSIGN(person, batchPerson(personId));
        if (!person)
            return std::pair(Rejection("unknown_person"), nullptr);
        TRY_ASSIGN(window, batchWindow(windowId));
        if (!window)
            return std::pair(Rejection("unknown_window"), nullptr);
        if (!serves(kiosk, window->course))
            return std::pair(Rejection("forbidden"), window);
        if (!participates(person->roleIn(window->course)))
            return std::pair(Rejection("not_enrolled"), window);
        return std::pair(Rejection(), window);
    };

    return std::visit(
        [&](const auto& body) -> Result<Rejection> {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, CheckIn>) {
                TRY_ASSIGN(target, recordTarget(body.person, body.window));
                if (target.first)
                    return target.first;
                const Window& w = *target.second;
                if (!w.openedAt || event.at < *w.openedAt - limits::k_windowCloseGraceMs)
                    return Rejection("window_not_open");
                if (w.closedAt && event.at > *w.closedAt + limits::k_windowCloseGraceMs)
                    return Rejection("window_closed");
                if (body.source == CheckInSource::QrRemote)
                    return Rejection("forbidden"); // remote check-ins come from phones, not kiosks
                if (body.source == CheckInSource::Manual) {
                    if (!runsClass(actorRole(w.course)))
                        return Rejection("forbidden");
                } else if (body.person != event.actor) {
                    return Rejection("forbidden"); // a tap is made by the badge holder
                }
                return Rejection();
            } else if constexpr (std::is_same_v<T, Correction> || std::is_same_v<T, FlagChange>) {
                TRY_ASSIGN(target, recordTarget(body.person, body.window));
                if (target.first)
                    return target.first;
                const auto role = actorRole(target.second->course);
                // Toggling presence is the teacher's; mentors (TAs) may flag.
                const bool allowed = std::is_same_v<T, Correction> ? role == Role::Teacher : runsClass(role);
                return allowed ? Rejection() : Rejection("forbidden");
            } else if constexpr (std::is_same_v<T, RemoteConfirm>) {
                TRY_ASSIGN(target, recordTarget(body.person, body.window));
                if (target.first)
                    return target.first;
                if (!runsClass(actorRole(target.second->course)))
                    return Rejection("forbidden");
                TRY_ASSIGN(s, query("SELECT 1 FROM check_in c JOIN person p ON p.id = c.person"
                                    " WHERE c.id = ? AND c.window_id = ? AND p.public_id = ?"));
                TRY_ASSIGN(found, s->bindAll(body.checkIn, body.window, body.person).step());
                return found ? Rejection() : Rejection("unknown_check_in");
            } else if constexpr (std::is_same_v<T, WindowOpen>) {
                TRY_ASSIGN(target, course(body.course));
                if (!target || target->removed)
                    return Rejection("unknown_course");
                if (!serves(kiosk, body.course))
                    return Rejection("forbidden");
                if (!runsClass(actorRole(body.course)))
                    return Rejection("forbidden");
                TRY_ASSIGN(existing, batchWindow(body.window));
                return existing ? Rejection("window_exists") : Rejection();
            } else if constexpr (std::is_same_v<T, WindowClose>) {
                TRY_ASSIGN(window, batchWindow(body.window));
                if (!window)
                    return Rejection("unknown_window");
                if (!serves(kiosk, window->course))
                    return Rejection("forbidden");
                return runsClass(actorRole(window->course)) ? Rejection() : Rejection("forbidden");
            } else if constexpr (std::is_same_v<T, BadgeEnroll>) {
                TRY_ASSIGN(person, batchPerson(body.person));
                if (!person)
                    return Rejection("unknown_person");
                bool personHere = false;
                bool actorRunsHere = false;
                for (const auto& served : kiosk.courses) {
                    const auto personRole = person->roleIn(served);
                    personHere = personHere || personRole.has_value();
                    actorRunsHere = actorRunsHere || (personRole && runsClass(actorRole(served)));
                }
                if (!personHere)
                    return Rejection("not_enrolled");
                if (!actorRunsHere)
                    return Rejection("forbidden");
                TRY_ASSIGN(s, query("SELECT person FROM badge WHERE uid_hash = ? AND revoked = 0"));
                TRY_ASSIGN(owned, s->bind(1, body.uidHash).step());
                return owned && s->int64At(0) != person->id ? Rejection("badge_in_use") : Rejection();
            }
        },
        event.body);
}

Result<void> SqliteStore::storeEvent(const Kiosk& kiosk, const Event& event)
{
    // Both were checked by rejectionFor in this same transaction.
    auto personId = [&](std::string_view publicId) -> Result<PersonId> {
        TRY_ASSIGN(p, batchPerson(publicId));
        if (!p)
            return fail("not_found", "no person " + std::string(publicId));
        return p->id;
    };
    TRY_ASSIGN(actorId, personId(event.actor));
    return std::visit(
        [&](const auto& b) -> Result<void> {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, CheckIn>) {
                TRY_ASSIGN(person, personId(b.person));
                TRY_ASSIGN(window, batchWindow(b.window)); // checked by rejectionFor
                if (!window)
                    return fail("not_found", "no window " + b.window);
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
