#pragma once
// Milestones (migration 14, docs/MILESTONES.md): course milestones set by a
// course's teachers, personal ones a trainee sets for themself, the
// confirmations of manual ones, the values the harvester saw over time
// (snapshots), its last failure per person and source, and the ETags of
// the replies it may ask about again. Persistence only: who may do what,
// progress and state are the domain's (sync-server/service/milestones.h).
//
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

// What a milestone measures (its `metric` column).
enum class MilestoneMetric {
    CodewarsHonor,
    CodewarsRank,    // target: a rank as Codewars numbers it (-8 = 8 kyu ... -1 = 1 kyu, 1 = 1 dan ...)
    CodewarsKatas,   // scope: a language, or empty for every language
    GithubPrsMerged, // scope: an organisation, or empty for every repository
    AttendancePercent, // scope: the course
    OnTimePercent,     // scope: the course
    Manual,            // a mentor confirms it with a note
};

struct MilestoneFields {
    std::string title;
    std::string description;
    MilestoneMetric metric = MilestoneMetric::Manual;
    std::string scope;
    double target = 1;
    std::int64_t dueAt = 0; // ms, the end of the due day
};

struct Milestone {
    std::int64_t id = 0;
    std::optional<std::string> course; // a course milestone
    std::optional<PersonId> owner;     // a personal milestone
    MilestoneFields fields;
    std::int64_t startsAt = 0; // when it was set: the start of its time
    PersonId createdBy = 0;
};

struct MilestoneConfirmation {
    std::int64_t milestone = 0;
    PersonId person = 0;
    std::string note;
    PersonId actor = 0;
    std::string actorName; // read back; not written
    std::int64_t at = 0;
};

// One value a person had for one metric key at one time.
struct MetricSnapshot {
    std::string metric; // e.g. "codewars_honor", "github_prs_merged:CodeYourFuture"
    double value = 0;
    std::int64_t at = 0;
};

// What went wrong the last time one source was asked about one person.
struct HarvestError {
    PersonId person = 0;
    std::string source; // "github", "codewars"
    std::string message;
    std::int64_t at = 0;
};

// A reply kept for a conditional request: its ETag and the body it came with.
struct CachedReply {
    std::string etag;
    std::string body;
};

class MilestoneRepository {
public:
    virtual ~MilestoneRepository() = default;

    [[nodiscard]] virtual Result<Milestone> createMilestone(const Milestone& milestone) = 0;
    // not_found when there is no such milestone or it was deleted.
    [[nodiscard]] virtual Result<Milestone> milestone(std::int64_t id) = 0;
    [[nodiscard]] virtual Result<void> updateMilestone(std::int64_t id, const MilestoneFields& fields) = 0;
    // Kept, marked removed: snapshots and confirmations stay.
    [[nodiscard]] virtual Result<void> removeMilestone(std::int64_t id, std::int64_t at) = 0;
    // Live ones of a course, by due date.
    [[nodiscard]] virtual Result<std::vector<Milestone>> courseMilestones(std::string_view course) = 0;
    // Live personal ones of a person, by due date.
    [[nodiscard]] virtual Result<std::vector<Milestone>> personalMilestones(PersonId owner) = 0;

    [[nodiscard]] virtual Result<void> confirmMilestone(const MilestoneConfirmation& confirmation) = 0;
    [[nodiscard]] virtual Result<std::vector<MilestoneConfirmation>> confirmationsOf(PersonId person) = 0;

    [[nodiscard]] virtual Result<void> setUsernames(PersonId person, const std::optional<std::string>& github,
                                                    const std::optional<std::string>& codewars) = 0;

    // Stores the value unless it equals the latest one for the key and that
    // one was taken after `sameDayFrom`; true when stored.
    [[nodiscard]] virtual Result<bool> addSnapshot(PersonId person, const MetricSnapshot& snapshot,
                                                   std::int64_t sameDayFrom) = 0;
    // Oldest first; every key when `metric` is empty.
    [[nodiscard]] virtual Result<std::vector<MetricSnapshot>> snapshots(PersonId person, std::string_view metric) = 0;
    // The latest value of every key of a person.
    [[nodiscard]] virtual Result<std::vector<MetricSnapshot>> latestSnapshots(PersonId person) = 0;

    // nullopt message: the source answered, so its error is cleared.
    [[nodiscard]] virtual Result<void> setHarvestError(PersonId person, std::string_view source,
                                                       const std::optional<std::string>& message,
                                                       std::int64_t at) = 0;
    [[nodiscard]] virtual Result<std::vector<HarvestError>> harvestErrors(std::optional<PersonId> person) = 0;

    [[nodiscard]] virtual Result<std::optional<CachedReply>> cachedReply(std::string_view url) = 0;
    [[nodiscard]] virtual Result<void> storeReply(std::string_view url, const CachedReply& reply,
                                                  std::int64_t at) = 0;
};

[[nodiscard]] std::string_view tokenOf(MilestoneMetric metric);
[[nodiscard]] std::optional<MilestoneMetric> milestoneMetricFrom(std::string_view token);

} // namespace imhere::server
