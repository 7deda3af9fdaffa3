#pragma once
// The server's own keys, one per job, each derived from the store's master
// key (PeopleRepository::masterKey) with a KDF (core/crypto.h deriveKey).
// Kiosks hold the badge key, which is separate and hashes badges only, so a
// stolen kiosk gives away none of these, and learning one of them tells
// nothing of the others.
//
// Thread rules: any thread.

#include "services.h"

#include "core/crypto.h"

#include <cstdint>

namespace imhere::server {

enum class ServerKeyUse : std::uint64_t {
    LinkCode = 1,      // the stored hashes of phone link codes
    DeviceToken = 2,   // the stored hashes of phones' cookie tokens
    DeviceIssue = 3,   // the MAC that shows a phone's cookie token was issued here
    ClientAddress = 4, // the hashed client addresses kept with remote check-ins
};

[[nodiscard]] Result<Key> serverKey(Services& services, ServerKeyUse use);

} // namespace imhere::server
