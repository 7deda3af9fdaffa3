#pragma once
// The repositories over one PostgreSQL database, for several imhere-server
// instances sharing it (docs/SERVER.md). PostgreSQL implements storage
// only: the rules stay in sync-server/service/, and every method means what
// its SqliteStore counterpart means (the store-contract, service and HTTP
// suites run the same cases against both).
//
// What several instances need beyond that is here too: a lease per
// background job (holdLease, pgleases.h), the rate limits' attempts
// (AttemptLog, pgstoreattempts.cpp) and a change log whose cursor stays
// exact across instances (pgstorepull.cpp).
//
// Transactions (pgpool.h). Every write runs SERIALIZABLE: PostgreSQL then
// gives the outcome of some one-at-a-time order, which is what SQLite's
// single writer (BEGIN IMMEDIATE) gave the domain's read-check-write steps
// (one open window per course, a badge on one person), and a transaction
// that loses is run again. Two writes run READ COMMITTED under an advisory
// lock that orders them instead: the group commit of check-ins
// (commitCheckIns) and the rate limits' attempts. Single-statement reads
// run in autocommit; reads
// of several statements that must agree (recordInputs) in one REPEATABLE
// READ snapshot.
//
// Thread rules: any thread; a call holds one pooled connection for its
// duration, so as many calls run at once as the pool has connections.

#include "attendancerepository.h"
#include "courserepository.h"
#include "credentialrepository.h"
#include "kioskrepository.h"
#include "milestonerepository.h"
#include "store.h"
#include "outboxrepository.h"
#include "peoplerepository.h"
#include "pgleases.h"
#include "pgpool.h"
#include "remoterepository.h"
#include "trackerrepository.h"

#include "core/clock.h"
#include "core/result.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

