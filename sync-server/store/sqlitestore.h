#pragma once
// The Store over one SQLite file (DESIGN §9): STRICT tables, WAL,
// synchronous=FULL so an acknowledged event survives power loss, and
// BEGIN IMMEDIATE for every write.
//
// Thread rules: any thread may call any method. Everything but
// commitCheckIns() runs on one connection guarded by one (recursive) mutex,
// so those calls are serialised; keeping reads on the write connection keeps
// the store simple. commitCheckIns() has a connection of its own, so while a
// group of check-ins waits for its fsync the other connection keeps
// answering reads, which is how the next group forms (docs/SERVER.md, "Group
// commit"). A write transaction on either connection holds m_writeMutex:
// the other writer then waits on the mutex, not in SQLite's busy handler,
// which polls in sleeps of up to 100 ms. Lock order: m_mutex, then
// m_writeMutex; the group connection never takes m_mutex.

#include "store.h"

#include "core/clock.h"
#include "core/database.h"

#include <map>
#include <mutex>
#include <set>
#include <span>
#include <utility>
#include <unordered_map>

namespace imhere::server {

// One SQLite file behind every repository: they share one connection, one
// write lock and one statement cache, so one class implements them all, each
// repository's methods in their own file (sqlitestore<repository>.cpp).
class SqliteStore final : public Store,
                          public PeopleRepository,
                          public CourseRepository,
                          public AttendanceRepository,
                          public RemoteRepository,
                          public CredentialRepository,
                          public KioskRepository,
                          public TrackerRepository,
                          public OutboxRepository,
                          public MilestoneRepository {
public:
    // Opens or creates the file, migrates it, and makes the org badge key on
    // first use.
    [[nodiscard]] static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, const Clock& clock);

    PeopleRepository& people() override { return *this; }
    CourseRepository& courses() override { return *this; }
    AttendanceRepository& attendance() override { return *this; }
    RemoteRepository& remote() override { return *this; }
    CredentialRepository& credentials() override { return *this; }
    KioskRepository& kiosks() override { return *this; }
    TrackerRepository& tracker() override { return *this; }
    OutboxRepository& outbox() override { return *this; }
    MilestoneRepository& milestones() override { return *this; }

    Result<void> inTransaction(const std::function<Result<void>()>& work) override;
    Result<Bytes> badgeKey() override;
    Result<Bytes> masterKey() override;

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
    Result<void> updateCourse(const Course& course, PersonId actor) override;
    Result<void> followUpAlert(std::string_view course, PersonId person, std::string_view kind, std::string_view since,
                               std::string_view note, PersonId actor) override;
    Result<std::vector<AlertFollowUp>> alertFollowUps(std::string_view course) override;
    Result<std::optional<Role>> roleIn(PersonId person, std::string_view course) override;
    Result<void> setEnrollment(PersonId person, std::string_view course, Role role, PersonId actor) override;
    Result<bool> removeEnrollment(PersonId person, std::string_view course, PersonId actor) override;
    Result<std::vector<Member>> roster(std::string_view course) override;

    Result<Window> createWindow(const NewWindow& window) override;
    Result<std::optional<Window>> window(std::string_view id) override;
    Result<std::vector<Window>> windowsOf(std::string_view course) override;
    Result<std::vector<Window>> windowsBetween(std::string_view course, std::int64_t fromMs, std::int64_t toMs) override;
    Result<std::vector<Window>> openWindows() override;
    Result<Window> openWindow(std::string_view id, std::int64_t at, PersonId actor) override;
    Result<Window> closeWindow(std::string_view id, std::int64_t at, PersonId actor) override;
    Result<Window> reopenWindow(std::string_view id, std::int64_t at, std::int64_t until, PersonId actor) override;

    Result<bool> addCheckIn(const CheckInEvent& event) override;
    Result<bool> addCorrection(const CorrectionEvent& event) override;
    Result<bool> addFlag(const FlagEvent& event) override;
    Result<bool> hasCheckIn(PersonId person, std::string_view window) override;
    Result<std::vector<CheckInOutcome>> commitCheckIns(std::span<const CheckInEvent> group,
                                                       const CheckInRule& decide) override;

    Result<std::vector<HistoryEvent>> recordHistory(std::string_view course, PersonId person) override;
    Result<RecordInputs> recordInputs(std::string_view course, std::optional<std::string_view> window,
                                      std::optional<PersonId> person) override;
    Result<RecordInputs> recordInputsBetween(std::string_view course, std::int64_t fromMs, std::int64_t toMs) override;
    Result<RecordInputs> rosterInputs(std::string_view course) override;
    Result<std::set<std::pair<std::string, std::string>>> attendedWindows(
        std::string_view course, const std::vector<std::string>& publicIds) override;

