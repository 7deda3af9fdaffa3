#pragma once
// Kiosks, their tokens and courses, and kiosk sync (DESIGN §5).
// Persistence only: the rules are the services' (sync-server/service/).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/result.h"
#include "core/syncprotocol.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace imhere::server {

// One kiosk sync batch inside its write transaction (Store::ingestSync): what
// the sync rules read, memoised for the batch, and the writes they ask for.
// Pointers stay valid for the batch, except that storing a window event
// forgets that window (it is read again).
class SyncBatch {
public:
    // A person a batch names, with every enrollment.
    struct PersonRoles {
        PersonId id = 0;
        bool isAdmin = false;
        std::vector<std::pair<std::string, Role>> roles;
        [[nodiscard]] std::optional<Role> roleIn(std::string_view course) const;
    };

    virtual ~SyncBatch() = default;
    // nullptr when there is no such person or window.
    [[nodiscard]] virtual Result<const PersonRoles*> person(std::string_view publicId) = 0;
    [[nodiscard]] virtual Result<const Window*> window(std::string_view id) = 0;
    [[nodiscard]] virtual Result<std::optional<Course>> course(std::string_view id) = 0;
    // The first outcome of each event id of the batch that was sent before.
    [[nodiscard]] virtual Result<std::unordered_map<std::string, sync::Ack>> priorOutcomes() = 0;
    // Whether `checkIn` is a check-in of that person to that window.
    [[nodiscard]] virtual Result<bool> isCheckInOf(std::string_view checkIn, std::string_view window,
                                                   std::string_view personPublicId) = 0;
    // Who holds an active badge with this hash.
    [[nodiscard]] virtual Result<std::optional<PersonId>> badgeHolder(std::string_view uidHash) = 0;
    // Stores an event the rules accepted, by the kiosk the batch came from.
    [[nodiscard]] virtual Result<void> store(const sync::Event& event) = 0;
    // Keeps the outcome (stored, or the rejection reason) that a replay of
    // the event is answered with.
    [[nodiscard]] virtual Result<void> keepOutcome(const sync::Event& event, const std::optional<std::string>& rejection) = 0;
};

class KioskRepository {
public:
    virtual ~KioskRepository() = default;

    [[nodiscard]] virtual Result<Kiosk> createKiosk(const NewKiosk& kiosk) = 0;
    [[nodiscard]] virtual Result<std::optional<Kiosk>> kioskByPrefix(std::string_view prefix) = 0;
    [[nodiscard]] virtual Result<std::optional<Kiosk>> kioskById(std::uint32_t id) = 0;
    // Every kiosk, revoked ones too, in id order.
    [[nodiscard]] virtual Result<std::vector<KioskInfo>> listKiosks() = 0;
    // Its token stops working at once. false when it was already revoked;
    // not_found for no such kiosk.
    [[nodiscard]] virtual Result<bool> revokeKiosk(std::uint32_t id, PersonId actor) = 0;
    // Records a successful sync at `at`, and how far the kiosk's clock was
    // from the server's, unless one within `resolutionMs` is already
    // recorded with a skew within `skewResolutionMs` of this one (then
    // nothing is written).
    [[nodiscard]] virtual Result<void> noteKioskSync(std::uint32_t id, std::int64_t at, std::int64_t skewMs,
                                                     std::int64_t resolutionMs, std::int64_t skewResolutionMs) = 0;
    // Runs `apply` over one kiosk batch inside one write transaction: the
    // sync rules (service/kiosksync.h) read and store through the batch, and
    // the check-ins it stored are logged for other kiosks' pulls at the end.
    // An error from `apply` stores nothing of the batch.
    [[nodiscard]] virtual Result<void> ingestSync(const Kiosk& kiosk, const sync::SyncRequest& request,
                                                  const std::function<Result<void>(SyncBatch&)>& apply) = 0;
    // The changes since `cursor` that the kiosk's courses need, and the new cursor.
    // A person's PIN hash goes to the kiosk only when `holdsPin` says so,
    // given their roles in the kiosk's courses.
    using PinRule = std::function<bool(const std::vector<Role>& rolesInServedCourses)>;
    [[nodiscard]] virtual Result<void> pullChanges(const Kiosk& kiosk, std::int64_t cursor, const PinRule& holdsPin,
                                                   sync::SyncResponse& response) = 0;
};

} // namespace imhere::server
