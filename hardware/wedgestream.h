#pragma once
// Reads struct input_event records from a file descriptor — an evdev device,
// or a pipe in tests — and feeds them to a WedgeParser, waking up on its own
// to drop a half read when the reader falls silent mid-UID.
//
// Thread rules: runs on the calling (worker) thread until stopped or the fd
// fails; `onOutcome` is called on that thread.

#include "uniquefd.h"
#include "wedgeparser.h"

#include <functional>
#include <string>

namespace imhere::hardware {

struct WedgeStreamEnd {
    bool stopped = false; // true: the stop signal fired; false: the device failed
    std::string error;    // why the device failed (unplugged, read error)
};

// `clockId` is the clock of the events' timestamps (CLOCK_MONOTONIC once the
// evdev clock is switched, see WedgeReader).
WedgeStreamEnd runWedgeStream(int fd, WedgeParser& parser, const StopSignal& stop,
                              const std::function<void(const WedgeOutcome&)>& onOutcome,
                              int clockId);

} // namespace imhere::hardware
