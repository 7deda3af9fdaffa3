#pragma once
// Everything the server keeps, as one repository per aggregate (people,
// courses, attendance, remote check-in, credentials, kiosks), so that SQLite
// and a second backend are interchangeable. Repositories only persist: every
// role and time rule is the domain's (sync-server/service/), and all SQL
// lives in the implementations. Events are append-only; attendance records
// are folded from them by the domain (service/attendancefold.h).
//
// Errors: not_found, already_exists, conflict, invalid_request for what the
// caller asked; anything else is a storage failure.
//
// Thread rules: every method may be called from any thread; implementations
// serialise what must be serialised.

#include "attendancerepository.h"
#include "courserepository.h"
#include "credentialrepository.h"
#include "kioskrepository.h"
#include "milestonerepository.h"
#include "outboxrepository.h"
#include "peoplerepository.h"
#include "remoterepository.h"
#include "trackerrepository.h"

#include "core/result.h"

#include <functional>
#include <string>
#include <string_view>

namespace imhere::server {

// Whose turn a background job is (Store::holdLease).
enum class JobLease {
    Elsewhere, // another server runs it: skip this round
    Taken,     // this server's from now on; the one before may have stopped half-way
    Held,      // this server's, as it was last time
};

// One backend: its repositories over one database, and what spans them.
class Store {
public:
    virtual ~Store() = default;

    [[nodiscard]] virtual PeopleRepository& people() = 0;
    [[nodiscard]] virtual CourseRepository& courses() = 0;
    [[nodiscard]] virtual AttendanceRepository& attendance() = 0;
    [[nodiscard]] virtual RemoteRepository& remote() = 0;
    [[nodiscard]] virtual CredentialRepository& credentials() = 0;
    [[nodiscard]] virtual KioskRepository& kiosks() = 0;
    [[nodiscard]] virtual TrackerRepository& tracker() = 0;
    [[nodiscard]] virtual OutboxRepository& outbox() = 0;
    [[nodiscard]] virtual MilestoneRepository& milestones() = 0;

    // Runs `work` as one atomic unit; repository calls made inside it join
    // that unit, whichever repository they are on. A backend may run `work`
    // again when its transaction lost a race with another (PostgreSQL's
    // serialization failures): `work` resets whatever it accumulates outside
    // the store at its start. The same holds for the work given to
    // KioskRepository::ingestSync and AttendanceRepository::commitCheckIns.
    [[nodiscard]] virtual Result<void> inTransaction(const std::function<Result<void>()>& work) = 0;
    // Whether the database still answers: a real query, and (for a file)
    // the file at its path is still the one opened. For the health loop
    // behind the systemd watchdog.
    [[nodiscard]] virtual Result<void> checkHealth() = 0;
    // Whether this server runs the background job `job` (window auto-close,
    // mail, Slack, the harvester) this round: one server at a time over one
    // database, and another takes over when that one stops or loses the
    // database. Asked before every round; only failures of the database
    // itself are errors. A SQLite file has one server (the database lock,
    // cli/databaselock.h), which holds every lease.
    [[nodiscard]] virtual Result<JobLease> holdLease(std::string_view job) = 0;
};

} // namespace imhere::server
