#pragma once
// The kiosk's local SQLite store (DESIGN §9): roster, badge and PIN hashes,
// windows, the kiosk's identity and credentials, the outbox of events waiting
// for the server, check-ins, the pull cursor and the clock offset.
//
// Every event the kiosk makes goes through recordEvent(), which writes the
// event's local effect and its outbox row in ONE transaction; the caller may
// give feedback only after it returns success.
//
// Thread rules: one KioskStore per thread (each is its own SQLite connection);
// the check-in thread and the sync thread each open one on the same file.

#include "core/database.h"
#include "core/encoding.h"
#include "core/punctuality.h"
#include "core/syncprotocol.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace imhere::kiosk {

struct Identity {
    std::uint32_t kioskId = 0;
    std::string name;
    Bytes secret;   // rotating-code key K
    Bytes badgeKey; // org key for uid_hash
};

struct Credentials {
    std::string serverUrl;
    std::string token;
    std::string caFile; // empty: the system's CA bundle
};

struct Person {
    std::string publicId;
    std::string displayName;
};

struct Window {
    std::string id;
    std::string course;
    std::string courseName;
    std::string title;
    std::string timezone;
    std::int64_t startMs = 0; // scheduled start, else when it was opened
    CourseTiming timing;
};

struct CheckInRecord {
    std::string id;
    std::string person;
    std::string name;
    std::string window;
    std::int64_t at = 0;
    std::string source;
    bool confirmed = true;
};

struct RosterEntry {
    std::string person;
    std::string name;
    std::string role;
    std::optional<std::int64_t> checkedInAt;
    std::string source;
    std::optional<bool> corrected; // last correction: present (true) or absent (false)
    std::string lastEventId;       // base for the next correction
    std::vector<std::string> flags;
};

struct OutboxRow {
    std::int64_t seq = 0;
    std::string id;
    std::string json;
};

struct RejectedEvent {
    std::string id;
    std::string type;
    std::string reason;
    std::int64_t at = 0;
};

class KioskStore {
public:
    [[nodiscard]] static Result<KioskStore> open(const std::string& path);

    // ---- identity and credentials (storemeta.cpp)
    [[nodiscard]] Result<std::optional<std::string>> meta(std::string_view key);
    [[nodiscard]] Result<void> setMeta(std::string_view key, std::string_view value);
    [[nodiscard]] Result<std::optional<Identity>> identity();
    [[nodiscard]] Result<std::optional<Credentials>> credentials();
    [[nodiscard]] Result<void> saveCredentials(const Credentials& credentials);
    [[nodiscard]] Result<std::int64_t> cursor();
    [[nodiscard]] Result<std::int64_t> clockOffsetMs();

    // ---- roster reads (storeroster.cpp)
    [[nodiscard]] Result<std::optional<Person>> personByBadge(std::string_view uidHash);
    [[nodiscard]] Result<std::optional<Person>> person(std::string_view publicId);
    [[nodiscard]] Result<std::optional<std::string>> pinHash(std::string_view publicId);
    // Teacher or TA in at least one course.
    [[nodiscard]] Result<bool> isStaff(std::string_view publicId);
    // "student", "ta" or "teacher"; nullopt when not enrolled in that course.
    [[nodiscard]] Result<std::optional<std::string>> roleIn(std::string_view publicId, std::string_view course);
    // Windows open at `nowMs`: opened and not closed, or scheduled to start
    // within the early-open margin and not closed; newest start first.
    [[nodiscard]] Result<std::vector<Window>> openWindows(std::int64_t nowMs);
    [[nodiscard]] Result<std::vector<Window>> openWindowsFor(std::string_view person, std::int64_t nowMs);
    [[nodiscard]] Result<std::optional<Window>> window(std::string_view id);
    [[nodiscard]] Result<std::optional<CheckInRecord>> checkInFor(std::string_view person, std::string_view window);
    [[nodiscard]] Result<std::vector<CheckInRecord>> recentCheckIns(std::string_view window, int limit);
    [[nodiscard]] Result<int> presentCount(std::string_view window);
    [[nodiscard]] Result<std::vector<CheckInRecord>> unconfirmedRemote(std::string_view window);
    [[nodiscard]] Result<std::vector<RosterEntry>> roster(std::string_view window);
    [[nodiscard]] Result<std::vector<std::pair<std::string, std::string>>> courses(); // id, name

    // ---- events and outbox (storeoutbox.cpp)
    // The event's local effect and its outbox row, in one transaction.
    [[nodiscard]] Result<void> recordEvent(const sync::Event& event);
    [[nodiscard]] Result<std::vector<OutboxRow>> outboxBatch(std::size_t limit);
    [[nodiscard]] Result<std::int64_t> outboxLength();
    [[nodiscard]] Result<std::vector<RejectedEvent>> rejectedEvents(int limit);
    // Moves an outbox row the kiosk cannot send (it does not decode) to the
    // events kept aside, so it neither is lost nor holds up the rows after it.
    [[nodiscard]] Result<void> setAside(const std::string& id, const std::string& reason, std::int64_t nowMs);

    // ---- one sync reply, applied in one transaction (storesync.cpp)
    [[nodiscard]] Result<void> applySync(const sync::SyncResponse& response, std::int64_t clockOffsetMs,
                                         std::int64_t receivedAtMs);

    [[nodiscard]] Database& database() { return m_db; }

private:
    explicit KioskStore(Database db) : m_db(std::move(db)) {}
    [[nodiscard]] Result<void> applyLocalEffect(const sync::Event& event);
    Database m_db;
};

} // namespace imhere::kiosk
