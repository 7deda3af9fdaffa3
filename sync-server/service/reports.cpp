#include "reports.h"

#include <algorithm>
#include <set>

namespace imhere::server {

namespace {

bool isTrainee(Role role) { return role == Role::Student; }

std::optional<double> percent(int part, int whole)
{
    if (whole <= 0)
        return std::nullopt;
    return 100.0 * part / whole;
}

std::optional<CivilDate> dayOf(const Course& course, const Window& window)
{
    const auto start = window.startMs();
    if (!start)
        return std::nullopt;
    return localDate(course.timezone, *start);
}

bool operator<(const CivilDate& a, const CivilDate& b)
{
    return daysFromCivil(a.y, a.m, a.d) < daysFromCivil(b.y, b.m, b.d);
}

} // namespace

std::optional<double> Tally::attendancePercent() const { return percent(present, counted()); }
std::optional<double> Tally::onTimePercent() const { return percent(onTime, present); }

Tally tallyOf(const std::vector<const AttendanceRecord*>& records)
{
    Tally t;
    std::vector<int> late;
    std::set<std::string_view> people;
    for (const AttendanceRecord* r : records) {
        ++t.records;
        people.insert(r->person);
        for (Flag f : r->flags)
            ++t.flags[f];
        if (!r->status) {
            ++t.undecided;
            continue;
        }
        switch (*r->status) {
        case AttendanceStatus::OnTime:
            ++t.present;
            ++t.onTime;
            break;
        case AttendanceStatus::Late:
            ++t.present;
            ++t.late;
            late.push_back(r->minutesLate);
            break;
        case AttendanceStatus::Absent:
            ++t.absent;
            break;
        case AttendanceStatus::Excused:
            ++t.excused;
            break;
        }
        if (r->present && r->remote)
            ++t.remote;
    }
    t.people = static_cast<int>(people.size());
    if (!late.empty()) {
        double sum = 0;
        for (int m : late)
            sum += m;
        t.meanMinutesLate = sum / static_cast<double>(late.size());
        std::sort(late.begin(), late.end());
        const std::size_t mid = late.size() / 2;
        t.medianMinutesLate = late.size() % 2 == 1 ? late[mid] : (late[mid - 1] + late[mid]) / 2.0;
    }
    return t;
}

Tally tallyOf(const std::vector<AttendanceRecord>& records)
{
    std::vector<const AttendanceRecord*> all;
    all.reserve(records.size());
    for (const AttendanceRecord& r : records)
        all.push_back(&r);
    return tallyOf(all);
}

std::optional<CivilDate> weekOf(std::string_view zone, std::int64_t utcMs)
{
    const auto day = localDate(zone, utcMs);
    if (!day)
        return std::nullopt;
    const std::int64_t days = daysFromCivil(day->y, day->m, day->d);
    // 1970-01-01 was a Thursday, so (days + 3) mod 7 counts days since Monday.
    const std::int64_t sinceMonday = days + 3 - floorDiv(days + 3, 7) * 7;
    return civilFromDays(days - sinceMonday);
}

bool DateRange::contains(const CivilDate& day) const
{
    if (from && day < *from)
        return false;
    if (to && *to < day)
        return false;
    return true;
}

std::string_view tokenOf(AlertKind kind)
{
    switch (kind) {
    case AlertKind::LowAttendance:
        return "low_attendance";
    case AlertKind::AbsentRun:
        return "absent_run";
    }
    return "low_attendance";
}

CourseFigures courseFigures(const Course& course, const std::vector<Window>& windows,
                            const std::vector<AttendanceRecord>& records, const DateRange& range,
                            const AlertRules& rules)
{
    CourseFigures out;
    out.course = course;
    out.range = range;

    // Windows in range, by start (ad hoc windows not yet opened have none and are left out).
    std::map<std::string_view, std::size_t> windowIndex;
    std::vector<const Window*> inRange;
    for (const Window& w : windows) {
        const auto day = dayOf(course, w);
        if (day && range.contains(*day))
            inRange.push_back(&w);
    }
    std::stable_sort(inRange.begin(), inRange.end(),
                     [](const Window* a, const Window* b) { return *a->startMs() < *b->startMs(); });
    // The Monday of each window's week, once per window (a time zone
    // conversion), not once per record.
    std::vector<std::optional<std::int64_t>> mondayOf;
    mondayOf.reserve(inRange.size());
    for (const Window* w : inRange) {
        windowIndex.emplace(w->id, out.windows.size());
        out.windows.push_back(WindowFigures{*w, {}, {}});
        const auto monday = weekOf(course.timezone, *w->startMs());
        mondayOf.push_back(monday ? std::optional(daysFromCivil(monday->y, monday->m, monday->d)) : std::nullopt);
    }

    std::vector<std::vector<const AttendanceRecord*>> trainees(inRange.size()), volunteers(inRange.size());
    std::map<std::string_view, std::vector<const AttendanceRecord*>> byPerson;
    std::map<std::string_view, const AttendanceRecord*> firstOf;
    std::vector<const AttendanceRecord*> allTrainees, allVolunteers;
    std::map<std::int64_t, std::vector<const AttendanceRecord*>> byWeek; // days of the Monday
    for (const AttendanceRecord& r : records) {
        auto it = windowIndex.find(r.window);
        if (it == windowIndex.end())
            continue;
        const bool trainee = isTrainee(r.role);
        (trainee ? trainees : volunteers)[it->second].push_back(&r);
        (trainee ? allTrainees : allVolunteers).push_back(&r);
        byPerson[r.person].push_back(&r);
        firstOf.emplace(r.person, &r);
        if (trainee && mondayOf[it->second])
            byWeek[*mondayOf[it->second]].push_back(&r);
    }
    for (std::size_t i = 0; i < out.windows.size(); ++i) {
        out.windows[i].trainees = tallyOf(trainees[i]);
        out.windows[i].volunteers = tallyOf(volunteers[i]);
    }
    out.trainees = tallyOf(allTrainees);
    out.volunteers = tallyOf(allVolunteers);
    for (const auto& [days, week] : byWeek)
        out.weeks.push_back(WeekFigures{civilFromDays(days), tallyOf(week)});

    for (auto& [person, mine] : byPerson) {
        std::stable_sort(mine.begin(), mine.end(), [&](const AttendanceRecord* a, const AttendanceRecord* b) {
            return windowIndex.at(a->window) < windowIndex.at(b->window);
        });
        const AttendanceRecord& first = *firstOf.at(person);
        PersonFigures p{Member{first.person, first.displayName, first.role}, tallyOf(mine), 0, {}};
        for (auto it = mine.rbegin(); it != mine.rend(); ++it) {
            const auto& status = (*it)->status;
            if (!status || *status == AttendanceStatus::Excused)
                continue;
            if (*status != AttendanceStatus::Absent)
                break;
            ++p.absentRun;
            p.absentRunDays.push_back((*it)->windowStart.value_or(0));
        }
        std::ranges::reverse(p.absentRunDays); // oldest first
        if (isTrainee(first.role)) {
            const auto rate = p.tally.attendancePercent();
            if (rate && p.tally.counted() >= k_minWindowsForRate && *rate < rules.belowPercent) {
                Alert a{AlertKind::LowAttendance, p.member, *rate, p.absentRun, {}, {}};
                for (const AttendanceRecord* r : mine)
                    if (r->status == AttendanceStatus::Absent)
                        a.days.push_back(r->windowStart.value_or(0));
                out.alerts.push_back(std::move(a));
            }
            if (rules.absentRun > 0 && p.absentRun >= rules.absentRun)
                out.alerts.push_back(Alert{AlertKind::AbsentRun, p.member, rate.value_or(0), p.absentRun,
                                           p.absentRunDays, {}});
        }
        out.people.push_back(std::move(p));
    }
    for (Alert& a : out.alerts) {
        if (!a.days.empty())
            if (const auto day = localDate(course.timezone, a.days.front()))
                a.since = isoDate(*day);
    }
    std::stable_sort(out.people.begin(), out.people.end(), [](const PersonFigures& a, const PersonFigures& b) {
        const bool at = isTrainee(a.member.role), bt = isTrainee(b.member.role);
        if (at != bt)
            return at;
        return a.member.displayName < b.member.displayName;
    });
    std::stable_sort(out.alerts.begin(), out.alerts.end(), [](const Alert& a, const Alert& b) {
        return a.member.displayName < b.member.displayName;
    });
    return out;
}

} // namespace imhere::server
