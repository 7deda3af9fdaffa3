#pragma once
// An opened evdev input device: the fd and libevdev's view of it, released
// together. Used by the wedge reader and by device discovery.
//
// Thread rules: owned by one thread at a time.

#include "uniquefd.h"

#include "core/result.h"

#include <memory>
#include <string>
#include <vector>

struct libevdev;

namespace imhere::hardware {

class EvdevDevice {
public:
    // Opens read-only and non-blocking. Errors: "open_failed", "not_evdev".
    static Result<EvdevDevice> open(const std::string& path);

    [[nodiscard]] int fd() const { return m_fd.get(); }
    [[nodiscard]] std::string name() const;
    // Has Enter and the digit keys: could be a keyboard or a wedge reader.
    [[nodiscard]] bool typesDigits() const;
    // EVIOCGRAB: no other client (console, compositor) sees its keys.
    [[nodiscard]] Result<void> grab();
    // Event timestamps on CLOCK_MONOTONIC, so wall-clock jumps cannot fake
    // or hide an inter-key gap.
    [[nodiscard]] Result<void> useMonotonicClock();

private:
    struct Free {
        void operator()(libevdev* dev) const;
    };
    // Declared before m_dev so libevdev is freed before its fd is closed.
    UniqueFd m_fd;
    std::unique_ptr<libevdev, Free> m_dev;
};

// Heuristic for set-up tools: names that wedge readers commonly report.
[[nodiscard]] bool nameSuggestsBadgeReader(const std::string& name);

} // namespace imhere::hardware

namespace imhere::hardware {

// An input device that types digits and Enter: a keyboard or a wedge reader.
struct KeyboardCandidate {
    std::string path; // a stable /dev/input/by-id path where there is one
    std::string name;
    bool looksLikeBadgeReader = false;
};

// Devices the current user may open; others are skipped (see HARDWARE.md for
// the udev rule that grants the kiosk's user access).
[[nodiscard]] std::vector<KeyboardCandidate> listKeyboardCandidates();

} // namespace imhere::hardware
