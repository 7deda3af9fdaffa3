#pragma once
// Byte encodings used on the wire: base64url without padding, lowercase hex.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imhere {

using Bytes = std::vector<std::uint8_t>;

[[nodiscard]] std::string base64UrlEncode(std::span<const std::uint8_t> bytes);
// Strict: rejects padding, whitespace and characters outside the URL-safe alphabet.
[[nodiscard]] std::optional<Bytes> base64UrlDecode(std::string_view text);

[[nodiscard]] std::string hexEncode(std::span<const std::uint8_t> bytes);
// Strict: even length, [0-9a-f] only.
[[nodiscard]] std::optional<Bytes> hexDecode(std::string_view text);

// Without the spaces and tabs at either end.
[[nodiscard]] std::string_view trimBlanks(std::string_view text);

// A-Z to a-z, every other byte as it is (emails, header names, form tokens).
[[nodiscard]] std::string asciiLowercase(std::string_view text);

// True when `text` is well-formed UTF-8 with no overlong forms or surrogates.
[[nodiscard]] bool isValidUtf8(std::string_view text);

} // namespace imhere
