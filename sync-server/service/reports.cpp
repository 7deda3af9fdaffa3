#include "reports.h"

#include <cmath>
#include <set>

namespace imhere::server {

namespace {

bool counts(const AttendanceRecord& r)
{
    return r.status && *r.status != AttendanceStatus::Excused;
}

std::optional<double> percent(int part, int whole)
{
    if (whole == 0)
        return std::nullopt;
    return std::round(1000.0 * part / whole) / 10.0;
}

} // namespace

WindowReport windowReport(std::span<const AttendanceRecord> records)
{
    WindowReport out;
    for (const auto& r : records) {
        ++out.people;
        if (!r.status)
            continue;
        switch (*r.status) {
        case AttendanceStatus::OnTime: ++out.onTime; break;
        case AttendanceStatus::Late: ++out.late; break;
        case AttendanceStatus::Absent: ++out.absent; break;
        case AttendanceStatus::Excused: ++out.excused; break;
        }
        if (r.present) {
            ++out.present;
            out.remote += r.remote ? 1 : 0;
        }
    }
    return out;
}

PersonFigures personFigures(std::span<const AttendanceRecord> records)
{
    PersonFigures out;
    for (const auto& r : records) {
        if (!counts(r))
            continue;
        ++out.counted;
        out.present += r.present ? 1 : 0;
        out.onTime += r.status == AttendanceStatus::OnTime ? 1 : 0;
    }
    out.attendancePct = percent(out.present, out.counted);
    out.onTimePct = percent(out.onTime, out.counted);
    return out;
}

WeekFigures weekFigures(std::span<const AttendanceRecord> records)
{
    WeekFigures out;
    std::set<std::string> people;
    int present = 0, onTime = 0;
    for (const auto& r : records) {
        people.insert(r.person);
        if (!counts(r))
            continue;
        ++out.counted;
        present += r.present ? 1 : 0;
        onTime += r.status == AttendanceStatus::OnTime ? 1 : 0;
    }
    out.people = static_cast<int>(people.size());
    out.attendancePct = percent(present, out.counted);
    out.onTimePct = percent(onTime, out.counted);
    return out;
}

} // namespace imhere::server
