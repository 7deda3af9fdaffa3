#include "timezone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace imhere {

namespace {

using Ms = std::chrono::milliseconds;

const date::time_zone* findZone(std::string_view name)
{
    if (name.empty() || name.size() > 64)
        return nullptr;
    try {
        return date::locate_zone(std::string(name));
    } catch (const std::exception&) {
        return nullptr;
    }
}

Result<const date::time_zone*> zoneOrError(std::string_view name)
{
    if (const auto* zone = findZone(name))
        return zone;
    return fail(Errc::UnknownTimezone, "unknown time zone \"" + std::string(name) + "\"");
}

} // namespace

bool isKnownTimezone(std::string_view name)
{
    return findZone(name) != nullptr;
}

Result<std::int64_t> utcFromLocal(std::string_view zoneName, const LocalDateTime& l)
{
    TRY_ASSIGN(zone, zoneOrError(zoneName));
    const date::year_month_day ymd{date::year{l.year}, date::month{static_cast<unsigned>(l.month)},
                                   date::day{static_cast<unsigned>(l.day)}};
    if (!ymd.ok() || l.hour < 0 || l.hour > 23 || l.minute < 0 || l.minute > 59 || l.second < 0 || l.second > 59)
        return fail(Errc::InvalidTime, "not a valid date and time");
    const auto localTime = date::local_days{ymd} + std::chrono::hours{l.hour} + std::chrono::minutes{l.minute}
        + std::chrono::seconds{l.second};
    const auto info = zone->get_info(localTime);
    date::sys_seconds utc;
    switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous: // first occurrence: the earlier offset
        utc = date::sys_seconds{localTime.time_since_epoch()} - info.first.offset;
        break;
    case date::local_info::nonexistent: // shift forward by the gap
        utc = date::sys_seconds{localTime.time_since_epoch()} - info.first.offset;
        break;
    }
    return std::chrono::duration_cast<Ms>(utc.time_since_epoch()).count();
}

Result<LocalDateTime> localFromUtc(std::string_view zoneName, std::int64_t utcMs)
{
    TRY_ASSIGN(zone, zoneOrError(zoneName));
    const date::sys_time<Ms> instant{Ms{utcMs}};
    const auto local = zone->to_local(instant);
    const auto days = date::floor<date::days>(local);
    const date::year_month_day ymd{days};
    const date::hh_mm_ss<Ms> tod{local - days};
    return LocalDateTime{static_cast<int>(ymd.year()),        static_cast<int>(unsigned(ymd.month())),
                         static_cast<int>(unsigned(ymd.day())), static_cast<int>(tod.hours().count()),
                         static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count())};
}

std::string formatLocalTime(std::string_view zone, std::int64_t utcMs)
{
    const auto l = localFromUtc(zone, utcMs);
    if (!l)
        return "--:--";
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", l->hour % 100, l->minute % 100);
    return buf;
}

std::string formatLocalDateTime(std::string_view zone, std::int64_t utcMs)
{
    const auto l = localFromUtc(zone, utcMs);
    if (!l)
        return "----------";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", l->year % 10000, l->month % 100, l->day % 100,
                  l->hour % 100, l->minute % 100);
    return buf;
}

} // namespace imhere
