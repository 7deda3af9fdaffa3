#include "kiosksync.h"

#include <map>

#include "windowrules.h"

#include "sync-server/serverlimits.h"

#include "core/encoding.h"
#include "core/limits.h"

#include <algorithm>

namespace imhere::server {

namespace {

using namespace imhere::sync;
using Rejection = std::optional<std::string>;

bool serves(const Kiosk& kiosk, std::string_view course)
{
    return std::ranges::find(kiosk.courses, course) != kiosk.courses.end();
}

// The actor's standing in a course, as CourseAccess reads it for people on
// the server.
CourseAccess accessOf(const SyncBatch::PersonRoles& actor, std::string_view course)
{
    return CourseAccess{actor.roleIn(course), actor.isAdmin};
}

// Person and window of a per-record event, checked the same way for
// check-ins, corrections, flags and remote confirmations.
struct RecordTarget {
    Rejection rejection;
    const Window* window = nullptr;
};
Result<RecordTarget> recordTarget(const Kiosk& kiosk, SyncBatch& batch, std::string_view personId,
                                  std::string_view windowId)
{
    TRY_ASSIGN(person, batch.person(personId));
    if (!person)
        return RecordTarget{"unknown_person"};
    TRY_ASSIGN(window, batch.window(windowId));
    if (!window)
        return RecordTarget{"unknown_window"};
    if (!serves(kiosk, window->course))
        return RecordTarget{"forbidden", window};
    if (!CourseAccess::takesPart(person->roleIn(window->course)))
        return RecordTarget{"not_enrolled", window};
    return RecordTarget{std::nullopt, window};
}

} // namespace

Result<Rejection> syncRejection(const Kiosk& kiosk, const Event& event, SyncBatch& batch, std::int64_t nowMs)
{
    if (event.at > nowMs + limits::k_maxEventFutureSkewMs)
        return Rejection("from_future");
    TRY_ASSIGN(actor, batch.person(event.actor));
    if (!actor)
        return Rejection("unknown_actor");

    return std::visit(
        [&](const auto& body) -> Result<Rejection> {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, CheckIn>) {
                TRY_ASSIGN(target, recordTarget(kiosk, batch, body.person, body.window));
                if (target.rejection)
                    return target.rejection;
                const Window& w = *target.window;
                // A kiosk's clock is corrected by the server's offset, but a
                // little off still: the window's edges get a grace.
                switch (windowTimingAt(w, event.at, limits::k_windowCloseGraceMs)) {
                case WindowTiming::NotYetOpen: return Rejection("window_not_open");
                case WindowTiming::Closed: return Rejection("window_closed");
                case WindowTiming::Open: break;
                }
                if (body.source == CheckInSource::QrRemote)
                    return Rejection("forbidden"); // remote check-ins come from phones, not kiosks
                if (body.source == CheckInSource::Manual) {
                    if (!accessOf(*actor, w.course).runsClass())
                        return Rejection("forbidden");
                } else if (body.person != event.actor) {
                    return Rejection("forbidden"); // a tap is made by the badge holder
                }
                return Rejection();
            } else if constexpr (std::is_same_v<T, Correction> || std::is_same_v<T, FlagChange>) {
                TRY_ASSIGN(target, recordTarget(kiosk, batch, body.person, body.window));
                if (target.rejection)
                    return target.rejection;
                const auto access = accessOf(*actor, target.window->course);
                // Toggling presence is the teacher's; mentors (TAs) may flag.
                const bool allowed = std::is_same_v<T, Correction> ? access.teaches() : access.runsClass();
                return allowed ? Rejection() : Rejection("forbidden");
            } else if constexpr (std::is_same_v<T, RemoteConfirm>) {
                TRY_ASSIGN(target, recordTarget(kiosk, batch, body.person, body.window));
                if (target.rejection)
                    return target.rejection;
                if (!accessOf(*actor, target.window->course).runsClass())
                    return Rejection("forbidden");
                TRY_ASSIGN(found, batch.isCheckInOf(body.checkIn, body.window, body.person));
                return found ? Rejection() : Rejection("unknown_check_in");
            } else if constexpr (std::is_same_v<T, WindowOpen>) {
                TRY_ASSIGN(course, batch.course(body.course));
                if (!course || course->removed)
                    return Rejection("unknown_course");
                if (!serves(kiosk, body.course) || !accessOf(*actor, body.course).runsClass())
                    return Rejection("forbidden");
                TRY_ASSIGN(existing, batch.window(body.window));
                return existing ? Rejection("window_exists") : Rejection();
            } else if constexpr (std::is_same_v<T, WindowClose>) {
                TRY_ASSIGN(window, batch.window(body.window));
                if (!window)
                    return Rejection("unknown_window");
                if (!serves(kiosk, window->course))
                    return Rejection("forbidden");
                return accessOf(*actor, window->course).runsClass() ? Rejection() : Rejection("forbidden");
            } else if constexpr (std::is_same_v<T, BadgeEnroll>) {
                TRY_ASSIGN(person, batch.person(body.person));
                if (!person)
                    return Rejection("unknown_person");
                // The person is in one of the kiosk's courses, and the actor
                // runs the class in one of those.
                bool personHere = false;
                bool actorRunsHere = false;
                for (const auto& served : kiosk.courses) {
                    const auto personRole = person->roleIn(served);
                    personHere = personHere || personRole.has_value();
                    actorRunsHere = actorRunsHere || (personRole && accessOf(*actor, served).runsClass());
                }
                if (!personHere)
                    return Rejection("not_enrolled");
                if (!actorRunsHere)
                    return Rejection("forbidden");
                TRY_ASSIGN(holder, batch.badgeHolder(body.uidHash));
                return holder && *holder != person->id ? Rejection("badge_in_use") : Rejection();
            }
        },
        event.body);
}

