#pragma once
// What a new password must be (docs/SECURITY.md, "Accounts"; OWASP ASVS
// 2.1): at least 12 characters, at most 1024 bytes, and not one of the
// common passwords in common-passwords.txt (compared without regard to
// case). No rules about kinds of characters: a long phrase is better than
// a short jumble.

#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

inline constexpr std::size_t k_minPasswordChars = 12;

// Why the password will not do, as a sentence fragment ("use at least 12
// characters"); nullopt when it will.
[[nodiscard]] std::optional<std::string> passwordProblem(std::string_view password);

// Whether the password (in any case) is on the list.
[[nodiscard]] bool isCommonPassword(std::string_view password);

} // namespace imhere::server
