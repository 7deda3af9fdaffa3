#pragma once
// The Store over one SQLite file (DESIGN §9): STRICT tables, WAL,
// synchronous=FULL so an acknowledged event survives power loss, and
// BEGIN IMMEDIATE for every write.
//
// Thread rules: one connection guarded by one (recursive) mutex; any thread
// may call any method, and calls are serialised. Writes are serialised by
// SQLite anyway; keeping reads on the same connection keeps the store simple,
// and the figures in docs/PERFORMANCE.md show it is not the bottleneck.

#include "store.h"

#include "core/clock.h"
#include "core/database.h"

#include <mutex>
#include <utility>
#include <unordered_map>

namespace imhere::server {

class SqliteStore final : public Store {
public:
    // Opens or creates the file, migrates it, and makes the org badge key on
    // first use.
    [[nodiscard]] static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, const Clock& clock);

    Result<void> inTransaction(const std::function<Result<void>()>& work) override;
    Result<Bytes> badgeKey() override;

    Result<Person> createPerson(const NewPerson& person) override;
    Result<std::optional<Person>> personById(PersonId id) override;
    Result<std::optional<Person>> personByPublicId(std::string_view publicId) override;
    Result<std::optional<Person>> personByEmail(std::string_view email) override;
    Result<std::vector<Person>> listPeople() override;
    Result<void> setPasswordHash(PersonId id, const std::string& hash) override;
    Result<void> setPinHash(PersonId id, const std::string& hash) override;
    Result<void> addBadge(PersonId id, const std::string& uidHash) override;
    Result<std::size_t> badgeCount(PersonId id) override;

    Result<Course> createCourse(const NewCourse& course, PersonId creator) override;
    Result<std::optional<Course>> course(std::string_view id) override;
    Result<std::vector<CourseWithRole>> listCourses(std::optional<PersonId> person) override;
    Result<void> removeCourse(std::string_view id, PersonId actor) override;
    Result<std::optional<Role>> roleIn(PersonId person, std::string_view course) override;
    Result<void> setEnrollment(PersonId person, std::string_view course, Role role, PersonId actor) override;
    Result<bool> removeEnrollment(PersonId person, std::string_view course, PersonId actor) override;
    Result<std::vector<Member>> roster(std::string_view course) override;

    Result<Window> createWindow(const NewWindow& window) override;
    Result<std::optional<Window>> window(std::string_view id) override;
    Result<std::vector<Window>> windowsOf(std::string_view course) override;
    Result<Window> openWindow(std::string_view id, std::int64_t at, PersonId actor) override;
    Result<Window> closeWindow(std::string_view id, std::int64_t at, PersonId actor) override;

    Result<bool> addCheckIn(const CheckInEvent& event) override;
    Result<bool> addCorrection(const CorrectionEvent& event) override;
    Result<bool> addFlag(const FlagEvent& event) override;
    Result<bool> hasCheckIn(PersonId person, std::string_view window) override;

    Result<std::vector<AttendanceRecord>> windowRecords(std::string_view window) override;
    Result<std::vector<AttendanceRecord>> personRecords(std::string_view course, PersonId person) override;
    Result<std::vector<AttendanceRecord>> courseRecords(std::string_view course) override;
    Result<AttendanceRecord> record(std::string_view window, PersonId person) override;

    Result<void> createSession(const Bytes& tokenHash, const Session& session) override;
    Result<std::optional<Session>> session(const Bytes& tokenHash, std::int64_t nowMs) override;
    Result<void> deleteSession(const Bytes& tokenHash) override;
    Result<std::int64_t> createApiKey(PersonId person, const std::string& prefix, const Bytes& hash,
                                      ApiScope scope) override;
    Result<std::optional<ApiKey>> apiKeyByPrefix(std::string_view prefix) override;
    Result<Kiosk> createKiosk(const NewKiosk& kiosk) override;
    Result<std::optional<Kiosk>> kioskByPrefix(std::string_view prefix) override;

    Result<sync::SyncResponse> sync(const Kiosk& kiosk, const sync::SyncRequest& request,
                                    std::int64_t nowMs) override;

    Result<void> backupTo(const std::string& path) override;

private:
    // A cached prepared statement, reset (and its read snapshot released)
    // when the lease ends.
    class Lease {
    public:
        explicit Lease(Statement& s) : m_s(&s) {}
        Lease(Lease&& o) noexcept : m_s(std::exchange(o.m_s, nullptr)) {}
        Lease& operator=(Lease&&) = delete;
        ~Lease()
        {
            if (m_s)
                m_s->reset();
        }
        Statement* operator->() { return m_s; }
        Statement& operator*() { return *m_s; }

    private:
        Statement* m_s;
    };

    SqliteStore(Database db, const Clock& clock) : m_db(std::move(db)), m_clock(clock) {}

    Result<Lease> query(std::string_view sql);
    Result<void> write(const std::function<Result<void>()>& work);
    // `origin` is the kiosk a change came from, so its own pull can skip it.
    Result<void> logChange(std::string_view kind, std::string_view ref, std::optional<std::string_view> course,
                           std::optional<std::uint32_t> origin = std::nullopt);
    // addCheckIn inside a write, for a caller that already knows the window's course.
    Result<bool> insertCheckIn(const CheckInEvent& event, std::optional<std::string_view> course);
    Result<std::optional<Person>> personWhere(std::string_view column, const std::function<void(Statement&)>& bind);
    Result<std::optional<Window>> windowUnlocked(std::string_view id);
    // The course of a window, or nullopt when there is no such window.
    Result<std::optional<std::string>> courseOfWindow(std::string_view id);
    Result<std::vector<AttendanceRecord>> records(std::string_view course, std::optional<std::string_view> window,
                                                  std::optional<PersonId> person);
    // Sync halves (sqlitestoresync.cpp).
    Result<sync::Ack> applyEvent(const Kiosk& kiosk, const sync::Event& event, std::int64_t nowMs);
    Result<std::optional<std::string>> rejectionFor(const Kiosk& kiosk, const sync::Event& event,
                                                    std::int64_t nowMs);
    Result<void> storeEvent(const Kiosk& kiosk, const sync::Event& event);
    Result<void> pullChanges(const Kiosk& kiosk, std::int64_t cursor, sync::SyncResponse& response);
    // Lookups memoised for one sync batch: people and roles do not change
    // inside a batch, and the same few dozen people recur in hundreds of events.
    Result<std::optional<Person>> batchPerson(std::string_view publicId);
    Result<std::optional<Role>> batchRole(PersonId person, std::string_view course);
    // Windows are memoised too, but a window event in the batch forgets its window.
    Result<std::optional<Window>> batchWindow(std::string_view id);
    // One query each for every person, enrollment and window a batch names,
    // and for the first outcome of every event id in it (sqlitestorebatch.cpp).
    Result<void> loadBatch(const Kiosk& kiosk, const sync::SyncRequest& request);
    Result<std::unordered_map<std::string, sync::Ack>> priorOutcomes(const sync::SyncRequest& request);

    std::recursive_mutex m_mutex;
    Database m_db;
    const Clock& m_clock;
    std::unordered_map<std::string, Statement> m_statements;
    int m_transactionDepth = 0;
    std::unordered_map<std::string, std::optional<Person>> m_batchPeople;
    std::unordered_map<std::string, std::optional<Role>> m_batchRoles;
    std::unordered_map<std::string, std::optional<Window>> m_batchWindows;
};

} // namespace imhere::server
