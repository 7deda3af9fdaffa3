#pragma once
// The personal QR badge (DESIGN §3, issue "hardware"): "imhere:b1:" followed
// by base64url (no padding) of k_qrTokenMinBytes..k_qrTokenMaxBytes random
// bytes issued by the server. The whole text is the credential a kiosk
// hashes with badgeHash(); the server keeps only that hash.

#include <cstddef>
#include <string>
#include <string_view>

namespace imhere {

inline constexpr std::string_view k_qrBadgePrefix = "imhere:b1:";
inline constexpr std::size_t k_qrTokenMinBytes = 10; // 80 bits
inline constexpr std::size_t k_qrTokenMaxBytes = 64;
inline constexpr std::size_t k_qrTokenIssuedBytes = 16;

[[nodiscard]] bool isQrBadgeToken(std::string_view text);
// A new token of k_qrTokenIssuedBytes random bytes (128 bits).
[[nodiscard]] std::string newQrBadgeToken();

} // namespace imhere
