#pragma once
// Who reads which report (docs/REPORTS.md), over the figures of reports.h:
// - a course's teachers and TAs (and admins) read its report, each window's
//   figures and written summary, and every participant's record;
// - a trainee reads their own record and the cohort's view: the course's
//   aggregates next to their own figures, never another trainee's;
// - admins and leads (an org-wide role an admin gives) read the overview
//   across courses.
//
// Thread rules: any thread, like Services.

#include "reports.h"
#include "services.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

// A date range from the query's from/to (YYYY-MM-DD): invalid for a date
// that is not one, a reversed range, or a span over `maxDays`.
inline constexpr int k_maxReportDays = 5 * 366;
[[nodiscard]] Result<DateRange> parseDateRange(std::optional<std::string_view> from,
                                               std::optional<std::string_view> to, int maxDays = k_maxReportDays);

// The course's figures over `range`, by its alert rules, and the follow-ups
// of its alerts.
struct CourseReport {
    CourseFigures figures;
    std::vector<AlertFollowUp> followUps;
    [[nodiscard]] const AlertFollowUp* followUpOf(const Alert& alert) const;
    // Alerts nobody has followed up yet.
    [[nodiscard]] std::size_t openAlerts() const;
};
[[nodiscard]] Result<CourseReport> courseReport(Services& services, const Caller& caller, std::string_view course,
                                                const DateRange& range);

// One window's figures, with the course's alerts as of that window.
struct WindowReport {
    Course course;
    WindowFigures figures;
    std::vector<Alert> alerts; // raised by this window's absences
};
[[nodiscard]] Result<WindowReport> windowReport(Services& services, const Caller& caller, std::string_view window);
// The same read by the server itself (a Slack post), for no caller.
[[nodiscard]] Result<WindowReport> windowReportOf(Services& services, const Window& window);
// The written summary of a window, in plain sentences (e.g. "WM5 · JS1,
// Tuesday 18:00: 24 of 28 trainees present, 3 late (average 6 min), …").
[[nodiscard]] std::string windowSummary(const WindowReport& report);
[[nodiscard]] std::string windowSummary(const Course& course, const WindowFigures& figures,
                                        const std::vector<Alert>& alerts);

// What a trainee sees of their cohort: the course's totals and weeks (no
// one's name or figures), and their own.
struct CohortView {
    Course course;
    Tally trainees;
    std::vector<WeekFigures> weeks;
    std::optional<PersonFigures> mine; // none for someone who does not take part
};
[[nodiscard]] Result<CohortView> cohortView(Services& services, const Caller& caller, std::string_view course);

// A person's record in a course: every window, their figures, and the
// history of every correction and flag change with the value before it.
struct HistoryEntry {
    HistoryEvent event;
    std::string windowTitle;
    std::optional<std::int64_t> windowStart;
    std::optional<AttendanceStatus> before; // a correction's: the status it replaced (none: undecided)
    bool wasSet = false;                    // a flag change's: whether the flag was set before
};
struct PersonReport {
    Course course;
    Member member;
    PersonFigures figures;
    std::vector<AttendanceRecord> records; // every window they were enrolled in, by start
    std::vector<Window> notEnrolled;       // the windows before they joined or after they left, by start
    std::vector<HistoryEntry> history;     // newest first
    std::map<std::pair<std::string, Flag>, std::string> flagNotes; // (window, flag) → the note it was set with
};
[[nodiscard]] Result<PersonReport> personReport(Services& services, const Caller& caller, std::string_view course,
                                                std::string_view personPublicId);

// Across courses, for admins and leads: one row per live course over the range.
struct OverviewRow {
    Course course;
    Tally trainees;
    int needingAttention = 0; // trainees with an alert nobody followed up
    // Attendance % in the four weeks before the range, and the range's minus it.
    std::optional<double> previousAttendance;
    std::optional<double> trend;
};
// A volunteer (a TA) across every course they help in, over the range.
struct VolunteerRow {
    Member member;
    std::vector<std::string> courses; // names
    Tally tally;
};
struct Overview {
    DateRange range;
    std::vector<OverviewRow> rows;
    std::vector<VolunteerRow> volunteers; // by name
};
[[nodiscard]] Result<bool> mayReadOverview(Services& services, const Caller& caller);
[[nodiscard]] Result<Overview> overview(Services& services, const Caller& caller, const DateRange& range);

// A course's teachers and TAs mark an alert as followed up, with a note.
[[nodiscard]] Result<void> followUpAlert(Services& services, const Caller& caller, std::string_view course,
                                         std::string_view personPublicId, std::string_view kind,
                                         std::string_view since, std::string_view note);

// A course's teachers change its settings: timing and alert thresholds.
struct CourseSettings {
    std::optional<std::string> name;
    std::optional<int> lateAfterMin;
    std::optional<int> absentAfterMin;
    std::optional<int> windowLengthMin;
    std::optional<int> closeGraceMin;
    std::optional<int> alertBelowPercent;
    std::optional<int> alertAbsentRun;
};
[[nodiscard]] Result<Course> changeCourseSettings(Services& services, const Caller& caller, std::string_view course,
                                                  const CourseSettings& settings);

// A teacher reopens a window closed by mistake, for the course's window
// length from now (or its own end, if later).
[[nodiscard]] Result<Window> reopenWindow(Services& services, const Caller& caller, std::string_view window);

// RFC 4180 exports (a leading =, +, -, @, tab or CR neutralised): one row
// per participant × window of a course in range, for its staff; one row per
// course of an overview.
[[nodiscard]] Result<std::string> recordsCsv(Services& services, const Caller& caller, std::string_view course,
                                             const DateRange& range);
[[nodiscard]] std::string overviewCsv(const Overview& overview);

// An admin gives or takes the lead role.
[[nodiscard]] Result<void> setLead(Services& services, const Caller& caller, std::string_view personPublicId,
                                   bool lead);

} // namespace imhere::server
