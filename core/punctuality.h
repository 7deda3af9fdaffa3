#pragma once
// How punctual a check-in was, from the course's settings and the window's start.

#include "limits.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace imhere {

enum class AttendanceStatus { OnTime, Late, Absent, Excused };

[[nodiscard]] std::string_view toString(AttendanceStatus status);
[[nodiscard]] std::optional<AttendanceStatus> attendanceStatusFromString(std::string_view text);

struct CourseTiming {
    int lateAfterMin = limits::k_defaultLateAfterMin;     // later than this is late
    int absentAfterMin = limits::k_defaultAbsentAfterMin; // later than this counts as absent
};

struct Punctuality {
    AttendanceStatus status = AttendanceStatus::OnTime;
    int minutesLate = 0; // whole minutes after the start; 0 when on time
    friend bool operator==(const Punctuality&, const Punctuality&) = default;
};

// Arriving before the start or up to lateAfterMin minutes after it is on time;
// up to absentAfterMin minutes is late; later than that is recorded absent
// (the check-in is still kept and a volunteer can correct the record).
[[nodiscard]] Punctuality assessCheckIn(const CourseTiming& timing, std::int64_t windowStartMs,
                                        std::int64_t checkInMs);

} // namespace imhere
