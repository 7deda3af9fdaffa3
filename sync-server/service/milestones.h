#pragma once
// Milestones (docs/MILESTONES.md): course milestones set by a course's
// teachers (or an org admin), personal ones a trainee sets for themself,
// their progress and state, computed once here for the pages, /api/v1 and
// /api/public/v1.
//
// The rules, in one place:
// - progress = value ÷ target, 0..100 %; a Codewars rank counts in steps
//   from 8 kyu (8 kyu is step 1, 1 kyu step 8, 1 dan step 9);
// - a cumulative metric (honor, rank, katas, pull requests) is expected to
//   grow evenly from the day the milestone was set to its due day; its
//   score is progress ÷ the share of that time gone. On track at 0.8 or
//   more (or in the first tenth of the time, or once reached), behind at
//   0.5 or more, at risk below, and at risk once the due day has passed
//   unreached;
// - a rate (attendance %, on-time %) is expected all along: on track once
//   reached, behind within 10 % of the target, at risk below;
// - a manual milestone is reached when a mentor confirms it with a note;
//   until then it is counted like a cumulative one at 0 %;
// - who reads: the trainee their own; a course's teachers and TAs (and org
//   admins and leads) a trainee of theirs; a course's members its course
//   milestones. Who writes: the trainee their personal ones and their
//   GitHub and Codewars names; a course's teachers (and admins) its course
//   milestones; teachers and TAs confirm manual ones.
//
// Thread rules: any thread, like Services.

#include "services.h"

#include "sync-server/store/milestonerepository.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

enum class MilestoneState { OnTrack, Behind, AtRisk };
[[nodiscard]] std::string_view tokenOf(MilestoneState state); // on_track, behind, at_risk
[[nodiscard]] std::string_view labelOf(MilestoneState state); // "On track", "Behind", "At risk"
[[nodiscard]] std::string_view labelOf(MilestoneMetric metric); // "Codewars honor", ...

// The snapshot key a milestone is measured by: the metric and its scope
// ("codewars_katas:python", "github_prs_merged:CodeYourFuture",
// "attendance_percent:<course id>"); empty for a manual one.
[[nodiscard]] std::string metricKey(const MilestoneFields& fields);
// A cumulative metric grows over time; a rate is held.
[[nodiscard]] bool isRate(MilestoneMetric metric);

// 0..100: how far `value` is towards `target`.
[[nodiscard]] double progressPercent(MilestoneMetric metric, double value, double target);
// The state of a milestone at `nowMs` with this progress.
[[nodiscard]] MilestoneState milestoneState(MilestoneMetric metric, double percent, std::int64_t startsAt,
                                            std::int64_t dueAt, std::int64_t nowMs);
// A Codewars rank as it is written: -8 → "8 kyu", 2 → "2 dan".
[[nodiscard]] std::string rankName(int rank);

// A milestone as a form or a JSON body gives it: text still to be checked.
struct MilestoneInput {
    std::string title;
    std::string description;
    std::string metric; // a token of MilestoneMetric
    std::string scope;  // language, organisation or (personal attendance) course id
    std::string target; // a number; for a rank "5 kyu", "1 dan" or -5
    std::string due;    // YYYY-MM-DD
};
// Every problem with the input as (field, message) pairs; empty when fine.
// `course`: the course of a course milestone (its attendance scope).
[[nodiscard]] std::vector<std::pair<std::string, std::string>>
milestoneProblems(Services& services, const Caller& caller, const MilestoneInput& input,
                  const std::optional<std::string>& course);

struct MilestoneProgress {
    Milestone milestone;
    std::optional<std::string> courseName; // a course milestone's
    std::optional<double> value;           // none: not measured yet
    std::optional<std::int64_t> measuredAt;
    double percent = 0;
    bool reached = false;
    MilestoneState state = MilestoneState::OnTrack;
    std::optional<MilestoneConfirmation> confirmation; // a manual one's
};

// One trainee's milestones: their own and those of their courses, the
// history of every value measured, and the harvester's failures.
struct TraineeMilestones {
    Person person;
    std::vector<MilestoneProgress> personal;
    std::vector<MilestoneProgress> course;
    std::map<std::string, std::vector<MetricSnapshot>> history; // by metric key
    std::vector<HarvestError> errors;
    std::vector<Course> courses; // where they are a trainee (for a personal attendance milestone)
    bool mayConfirm = false;     // the caller may confirm manual milestones
};
[[nodiscard]] Result<TraineeMilestones> myMilestones(Services& services, const Caller& caller);
// A mentor's view: forbidden unless the caller teaches or assists in a
// course the person is a trainee of, or is an org admin or lead.
[[nodiscard]] Result<TraineeMilestones> traineeMilestones(Services& services, const Caller& caller,
                                                          std::string_view personPublicId);

