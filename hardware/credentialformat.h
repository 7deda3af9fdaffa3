#pragma once
// The shapes a badge credential may take, checked before it leaves a reader.
// Plain C++ so the kiosk, tests and tools share one definition.

#include "core/badgetoken.h"
#include "core/encoding.h"

#include <optional>
#include <string>
#include <string_view>

namespace imhere::hardware {

// Personal QR badge tokens are defined in core (the server issues them).
using imhere::isQrBadgeToken;
using imhere::k_qrBadgePrefix;
using imhere::newQrBadgeToken;

// A keyboard-wedge UID: k_wedgeMinUidChars..k_wedgeMaxUidChars of [0-9a-f]
// (decimal readers type digits only; hex readers are normalised to lowercase).
[[nodiscard]] bool isWedgeUid(std::string_view text);

// An ISO14443A UID written as hex (4, 7 or 10 bytes; either case).
[[nodiscard]] std::optional<Bytes> parseNfcUidHex(std::string_view text);

} // namespace imhere::hardware
