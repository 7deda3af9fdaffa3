#pragma once
// Everything the server keeps, behind one interface so that SQLite and (in a
// later change) PostgreSQL are interchangeable. All SQL lives in the
// implementations. Events are append-only; attendance records are folded
// from them on read (attendancefold.h).
//
// Errors carry codes the HTTP layer maps to statuses: not_found,
// already_exists, conflict, invalid_request; anything else is internal.
//
// Thread rules: every method may be called from any thread; implementations
// serialise what must be serialised. inTransaction() runs its function as
// one atomic unit; calls made inside it join that unit.

#include "model.h"

#include "core/encoding.h"
#include "core/result.h"
#include "core/syncprotocol.h"

#include <functional>
#include <map>
#include <utility>
#include <optional>
#include <span>
#include <unordered_map>
#include <string>
#include <string_view>
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

class Store {
public:
    virtual ~Store() = default;

    [[nodiscard]] virtual Result<void> inTransaction(const std::function<Result<void>()>& work) = 0;

    // ---- organisation ----
    // The org badge key: uid_hash = HMAC-SHA256(key, raw UID). Made once.
    [[nodiscard]] virtual Result<Bytes> badgeKey() = 0;

    // ---- people ----
    [[nodiscard]] virtual Result<Person> createPerson(const NewPerson& person) = 0;
    [[nodiscard]] virtual Result<std::optional<Person>> personById(PersonId id) = 0;
    [[nodiscard]] virtual Result<std::optional<Person>> personByPublicId(std::string_view publicId) = 0;
    [[nodiscard]] virtual Result<std::optional<Person>> personByEmail(std::string_view email) = 0;
    [[nodiscard]] virtual Result<std::vector<Person>> listPeople() = 0;
    [[nodiscard]] virtual Result<void> setPasswordHash(PersonId id, const std::string& hash) = 0;
    [[nodiscard]] virtual Result<void> setPinHash(PersonId id, const std::string& hash) = 0;
    // already_exists when the hash is on another person's active badge.
    [[nodiscard]] virtual Result<void> addBadge(PersonId id, const std::string& uidHash) = 0;
    [[nodiscard]] virtual Result<std::size_t> badgeCount(PersonId id) = 0;

    // ---- courses and rosters ----
    [[nodiscard]] virtual Result<Course> createCourse(const NewCourse& course, PersonId creator) = 0;
    // Removed courses are returned with removed = true.
    [[nodiscard]] virtual Result<std::optional<Course>> course(std::string_view id) = 0;
    // All live courses (admin view), or those `person` is enrolled in.
    [[nodiscard]] virtual Result<std::vector<CourseWithRole>> listCourses(std::optional<PersonId> person) = 0;
    [[nodiscard]] virtual Result<void> removeCourse(std::string_view id, PersonId actor) = 0;
    [[nodiscard]] virtual Result<std::optional<Role>> roleIn(PersonId person, std::string_view course) = 0;
    // `actor` 0: done from the command line rather than by a person.
    [[nodiscard]] virtual Result<void> setEnrollment(PersonId person, std::string_view course, Role role,
                                                     PersonId actor) = 0;
    // false when the person was not enrolled.
    [[nodiscard]] virtual Result<bool> removeEnrollment(PersonId person, std::string_view course, PersonId actor) = 0;
    [[nodiscard]] virtual Result<std::vector<Member>> roster(std::string_view course) = 0;

    // ---- windows ----
    [[nodiscard]] virtual Result<Window> createWindow(const NewWindow& window) = 0;
    [[nodiscard]] virtual Result<std::optional<Window>> window(std::string_view id) = 0;
    [[nodiscard]] virtual Result<std::vector<Window>> windowsOf(std::string_view course) = 0;
    // Opening an open window or closing a closed one changes nothing.
    [[nodiscard]] virtual Result<Window> openWindow(std::string_view id, std::int64_t at, PersonId actor) = 0;
    [[nodiscard]] virtual Result<Window> closeWindow(std::string_view id, std::int64_t at, PersonId actor) = 0;

    // ---- events (append-only; a known id is ignored) ----
    [[nodiscard]] virtual Result<bool> addCheckIn(const CheckInEvent& event) = 0;
    [[nodiscard]] virtual Result<bool> addCorrection(const CorrectionEvent& event) = 0;
    [[nodiscard]] virtual Result<bool> addFlag(const FlagEvent& event) = 0;
    [[nodiscard]] virtual Result<bool> hasCheckIn(PersonId person, std::string_view window) = 0;
    // Single check-ins made on the server (API, web pages), several at once:
    // one transaction, one durable commit. For each event in order the store
    // reads what `decide` needs (the window, the person's role in its course,
    // whether they already checked in, counting earlier check-ins of the
    // group) and stores the event when `decide` answers Stored. A refusal
    // stores nothing and leaves the others alone; an error stores none of
    // them. Returns one outcome per event. Called by CheckInWriter.
    using CheckInRule = std::function<CheckInOutcome(const CheckInEvent&, const Window&, std::optional<Role>, bool)>;
    [[nodiscard]] virtual Result<std::vector<CheckInOutcome>> commitCheckIns(std::span<const CheckInEvent> group,
                                                                             const CheckInRule& decide) = 0;

