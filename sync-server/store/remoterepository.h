#pragma once
// Remote check-in from a phone (DESIGN §4): link codes, linked phones, qr_remote check-ins and what a mentor reviews.
// Persistence only: the rules are the services' (sync-server/service/).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/encoding.h"
#include "core/result.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

class RemoteRepository {
public:
    virtual ~RemoteRepository() = default;

    // A one-time personal code that links a phone to `person` (for `course`
    // only, when given), kept as a hash.
    [[nodiscard]] virtual Result<void> createLinkCode(const Bytes& codeHash, PersonId person, PersonId issuedBy,
                                                      std::int64_t expiresAt,
                                                      const std::optional<std::string>& course) = 0;
    // Spends a live link code and links the phone holding `deviceTokenHash`
    // to the code's person, for the code's course if it has one (a known
    // phone is re-linked), in one transaction. nullopt when the code is
    // unknown, spent or expired.
    [[nodiscard]] virtual Result<std::optional<RemoteDevice>> linkDevice(const Bytes& codeHash,
                                                                         const Bytes& deviceTokenHash,
                                                                         std::int64_t nowMs) = 0;
    // A phone linked after `linkedAfter` and not unlinked since.
    [[nodiscard]] virtual Result<std::optional<RemoteDevice>> deviceByToken(const Bytes& deviceTokenHash,
                                                                            std::int64_t linkedAfter) = 0;
    // The phones linked to `person` after `linkedAfter` and not unlinked, newest first.
    [[nodiscard]] virtual Result<std::vector<LinkedPhone>> phonesOf(PersonId person, std::int64_t linkedAfter) = 0;
    // Unlinks `person`'s phone `device`; false when they have no such linked phone.
    [[nodiscard]] virtual Result<bool> unlinkPhone(PersonId person, std::int64_t device, std::int64_t nowMs) = 0;
    // Stores a qr_remote check-in with where it came from, unless the person
    // already checked in to the window; false then. Atomic, so two scans at
    // once store one check-in.
    [[nodiscard]] virtual Result<bool> addRemoteCheckIn(const RemoteCheckIn& checkIn) = 0;
    // Phones and networks that checked in more than one person to a window.
    [[nodiscard]] virtual Result<std::vector<RemoteReview>> remoteReviews(std::string_view window) = 0;
    // For each window of the course with remote check-ins to review, how many
    // people they are (one person can be in a phone's group and a network's).
    [[nodiscard]] virtual Result<std::map<std::string, std::size_t>> remoteReviewCounts(std::string_view course) = 0;
};

} // namespace imhere::server