[[nodiscard]] Result<Milestone> addPersonalMilestone(Services& services, const Caller& caller,
                                                     const MilestoneInput& input);
[[nodiscard]] Result<Milestone> addCourseMilestone(Services& services, const Caller& caller, std::string_view course,
                                                   const MilestoneInput& input);
// Personal ones by their owner, course ones by the course's teachers.
[[nodiscard]] Result<Milestone> editMilestone(Services& services, const Caller& caller, std::int64_t id,
                                              const MilestoneInput& input);
[[nodiscard]] Result<void> deleteMilestone(Services& services, const Caller& caller, std::int64_t id);
// A mentor confirms a manual milestone for a trainee, with a note.
[[nodiscard]] Result<void> confirmManualMilestone(Services& services, const Caller& caller, std::int64_t id,
                                                  std::string_view personPublicId, const std::string& note);
// The caller's own GitHub and Codewars names; empty clears one.
[[nodiscard]] Result<Person> setMyUsernames(Services& services, const Caller& caller, std::string github,
                                            std::string codewars);

// A course's milestones against its trainees, the ones needing help first
// (most at risk, then most behind, then by name) unless `byName`.
struct MilestoneRow {
    Member member;
    std::vector<MilestoneProgress> progress; // one per course milestone, in order
    int personalCount = 0;                   // their own milestones...
    int personalOnTrack = 0;                 // ...and how many are on track,
    int personalBehind = 0;                  // behind
    int personalAtRisk = 0;                  // and at risk
    int atRisk = 0;                          // over both kinds
    int behind = 0;
};
struct CourseMilestoneOverview {
    Course course;
    std::vector<Milestone> milestones;
    std::vector<MilestoneRow> rows;
    bool mayEdit = false; // the caller sets the course's milestones
};
[[nodiscard]] Result<CourseMilestoneOverview> courseMilestoneOverview(Services& services, const Caller& caller,
                                                                      std::string_view course, bool byName = false);
// The overview without the caller check, for the programme overview and
// the public API, which decide who reads it themselves.
[[nodiscard]] Result<CourseMilestoneOverview> courseMilestonesOf(Services& services, const Course& course);

// The programme overview's milestone columns (admins and leads, as the
// overview across courses): per live course, how its trainees stand on the
// course's milestones and on their own.
struct StateCounts {
    int onTrack = 0;
    int behind = 0;
    int atRisk = 0;
    [[nodiscard]] int total() const { return onTrack + behind + atRisk; }
};
struct ProgrammeMilestoneRow {
    Course course;
    int trainees = 0;
    int courseMilestones = 0;
    StateCounts ofCourse; // over trainees × course milestones
    int traineesWithOwn = 0;
    StateCounts own;      // over trainees' own milestones
};
[[nodiscard]] Result<std::vector<ProgrammeMilestoneRow>> programmeMilestones(Services& services, const Caller& caller);

// ---- the public API (docs/PUBLIC-API.md) ----
// A trainee's milestones by public id, as the public API shows them: no
// usernames, no history, no harvest errors, no confirmation notes.
// not_found as for the trainee object (publicTrainee).
[[nodiscard]] Result<TraineeMilestones> publicTraineeMilestones(Services& services, std::string_view publicId);

// A course's milestones with how its trainees stand on each, counts
// suppressed under limits::k_publicMinGroup trainees, and each trainee's
// progress by public id (opted-out trainees left out, still counted).
struct PublicMilestoneCounts {
    int trainees = 0;
    int onTrack = 0;
    int behind = 0;
    int atRisk = 0;
    int reached = 0;
};
struct PublicCourseMilestone {
    Milestone milestone;
    std::optional<PublicMilestoneCounts> counts; // nullopt: suppressed
};
struct PublicTraineeProgress {
    std::string publicId;
    std::vector<MilestoneProgress> progress; // one per course milestone, in order
};
// Trainees' own milestones, counted over those who set some.
struct PublicPersonalCounts {
    int trainees = 0;   // who set at least one
    int milestones = 0;
    int onTrack = 0;
};
struct PublicCourseMilestones {
    Course course;
    std::vector<PublicCourseMilestone> milestones;
    std::optional<PublicPersonalCounts> personal; // nullopt: suppressed
    std::vector<PublicTraineeProgress> trainees;   // in public id order
};
[[nodiscard]] Result<PublicCourseMilestones> publicCourseMilestones(Services& services, std::string_view course);

} // namespace imhere::server
