#pragma once
// A school for the domain rules (sync-server/service), on a real store
// (a fresh SQLite file, or a fresh PostgreSQL database when
// IMHERE_TEST_STORE=postgresql: tests/server/store/storeundertest.h), with a
// clock the test moves and no HTTP. Every store call the service tests make for set-up or to look at
// what was stored goes through here, so a change to the Store's interface
// is adapted in this one file.
//
// The school: an org admin; course A with its teacher, a TA and two
// students; course B with its own teacher and one student; an outsider in
// no course; a kiosk that serves course A only; and in course A a window
// open now, one closed a week ago and one scheduled for later but not
// opened (course B has one open window). Everyone joined their course a
// month before k_start.

#include "tests/support/qtestsupport.h"
#include "sync-server/service/services.h"
#include "sync-server/store/store.h"

#include "core/clock.h"
#include "core/syncprotocol.h"

#include "tests/support/tempdir.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace imhere::test {

class ServiceFixture {
public:
    // 2025-10-09 09:20 UTC: a weekday morning, class in progress.
    static constexpr std::int64_t k_start = 1'760'001'600'000;
    static constexpr std::int64_t k_minute = 60'000;
    static constexpr std::int64_t k_day = 24 * 60 * k_minute;

    ServiceFixture();
    ~ServiceFixture();
    ServiceFixture(const ServiceFixture&) = delete;
    ServiceFixture& operator=(const ServiceFixture&) = delete;

    ManualClock clock{k_start};
    TempDir dir{"imhere-service-test"};
    std::unique_ptr<server::Store> store;
    std::unique_ptr<server::Services> services; // after the store: destroyed first

    // The server stops and starts again on the same database.
    void restart();

    server::Person admin, teacher, ta, studentA, studentA2, studentB, teacherB, outsider;
    server::Course courseA, courseB;
    // Course A: opened 2 minutes ago (scheduled 1 minute ago), still open;
    // opened and closed a week ago; scheduled in an hour, not opened.
    server::Window openA, closedA, scheduledA;
    server::Window openB;
    server::Kiosk kiosk; // serves course A

    // The person as a signed-in caller (a session; nothing is stored).
    [[nodiscard]] static server::Caller as(const server::Person& person);
    // The person as an API key caller.
    [[nodiscard]] static server::Caller asApiKey(const server::Person& person);

    // ---- set-up ----
    server::Person addPerson(const std::string& name, std::optional<std::string> email = std::nullopt,
                             std::optional<std::string> password = std::nullopt);
    // An active card badge with this uid hash (64 hex characters).
    void addBadge(const server::Person& person, const std::string& uidHash);
    server::Window addWindow(const server::Course& course, const std::string& title, std::int64_t openedAt,
                             std::optional<std::int64_t> closedAt = std::nullopt);
    server::Course addCourse(const std::string& name, const server::Person& teacher);
    void enrol(const server::Person& person, const server::Course& course, sync::Role role);
    // A check-in of the person in the window at `at`, from a badge.
    void addCheckIn(const server::Person& person, const server::Window& window, std::int64_t at);

    // ---- what was stored ----
    [[nodiscard]] server::Window window(const std::string& id);
    [[nodiscard]] std::optional<server::Course> course(const std::string& id);
    [[nodiscard]] std::optional<server::Person> person(const std::string& publicId);
    [[nodiscard]] std::optional<sync::Role> roleIn(const server::Person& person, const server::Course& course);
    [[nodiscard]] server::AttendanceRecord record(const server::Window& window, const server::Person& person);
    [[nodiscard]] bool hasCheckIn(const server::Person& person, const server::Window& window);
    [[nodiscard]] bool hasSession(const std::string& sessionToken);
    [[nodiscard]] std::optional<server::Kiosk> kioskById(std::uint32_t id);
    [[nodiscard]] server::KioskInfo kioskInfo(std::uint32_t kiosk);
    [[nodiscard]] std::optional<std::int64_t> lastSyncOf(std::uint32_t kiosk);
    [[nodiscard]] Bytes badgeKey();

    // syncRejection for one event from `from`, read inside a kiosk batch
    // transaction as syncKiosk reads it; the event is not stored.
    [[nodiscard]] Result<std::optional<std::string>> rejection(const sync::Event& event);
    [[nodiscard]] Result<std::optional<std::string>> rejection(const server::Kiosk& from, const sync::Event& event);

    // A kiosk event made now (or at `at`) by `actor`.
    [[nodiscard]] sync::Event event(const server::Person& actor, sync::EventBody body,
                                    std::optional<std::int64_t> at = std::nullopt) const;
    // A badge tap of `person` on the kiosk.
    [[nodiscard]] sync::Event tap(const server::Person& person, const server::Window& window,
                                  std::optional<std::int64_t> at = std::nullopt) const;
};

} // namespace imhere::test

// QCOMPARE prints a check-in outcome by name.
namespace QTest {
template <>
inline char* toString(const imhere::server::CheckInOutcome& outcome)
{
    switch (outcome) {
    case imhere::server::CheckInOutcome::Stored: return qstrdup("Stored");
    case imhere::server::CheckInOutcome::AlreadyCheckedIn: return qstrdup("AlreadyCheckedIn");
    case imhere::server::CheckInOutcome::WindowNotOpen: return qstrdup("WindowNotOpen");
    case imhere::server::CheckInOutcome::NotParticipant: return qstrdup("NotParticipant");
    case imhere::server::CheckInOutcome::UnknownWindow: return qstrdup("UnknownWindow");
    }
    return qstrdup("?");
}
} // namespace QTest
