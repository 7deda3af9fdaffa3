#pragma once
// Remote check-in from a phone (DESIGN §4): the code scanned from a kiosk's
// screen, phones linked to one person with a one-time personal code, the
// qr_remote check-in itself, and personal QR badges. The /q/ pages and the
// dashboard call these; the rules live here once.
//
// Thread rules: any thread, like ApiContext.

#include "services.h"

#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

// A genuine, current code of a kiosk that serves the window's course.
struct ScannedCode {
    Kiosk kiosk;
    Window window;
    Course course;
};

// invalid_code for a malformed, forged or unknown-kiosk code; code_expired
// for a code older than the previous step plus grace (or from the future);
// window_closed when the window is not open now. The code is checked as of
// `scannedAt` when given (a time vouched for by a scan ticket), else now.
[[nodiscard]] Result<ScannedCode> readScannedCode(Services& services, std::string_view code,
                                                  std::optional<std::int64_t> scannedAt = std::nullopt);

// The time a phone scanned `code`, signed so that the "Check in" tap that
// follows within limits::k_scanTicketLifetimeMs counts from the scan, and
// bound to the phone's cookie so another site cannot post it.
[[nodiscard]] std::string scanTicket(std::string_view code, std::string_view deviceToken, std::int64_t scannedAt);
// The scan time, or code_expired when the ticket is forged, for another code
// or phone, or too old.
[[nodiscard]] Result<std::int64_t> readScanTicket(std::string_view ticket, std::string_view code,
                                                  std::string_view deviceToken, std::int64_t nowMs);

// A phone link code: 10 characters from an alphabet without look-alikes,
// shown as "ABCDE-FGHJK". Typed input is normalised (case, spaces, dashes).
struct LinkCode {
    std::string code;
    Person person;
    std::int64_t expiresAt = 0;
};
// Anyone signed in may get a code for themself, which links a phone for
// every course they take part in; a course's teachers and TAs and org
// admins for a participant of that course, which links the phone for that
// course only.
[[nodiscard]] Result<LinkCode> issueLinkCode(Services& services, const Caller& caller,
                                             std::optional<std::string_view> personPublicId,
                                             std::optional<std::string_view> course);

// The person a phone is linked to, from its cookie token; none for a token
// the server did not issue, a phone unlinked, or a link older than
// Services::phoneLinkLifetimeMs.
[[nodiscard]] Result<std::optional<RemoteDevice>> linkedDevice(Services& services, std::string_view deviceToken);
// The person a linked phone checks in, if any.
[[nodiscard]] Result<std::optional<Person>> linkedPerson(Services& services, const std::optional<RemoteDevice>& device);
// Links the phone holding `deviceToken` with a link code. rate_limited after
// too many wrong codes from one address; invalid_request for a wrong, spent
// or expired code, or a token the server did not issue.
[[nodiscard]] Result<RemoteDevice> linkPhone(Services& services, std::string_view linkCode, std::string_view deviceToken,
                                             std::string_view remoteIp);
// A new cookie token for a phone: random, with a MAC under a server key
// that shows it was issued here.
[[nodiscard]] Result<std::string> newDeviceToken(Services& services);
// Whether the server issued `deviceToken`. A value it never issued (one
// planted in a phone's cookie jar) is not adopted: the scan page replaces
// it, and nothing links a phone by it.
[[nodiscard]] Result<bool> isIssuedDeviceToken(Services& services, std::string_view deviceToken);

// The caller's linked phones (live links only), newest first.
[[nodiscard]] Result<std::vector<LinkedPhone>> linkedPhones(Services& services, const Caller& caller);
// Unlinks one of the caller's phones; not_found when it is not theirs or not linked.
[[nodiscard]] Result<void> unlinkPhone(Services& services, const Caller& caller, std::int64_t device);

// Checks in the phone's person to the scanned window, counting lateness from
// the scan. Returns the record and whether this tap stored the check-in
// (false: already checked in). not_found when the person does not take part
// in the course; forbidden when the phone is linked for another course.
struct RemoteOutcome {
    AttendanceRecord record;
    bool stored = false;
};
[[nodiscard]] Result<RemoteOutcome> remoteCheckIn(Services& services, const ScannedCode& scanned,
                                                  const RemoteDevice& device, std::int64_t scannedAt,
                                                  std::string_view remoteIp);

// 429 once an address has made too many /q/ requests; counts this one.
[[nodiscard]] Result<void> countRemoteRequest(Services& services, std::string_view remoteIp);

// A new personal QR badge for the caller, replacing their previous one; the
// token is returned once and only its hash is kept.
[[nodiscard]] Result<std::string> issueQrBadge(Services& services, const Caller& caller);
[[nodiscard]] Result<void> revokeQrBadge(Services& services, const Caller& caller);

} // namespace imhere::server
