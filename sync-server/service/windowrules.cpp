#include "windowrules.h"

#include "caller.h"

namespace imhere::server {

WindowTiming windowTimingAt(const Window& window, std::int64_t at, std::int64_t graceMs)
{
    if (!window.openedAt || at < *window.openedAt - graceMs)
        return WindowTiming::NotYetOpen;
    if (window.closedAt && at > *window.closedAt + graceMs)
        return WindowTiming::Closed;
    return WindowTiming::Open;
}

CheckInOutcome decideCheckIn(const CheckInEvent& event, const Window& window, std::optional<Role> role,
                             bool alreadyCheckedIn)
{
    if (!CourseAccess::takesPart(role))
        return CheckInOutcome::NotParticipant;
    if (!isOpenAt(window, event.at))
        return CheckInOutcome::WindowNotOpen;
    if (alreadyCheckedIn)
        return CheckInOutcome::AlreadyCheckedIn;
    return CheckInOutcome::Stored;
}

std::optional<std::int64_t> windowEnd(const Window& window, const Course& course)
{
    if (window.scheduledEnd)
        return window.scheduledEnd;
    const auto start = window.startMs();
    if (!start)
        return std::nullopt;
    return *start + std::int64_t{course.windowLengthMin} * 60'000;
}

std::optional<std::int64_t> closesAt(const Window& window, const Course& course)
{
    const auto end = windowEnd(window, course);
    if (!end)
        return std::nullopt;
    return *end + std::int64_t{course.closeGraceMin} * 60'000;
}

} // namespace imhere::server
