#include "rotatingcode.h"

#include "crypto.h"
#include "limits.h"

#include <algorithm>

namespace imhere {

namespace {

void putBigEndian(std::uint8_t* out, std::uint32_t v)
{
    out[0] = static_cast<std::uint8_t>(v >> 24);
    out[1] = static_cast<std::uint8_t>(v >> 16);
    out[2] = static_cast<std::uint8_t>(v >> 8);
    out[3] = static_cast<std::uint8_t>(v);
}

std::uint32_t getBigEndian(const std::uint8_t* in)
{
    return std::uint32_t{in[0]} << 24 | std::uint32_t{in[1]} << 16 | std::uint32_t{in[2]} << 8 | in[3];
}

std::array<std::uint8_t, RotatingCode::k_payloadBytes> payloadOf(const CodeFields& f)
{
    std::array<std::uint8_t, RotatingCode::k_payloadBytes> p{};
    std::copy(f.window.begin(), f.window.end(), p.begin());
    putBigEndian(p.data() + 16, f.kioskId);
    putBigEndian(p.data() + 20, f.step);
    return p;
}

Hmac macOf(std::span<const std::uint8_t> key, std::span<const std::uint8_t> payload)
{
    return hmacSha256(key, {asBytes(RotatingCode::k_context), payload});
}

} // namespace

std::string_view toString(CodeRejection rejection)
{
    switch (rejection) {
    case CodeRejection::Malformed: return "malformed";
    case CodeRejection::BadSignature: return "bad_signature";
    case CodeRejection::WrongWindow: return "wrong_window";
    case CodeRejection::Expired: return "expired";
    case CodeRejection::FromFuture: return "from_future";
    }
    return "unknown";
}

std::uint32_t RotatingCode::stepAt(std::int64_t unixMs)
{
    return static_cast<std::uint32_t>(std::max<std::int64_t>(0, unixMs) / limits::k_codeStepMs);
}

std::int64_t RotatingCode::msUntilNextStep(std::int64_t unixMs)
{
    return limits::k_codeStepMs - std::max<std::int64_t>(0, unixMs) % limits::k_codeStepMs;
}

std::string RotatingCode::generate(std::span<const std::uint8_t> kioskKey, const CodeFields& fields)
{
    const auto payload = payloadOf(fields);
    const Hmac mac = macOf(kioskKey, payload);
    std::array<std::uint8_t, k_codeBytes> code{};
    std::copy(payload.begin(), payload.end(), code.begin());
    std::copy_n(mac.begin(), k_macBytes, code.begin() + k_payloadBytes);
    return base64UrlEncode(code);
}

std::string RotatingCode::generateAt(std::span<const std::uint8_t> kioskKey, const WindowId& window,
                                     std::uint32_t kioskId, std::int64_t unixMs)
{
    return generate(kioskKey, CodeFields{window, kioskId, stepAt(unixMs)});
}

std::expected<CodeFields, CodeRejection> RotatingCode::parse(std::string_view code)
{
    // 36 bytes are exactly 48 base64 characters; anything else is not a code.
    if (code.size() != k_codeBytes / 3 * 4)
        return std::unexpected(CodeRejection::Malformed);
    const auto bytes = base64UrlDecode(code);
    if (!bytes || bytes->size() != k_codeBytes)
        return std::unexpected(CodeRejection::Malformed);
    CodeFields f;
    std::copy_n(bytes->begin(), 16, f.window.begin());
    f.kioskId = getBigEndian(bytes->data() + 16);
    f.step = getBigEndian(bytes->data() + 20);
    return f;
}

std::expected<CodeFields, CodeRejection> RotatingCode::verify(std::string_view code,
                                                              std::span<const std::uint8_t> kioskKey,
                                                              const WindowId& expectedWindow, std::int64_t nowMs)
{
    auto fields = parse(code);
    if (!fields)
        return fields;
    const auto bytes = base64UrlDecode(code);
    const auto mac = macOf(kioskKey, std::span(*bytes).first(k_payloadBytes));
    if (!constantTimeEqual(std::span(mac).first(k_macBytes), std::span(*bytes).subspan(k_payloadBytes)))
        return std::unexpected(CodeRejection::BadSignature);
    if (!constantTimeEqual(fields->window, expectedWindow))
        return std::unexpected(CodeRejection::WrongWindow);

    const std::int64_t stepStart = std::int64_t{fields->step} * limits::k_codeStepMs;
    const std::int64_t validFrom = stepStart - limits::k_codeGraceMs;
    const std::int64_t validUntil = stepStart + 2 * limits::k_codeStepMs + limits::k_codeGraceMs;
    if (nowMs < validFrom)
        return std::unexpected(CodeRejection::FromFuture);
    if (nowMs >= validUntil)
        return std::unexpected(CodeRejection::Expired);
    return fields;
}

} // namespace imhere
