#include "attendancefold.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>

namespace imhere::server {

namespace {

// Facts arrive in the order the store recorded them; events stamped in the
// same millisecond (a flag set and cleared in one click's time) keep that
// order rather than the random order of their ids.
template <class T>
void sortByTime(std::vector<T>& facts)
{
    std::ranges::stable_sort(facts, {}, &T::at);
}

bool hasSharedBase(const std::vector<CorrectionFact>& corrections)
{
    std::set<std::string> seen;
    for (const auto& c : corrections) {
        if (c.base && !seen.insert(*c.base).second)
            return true;
    }
    return false;
}

} // namespace

bool enrolledIn(const Window& window, const std::vector<EnrolmentSpan>& spans, const RecordEvents& events)
{
    return enrolledIn(window, spans, !events.checkIns.empty() || !events.corrections.empty());
}

bool enrolledIn(const Window& window, const std::vector<EnrolmentSpan>& spans, bool attended)
{
    if (spans.empty() || attended)
        return true;
    const auto start = window.startMs();
    if (!start)
        return true; // never opened nor scheduled: nothing to count yet
    const std::int64_t end = window.closedAt.value_or(INT64_MAX);
    return std::ranges::any_of(spans, [&](const EnrolmentSpan& s) {
        return s.joined <= end && (!s.left || *s.left > *start);
    });
}

AttendanceRecord foldRecord(const Course& course, const Window& window, const Member& member, RecordEvents events)
{
    sortByTime(events.checkIns);
    sortByTime(events.corrections);
    sortByTime(events.flags);

    AttendanceRecord r;
    r.person = member.publicId;
    r.displayName = member.displayName;
    r.role = member.role;
    r.window = window.id;
    r.windowTitle = window.title;
    r.windowStart = window.startMs();

    std::optional<Punctuality> punctuality;
    if (!events.checkIns.empty()) {
        const auto& first = events.checkIns.front();
        r.firstCheckIn = first.at;
        r.source = first.source;
        r.remote = first.source == CheckInSource::QrRemote;
        const auto start = window.startMs().value_or(first.at);
        punctuality = assessCheckIn(CourseTiming{course.lateAfterMin, course.absentAfterMin}, start, first.at);
        r.present = punctuality->status != AttendanceStatus::Absent;
    }
    if (!events.corrections.empty()) {
        r.corrected = true;
        r.present = events.corrections.back().present;
        r.needsReview = hasSharedBase(events.corrections);
    }

    const bool excused = !events.corrections.empty() && events.corrections.back().excused;
    if (excused) {
        r.status = AttendanceStatus::Excused;
        r.minutesLate = 0;
    } else if (r.present && punctuality) {
        // A volunteer's "present" over a very late check-in makes it late.
        r.status = punctuality->status == AttendanceStatus::Absent ? AttendanceStatus::Late : punctuality->status;
        r.minutesLate = punctuality->minutesLate;
    } else if (r.present) {
        r.status = AttendanceStatus::OnTime;
        r.source = CheckInSource::Manual;
    } else if (window.closedAt || r.corrected || punctuality) {
        r.status = AttendanceStatus::Absent;
        r.minutesLate = 0;
    }

    std::array<bool, 4> standing{};
    for (const auto& f : events.flags)
        standing[static_cast<std::size_t>(f.flag)] = f.set;
    for (std::size_t i = 0; i < standing.size(); ++i) {
        if (standing[i])
            r.flags.push_back(static_cast<Flag>(i));
    }

    std::optional<std::pair<std::int64_t, std::string>> last;
    auto consider = [&](std::int64_t at, const std::string& id) {
        if (!last || std::pair(at, id) > *last)
            last = std::pair(at, id);
    };
    for (const auto& c : events.checkIns)
        consider(c.at, c.id);
    for (const auto& c : events.corrections)
        consider(c.at, c.id);
    for (const auto& f : events.flags)
        consider(f.at, f.id);
    if (last)
        r.lastEvent = last->second;
    return r;
}

} // namespace imhere::server