    Result<void> createSession(const Bytes& tokenHash, const Session& session) override;
    Result<std::optional<Session>> session(const Bytes& tokenHash, std::int64_t nowMs) override;
    Result<void> deleteSession(const Bytes& tokenHash) override;
    Result<std::int64_t> deleteSessionsOf(PersonId person, const std::optional<Bytes>& keep) override;
    Result<void> touchSession(const Bytes& tokenHash, std::int64_t at) override;
    Result<void> createAccountLink(const Bytes& tokenHash, PersonId person, AccountLinkPurpose purpose,
                                   std::optional<PersonId> issuedBy, std::int64_t expiresAt,
                                   const std::optional<NewMail>& mail) override;
    Result<void> createResetLinkByEmail(std::string_view email, const Bytes& tokenHash, std::int64_t expiresAt,
                                        const NewMail& mail) override;
    Result<std::optional<AccountLink>> accountLink(const Bytes& tokenHash, std::int64_t nowMs) override;
    Result<std::optional<PersonId>> useAccountLink(const Bytes& tokenHash, std::int64_t nowMs,
                                                   const std::string& passwordHash) override;

    Result<std::int64_t> queueMail(const NewMail& mail) override;
    Result<std::vector<QueuedMail>> dueMail(std::int64_t nowMs, std::size_t limit) override;
    Result<void> markMailSent(std::int64_t id, std::int64_t at) override;
    Result<void> markMailFailed(std::int64_t id, std::int64_t at, const std::string& error,
                                std::optional<std::int64_t> nextAttemptAt) override;
    Result<OutboxCounts> outboxCounts() override;
    // Slack posts: sqlitestoreslack.cpp.
    Result<std::optional<std::string>> slackWebhook(std::string_view course) override;
    Result<void> setSlackWebhook(std::string_view course, const std::optional<std::string>& url,
                                 PersonId actor) override;
    Result<std::vector<QueuedSlackPost>> claimSlackPosts(std::int64_t nowMs, std::int64_t leaseUntil,
                                                         std::size_t limit) override;
    Result<void> markSlackDelivered(std::int64_t id, std::int64_t at, int status) override;
    Result<void> markSlackFailed(std::int64_t id, std::int64_t at, std::optional<int> status, const std::string& error,
                                 std::optional<std::int64_t> nextAttemptAt) override;
    Result<void> releaseSlackClaims() override;
    Result<SlackOutboxState> slackOutboxOf(std::string_view course) override;
    // API keys: sqlitestorekeys.cpp.
    Result<std::int64_t> createApiKey(PersonId person, const std::string& prefix, const Bytes& hash, ApiScope scope,
                                      const ApiKeyTerms& terms = {}) override;
    Result<std::optional<ApiKey>> apiKeyByPrefix(std::string_view prefix) override;
    Result<std::optional<ApiKey>> anyApiKey(std::string_view prefix) override;
    Result<std::vector<ApiKey>> apiKeys(std::optional<PersonId> owner) override;
    Result<void> revokeApiKey(std::int64_t id, PersonId actor) override;
    Result<void> noteApiKeyUse(std::int64_t id, std::int64_t atMs, std::int64_t resolutionMs) override;
    Result<Kiosk> createKiosk(const NewKiosk& kiosk) override;
    Result<std::optional<Kiosk>> kioskByPrefix(std::string_view prefix) override;
    Result<std::optional<Kiosk>> kioskById(std::uint32_t id) override;

    Result<void> createLinkCode(const Bytes& codeHash, PersonId person, PersonId issuedBy, std::int64_t expiresAt,
                                const std::optional<std::string>& course) override;
    Result<std::optional<RemoteDevice>> linkDevice(const Bytes& codeHash, const Bytes& deviceTokenHash,
                                                   std::int64_t nowMs) override;
    Result<std::optional<RemoteDevice>> deviceByToken(const Bytes& deviceTokenHash, std::int64_t linkedAfter) override;
    Result<std::vector<LinkedPhone>> phonesOf(PersonId person, std::int64_t linkedAfter) override;
    Result<bool> unlinkPhone(PersonId person, std::int64_t device, std::int64_t nowMs) override;
    Result<bool> addRemoteCheckIn(const RemoteCheckIn& checkIn) override;
    Result<std::vector<RemoteReview>> remoteReviews(std::string_view window) override;
    Result<std::map<std::string, std::size_t>> remoteReviewCounts(std::string_view course) override;
    Result<void> replaceQrBadge(PersonId person, const std::string& uidHash) override;
    Result<void> revokeQrBadges(PersonId person) override;

