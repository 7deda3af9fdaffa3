#include "wedgeparser.h"

#include "credentialformat.h"

#include <utility>

namespace imhere::hardware {

namespace {

// The fixed key map: what each key contributes to a UID, or 0 for a key that
// has no place in one. Shift is ignored (letters are lower-cased anyway).
char charForKey(unsigned code)
{
    switch (code) {
    case KEY_1: case KEY_KP1: return '1';
    case KEY_2: case KEY_KP2: return '2';
    case KEY_3: case KEY_KP3: return '3';
    case KEY_4: case KEY_KP4: return '4';
    case KEY_5: case KEY_KP5: return '5';
    case KEY_6: case KEY_KP6: return '6';
    case KEY_7: case KEY_KP7: return '7';
    case KEY_8: case KEY_KP8: return '8';
    case KEY_9: case KEY_KP9: return '9';
    case KEY_0: case KEY_KP0: return '0';
    case KEY_A: return 'a';
    case KEY_B: return 'b';
    case KEY_C: return 'c';
    case KEY_D: return 'd';
    case KEY_E: return 'e';
    case KEY_F: return 'f';
    default: return 0;
    }
}

bool isModifier(unsigned code)
{
    return code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT || code == KEY_CAPSLOCK || code == KEY_NUMLOCK;
}

} // namespace

std::chrono::microseconds WedgeParser::timestampOf(const input_event& event)
{
    return std::chrono::seconds(event.input_event_sec) + std::chrono::microseconds(event.input_event_usec);
}

std::optional<WedgeOutcome> WedgeParser::drop(std::string reason)
{
    WedgeOutcome outcome{WedgeOutcome::Kind::Dropped, std::move(m_typed), std::move(reason)};
    m_typed.clear();
    m_spoiled = false;
    m_pending = false;
    if (std::exchange(m_skipping, false)) {
        return std::nullopt; // the loss was reported when it happened
    }
    return outcome;
}

std::optional<WedgeOutcome> WedgeParser::expire(std::chrono::microseconds now)
{
    if (m_pending && now - m_lastKey > m_timeout) {
        return drop("no key for longer than the inter-key timeout");
    }
    return std::nullopt;
}

std::optional<std::chrono::microseconds> WedgeParser::deadline() const
{
    if (!m_pending) {
        return std::nullopt;
    }
    return m_lastKey + m_timeout;
}

std::optional<WedgeOutcome> WedgeParser::feed(const input_event& event)
{
    if (event.type == EV_SYN && event.code == SYN_DROPPED) {
        // The kernel lost events: what was typed is incomplete, and so is the
        // rest of this read, which is skipped up to its Enter (or a gap).
        auto outcome = drop("the input device dropped events");
        m_pending = true;
        m_spoiled = true;
        m_skipping = true;
        m_lastKey = timestampOf(event);
        return outcome;
    }
    // Only key presses matter: releases carry nothing and auto-repeat means
    // a stuck key, not a character the reader meant to type twice.
    if (event.type != EV_KEY || event.value != 1 || isModifier(event.code)) {
        return std::nullopt;
    }
    const auto now = timestampOf(event);
    std::optional<WedgeOutcome> dropped;
    if (m_pending && now - m_lastKey > m_timeout) {
        dropped = drop("no key for longer than the inter-key timeout");
    }

    if (event.code == KEY_ENTER || event.code == KEY_KPENTER) {
        if (dropped || !m_pending) {
            return dropped; // a stray Enter, or one that ends a dropped read
        }
        WedgeOutcome outcome{WedgeOutcome::Kind::Uid, std::move(m_typed), {}};
        const bool spoiled = m_spoiled;
        m_typed.clear();
        m_spoiled = false;
        m_pending = false;
        if (std::exchange(m_skipping, false)) {
            return std::nullopt;
        }
        if (spoiled) {
            outcome.kind = WedgeOutcome::Kind::Rejected;
            outcome.reason = "a key outside 0-9 and a-f, or more than the maximum length";
        } else if (!isWedgeUid(outcome.text)) {
            outcome.kind = WedgeOutcome::Kind::Rejected;
            outcome.reason = "too short for a UID";
        }
        return outcome;
    }

    m_pending = true;
    m_lastKey = now;
    const char c = charForKey(event.code);
    if (c == 0 || m_typed.size() >= limits::k_wedgeMaxUidChars) {
        m_spoiled = true;
    } else if (!m_spoiled) {
        m_typed.push_back(c);
    }
    return dropped;
}

} // namespace imhere::hardware
