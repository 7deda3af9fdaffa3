#pragma once
// The kiosk ⇄ server sync protocol (DESIGN §5) as plain types, with a strict
// JSON codec: every field type-checked, lengths and counts bounded, unknown
// event types rejected per event with a reason.
//
// Wire identifiers: events, windows and courses are canonical lowercase UUIDs
// (event ids UUIDv4); people are their 10-character public ids; timestamps are
// UTC milliseconds.

#include "result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace imhere::sync {

inline constexpr int k_protocolVersion = 1;

enum class CheckInSource { Nfc, Wedge, QrBadge, QrRemote, Manual };
enum class Flag { LeftEarly, CameraOff, LowParticipation, Absent };
enum class Role { Student, Ta, Teacher };
enum class AckStatus { Stored, Duplicate, Rejected };

[[nodiscard]] std::string_view toString(CheckInSource v);
[[nodiscard]] std::string_view toString(Flag v);
[[nodiscard]] std::string_view toString(Role v);
[[nodiscard]] std::string_view toString(AckStatus v);
[[nodiscard]] std::optional<CheckInSource> checkInSourceFromString(std::string_view s);
[[nodiscard]] std::optional<Flag> flagFromString(std::string_view s);
[[nodiscard]] std::optional<Role> roleFromString(std::string_view s);

// ---- events (kiosk → server) ------------------------------------------------

struct CheckIn {
    std::string person;
    std::string window;
    CheckInSource source = CheckInSource::Nfc;
    friend bool operator==(const CheckIn&, const CheckIn&) = default;
};

// Toggles presence for (person, window). `base` is the id of the last event
// the actor saw for that record; two corrections on one base are a conflict.
struct Correction {
    std::string person;
    std::string window;
    bool present = true;
    std::string reason;
    std::optional<std::string> base;
    friend bool operator==(const Correction&, const Correction&) = default;
};

struct FlagChange {
    std::string person;
    std::string window;
    Flag flag = Flag::LeftEarly;
    bool set = true;
    std::string note;
    friend bool operator==(const FlagChange&, const FlagChange&) = default;
};

struct WindowOpen {
    std::string window; // made by the kiosk, so check-ins can refer to it offline
    std::string course;
    std::string title;
    std::optional<std::int64_t> scheduledStart;
    friend bool operator==(const WindowOpen&, const WindowOpen&) = default;
};

struct WindowClose {
    std::string window;
    friend bool operator==(const WindowClose&, const WindowClose&) = default;
};

struct BadgeEnroll {
    std::string person;
    std::string uidHash; // 64 lowercase hex: HMAC-SHA256(org badge key, raw UID)
    friend bool operator==(const BadgeEnroll&, const BadgeEnroll&) = default;
};

// A mentor at the kiosk confirms a remote (qr_remote) check-in.
struct RemoteConfirm {
    std::string person;
    std::string window;
    std::string checkIn; // id of the qr_remote check-in event
    friend bool operator==(const RemoteConfirm&, const RemoteConfirm&) = default;
};

using EventBody = std::variant<CheckIn, Correction, FlagChange, WindowOpen, WindowClose, BadgeEnroll, RemoteConfirm>;

[[nodiscard]] std::string_view eventTypeName(const EventBody& body);

struct Event {
    std::string id;     // UUIDv4 made where the event happened
    std::int64_t at = 0; // UTC ms on server-corrected kiosk time
    std::string actor;  // public id of who did it (the person themself for a tap)
    EventBody body;
    friend bool operator==(const Event&, const Event&) = default;
};

// One event the decoder could not accept; the server acks it as rejected.
struct EventRejection {
    std::string id; // empty when the id itself was unreadable
    std::string reason;
    friend bool operator==(const EventRejection&, const EventRejection&) = default;
};

using DecodedEvent = std::variant<Event, EventRejection>;

struct SyncRequest {
    int protocol = k_protocolVersion;
    std::int64_t kioskTimeMs = 0;
    std::int64_t cursor = 0; // 0: from the beginning
    std::vector<DecodedEvent> events;
    // Events waiting in the kiosk's outbox when it sent this request, these
    // included; optional (kiosks before it was added do not send it).
    std::optional<std::int64_t> outbox;
    friend bool operator==(const SyncRequest&, const SyncRequest&) = default;
};

