#pragma once
// Bearer secrets: API keys ("ak_…") and kiosk tokens ("kt_…"). Each is 32
// random bytes in base64url behind its kind prefix. The store keeps the first
// few characters in clear for lookup and a SHA-256 of the whole token; the
// secret itself is shown once. SHA-256 (not argon2) is right here: the token
// has 256 bits of entropy, so there is nothing to guess.

#include "core/encoding.h"

#include <string>
#include <string_view>

namespace imhere::server {

inline constexpr std::string_view k_apiKeyPrefix = "ak_";
inline constexpr std::string_view k_kioskTokenPrefix = "kt_";

struct IssuedToken {
    std::string token;  // shown once
    std::string lookup; // stored in clear
    Bytes hash;         // stored
};

[[nodiscard]] IssuedToken issueToken(std::string_view kindPrefix);
[[nodiscard]] std::string tokenLookup(std::string_view token);
[[nodiscard]] Bytes sha256(std::string_view text);

} // namespace imhere::server
