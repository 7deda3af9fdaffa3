#pragma once
// Reports (docs/REPORTS.md): the figures of a window, of a course, of each
// person in it and of each week, computed once here from the folded records
// (records.h) and read by the pages, /api/v1 and /api/public/v1 alike.
//
// The rules, in one place:
// - trainees are a course's students; TAs are volunteers, counted apart and
//   never in a trainee's or the course's figures;
// - a record counts once its window has decided it (closed, or checked in);
//   an open window's missing check-ins count nowhere yet;
// - attendance % = present ÷ (present + absent): excused absences count in
//   neither; on-time % = on time ÷ present;
// - a person's run of absences is the number of their latest counted
//   windows that were absent in a row (an excused window neither breaks
//   nor extends it);
// - a week starts on Monday in the course's time zone.
//
// Thread rules: plain functions of their arguments.

#include "sheetcells.h"
#include "sync-server/store/model.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace imhere::server {

// What a set of records adds up to.
struct Tally {
    int records = 0;   // every record given, decided or not
    int present = 0;   // on time + late
    int onTime = 0;
    int late = 0;
    int absent = 0;
    int excused = 0;
    int undecided = 0; // an open window without a check-in yet
    int remote = 0;    // present from outside the room
    std::optional<double> meanMinutesLate;   // over the late ones
    std::optional<double> medianMinutesLate;
    std::map<Flag, int> flags;
    // Distinct people behind the records (for the rule that aggregates over
    // fewer than five people are not published).
    int people = 0;

    [[nodiscard]] int counted() const { return present + absent; }
    // 0..100, none when nothing counts yet.
    [[nodiscard]] std::optional<double> attendancePercent() const;
    [[nodiscard]] std::optional<double> onTimePercent() const;
};

[[nodiscard]] Tally tallyOf(const std::vector<const AttendanceRecord*>& records);
[[nodiscard]] Tally tallyOf(const std::vector<AttendanceRecord>& records);

// The Monday that starts the week of `utcMs` in `zone`.
[[nodiscard]] std::optional<CivilDate> weekOf(std::string_view zone, std::int64_t utcMs);

// A date range in the course's zone, both days included.
struct DateRange {
    std::optional<CivilDate> from;
    std::optional<CivilDate> to;
    [[nodiscard]] bool contains(const CivilDate& day) const;
};

struct WindowFigures {
    Window window;
    Tally trainees;
    Tally volunteers;
};

struct PersonFigures {
    Member member;
    Tally tally;
    int absentRun = 0;                       // current run of absences
    std::vector<std::int64_t> absentRunDays; // the starts of those windows, oldest first
};

struct WeekFigures {
    CivilDate monday;
    Tally trainees;
};

// Who needs attention, by the course's thresholds: attendance below the
// threshold once at least k_minWindowsForRate windows count, or a run of
// absences as long as the course's run setting.
enum class AlertKind { LowAttendance, AbsentRun };
[[nodiscard]] std::string_view tokenOf(AlertKind kind); // low_attendance, absent_run
inline constexpr int k_minWindowsForRate = 3;

struct Alert {
    AlertKind kind = AlertKind::LowAttendance;
    Member member;
    double attendancePercent = 0;
    int absentRun = 0;
    // The windows that raised it: the absences counted (low attendance) or
    // the run's (absent run), by start.
    std::vector<std::int64_t> days;
    // The first of those days, YYYY-MM-DD in the course's zone: an alert is
    // the same alert while this stays the same, so following it up once is enough.
    std::string since;
};

struct AlertRules {
    int belowPercent = 70;
    int absentRun = 2;
};

struct CourseFigures {
    Course course;
    DateRange range;
    Tally trainees;                     // every counted trainee record in range
    Tally volunteers;
    std::vector<WindowFigures> windows; // in range, by start
    std::vector<PersonFigures> people;  // students then TAs, by name
    std::vector<WeekFigures> weeks;     // oldest first
    std::vector<Alert> alerts;          // students only
};

// Everything above for a course's windows and records (records.h order).
[[nodiscard]] CourseFigures courseFigures(const Course& course, const std::vector<Window>& windows,
                                          const std::vector<AttendanceRecord>& records, const DateRange& range,
                                          const AlertRules& rules = {});

} // namespace imhere::server
