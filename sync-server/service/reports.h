#pragma once
// Attendance figures, as pure functions over folded records
// (attendancefold.h): what one window counts, and one person's or one
// week's attendance and punctuality. The public API and the reports use
// these, so the same records give the same figures everywhere.
//
// A record counts once its window has decided it (it has a status); an
// excused absence counts in neither figure. Percentages are of the counted
// records, rounded to one decimal; none when nothing counts.
//
// Thread rules: none (pure functions).

#include "sync-server/store/model.h"

#include <optional>
#include <span>

namespace imhere::server {

struct WindowReport {
    int people = 0; // records in the window
    int present = 0; // on time or late
    int onTime = 0;
    int late = 0;
    int absent = 0;
    int excused = 0;
    int remote = 0; // present from a phone
};
[[nodiscard]] WindowReport windowReport(std::span<const AttendanceRecord> records);

struct PersonFigures {
    int counted = 0;
    int present = 0;
    int onTime = 0;
    std::optional<double> attendancePct;
    std::optional<double> onTimePct;
};
// One person's records (of one course).
[[nodiscard]] PersonFigures personFigures(std::span<const AttendanceRecord> records);

struct WeekFigures {
    int people = 0; // distinct people with a record
    int counted = 0;
    std::optional<double> attendancePct;
    std::optional<double> onTimePct;
};
// Everyone's records of one week's windows.
[[nodiscard]] WeekFigures weekFigures(std::span<const AttendanceRecord> records);

} // namespace imhere::server