bool kioskHoldsPin(const std::vector<Role>& rolesInServedCourses)
{
    return std::ranges::any_of(rolesInServedCourses,
                               [](Role role) { return CourseAccess{role, false}.runsClass(); });
}

namespace {

// The batch is committed: its acks, the check-ins it stored, and what the
// kiosk reported (its clock, its outbox).
void countSync(observe::ServerMetrics& metrics, const Kiosk& kiosk, const SyncRequest& request,
               const std::vector<Ack>& acks, std::int64_t nowMs)
{
    std::size_t stored = 0;
    std::size_t duplicate = 0;
    std::size_t rejected = 0;
    std::map<CheckInSource, std::size_t> checkIns;
    for (std::size_t i = 0; i < acks.size(); ++i) {
        switch (acks[i].status) {
        case AckStatus::Stored: ++stored; break;
        case AckStatus::Duplicate: ++duplicate; break;
        case AckStatus::Rejected: ++rejected; break;
        }
        if (acks[i].status != AckStatus::Stored || i >= request.events.size())
            continue;
        if (const auto* event = std::get_if<Event>(&request.events[i]))
            if (const auto* checkIn = std::get_if<CheckIn>(&event->body))
                ++checkIns[checkIn->source];
    }
    metrics.recordSyncAcks(stored, duplicate, rejected);
    for (const auto& [source, n] : checkIns)
        metrics.recordCheckIns(toString(source), n);
    metrics.recordKioskSync(kiosk.id, nowMs, request.kioskTimeMs, request.outbox);
}

} // namespace

Result<SyncResponse> syncKiosk(Services& services, const Kiosk& kiosk, const SyncRequest& request)
{
    const std::int64_t nowMs = services.clock.nowMs();
    SyncResponse response;
    response.serverTimeMs = nowMs;
    if (!request.events.empty()) {
        TRY(services.store.kiosks().ingestSync(kiosk, request, [&](SyncBatch& batch) -> Result<void> {
            response.acks.clear(); // the store may run a batch again (store.h)
            TRY_ASSIGN(outcomes, batch.priorOutcomes());
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
                TRY_ASSIGN(rejection, syncRejection(kiosk, event, batch, nowMs));
                if (!rejection)
                    TRY(batch.store(event));
                TRY(batch.keepOutcome(event, rejection));
                Ack ack = rejection ? Ack{event.id, AckStatus::Rejected, *rejection} : Ack{event.id, AckStatus::Stored, {}};
                // The same id again later in this batch is answered as a replay.
                outcomes.emplace(event.id, rejection ? ack : Ack{event.id, AckStatus::Duplicate, {}});
                response.acks.push_back(std::move(ack));
            }
            return {};
        }));
    }
    const bool closedAWindow = std::ranges::any_of(request.events, [](const DecodedEvent& decoded) {
        const auto* event = std::get_if<Event>(&decoded);
        return event && std::holds_alternative<WindowClose>(event->body);
    });
    if (closedAWindow && services.slackQueued)
        services.slackQueued(); // the close may have queued a Slack post
    countSync(services.metrics, kiosk, request, response.acks, nowMs);
    TRY(services.store.kiosks().pullChanges(kiosk, request.cursor, kioskHoldsPin, response));
    if (request.cursor == 0) {
        TRY_ASSIGN(key, services.store.people().badgeKey());
        response.kiosk = KioskIdentity{kiosk.id, kiosk.name, base64UrlEncode(kiosk.secret), base64UrlEncode(key)};
    }
    return response;
}

} // namespace imhere::server
