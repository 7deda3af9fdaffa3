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

Key deriveKey(std::span<const std::uint8_t> master, std::string_view context, std::uint64_t id)
{
    ensureSodium();
    static_assert(crypto_kdf_KEYBYTES == 32 && crypto_kdf_CONTEXTBYTES == 8);
    if (master.size() != crypto_kdf_KEYBYTES || context.size() != crypto_kdf_CONTEXTBYTES) {
        std::fprintf(stderr, "imhere: deriveKey needs a 32-byte master and an 8-character context\n");
        std::abort();
    }
    Key key{};
    const char ctx[crypto_kdf_CONTEXTBYTES] = {context[0], context[1], context[2], context[3],
                                               context[4], context[5], context[6], context[7]};
    crypto_kdf_derive_from_key(key.data(), key.size(), id, ctx, master.data());
    return key;
}

std::string badgeHash(std::span<const std::uint8_t> badgeKey, std::span<const std::uint8_t> credential)
{
    return hexEncode(hmacSha256(badgeKey, {credential}));
}

} // namespace imhere
