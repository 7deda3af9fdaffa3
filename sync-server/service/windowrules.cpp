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

} // namespace imhere::server
