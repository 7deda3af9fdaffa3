#pragma once
// Conversions between UTC instants and wall-clock time in a course's IANA
// time zone. Windows are stored in UTC and shown in the course's zone.

#include "result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace imhere {

struct LocalDateTime {
    int year = 1970;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
};

[[nodiscard]] bool isKnownTimezone(std::string_view name);

// The UTC instant of a wall-clock time in `zone`. A time skipped by a DST
// change is moved forward by the gap (02:30 on a spring-forward night becomes
// 03:30); a repeated time takes its first occurrence.
[[nodiscard]] Result<std::int64_t> utcFromLocal(std::string_view zone, const LocalDateTime& local);

[[nodiscard]] Result<LocalDateTime> localFromUtc(std::string_view zone, std::int64_t utcMs);

// "HH:MM" in `zone`; "--:--" when the zone is unknown.
[[nodiscard]] std::string formatLocalTime(std::string_view zone, std::int64_t utcMs);
// "YYYY-MM-DD HH:MM" in `zone`.
[[nodiscard]] std::string formatLocalDateTime(std::string_view zone, std::int64_t utcMs);

} // namespace imhere
