#pragma once
// Identifiers and secrets from libsodium's CSPRNG.

#include "encoding.h"

#include <string>
#include <string_view>

namespace imhere {

[[nodiscard]] Bytes randomBytes(std::size_t count);

// A random (version 4, RFC 9562) UUID in lowercase canonical form.
[[nodiscard]] std::string newUuidV4();
[[nodiscard]] bool isUuid(std::string_view text);   // any version, canonical lowercase
[[nodiscard]] bool isUuidV4(std::string_view text);
// The 16 bytes of a canonical UUID string; nullopt when it is not one.
[[nodiscard]] std::optional<Bytes> uuidBytes(std::string_view text);
[[nodiscard]] std::string uuidFromBytes(std::span<const std::uint8_t> bytes);

// A person's public id: 10 random base32 characters (50 bits), never derived
// from a name or email (DESIGN §3).
[[nodiscard]] std::string newPublicId();
[[nodiscard]] bool isPublicId(std::string_view text);

// `byteCount` random bytes as base64url: API keys, session and kiosk tokens.
[[nodiscard]] std::string randomToken(std::size_t byteCount);

} // namespace imhere
