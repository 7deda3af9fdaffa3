#pragma once
// The server's domain values (DESIGN §3) as the Store hands them out.

#include "core/punctuality.h"
#include "core/syncprotocol.h"

#include <cstdint>
#include <map>
#include <utility>
#include <optional>
#include <string>
#include <vector>

namespace imhere::server {

using sync::CheckInSource;
using sync::Flag;
using sync::Role;

using PersonId = std::int64_t; // internal; the outside world sees public_id

struct Person {
    PersonId id = 0;
    std::string publicId;
    std::string displayName;
    std::optional<std::string> email;
    std::optional<std::string> github;
    std::optional<std::string> codewars;
    std::optional<std::string> pinHash;
    std::optional<std::string> passwordHash;
    bool isAdmin = false;
    bool isLead = false; // reads the overview across courses (service/reportviews.h)
};

struct NewPerson {
    std::string displayName;
    std::optional<std::string> email;
    std::optional<std::string> github;
    std::optional<std::string> codewars;
    std::optional<std::string> passwordHash;
    std::optional<std::string> pinHash;
    bool isAdmin = false;
};

struct Course {
    std::string id; // UUID
    std::string name;
    std::string timezone;
    int lateAfterMin = 10;
    int absentAfterMin = 60;
    bool removed = false;
    // A window ends this long after its start unless it says otherwise, and
    // the server closes it this long after its end (service/windowrules.h).
    int windowLengthMin = imhere::limits::k_defaultWindowLengthMin;
    int closeGraceMin = imhere::limits::k_defaultCloseGraceMin;
    // Pastoral alerts (service/reports.h): attendance below this percentage,
    // and this many absences in a row (0: no run alert).
    int alertBelowPercent = 70;
    int alertAbsentRun = 2;
};

struct NewCourse {
    std::string name;
    std::string timezone;
    int lateAfterMin = 10;
    int absentAfterMin = 60;
    std::vector<PersonId> students; // enrolled together with the course
    int windowLengthMin = imhere::limits::k_defaultWindowLengthMin;
    int closeGraceMin = imhere::limits::k_defaultCloseGraceMin;
};

struct CourseWithRole {
    Course course;
    std::optional<Role> role; // none for an admin who is not enrolled
};

struct Member {
    std::string publicId;
    std::string displayName;
    Role role = Role::Student;
};

// A stretch of time a person was in a course, whatever their role in it:
// from joining until leaving (none: still in it).
struct EnrolmentSpan {
    std::int64_t joined = 0;
    std::optional<std::int64_t> left;
};

struct Window {
    std::string id; // UUID
    std::string course;
    std::string title;
    std::optional<std::int64_t> scheduledStart;
    std::optional<std::int64_t> openedAt;
    std::optional<std::int64_t> closedAt;
    std::optional<std::string> openedBy; // public id
    // Set when the window was opened or scheduled with an end; otherwise its
    // start plus the course's window length (service/windowrules.h).
    std::optional<std::int64_t> scheduledEnd;
    // Lateness is measured from the scheduled start, or from the opening of
    // an ad hoc window.
    [[nodiscard]] std::optional<std::int64_t> startMs() const { return scheduledStart ? scheduledStart : openedAt; }
};

struct NewWindow {
    std::string id; // UUID made by whoever opened it
    std::string course;
    std::string title;
    std::optional<std::int64_t> scheduledStart;
    std::optional<std::int64_t> openAt; // open at once when set
    std::optional<PersonId> actor;
    std::optional<std::int64_t> closeAt; // with openAt: a past class, made closed
    std::optional<std::int64_t> scheduledEnd;
};

// Events are append-only; `kiosk` is set when the event came through sync.
struct CheckInEvent {
    std::string id;
    PersonId person = 0;
    std::string window;
    std::int64_t at = 0;
    CheckInSource source = CheckInSource::Manual;
    PersonId actor = 0;
    std::optional<std::uint32_t> kiosk;
};

// What became of one check-in of a group (Store::commitCheckIns): stored, or
// refused for a reason decided inside the group's transaction.
enum class CheckInOutcome {
    Stored,
    AlreadyCheckedIn, // the person has a check-in for the window (perhaps from earlier in the group)
    WindowNotOpen,    // not yet opened, or closed before the check-in's time
    NotParticipant,   // not a student or TA of the window's course
    UnknownWindow,
};

struct CorrectionEvent {
    std::string id;
    PersonId person = 0;
    std::string window;
    bool present = true;
    std::string reason;
    std::optional<std::string> base;
    PersonId actor = 0;
    std::int64_t at = 0;
    std::optional<std::uint32_t> kiosk;
    bool excused = false; // not present, and excused (never with present)
};

struct FlagEvent {
    std::string id;
    PersonId person = 0;
    std::string window;
    Flag flag = Flag::LeftEarly;
    bool set = true;
    std::string note;
    PersonId actor = 0;
    std::int64_t at = 0;
    std::optional<std::uint32_t> kiosk;
};

// The attendance record of one person for one window, folded from events.
struct AttendanceRecord {
    std::string person; // public id
    std::string displayName;
    Role role = Role::Student;
    std::string window;
    std::string windowTitle;
    std::optional<std::int64_t> windowStart;
    bool present = false;
    // Unset while the window is open and the person has not checked in;
    // Excused when the last correction excused them.
    std::optional<AttendanceStatus> status;
    std::optional<std::int64_t> firstCheckIn;
    int minutesLate = 0;
    std::optional<CheckInSource> source;
    bool remote = false;
    bool corrected = false;
    bool needsReview = false; // two corrections on one base
    std::vector<Flag> flags;
    std::optional<std::string> lastEvent; // the `base` for the next correction
};

enum class ApiScope { Read, Write };

struct Session {
    PersonId person = 0;
    std::string csrfToken;
    std::int64_t expiresAt = 0;
    std::int64_t lastUsedAt = 0; // for the idle timeout; 0 when made: now
};

// A single-use link to set one's password (migration 9).
enum class AccountLinkPurpose { Invitation, Reset };

struct AccountLink {
    PersonId person = 0;
    AccountLinkPurpose purpose = AccountLinkPurpose::Reset;
    std::int64_t expiresAt = 0;
};

// A message for the outbox; the sender adds the envelope and headers.
struct NewMail {
    std::string recipient; // one address
    std::string subject;
    std::string body; // plain text
};

struct QueuedMail {
    std::int64_t id = 0;
    NewMail mail;
    int attempts = 0; // made before this one
};

// Where the outbox stands, for the operations pages and tests.
struct OutboxCounts {
    std::int64_t waiting = 0; // not sent yet, still being tried
    std::int64_t sent = 0;
    std::int64_t givenUp = 0;
};

// A Slack post waiting in the outbox (migration 13): the summary of a window
// that closed, for the course's webhook as it is when the post is claimed.
struct QueuedSlackPost {
    std::int64_t id = 0;
    std::string course;
    std::string window;
    std::optional<std::string> webhook; // nullopt: the course has none now
    int attempts = 0;                   // made before this one
};

// A course's Slack posts, for its staff: how many went out, how many wait,
// and the latest one still waiting or given up, with why.
struct SlackPostProblem {
    std::string window;
    int attempts = 0;
    std::optional<int> lastStatus; // Slack's HTTP status, none when it never answered
    std::string lastError;
    std::optional<std::int64_t> nextAttemptAt; // nullopt: given up
    std::int64_t at = 0;                       // when it last failed
};
struct SlackOutboxState {
    std::int64_t delivered = 0;
    std::int64_t waiting = 0;
    std::int64_t givenUp = 0;
    std::optional<std::int64_t> lastDeliveredAt;
    std::optional<SlackPostProblem> problem;
};

struct ApiKey {
    std::int64_t id = 0;
    PersonId person = 0;
    std::vector<std::uint8_t> hash;
    ApiScope scope = ApiScope::Read;
    std::string prefix; // the key's first characters, shown to recognise it
    std::string name;
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> expiresAt; // none: a key made before keys expired
    std::optional<std::int64_t> lastUsedAt; // to within k_apiKeyUseResolutionMs
    std::optional<std::int64_t> revokedAt;
    std::string ownerPublicId;
    std::string ownerName;
};

// What a new API key is called and until when it works.
struct ApiKeyTerms {
    std::string name;
    std::optional<std::int64_t> expiresAt;
};

struct Kiosk {
    std::uint32_t id = 0;
    std::string name;
    std::vector<std::uint8_t> tokenHash;
    std::vector<std::uint8_t> secret; // K, 32 bytes
    bool revoked = false;
    std::vector<std::string> courses;
};

struct NewKiosk {
    std::string name;
    std::string tokenPrefix;
    std::vector<std::uint8_t> tokenHash;
    std::vector<std::uint8_t> secret;
    std::vector<std::string> courses;
    std::optional<PersonId> createdBy; // nullopt: from the command line
};

// A kiosk as the admin pages list it: no token hash, no key.
struct KioskInfo {
    std::uint32_t id = 0;
    std::string name;
    std::vector<std::string> courses; // course ids, live or removed
    std::int64_t createdAt = 0;
    bool revoked = false;
    std::optional<std::int64_t> revokedAt;
    std::optional<std::int64_t> lastSyncAt; // to within a minute (service/kiosks.h)
    // The kiosk's clock minus the server's at that sync, to within a second.
    std::optional<std::int64_t> clockSkewMs;
};

// One row of the enrollment table, for org-wide views.
struct Enrollment {
    PersonId person = 0;
    std::string course;
    Role role = Role::Student;
};

// A phone linked to one person for remote check-in (DESIGN §4): for one
// course when the link code came from that course's team, else for every
// course the person takes part in.
struct RemoteDevice {
    std::int64_t id = 0;
    PersonId person = 0;
    std::optional<std::string> course;
    std::int64_t linkedAt = 0;
};

// A linked phone as its person sees it.
struct LinkedPhone {
    RemoteDevice device;
    std::optional<std::string> courseName;
    std::optional<std::int64_t> lastCheckInAt;
};

struct RemoteCheckIn {
    CheckInEvent event;            // source qr_remote, no kiosk
    std::int64_t device = 0;
    std::string addressHash;       // keyed hash of the client address, never the address
    std::uint32_t scannedKiosk = 0; // whose screen showed the code
};

// Several people checked in to one window from one phone or one network.
struct RemoteReview {
    enum class Source { Device, Address } source = Source::Address;
    std::vector<std::string> people; // display names, in check-in order
    std::int64_t firstAt = 0;
    std::int64_t lastAt = 0;
};

// The append-only events of one (person, window), in the order stored, for
// the fold (service/attendancefold.h).
struct CheckInFact {
    std::string id;
    std::int64_t at = 0;
    CheckInSource source = CheckInSource::Nfc;
};

struct CorrectionFact {
    std::string id;
    std::int64_t at = 0;
    bool present = true;
    std::optional<std::string> base;
    bool excused = false;
};

struct FlagFact {
    std::string id;
    std::int64_t at = 0;
    Flag flag = Flag::LeftEarly;
    bool set = true;
};

struct RecordEvents {
    std::vector<CheckInFact> checkIns;
    std::vector<CorrectionFact> corrections;
    std::vector<FlagFact> flags;
};

// What the records of a course (or one window, or one person) are folded
// from: the course, its windows, everyone enrolled with their role, and the
// events keyed by (person public id, window id).
struct RecordInputs {
    Course course;
    std::vector<Window> windows;
    std::vector<Member> members; // ordered by display name
    std::map<std::pair<std::string, std::string>, RecordEvents> events;
    // When each member was in the course (enrollment_history), by public id,
    // oldest first; a member without any is taken as always enrolled.
    std::map<std::string, std::vector<EnrolmentSpan>> enrolment;
};

// One correction or flag change of a person's record, as the history on
// their record shows it (service/reportviews.h).
struct HistoryEvent {
    enum class Kind { Correction, Flag } kind = Kind::Correction;
    std::string id;
    std::string window;
    std::int64_t at = 0;
    std::string actorName;
    std::string text; // the correction's reason or the flag's note
    bool present = false; // a correction's
    bool excused = false;
    Flag flag = Flag::LeftEarly; // a flag change's
    bool set = true;
    bool fromKiosk = false;
};

// A volunteer's note that an alert (service/reports.h) was followed up.
struct AlertFollowUp {
    std::string person; // public id
    std::string kind;   // low_attendance, absent_run
    std::string since;  // YYYY-MM-DD: the alert's first day
    std::string note;
    std::string actorName;
    std::int64_t at = 0;
};

// How the school's trainee tracker names a course in its register sheets
// (docs/INTEROP.md): its course and module names, and the day of the
// module's first sprint, from which a window's sprint is its week.
struct TrackerIdentity {
    std::string course;
    std::string module;
    std::optional<std::string> firstSprintDay; // YYYY-MM-DD in the course's time zone
};

// Someone enrolled in a course as the tracker's register knows them.
struct TrackerPerson {
    PersonId id = 0;
    std::string publicId;
    std::string displayName;
    std::optional<std::string> email;
    std::optional<std::string> region;
    Role role = Role::Student;
};

// One register import: who ran it, a digest of the file, and which
// check-ins it stored from which line.
struct RegisterImportRecord {
    std::string course;
    std::optional<PersonId> actor; // nullopt: from the command line
    std::int64_t at = 0;
    int rows = 0;
    std::string sha256;
    std::vector<std::pair<std::string, int>> checkIns; // (check-in id, line)
};

} // namespace imhere::server