    Result<std::vector<KioskInfo>> listKiosks() override;
    Result<bool> revokeKiosk(std::uint32_t id, PersonId actor) override;
    Result<void> noteKioskSync(std::uint32_t id, std::int64_t at, std::int64_t skewMs, std::int64_t resolutionMs,
                               std::int64_t skewResolutionMs) override;
    Result<void> setAdmin(PersonId person, bool admin, PersonId actor) override;
    Result<void> setLead(PersonId person, bool lead, PersonId actor) override;
    // The public API's privacy: sqlitestoreprivacy.cpp.
    Result<void> setPublicOptOut(PersonId person, bool optOut, std::string_view actor) override;
    Result<bool> publicOptOut(PersonId person) override;
    Result<std::vector<std::string>> publicOptOuts() override;
    Result<void> erasePerson(PersonId person, const std::string& placeholderName, std::string_view actor) override;
    Result<std::string> publicDataMark() override;
    Result<std::vector<Enrollment>> listEnrollments() override;

    Result<void> ingestSync(const Kiosk& kiosk, const sync::SyncRequest& request,
                            const std::function<Result<void>(SyncBatch&)>& apply) override;
    Result<void> pullChanges(const Kiosk& kiosk, std::int64_t cursor, const PinRule& holdsPin,
                             sync::SyncResponse& response) override;

    Result<void> checkHealth() override;
    Result<JobLease> holdLease(std::string_view job) override;

    Result<std::optional<TrackerIdentity>> trackerIdentity(std::string_view course) override;
    Result<void> setTrackerIdentity(std::string_view course, const std::optional<TrackerIdentity>& identity) override;
    Result<std::vector<TrackerPerson>> trackerPeople(std::string_view course) override;
    Result<void> setRegion(PersonId person, const std::optional<std::string>& region) override;
    Result<std::map<std::string, int>> windowSprints(std::string_view course) override;
    Result<void> setWindowSprint(std::string_view window, std::optional<int> sprint) override;
    Result<std::int64_t> recordRegisterImport(const RegisterImportRecord& record) override;
    Result<std::vector<std::string>> importedCheckIns(std::string_view course) override;

    // Milestones: sqlitestoremilestones.cpp.
    Result<Milestone> createMilestone(const Milestone& milestone) override;
    Result<Milestone> milestone(std::int64_t id) override;
    Result<void> updateMilestone(std::int64_t id, const MilestoneFields& fields) override;
    Result<void> removeMilestone(std::int64_t id, std::int64_t at) override;
    Result<std::vector<Milestone>> courseMilestones(std::string_view course) override;
    Result<std::vector<Milestone>> personalMilestones(PersonId owner) override;
    Result<void> confirmMilestone(const MilestoneConfirmation& confirmation) override;
    Result<std::vector<MilestoneConfirmation>> confirmationsOf(PersonId person) override;
    Result<void> setUsernames(PersonId person, const std::optional<std::string>& github,
                              const std::optional<std::string>& codewars) override;
    Result<bool> addSnapshot(PersonId person, const MetricSnapshot& snapshot, std::int64_t sameDayFrom) override;
    Result<std::vector<MetricSnapshot>> snapshots(PersonId person, std::string_view metric) override;
    Result<std::vector<MetricSnapshot>> latestSnapshots(PersonId person) override;
    Result<void> setHarvestError(PersonId person, std::string_view source, const std::optional<std::string>& message,
                                 std::int64_t at) override;
    Result<std::vector<HarvestError>> harvestErrors(std::optional<PersonId> person) override;
    Result<std::optional<CachedReply>> cachedReply(std::string_view url) override;
    Result<void> storeReply(std::string_view url, const CachedReply& reply, std::int64_t at) override;

private:
    Result<RecordInputs> readRecordInputs(std::string_view course, std::optional<std::string_view> window,
                                          std::optional<PersonId> person,
                                          std::optional<std::pair<std::int64_t, std::int64_t>> between,
                                          bool withEvents = true);
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

    // Keyed by SQL text, looked up by string_view without a copy.
    struct TextHash : std::hash<std::string_view> {
        using is_transparent = void;
    };
    using StatementCache = std::unordered_map<std::string, Statement, TextHash, std::equal_to<>>;

    SqliteStore(Database db, Database groupDb, const Clock& clock)
        : m_db(std::move(db)), m_clock(clock), m_groupDb(std::move(groupDb))
    {
    }
    // The device and inode of the file as opened (checkHealth()).
    std::uint64_t m_fileDevice = 0;
    std::uint64_t m_fileInode = 0;