// ---- changes and acks (server → kiosk) --------------------------------------

struct Ack {
    std::string id;
    AckStatus status = AckStatus::Stored;
    std::string reason; // set when rejected
    friend bool operator==(const Ack&, const Ack&) = default;
};

struct PersonChange {
    std::string publicId;
    std::string displayName;
    std::optional<std::string> pinHash; // argon2id string; teachers and TAs only
    bool removed = false;
    friend bool operator==(const PersonChange&, const PersonChange&) = default;
};

struct BadgeChange {
    std::string uidHash;
    std::string person;
    bool revoked = false;
    friend bool operator==(const BadgeChange&, const BadgeChange&) = default;
};

struct CourseChange {
    std::string id;
    std::string name;
    std::string timezone;
    int lateAfterMin = 10;
    int absentAfterMin = 60;
    bool removed = false;
    friend bool operator==(const CourseChange&, const CourseChange&) = default;
};

struct WindowChange {
    std::string id;
    std::string course;
    std::string title;
    std::optional<std::int64_t> scheduledStart;
    std::optional<std::int64_t> openedAt;
    std::optional<std::int64_t> closedAt;
    friend bool operator==(const WindowChange&, const WindowChange&) = default;
};

struct EnrollmentChange {
    std::string person;
    std::string course;
    Role role = Role::Student;
    bool removed = false;
    friend bool operator==(const EnrollmentChange&, const EnrollmentChange&) = default;
};

// Check-ins made elsewhere (a phone, the dashboard, another kiosk) that the
// kiosk shows: remote ones wait there for a mentor's confirmation.
struct CheckInChange {
    std::string id;
    std::string person;
    std::string window;
    std::int64_t at = 0;
    CheckInSource source = CheckInSource::QrRemote;
    bool confirmed = false;
    friend bool operator==(const CheckInChange&, const CheckInChange&) = default;
};

struct Changes {
    std::vector<PersonChange> people;
    std::vector<BadgeChange> badges;
    std::vector<CourseChange> courses;
    std::vector<WindowChange> windows;
    std::vector<EnrollmentChange> enrollments;
    std::vector<CheckInChange> checkIns;
    friend bool operator==(const Changes&, const Changes&) = default;
};

// Sent on the first sync (cursor 0): who the kiosk is, its rotating-code key,
// and the organisation's badge key so taps can be hashed offline.
struct KioskIdentity {
    std::uint32_t id = 0;
    std::string name;
    std::string secret;   // base64url of the 32-byte rotating-code key K
    std::string badgeKey; // base64url of the 32-byte org badge key (uid_hash = HMAC(badgeKey, raw UID))
    friend bool operator==(const KioskIdentity&, const KioskIdentity&) = default;
};

struct SyncResponse {
    int protocol = k_protocolVersion;
    std::int64_t serverTimeMs = 0;
    std::vector<Ack> acks;
    Changes changes;
    std::int64_t cursor = 0;
    bool more = false; // more changes wait behind this cursor
    std::optional<KioskIdentity> kiosk;
    friend bool operator==(const SyncResponse&, const SyncResponse&) = default;
};

// ---- codec ------------------------------------------------------------------

[[nodiscard]] std::string encode(const SyncRequest& request);
[[nodiscard]] std::string encode(const SyncResponse& response);
[[nodiscard]] std::string encodeEvent(const Event& event);

// Request-level problems (not JSON, too big, too deep, wrong shape) fail the
// whole decode with code "malformed_json" or "invalid_request"; a bad event
// becomes an EventRejection and the rest still decode.
[[nodiscard]] Result<SyncRequest> decodeRequest(std::string_view json);
[[nodiscard]] Result<SyncResponse> decodeResponse(std::string_view json);
// One event as stored in a kiosk's outbox.
[[nodiscard]] Result<Event> decodeEvent(std::string_view json);

} // namespace imhere::sync
