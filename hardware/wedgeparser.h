#pragma once
// Turns the key events a keyboard-wedge reader types into UIDs. Pure: no
// device, no clock of its own — it judges gaps by the events' timestamps, so
// tests can replay any timing exactly.
//
// Rules: digits (main row or keypad) and a-f (either case, stored lowercase)
// build the UID; Enter ends it; any other key spoils the read; a gap longer
// than the inter-key timeout drops what was typed so far (a half read); the
// result must be k_wedgeMinUidChars..k_wedgeMaxUidChars long.
//
// Thread rules: one parser per reader worker; not shared.

#include "hardwarelimits.h"

#include <chrono>
#include <linux/input.h>
#include <optional>
#include <string>

namespace imhere::hardware {

struct WedgeOutcome {
    enum class Kind {
        Uid,      // a complete, valid UID in `text`
        Dropped,  // a half read was discarded (timeout, lost events)
        Rejected, // Enter arrived but the read was not a valid UID
    };
    Kind kind = Kind::Uid;
    std::string text;   // the UID, or what had been typed
    std::string reason; // why it was dropped or rejected
};

class WedgeParser {
public:
    explicit WedgeParser(std::chrono::microseconds interKeyTimeout = limits::k_wedgeInterKeyTimeout)
        : m_timeout(interKeyTimeout) {}

    // Feeds one event; returns an outcome when this event completes or drops a read.
    std::optional<WedgeOutcome> feed(const input_event& event);
    // No event came until `now` (same clock as the events): drops a half read
    // whose last key is older than the timeout.
    std::optional<WedgeOutcome> expire(std::chrono::microseconds now);
    // When the pending half read will expire; nullopt when nothing is pending.
    [[nodiscard]] std::optional<std::chrono::microseconds> deadline() const;

    [[nodiscard]] static std::chrono::microseconds timestampOf(const input_event& event);

private:
    std::optional<WedgeOutcome> drop(std::string reason);

    std::chrono::microseconds m_timeout;
    std::string m_typed;
    bool m_spoiled = false;     // an unexpected key or too many characters
    std::chrono::microseconds m_lastKey{0};
    bool m_pending = false;     // any key since the last Enter
    bool m_skipping = false;    // after lost events: ignore up to Enter or a gap
};

} // namespace imhere::hardware