    // A cached statement on `db`, prepared on first use.
    static Result<Lease> prepared(Database& db, StatementCache& cache, std::string_view sql);
    Result<Lease> query(std::string_view sql) { return prepared(m_db, m_statements, sql); }
    // On the check-in group connection (sqlitestorecheckins.cpp).
    Result<CheckInOutcome> commitOne(const CheckInEvent& event, const CheckInRule& decide);
    Result<void> write(const std::function<Result<void>()>& work);
    // `origin` is the kiosk a change came from, so its own pull can skip it.
    Result<void> logChange(std::string_view kind, std::string_view ref, std::optional<std::string_view> course,
                           std::optional<std::uint32_t> origin = std::nullopt);
    // A range of check_in rowids one kiosk batch stored in one course
    // (kind 'check_ins', migration 3).
    Result<void> logCheckIns(std::int64_t firstRow, std::int64_t lastRow, std::string_view course,
                             std::uint32_t origin);
    // The check_in row alone, inside a write: its rowid, or nullopt when the
    // id is already stored.
    Result<std::optional<std::int64_t>> insertCheckInRow(const CheckInEvent& event);
    // addCheckIn inside a write, for a caller that already knows the window's course.
    Result<bool> insertCheckIn(const CheckInEvent& event, std::optional<std::string_view> course);
    Result<std::optional<Person>> personWhere(std::string_view column, const std::function<void(Statement&)>& bind);
    Result<std::optional<Window>> windowUnlocked(std::string_view id);
    // Opens or closes a window once (`update` binds ?1 the time and ?2 the
    // window; `bindMore` the rest) and logs it as a `kind` window event.
    Result<Window> markWindow(std::string_view id, std::int64_t at, PersonId actor, std::string_view kind,
                              std::string_view update, const std::function<void(Statement&)>& bindMore);
    // Counts a change to milestones for the public API's ETag, inside a write.
    Result<void> bumpMilestoneMark();
    // A mail_outbox row, inside a write.
    Result<std::int64_t> insertMail(const NewMail& mail);
    // A slack_outbox row for a window that has just closed, inside the
    // close's write; nothing when its course has no webhook.
    Result<void> queueSlackPost(std::string_view window);
    Result<std::optional<Kiosk>> kioskWhere(std::string_view column, const std::function<void(Statement&)>& bind);
    // The course of a window, or nullopt when there is no such window.
    Result<std::optional<std::string>> courseOfWindow(std::string_view id);
    // The SyncBatch of one ingestSync call (sqlitestoresync.cpp).
    class Batch;
    Result<void> storeEvent(const Kiosk& kiosk, const sync::Event& event);
    // change_log rows for the check-ins the batch stored, once all its events are in.
    Result<void> logBatchCheckIns(const Kiosk& kiosk);
    // People and enrollments do not change inside a batch, and the same few
    // dozen people recur in hundreds of events.
    using BatchPerson = SyncBatch::PersonRoles;
    // Lookups memoised for one sync batch; nullptr when there is no such
    // person or window. Pointers stay valid until the next batch, except that
    // a window event in the batch forgets its window.
    Result<const BatchPerson*> batchPerson(std::string_view publicId);
    Result<const Window*> batchWindow(std::string_view id);
    // One query for every person (with their enrollments) and one for every
    // window a batch names, and one for the first outcome of every event id
    // in it (sqlitestorebatch.cpp).
    Result<void> loadBatch(const sync::SyncRequest& request);
    Result<void> loadPeople(const std::string& publicIdsJson);
    Result<void> loadWindows(const std::string& windowIdsJson);
    Result<std::unordered_map<std::string, sync::Ack>> priorOutcomes(const sync::SyncRequest& request);

    std::recursive_mutex m_mutex;
    // The background jobs this server has run (holdLease).
    std::set<std::string, std::less<>> m_leases;
    Database m_db;
    const Clock& m_clock;
    StatementCache m_statements;
    int m_transactionDepth = 0;
    // Held for every write transaction, on either connection.
    std::mutex m_writeMutex;
    // The connection commitCheckIns() writes groups of check-ins on, under
    // m_writeMutex.
    Database m_groupDb;
    StatementCache m_groupStatements;
    // Keyed by public id and window id, looked up by string_view (TextHash).
    template <class T>
    using TextMap = std::unordered_map<std::string, std::optional<T>, TextHash, std::equal_to<>>;
    TextMap<BatchPerson> m_batchPeople;
    TextMap<Window> m_batchWindows;
    // check_in rowids the batch stored, by course, in insertion order.
    std::map<std::string, std::vector<std::int64_t>, std::less<>> m_batchCheckIns;
};

} // namespace imhere::server
