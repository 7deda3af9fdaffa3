#pragma once
// The school's trainee tracker (docs/INTEROP.md): its register sheet read
// and written, and its attendance score, by the tracker's own rules:
// - a register has the headings Name, Email, Timestamp, Course, Module, Day,
//   Location; Day is "sprint-N" (N from 1 to 20, or
//   "welcome-to-code-your-future" for 1); one row per trainee and sprint,
//   the first one counting; emails compare case-insensitively;
// - a sign-in on another (UTC) day than the class is "wrong day", more than
//   10 minutes after the class's start is late, no sign-in is absent;
// - the score weighs on time 10 of 10, late 8, wrong day 3, absent 0, and
//   calls a trainee on track from 50 %, behind from 25 %, at risk below.
//
// Thread rules: any thread, like Services.

#include "services.h"
#include "sheetcells.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

// ---- the tracker's rules, as plain functions ----

enum class TrackerAttendance { OnTime, Late, WrongDay, Absent };
enum class TrackerLabel { OnTrack, Behind, AtRisk };

[[nodiscard]] std::string_view toString(TrackerAttendance attendance); // "on time", "late", "wrong day", "absent"
[[nodiscard]] std::string_view toString(TrackerLabel label);           // "on track", "behind", "at risk"
// The JSON and CSV spelling: on_time, late, wrong_day, absent; on_track, behind, at_risk.
[[nodiscard]] std::string_view tokenOf(TrackerAttendance attendance);
[[nodiscard]] std::string_view tokenOf(TrackerLabel label);

// How the tracker sees a sign-in against the class's start (both UTC ms).
[[nodiscard]] TrackerAttendance trackerAttendance(std::int64_t signedInMs, std::int64_t classStartMs);

struct TrackerScore {
    int numerator = 0;
    int denominator = 0;
    // 0..10000 (hundredths of a percent) and its label; none before any class counted.
    std::optional<int> basisPoints;
    std::optional<TrackerLabel> label;
};
[[nodiscard]] TrackerScore trackerScore(const std::vector<TrackerAttendance>& sprints);

// "sprint-7" → 7; "welcome-to-code-your-future" → 1; nullopt otherwise.
[[nodiscard]] std::optional<int> sprintFromDay(std::string_view day);
inline constexpr int k_maxSprint = 20;
inline constexpr std::size_t k_maxRegionBytes = 100;

// ---- a course as the tracker sees it ----

// Windows that count for a sprint and the class time the tracker compares with.
struct SprintClass {
    int sprint = 0;
    std::vector<std::string> windows; // in start order
    std::int64_t classStart = 0;      // the first one's
    bool counted = false; // every window of the sprint has closed
};

struct RegisterRow {
    int sprint = 0;
    std::string personPublicId;
    std::string name;
    std::string email;
    std::int64_t signedIn = 0;
    std::int64_t classStart = 0; // the start of the class signed in at
    std::string region;
};

struct TraineeTracking {
    TrackerPerson person;
    int counted = 0; // windows with a decided status
    int present = 0;
    int onTime = 0;
    std::map<int, TrackerAttendance> sprints; // counted sprints only
    TrackerScore score;
};

struct TrackerView {
    Course course;
    std::optional<TrackerIdentity> identity;
    std::vector<Window> windows;               // the course's, in start order
    std::map<std::string, int> windowSprint;   // window id → its sprint, set or from its week
    std::map<std::string, int> explicitSprint; // the ones a person set
    std::string firstSprintDay;                // YYYY-MM-DD, set or from the first window
    std::vector<SprintClass> sprints;          // by sprint number
    std::vector<TraineeTracking> trainees;     // students, by name
    std::vector<TrackerPerson> people;         // everyone enrolled, by name
    std::vector<RegisterRow> rows;             // the register, in the order it is written
    std::vector<std::string> withoutEmail;     // trainees left out of the register
};

// The course's tracker view, for its teachers and TAs and org admins.
[[nodiscard]] Result<TrackerView> trackerViewOf(Services& services, const Caller& caller, std::string_view course);
// The same without asking who is calling (the command line).
[[nodiscard]] Result<TrackerView> trackerView(Services& services, const Course& course);

// The register sheet of the view: the seven headings, then its rows.
[[nodiscard]] std::string registerCsv(const TrackerView& view);

// What a teacher (or org admin) changes: the tracker names (nullopt leaves
// them, an empty course and module clears them), trainees' regions and
// windows' sprints (a nullopt value clears one).
struct TrackerChange {
    std::optional<TrackerIdentity> identity;
    bool clearIdentity = false;
    std::map<std::string, std::optional<std::string>> regions; // public id → region
    std::map<std::string, std::optional<int>> sprints;         // window id → sprint
};
[[nodiscard]] Result<void> changeTracker(Services& services, const Caller& caller, std::string_view course,
                                         const TrackerChange& change);

// ---- register import ----

struct RegisterLine {
    int line = 0;
    std::string name;
    std::string email;
    std::int64_t signedIn = 0;
    int sprint = 0;
    std::string location;
};

struct RegisterProblem {
    int line = 0;
    std::string message;
};

// Reads a register sheet: the seven headings in any order, or Date and Time
// columns in place of Timestamp; a time without an offset is in `timezone`.
// Every bad row is a problem; a sheet with problems imports nothing.
struct RegisterSheet {
    std::vector<RegisterLine> lines;
    std::vector<RegisterProblem> problems;
};
[[nodiscard]] RegisterSheet parseRegister(std::string_view text, std::string_view timezone);

struct RegisterImportReport {
    bool dryRun = true;
    int rows = 0;
    int recorded = 0;         // check-ins stored (or that would be)
    int alreadyRecorded = 0;  // the trainee already has a check-in in the sprint's class
    std::vector<int> newWindows; // sprints whose class window is created
    std::vector<RegisterProblem> skipped; // unknown email, not a trainee, a second row for a sprint
};

// Plans the import and, unless dryRun, stores it in one transaction: every
// row's check-in or none. `actor` is who imports (nullopt: the command
// line); `classStartMinute` is the class's local start (minutes after
// midnight) for windows created for past sprints: by default the latest
// window's; a course with no window needs it given. invalid_request when
// the sheet has bad rows or a window's time is unknown.
[[nodiscard]] Result<RegisterImportReport> importRegister(Services& services, const Course& course,
                                                          std::string_view text, bool dryRun,
                                                          std::optional<PersonId> actor,
                                                          std::optional<int> classStartMinute = std::nullopt);
// The same for a teacher of the course or an org admin.
[[nodiscard]] Result<RegisterImportReport> importRegisterAs(Services& services, const Caller& caller,
                                                            std::string_view course, std::string_view text,
                                                            bool dryRun,
                                                            std::optional<int> classStartMinute = std::nullopt);

// "Read 12 rows: 9 check-ins recorded, 2 already recorded, ..." lines.
[[nodiscard]] std::vector<std::string> describeImport(const RegisterImportReport& report);

} // namespace imhere::server
