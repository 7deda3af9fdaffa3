#pragma once
// Reading and writing the cells of a spreadsheet register (tracker.h):
// calendar dates without a time zone library's help, the date and time
// forms sheets keep, RFC 3339 timestamps, and text cells.
//
// Thread rules: plain functions of their arguments.

#include "core/timezone.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

// A day of the proleptic Gregorian calendar.
struct CivilDate {
    int y = 1970;
    int m = 1;
    int d = 1;
};

// Division rounding toward negative infinity.
[[nodiscard]] std::int64_t floorDiv(std::int64_t a, std::int64_t b);
// Days since 1970-01-01, and back.
[[nodiscard]] std::int64_t daysFromCivil(int y, int m, int d);
[[nodiscard]] CivilDate civilFromDays(std::int64_t days);
// YYYY-MM-DD, and a strict reading of it (a real date only).
[[nodiscard]] std::string isoDate(const CivilDate& date);
[[nodiscard]] std::optional<CivilDate> parseIsoDate(std::string_view text);
// A date as sheets keep it: 2026-10-06 or 06/10/2026 (day first).
[[nodiscard]] std::optional<CivilDate> parseSheetDate(std::string_view text);
// HH:MM or HH:MM:SS → seconds after midnight.
[[nodiscard]] std::optional<int> parseClock(std::string_view text);
// That day at `secondOfDay`, as a wall-clock time.
[[nodiscard]] std::optional<LocalDateTime> localOf(const CivilDate& date, int secondOfDay);
// The local day of an instant in `zone`.
[[nodiscard]] std::optional<CivilDate> localDate(std::string_view zone, std::int64_t utcMs);

// RFC 3339 ("2026-10-06T18:03:00Z", "...+01:00", fractions allowed) → UTC ms.
[[nodiscard]] std::optional<std::int64_t> parseRfc3339(std::string_view text);
// UTC ms → "2026-10-06T17:03:00Z".
[[nodiscard]] std::string formatRfc3339(std::int64_t utcMs);
// A sheet's timestamp: RFC 3339, or a local "date time" in `zone`.
[[nodiscard]] std::optional<std::int64_t> parseSheetTimestamp(std::string_view text, std::string_view zone);
// "18:00" → 1080 minutes after midnight; nullopt unless HH:MM.
[[nodiscard]] std::optional<int> parseClassStart(std::string_view text);

// Without the spaces and tabs around it.
[[nodiscard]] std::string trimmed(std::string_view text);
// UTF-8 of at most `maxBytes` with no control characters.
[[nodiscard]] bool isPlainText(std::string_view text, std::size_t maxBytes);
[[nodiscard]] bool looksLikeEmail(std::string_view text);

} // namespace imhere::server
