#include "crypto.h"

#include "encoding.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace imhere {

void ensureSodium()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) {
            std::fputs("imhere: libsodium failed to initialise\n", stderr);
            std::abort();
        }
    });
}

Hmac hmacSha256(std::span<const std::uint8_t> key,
                std::initializer_list<std::span<const std::uint8_t>> parts)
{
    ensureSodium();
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key.data(), key.size());
    for (const auto part : parts)
        crypto_auth_hmacsha256_update(&state, part.data(), part.size());
    Hmac out{};
    crypto_auth_hmacsha256_final(&state, out.data());
    sodium_memzero(&state, sizeof state);
    return out;
}

bool constantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b)
{
    ensureSodium();
    if (a.size() != b.size())
        return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::span<const std::uint8_t> asBytes(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string badgeHash(std::span<const std::uint8_t> badgeKey, std::span<const std::uint8_t> credential)
{
    return hexEncode(hmacSha256(badgeKey, {credential}));
}

} // namespace imhere
