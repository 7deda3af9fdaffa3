#pragma once
// When a window takes check-ins, and whether one check-in is stored: the one
// place these rules are written, for check-ins made on the server (API, web
// pages, /q/), the group-commit writer and kiosk sync alike.

#include "sync-server/store/model.h"

#include <cstdint>
#include <optional>

namespace imhere::server {

enum class WindowTiming { Open, NotYetOpen, Closed };

// Where `at` falls for `window`: open from its opening to its closing, both
// included. `graceMs` widens both edges, for times read from a kiosk's clock
// (corrected by the server's offset, but still a little off); times read
// from the server's own clock use none.
[[nodiscard]] WindowTiming windowTimingAt(const Window& window, std::int64_t at, std::int64_t graceMs = 0);
[[nodiscard]] inline bool isOpenAt(const Window& window, std::int64_t at)
{
    return windowTimingAt(window, at) == WindowTiming::Open;
}

// A window's end: its own, else its start plus the course's window length;
// none while it has no start. The server closes a window still open at its
// end plus the course's grace (closeDueWindows, attendance.h).
[[nodiscard]] std::optional<std::int64_t> windowEnd(const Window& window, const Course& course);
[[nodiscard]] std::optional<std::int64_t> closesAt(const Window& window, const Course& course);

// Stored, or why not: students and TAs check in, once per window, while it is open.
// `role` is the person's role in the window's course; `alreadyCheckedIn`
// counts check-ins stored earlier in the same group (Store::commitCheckIns).
[[nodiscard]] CheckInOutcome decideCheckIn(const CheckInEvent& event, const Window& window, std::optional<Role> role,
                                           bool alreadyCheckedIn);

} // namespace imhere::server
