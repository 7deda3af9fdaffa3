#include "credentialformat.h"

#include "hardwarelimits.h"

#include <algorithm>

namespace imhere::hardware {

bool isWedgeUid(std::string_view text)
{
    if (text.size() < limits::k_wedgeMinUidChars || text.size() > limits::k_wedgeMaxUidChars) {
        return false;
    }
    return std::ranges::all_of(text, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<Bytes> parseNfcUidHex(std::string_view text)
{
    std::string lower(text);
    std::ranges::transform(lower, lower.begin(), [](char c) {
        return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    auto bytes = hexDecode(lower);
    if (!bytes || (bytes->size() != 4 && bytes->size() != 7 && bytes->size() != 10)) {
        return std::nullopt;
    }
    return bytes;
}

} // namespace imhere::hardware
