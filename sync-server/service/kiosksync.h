#pragma once
// Kiosk sync (DESIGN §5): the rules a batch of kiosk events is held to, and
// the reply. Each event id is decided once; a replayed batch is answered as
// the first time. Every rule is here; the store only reads and writes
// (Store::ingestSync).
//
// Thread rules: any thread, like Services.

#include "services.h"

#include "core/syncprotocol.h"

#include <optional>
#include <string>
#include <vector>

namespace imhere::server {

// Applies the batch in one transaction and returns one ack per event, the
// changes since the request's cursor, and on a first sync (cursor 0) the
// kiosk's identity and keys.
[[nodiscard]] Result<sync::SyncResponse> syncKiosk(Services& services, const Kiosk& kiosk,
                                                   const sync::SyncRequest& request);

// Why the event is refused, as the stable snake_case reason the kiosk acts on
// (unknown_person, window_closed, forbidden, ...), or nullopt to store it.
[[nodiscard]] Result<std::optional<std::string>> syncRejection(const Kiosk& kiosk, const sync::Event& event,
                                                               SyncBatch& batch, std::int64_t nowMs);

// A person's PIN hash goes to a kiosk only when they run a class (teacher
// or TA) in one of its courses: the volunteer screen asks for it there, and
// students' PINs stay on the server.
[[nodiscard]] bool kioskHoldsPin(const std::vector<Role>& rolesInServedCourses);

} // namespace imhere::server
