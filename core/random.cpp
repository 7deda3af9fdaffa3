#include "random.h"

#include "crypto.h"

#include <sodium.h>

namespace imhere {

namespace {
constexpr std::string_view k_base32 = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::size_t k_publicIdLength = 10;
constexpr std::size_t k_uuidLength = 36;

bool isDash(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }
bool isLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
} // namespace

Bytes randomBytes(std::size_t count)
{
    ensureSodium();
    Bytes out(count);
    randombytes_buf(out.data(), out.size());
    return out;
}

std::string uuidFromBytes(std::span<const std::uint8_t> bytes)
{
    const std::string hex = hexEncode(bytes.first(16));
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4)
        + '-' + hex.substr(20);
}

std::string newUuidV4()
{
    Bytes b = randomBytes(16);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40); // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80); // RFC 9562 variant
    return uuidFromBytes(b);
}

bool isUuid(std::string_view text)
{
    if (text.size() != k_uuidLength)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (isDash(i) ? text[i] != '-' : !isLowerHex(text[i]))
            return false;
    }
    return true;
}

bool isUuidV4(std::string_view text)
{
    return isUuid(text) && text[14] == '4'
        && (text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b');
}

std::optional<Bytes> uuidBytes(std::string_view text)
{
    if (!isUuid(text))
        return std::nullopt;
    std::string hex;
    hex.reserve(32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!isDash(i))
            hex.push_back(text[i]);
    }
    return hexDecode(hex);
}

std::string newPublicId()
{
    // 32 divides 256, so taking each byte modulo 32 keeps the draw uniform.
    const Bytes b = randomBytes(k_publicIdLength);
    std::string id;
    id.reserve(k_publicIdLength);
    for (const std::uint8_t byte : b)
        id.push_back(k_base32[byte % k_base32.size()]);
    return id;
}

bool isPublicId(std::string_view text)
{
    if (text.size() != k_publicIdLength)
        return false;
    for (const char c : text) {
        if (k_base32.find(c) == std::string_view::npos)
            return false;
    }
    return true;
}

std::string randomToken(std::size_t byteCount)
{
    return base64UrlEncode(randomBytes(byteCount));
}

} // namespace imhere