class PgStore final : public Store,
                      public AttemptLog,
                      public PeopleRepository,
                      public CourseRepository,
                      public AttendanceRepository,
                      public CredentialRepository,
                      public OutboxRepository,
                      public RemoteRepository,
                      public TrackerRepository,
                      public MilestoneRepository,
                      public KioskRepository {
public:
    struct Options {
        // Connections in the pool: the HTTP worker threads, the check-in
        // writer and the background loops.
        std::size_t connections = 8;
    };
    // Connects, migrates (refusing a database newer than this build) and
    // makes the org keys on first use.
    [[nodiscard]] static Result<std::unique_ptr<PgStore>> open(const std::string& url, const Clock& clock,
                                                               const Options& options);

    PeopleRepository& people() override { return *this; }
    CourseRepository& courses() override { return *this; }
    AttendanceRepository& attendance() override { return *this; }
    CredentialRepository& credentials() override { return *this; }
    OutboxRepository& outbox() override { return *this; }
    RemoteRepository& remote() override { return *this; }
    TrackerRepository& tracker() override { return *this; }
    MilestoneRepository& milestones() override { return *this; }
    KioskRepository& kiosks() override { return *this; }

    // As Store::inTransaction: repository calls made inside `work` on this
    // thread join its transaction. `work` may run more than once (pgpool.h).
    [[nodiscard]] Result<void> inTransaction(const std::function<Result<void>()>& work) override;
    // A real query on a pooled connection.
    [[nodiscard]] Result<void> checkHealth() override;
    [[nodiscard]] Result<JobLease> holdLease(std::string_view job) override;
    [[nodiscard]] AttemptLog* sharedAttempts() override { return this; }

    // ---- rate-limited attempts (pgstoreattempts.cpp) ----
    Result<std::int64_t> attemptWait(std::string_view key, std::int64_t nowMs, std::int64_t windowMs,
                                     int max) override;
    Result<std::int64_t> admitAttempt(std::string_view key, std::int64_t nowMs, std::int64_t windowMs,
                                      int max) override;
    Result<void> recordAttempt(std::string_view key, std::int64_t nowMs, std::int64_t windowMs, int max) override;
    Result<void> forgetAttempt(std::string_view key, std::int64_t atMs) override;
    Result<void> forgetAttempts(std::string_view key) override;
    [[nodiscard]] PgPool& pool() { return *m_pool; }

    // ---- people (pgstorepeople.cpp, pgstoreprivacy.cpp) ----
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
    Result<void> replaceQrBadge(PersonId person, const std::string& uidHash) override;
    Result<void> revokeQrBadges(PersonId person) override;
    Result<void> setAdmin(PersonId person, bool admin, PersonId actor) override;
    Result<void> setLead(PersonId person, bool lead, PersonId actor) override;
    Result<void> setPublicOptOut(PersonId person, bool optOut, std::string_view actor) override;
    Result<bool> publicOptOut(PersonId person) override;
    Result<std::vector<std::string>> publicOptOuts() override;
    Result<void> erasePerson(PersonId person, const std::string& placeholderName, std::string_view actor) override;
    Result<std::string> publicDataMark() override;

    // ---- courses (pgstorecourses.cpp) ----
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
    Result<std::vector<Enrollment>> listEnrollments() override;

    // ---- attendance (pgstorewindows.cpp, pgstorerecords.cpp) ----
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
    Result<std::set<std::pair<std::string, std::string>>>
    attendedWindows(std::string_view course, const std::vector<std::string>& publicIds) override;

    // ---- credentials (pgstoreaccounts.cpp, pgstorekeys.cpp) ----
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
    Result<std::int64_t> createApiKey(PersonId person, const std::string& prefix, const Bytes& hash, ApiScope scope,
                                      const ApiKeyTerms& terms = {}) override;
    Result<std::optional<ApiKey>> apiKeyByPrefix(std::string_view prefix) override;
    Result<std::optional<ApiKey>> anyApiKey(std::string_view prefix) override;
    Result<std::vector<ApiKey>> apiKeys(std::optional<PersonId> owner) override;
    Result<void> revokeApiKey(std::int64_t id, PersonId actor) override;
    Result<void> noteApiKeyUse(std::int64_t id, std::int64_t atMs, std::int64_t resolutionMs) override;

    // ---- outbox (pgstoreaccounts.cpp, pgstoreslack.cpp) ----
    Result<std::int64_t> queueMail(const NewMail& mail) override;
    Result<std::vector<QueuedMail>> dueMail(std::int64_t nowMs, std::size_t limit) override;
    Result<void> markMailSent(std::int64_t id, std::int64_t at) override;
    Result<void> markMailFailed(std::int64_t id, std::int64_t at, const std::string& error,
                                std::optional<std::int64_t> nextAttemptAt) override;
    Result<OutboxCounts> outboxCounts() override;
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

    // ---- remote check-in (pgstoreremote.cpp) ----
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

    // ---- the trainee tracker (pgstoretracker.cpp) ----
    Result<std::optional<TrackerIdentity>> trackerIdentity(std::string_view course) override;
    Result<void> setTrackerIdentity(std::string_view course, const std::optional<TrackerIdentity>& identity) override;
    Result<std::vector<TrackerPerson>> trackerPeople(std::string_view course) override;
    Result<void> setRegion(PersonId person, const std::optional<std::string>& region) override;
    Result<std::map<std::string, int>> windowSprints(std::string_view course) override;
    Result<void> setWindowSprint(std::string_view window, std::optional<int> sprint) override;
    Result<std::int64_t> recordRegisterImport(const RegisterImportRecord& record) override;
    Result<std::vector<std::string>> importedCheckIns(std::string_view course) override;

    // ---- milestones (pgstoremilestones.cpp) ----
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

    // ---- kiosks and sync (pgstorekiosks.cpp, pgstoresync.cpp, pgstorepull.cpp) ----
    Result<Kiosk> createKiosk(const NewKiosk& kiosk) override;
    Result<std::optional<Kiosk>> kioskByPrefix(std::string_view prefix) override;
    Result<std::optional<Kiosk>> kioskById(std::uint32_t id) override;
    Result<std::vector<KioskInfo>> listKiosks() override;
    Result<bool> revokeKiosk(std::uint32_t id, PersonId actor) override;
    Result<void> noteKioskSync(std::uint32_t id, std::int64_t at, std::int64_t skewMs, std::int64_t resolutionMs,
                               std::int64_t skewResolutionMs) override;
    Result<void> ingestSync(const Kiosk& kiosk, const sync::SyncRequest& request,
                            const std::function<Result<void>(SyncBatch&)>& apply) override;
    Result<void> pullChanges(const Kiosk& kiosk, std::int64_t cursor, const PinRule& holdsPin,
                             sync::SyncResponse& response) override;

private:
    PgStore(std::unique_ptr<PgPool> pool, const std::string& url, const Clock& clock)
        : m_pool(std::move(pool)), m_leases(url), m_clock(clock)
    {
    }

    using Work = PgPool::Work;
    // A write: SERIALIZABLE, joined when the thread is already in one.
    Result<void> write(const Work& work) { return m_pool->transact(PgIsolation::Serializable, work); }
    // A read of one statement, or several that need not agree.
    Result<void> read(const Work& work) { return m_pool->read(work); }
    // Reads of several statements in one snapshot.
    Result<void> snapshot(const Work& work) { return m_pool->transact(PgIsolation::RepeatableRead, work); }

    // The SyncBatch of one ingestSync call (pgstoresync.cpp).
    class Batch;
    // Takes the change-log lock, held until the transaction ends: appends to
    // change_log then commit in the order of their seq (pgstorepull.cpp).
    static Result<void> lockChangeLog(PgConnection& db);
    Result<std::optional<Kiosk>> kioskWhere(std::string_view column, const std::function<void(PgStatement&)>& bind);
    // A change_log row for kiosks' pulls, inside a write, under the
    // change-log lock; `origin` is the kiosk a change came from.
    static Result<void> logChange(PgConnection& db, std::string_view kind, std::string_view ref,
                                  std::optional<std::string_view> course,
                                  std::optional<std::uint32_t> origin = std::nullopt);
    Result<std::optional<Person>> personWhere(std::string_view where, const std::function<void(PgStatement&)>& bind);
    Result<void> enrol(PgConnection& db, PersonId person, std::string_view course, Role role, PersonId actor);
    static Result<std::optional<Window>> windowOn(PgConnection& db, std::string_view id);
    static Result<std::vector<Window>> windowsBetweenOn(PgConnection& db, std::string_view course,
                                                        std::int64_t fromMs, std::int64_t toMs);
    static Result<std::vector<Window>> windowsOfOn(PgConnection& db, std::string_view course);
    static Result<std::optional<Course>> courseOn(PgConnection& db, std::string_view id);
    // Opens, closes or reopens a window once (`update` takes $1 the window,
    // `bindMore` the rest) and logs it as a `kind` event at `at`.
    Result<Window> markWindow(std::string_view id, std::int64_t at, PersonId actor, std::string_view kind,
                              std::string_view update, const std::function<void(PgStatement&)>& bindMore);
    // The wait for `key`, in a transaction that holds its lock, after
    // dropping its attempts older than the window.
    Result<std::int64_t> attemptWaitOn(PgConnection& db, std::string_view key, std::int64_t nowMs,
                                       std::int64_t windowMs, int max);
    Result<RecordInputs> readRecordInputs(std::string_view course, std::optional<std::string_view> window,
                                          std::optional<PersonId> person,
                                          std::optional<std::pair<std::int64_t, std::int64_t>> between,
                                          bool withEvents = true);
    // A check-in and its change_log row, inside a write: false when its id
    // is already stored.
    Result<bool> insertCheckIn(PgConnection& db, const CheckInEvent& event);
    // A mail_outbox row, inside a write.
    Result<std::int64_t> insertMail(PgConnection& db, const NewMail& mail);
    Result<std::vector<Milestone>> milestonesWhere(std::string_view where,
                                                   const std::function<void(PgStatement&)>& bind);
    Result<std::optional<ApiKey>> apiKeyWhere(std::string_view where, std::string_view prefix);

    std::unique_ptr<PgPool> m_pool;
    PgLeases m_leases;
    const Clock& m_clock;
};

} // namespace imhere::server
