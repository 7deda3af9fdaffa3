#pragma once
// The shapes a badge credential may take, checked before it leaves a reader.
// Plain C++ so the kiosk, tests and tools share one definition.

#include "core/encoding.h"

#include <optional>
#include <string>
#include <string_view>

namespace imhere::hardware {

// A personal QR badge carries "imhere:b1:" followed by base64url (no padding)
// of k_qrTokenMinBytes..k_qrTokenMaxBytes random bytes issued by the server.
// The whole text is the credential the kiosk hashes.
inline constexpr std::string_view k_qrBadgePrefix = "imhere:b1:";

[[nodiscard]] bool isQrBadgeToken(std::string_view text);
// A new token with 16 random bytes (128 bits), for enrolment and tests.
[[nodiscard]] std::string newQrBadgeToken();

// A keyboard-wedge UID: k_wedgeMinUidChars..k_wedgeMaxUidChars of [0-9a-f]
// (decimal readers type digits only; hex readers are normalised to lowercase).
[[nodiscard]] bool isWedgeUid(std::string_view text);

// An ISO14443A UID written as hex (4, 7 or 10 bytes; either case).
[[nodiscard]] std::optional<Bytes> parseNfcUidHex(std::string_view text);

} // namespace imhere::hardware
