#pragma once
// The rotating QR code a remote trainee scans from the kiosk's screen (DESIGN §4).
//
// code = base64url(window_id(16) ‖ kiosk_id(4, BE) ‖ step(4, BE) ‖
//                  HMAC-SHA256(K, "imhere/qr/v1" ‖ those 24 bytes)[0..12))
//
// A code of step s is accepted from 2 s before s begins until 2 s after s+1
// ends: the current and the previous step plus the grace on either side.

#include "encoding.h"
#include "result.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace imhere {

using WindowId = std::array<std::uint8_t, 16>;

enum class CodeRejection {
    Malformed,    // not base64url, or the wrong length
    BadSignature, // signed with another kiosk key, or altered
    WrongWindow,  // genuine, but for another attendance window
    Expired,      // older than the previous step plus grace
    FromFuture,   // a step that has not begun, beyond the grace
};

[[nodiscard]] std::string_view toString(CodeRejection rejection);

struct CodeFields {
    WindowId window{};
    std::uint32_t kioskId = 0;
    std::uint32_t step = 0;
};

class RotatingCode {
public:
    static constexpr std::size_t k_payloadBytes = 24;
    static constexpr std::size_t k_macBytes = 12;
    static constexpr std::size_t k_codeBytes = k_payloadBytes + k_macBytes;
    static constexpr std::string_view k_context = "imhere/qr/v1";

    [[nodiscard]] static std::uint32_t stepAt(std::int64_t unixMs);
    // Milliseconds until the code shown at `unixMs` is replaced.
    [[nodiscard]] static std::int64_t msUntilNextStep(std::int64_t unixMs);

    [[nodiscard]] static std::string generate(std::span<const std::uint8_t> kioskKey, const CodeFields& fields);
    [[nodiscard]] static std::string generateAt(std::span<const std::uint8_t> kioskKey, const WindowId& window,
                                                std::uint32_t kioskId, std::int64_t unixMs);

    // Reads the fields without checking the signature, so that a verifier can
    // look up the kiosk key by id. Only a Malformed rejection comes from here.
    [[nodiscard]] static std::expected<CodeFields, CodeRejection> parse(std::string_view code);

    // Full check: format, signature (constant time), window and time.
    [[nodiscard]] static std::expected<CodeFields, CodeRejection>
    verify(std::string_view code, std::span<const std::uint8_t> kioskKey, const WindowId& expectedWindow,
           std::int64_t nowMs);
};

} // namespace imhere
