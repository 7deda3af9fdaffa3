#pragma once
// The simulated reader's line protocol, kept apart from its I/O so tests and
// the demo can rely on one definition:
//   04a224b2c35e80        an NFC tap (hex UID, 4/7/10 bytes)
//   qr:imhere:b1:...      a QR badge shown to the camera
//   wedge:0012345678      a keyboard-wedge read
// Blank lines and lines starting with '#' are ignored.

#include "badgereader.h"

#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::hardware {

// nullopt for a blank or comment line; an error for a malformed one.
[[nodiscard]] std::optional<Result<BadgeRead>> parseSimulatedLine(std::string_view line);

// Splits a byte stream into lines, dropping any line longer than the limit
// (it is reported once, as an empty optional in the output).
class LineSplitter {
public:
    explicit LineSplitter(std::size_t maxLineBytes) : m_maxLineBytes(maxLineBytes) {}
    // Appends bytes; returns complete lines, nullopt for each dropped one.
    std::vector<std::optional<std::string>> feed(std::string_view bytes);

private:
    std::size_t m_maxLineBytes;
    std::string m_pending;
    bool m_overflowing = false;
};

} // namespace imhere::hardware
