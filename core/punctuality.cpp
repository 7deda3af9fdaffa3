#include "punctuality.h"

namespace imhere {

namespace {
constexpr std::int64_t k_msPerMinute = 60'000;
}

std::string_view toString(AttendanceStatus status)
{
    switch (status) {
    case AttendanceStatus::OnTime: return "on_time";
    case AttendanceStatus::Late: return "late";
    case AttendanceStatus::Absent: return "absent";
    case AttendanceStatus::Excused: return "excused";
    }
    return "absent";
}

std::optional<AttendanceStatus> attendanceStatusFromString(std::string_view text)
{
    for (auto s : {AttendanceStatus::OnTime, AttendanceStatus::Late, AttendanceStatus::Absent,
                   AttendanceStatus::Excused}) {
        if (toString(s) == text)
            return s;
    }
    return std::nullopt;
}

Punctuality assessCheckIn(const CourseTiming& timing, std::int64_t windowStartMs, std::int64_t checkInMs)
{
    const std::int64_t after = checkInMs - windowStartMs;
    if (after <= std::int64_t{timing.lateAfterMin} * k_msPerMinute)
        return {AttendanceStatus::OnTime, 0};
    const int minutes = static_cast<int>(after / k_msPerMinute);
    if (after <= std::int64_t{timing.absentAfterMin} * k_msPerMinute)
        return {AttendanceStatus::Late, minutes};
    return {AttendanceStatus::Absent, minutes};
}

} // namespace imhere
