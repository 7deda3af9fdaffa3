#pragma once
// argon2id hashing of passwords and PINs (libsodium crypto_pwhash_str).
//
// Passwords: libsodium's INTERACTIVE limits (t=2, 64 MiB), above OWASP's
// argon2id minimum (19 MiB, t=2). Hashes made with other parameters verify
// and are replaced on next login.
//
// PINs: 8 digits under t=3, 64 MiB. At a kiosk the lockout stops guessing
// (5 tries, then 5 minutes and longer, DESIGN §8); the hash matters when a
// kiosk is stolen and its PIN hashes are attacked offline. One guess then
// costs about 0.1 s of a core and 64 MiB, so the 10^8 PINs take thousands of
// core-hours (docs/SECURITY.md has the measured figures, and
// bench_server_pin_guess measures them): days on a large machine, time
// enough to revoke the kiosk and make new PINs. The kiosk verifies whatever
// parameters a hash names, so older 6-digit PINs keep working until their
// holder makes a new one.

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
inline constexpr HashCost k_pinCost{3, 64ULL << 20};
inline constexpr int k_pinDigits = 8;

[[nodiscard]] Result<std::string> hashSecret(std::string_view secret, HashCost cost);
[[nodiscard]] bool verifySecret(const std::string& hash, std::string_view secret);
// True when `hash` was made with other parameters than `cost`.
[[nodiscard]] bool needsRehash(const std::string& hash, HashCost cost);

// A random password people can type: 20 characters from a 31-letter
// alphabet without look-alikes (about 99 bits).
[[nodiscard]] std::string generatePassword();
// A random PIN of k_pinDigits digits.
[[nodiscard]] std::string generatePin();

} // namespace imhere::server
