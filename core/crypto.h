#pragma once
// libsodium initialisation and the few primitives imhere uses from it.

#include <array>
#include <initializer_list>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace imhere {

// Initialises libsodium once per process; cheap after the first call and safe
// from any thread. Aborts start-up if the library cannot initialise.
void ensureSodium();

using Hmac = std::array<std::uint8_t, 32>;

// HMAC-SHA256(key, parts[0] ‖ parts[1] ‖ ...).
[[nodiscard]] Hmac hmacSha256(std::span<const std::uint8_t> key,
                              std::initializer_list<std::span<const std::uint8_t>> parts);

using Key = std::array<std::uint8_t, 32>;

// A key for one job, derived from a 32-byte master key with libsodium's
// crypto_kdf (BLAKE2b-512 keyed by the master, salted with the context and
// personalised with the id): `context` is exactly 8 characters naming the
// family of keys, `id` the job within it. Knowing one derived key tells
// nothing of the master or of the others. Aborts on a master of another size.
[[nodiscard]] Key deriveKey(std::span<const std::uint8_t> master, std::string_view context, std::uint64_t id);

// Compares two equal-length byte strings in time independent of their content.
[[nodiscard]] bool constantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

[[nodiscard]] std::span<const std::uint8_t> asBytes(std::string_view text);

// uid_hash of a badge (DESIGN §3): lowercase hex of HMAC-SHA256(org badge key,
// raw credential), where the credential is a card UID or a QR badge token.
// Raw UIDs are never stored; only this hash is.
[[nodiscard]] std::string badgeHash(std::span<const std::uint8_t> badgeKey, std::span<const std::uint8_t> credential);

} // namespace imhere
