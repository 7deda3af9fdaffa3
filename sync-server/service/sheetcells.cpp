#include "sheetcells.h"

#include "core/encoding.h"

#include <algorithm>

namespace imhere::server {

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t daysFromCivil(int y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civilFromDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0)), static_cast<int>(m),
            static_cast<int>(d)};
}

static bool validDate(int y, int m, int d)
{
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    const auto back = civilFromDays(daysFromCivil(y, m, d));
    return back.y == y && back.m == m && back.d == d;
}

// Reads exactly `n` digits at `pos`.
static std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n)
{
    if (pos + n > s.size())
        return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static std::string twoDigits(int v)
{
    return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}

std::string isoDate(const CivilDate& c)
{
    return std::to_string(c.y) + "-" + twoDigits(c.m) + "-" + twoDigits(c.d);
}

std::optional<CivilDate> parseIsoDate(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    const auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (!y || !m || !d || !validDate(*y, *m, *d))
        return std::nullopt;
    return CivilDate{*y, *m, *d};
}

// A date as sheets keep it: 2026-10-06 or 06/10/2026 (day first).
std::optional<CivilDate> parseSheetDate(std::string_view s)
{
    if (auto iso = parseIsoDate(s))
        return iso;
    if (s.size() == 10 && s[2] == '/' && s[5] == '/') {
        const auto d = digits(s, 0, 2), m = digits(s, 3, 2), y = digits(s, 6, 4);
        if (d && m && y && validDate(*y, *m, *d))
            return CivilDate{*y, *m, *d};
    }
    return std::nullopt;
}

// HH:MM or HH:MM:SS → seconds after midnight.
std::optional<int> parseClock(std::string_view s)
{
    if (s.size() != 5 && s.size() != 8)
        return std::nullopt;
    const auto h = digits(s, 0, 2), m = digits(s, 3, 2);
    if (!h || !m || s[2] != ':' || *h > 23 || *m > 59)
        return std::nullopt;
    int sec = 0;
    if (s.size() == 8) {
        const auto ss = digits(s, 6, 2);
        if (s[5] != ':' || !ss || *ss > 59)
            return std::nullopt;
        sec = *ss;
    }
    return *h * 3600 + *m * 60 + sec;
}

std::optional<LocalDateTime> localOf(const CivilDate& date, int secondOfDay)
{
    return LocalDateTime{date.y, date.m, date.d, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60};
}

// A sheet's timestamp: RFC 3339, or a local "date time" in the course's zone.
std::optional<std::int64_t> parseSheetTimestamp(std::string_view s, std::string_view zone)
{
    if (auto utc = parseRfc3339(s))
        return utc;
    const auto space = s.find_first_of(" T");
    if (space == std::string_view::npos)
        return std::nullopt;
    const auto date = parseSheetDate(s.substr(0, space));
    const auto clock = parseClock(s.substr(space + 1));
    if (!date || !clock)
        return std::nullopt;
    auto utc = utcFromLocal(zone, *localOf(*date, *clock));
    return utc ? std::optional(*utc) : std::nullopt;
}

std::string trimmed(std::string_view s)
{
    return std::string(trimBlanks(s));
}

bool isPlainText(std::string_view s, std::size_t maxBytes)
{
    return s.size() <= maxBytes && isValidUtf8(s)
        && std::ranges::none_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

bool looksLikeEmail(std::string_view s)
{
    const auto at = s.find('@');
    return s.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < s.size()
        && s.find_first_of(" ,;<>") == std::string_view::npos && isPlainText(s, 254);
}

std::optional<CivilDate> localDate(std::string_view zone, std::int64_t utcMs)
{
    auto local = localFromUtc(zone, utcMs);
    if (!local)
        return std::nullopt;
    return CivilDate{local->year, local->month, local->day};
}

std::optional<std::int64_t> parseRfc3339(std::string_view s)
{
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
    if (s.size() < 20)
        return std::nullopt;
    const auto date = parseIsoDate(s.substr(0, 10));
    if (!date || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return std::nullopt;
    const auto clock = parseClock(s.substr(11, 8));
    if (!clock)
        return std::nullopt;
    std::size_t pos = 19;
    int millis = 0;
    if (s[pos] == '.') {
        std::size_t n = 0;
        for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n) {
            if (n < 3)
                millis = millis * 10 + (s[pos] - '0');
        }
        if (n == 0)
            return std::nullopt;
        for (; n < 3; ++n)
            millis *= 10;
    }
    std::int64_t offsetSec = 0;
    const auto zone = s.substr(pos);
    if (zone == "Z" || zone == "z") {
        offsetSec = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        const auto h = digits(zone, 1, 2), m = digits(zone, 4, 2);
        if (!h || !m || *h > 23 || *m > 59)
            return std::nullopt;
        offsetSec = (*h * 3600 + *m * 60) * (zone[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const std::int64_t local = daysFromCivil(date->y, date->m, date->d) * 86'400 + *clock;
    return (local - offsetSec) * 1000 + millis;
}

std::string formatRfc3339(std::int64_t utcMs)
{
    const std::int64_t sec = floorDiv(utcMs, 1000);
    const auto date = civilFromDays(floorDiv(sec, 86'400));
    const auto s = static_cast<int>(sec - floorDiv(sec, 86'400) * 86'400);
    return isoDate(date) + "T" + twoDigits(s / 3600) + ":" + twoDigits(s / 60 % 60) + ":" + twoDigits(s % 60) + "Z";
}

std::optional<int> parseClassStart(std::string_view text)
{
    const auto seconds = parseClock(text);
    if (!seconds || text.size() != 5)
        return std::nullopt;
    return *seconds / 60;
}

} // namespace imhere::server
