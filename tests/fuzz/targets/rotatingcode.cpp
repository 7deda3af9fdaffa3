// Fuzz target: the rotating-code verifier (core/rotatingcode.h), as the server
// meets a code a phone sends. The first 8 bytes pick the verifier's clock.
//
// Properties: parse() and verify() agree on which codes are well formed; a code
// verify() accepts carries the fields parse() read and re-generates to itself
// under the key; a code accepted under one key is refused under another.

#include "core/limits.h"
#include "core/rotatingcode.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

using namespace imhere;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::int64_t nowMs = 0;
    if (size >= sizeof nowMs) {
        std::memcpy(&nowMs, data, sizeof nowMs);
        data += sizeof nowMs;
        size -= sizeof nowMs;
    }
    const std::string_view code(reinterpret_cast<const char*>(data), size);
    static const std::uint8_t key[32] = {7, 1, 2, 3};
    static const std::uint8_t otherKey[32] = {8, 1, 2, 3};

    const auto fields = RotatingCode::parse(code);
    WindowId window{};
    if (fields)
        window = fields->window;
    const auto verdict = RotatingCode::verify(code, key, window, nowMs);
    if (!fields) {
        if (verdict || verdict.error() != CodeRejection::Malformed)
            std::abort();
        return 0;
    }
    if (verdict) {
        if (verdict->step != fields->step || verdict->kioskId != fields->kioskId || verdict->window != window)
            std::abort();
        if (RotatingCode::generate(key, *fields) != code)
            std::abort();
        if (RotatingCode::verify(code, otherKey, window, nowMs))
            std::abort();
    }
    // A genuine code for the same fields verifies at the start of its own step.
    const auto genuine = RotatingCode::generate(key, *fields);
    const std::int64_t stepStartMs = std::int64_t{fields->step} * limits::k_codeStepMs;
    if (!RotatingCode::verify(genuine, key, window, stepStartMs))
        std::abort();
    return 0;
}