    // ---- attendance records ----
    [[nodiscard]] virtual Result<std::vector<AttendanceRecord>> windowRecords(std::string_view window) = 0;
    [[nodiscard]] virtual Result<std::vector<AttendanceRecord>> personRecords(std::string_view course,
                                                                              PersonId person) = 0;
    [[nodiscard]] virtual Result<std::vector<AttendanceRecord>> courseRecords(std::string_view course) = 0;
    // not_found unless the person takes part (student or TA) in the window's course.
    [[nodiscard]] virtual Result<AttendanceRecord> record(std::string_view window, PersonId person) = 0;

    // ---- credentials ----
    [[nodiscard]] virtual Result<void> createSession(const Bytes& tokenHash, const Session& session) = 0;
    [[nodiscard]] virtual Result<std::optional<Session>> session(const Bytes& tokenHash, std::int64_t nowMs) = 0;
    [[nodiscard]] virtual Result<void> deleteSession(const Bytes& tokenHash) = 0;
    [[nodiscard]] virtual Result<std::int64_t> createApiKey(PersonId person, const std::string& prefix,
                                                            const Bytes& hash, ApiScope scope) = 0;
    [[nodiscard]] virtual Result<std::optional<ApiKey>> apiKeyByPrefix(std::string_view prefix) = 0;
    [[nodiscard]] virtual Result<Kiosk> createKiosk(const NewKiosk& kiosk) = 0;
    [[nodiscard]] virtual Result<std::optional<Kiosk>> kioskByPrefix(std::string_view prefix) = 0;
    [[nodiscard]] virtual Result<std::optional<Kiosk>> kioskById(std::uint32_t id) = 0;

    // ---- remote check-in from a phone (DESIGN §4) ----
    // A one-time personal code that links a phone to `person`, kept as a hash.
    [[nodiscard]] virtual Result<void> createLinkCode(const Bytes& codeHash, PersonId person, PersonId issuedBy,
                                                      std::int64_t expiresAt) = 0;
    // Spends a live link code and links the phone holding `deviceTokenHash`
    // to the code's person (a known phone is re-linked), in one transaction.
    // nullopt when the code is unknown, spent or expired.
    [[nodiscard]] virtual Result<std::optional<RemoteDevice>> linkDevice(const Bytes& codeHash,
                                                                         const Bytes& deviceTokenHash,
                                                                         std::int64_t nowMs) = 0;
    [[nodiscard]] virtual Result<std::optional<RemoteDevice>> deviceByToken(const Bytes& deviceTokenHash) = 0;
    // Stores a qr_remote check-in with where it came from, unless the person
    // already checked in to the window; false then. Atomic, so two scans at
    // once store one check-in.
    [[nodiscard]] virtual Result<bool> addRemoteCheckIn(const RemoteCheckIn& checkIn) = 0;
    // Phones and networks that checked in more than one person to a window.
    [[nodiscard]] virtual Result<std::vector<RemoteReview>> remoteReviews(std::string_view window) = 0;
    // For each window of the course with remote check-ins to review, how many
    // people they are (one person can be in a phone's group and a network's).
    [[nodiscard]] virtual Result<std::map<std::string, std::size_t>> remoteReviewCounts(std::string_view course) = 0;

    // ---- personal QR badges ----
    // Revokes the person's QR badges and adds the one with this hash; kiosks
    // learn both through sync.
    [[nodiscard]] virtual Result<void> replaceQrBadge(PersonId person, const std::string& uidHash) = 0;
    [[nodiscard]] virtual Result<void> revokeQrBadges(PersonId person) = 0;

    // ---- org admin (sqlitestoreadmin.cpp) ----
    // Every kiosk, revoked ones too, in id order.
    [[nodiscard]] virtual Result<std::vector<KioskInfo>> listKiosks() = 0;
    // Its token stops working at once. false when it was already revoked;
    // not_found for no such kiosk.
    [[nodiscard]] virtual Result<bool> revokeKiosk(std::uint32_t id, PersonId actor) = 0;
    // Records a successful sync at `at` unless one within `resolutionMs` is
    // already recorded (then nothing is written).
    [[nodiscard]] virtual Result<void> noteKioskSync(std::uint32_t id, std::int64_t at, std::int64_t resolutionMs) = 0;
    // Sets or clears the org admin flag, with who did it and when.
    [[nodiscard]] virtual Result<void> setAdmin(PersonId person, bool admin, PersonId actor) = 0;
    // Every enrollment in a live course.
    [[nodiscard]] virtual Result<std::vector<Enrollment>> listEnrollments() = 0;

    // ---- kiosk sync (DESIGN §5) ----
    // Runs `apply` over one kiosk batch inside one write transaction: the
    // sync rules (service/kiosksync.h) read and store through the batch, and
    // the check-ins it stored are logged for other kiosks' pulls at the end.
    // An error from `apply` stores nothing of the batch.
    [[nodiscard]] virtual Result<void> ingestSync(const Kiosk& kiosk, const sync::SyncRequest& request,
                                                  const std::function<Result<void>(SyncBatch&)>& apply) = 0;
    // The changes since `cursor` that the kiosk's courses need, and the new cursor.
    [[nodiscard]] virtual Result<void> pullChanges(const Kiosk& kiosk, std::int64_t cursor,
                                                   sync::SyncResponse& response) = 0;

    // ---- operations ----
    [[nodiscard]] virtual Result<void> backupTo(const std::string& path) = 0;
};

} // namespace imhere::server
