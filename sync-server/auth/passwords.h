#pragma once
// argon2id hashing of passwords and PINs (libsodium crypto_pwhash_str).
//
// Passwords: libsodium's INTERACTIVE limits (t=2, 64 MiB), above OWASP's
// argon2id minimum (19 MiB, t=2). PINs: OWASP's minimum (19 MiB, t=2); the
// kiosk verifies them offline on modest hardware, and a short PIN's real
// protection is the kiosk's lockout after 5 wrong tries (DESIGN §8).
// Hashes made with other parameters verify and are replaced on next login.

#include "core/result.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace imhere::server {

struct HashCost {
    unsigned long long opsLimit;
    std::size_t memLimitBytes;
};

inline constexpr HashCost k_passwordCost{2, 64ULL << 20};
inline constexpr HashCost k_pinCost{2, 19ULL << 20};

[[nodiscard]] Result<std::string> hashSecret(std::string_view secret, HashCost cost);
[[nodiscard]] bool verifySecret(const std::string& hash, std::string_view secret);
// True when `hash` was made with other parameters than `cost`.
[[nodiscard]] bool needsRehash(const std::string& hash, HashCost cost);

// A random password people can type: 20 characters from a 31-letter
// alphabet without look-alikes (about 99 bits).
[[nodiscard]] std::string generatePassword();
// A random 6-digit PIN.
[[nodiscard]] std::string generatePin();

} // namespace imhere::server
