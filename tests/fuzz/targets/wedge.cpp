// Fuzz target: the keyboard-wedge key parser (hardware/wedgeparser.h). Each
// 8 input bytes are one evdev event: type, code (2 bytes), value, and the
// microseconds since the previous event (4 bytes, the high bit asking for an
// expire() at that moment instead of an event).
//
// Properties: every UID it reports is a valid wedge UID; nothing is reported
// while nothing is pending; deadline() is never more than one timeout after
// the latest event (the clock here only moves forward).

#include "hardware/credentialformat.h"
#include "hardware/wedgeparser.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace imhere::hardware;

namespace {

void check(const std::optional<WedgeOutcome>& outcome)
{
    if (!outcome)
        return;
    if (outcome->kind == WedgeOutcome::Kind::Uid && !isWedgeUid(outcome->text))
        std::abort();
    if (outcome->kind != WedgeOutcome::Kind::Uid && outcome->reason.empty())
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    WedgeParser parser;
    std::int64_t nowUs = 1'700'000'000'000'000;
    for (std::size_t at = 0; at + 8 <= size; at += 8) {
        const std::uint8_t* e = data + at;
        std::uint32_t gap = 0;
        std::memcpy(&gap, e + 4, sizeof gap);
        nowUs += gap & 0x7FFF'FFFF;
        if (gap & 0x8000'0000) {
            const auto before = parser.deadline();
            const auto outcome = parser.expire(std::chrono::microseconds(nowUs));
            if (outcome && !before)
                std::abort();
            check(outcome);
            continue;
        }
        input_event event{};
        event.time.tv_sec = static_cast<decltype(event.time.tv_sec)>(nowUs / 1'000'000);
        event.time.tv_usec = static_cast<decltype(event.time.tv_usec)>(nowUs % 1'000'000);
        event.type = e[0] % 4; // EV_SYN, EV_KEY, EV_REL, EV_ABS: the kinds a wedge sends
        event.code = static_cast<std::uint16_t>(e[1] | e[2] << 8);
        if (e[0] & 0x80)
            event.code &= 0xFF; // mostly real key codes
        event.value = static_cast<std::int32_t>(e[3] % 3); // release, press, repeat
        check(parser.feed(event));
        if (const auto deadline = parser.deadline();
            deadline && *deadline > WedgeParser::timestampOf(event) + limits::k_wedgeInterKeyTimeout)
            std::abort();
    }
    return 0;
}
