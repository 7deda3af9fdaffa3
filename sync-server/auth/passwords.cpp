#include "passwords.h"

#include "core/crypto.h"
#include "core/random.h"

#include <sodium.h>

namespace imhere::server {

Result<std::string> hashSecret(std::string_view secret, HashCost cost)
{
    ensureSodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, secret.data(), secret.size(), cost.opsLimit, cost.memLimitBytes) != 0)
        return fail(Errc::OutOfMemory, "could not hash a secret: not enough memory");
    return std::string(out);
}

bool verifySecret(const std::string& hash, std::string_view secret)
{
    ensureSodium();
    return crypto_pwhash_str_verify(hash.c_str(), secret.data(), secret.size()) == 0;
}

bool needsRehash(const std::string& hash, HashCost cost)
{
    ensureSodium();
    return crypto_pwhash_str_needs_rehash(hash.c_str(), cost.opsLimit, cost.memLimitBytes) != 0;
}

std::string generatePassword()
{
    ensureSodium();
    static constexpr std::string_view k_alphabet = "abcdefghjkmnpqrstuvwxyz23456789"; // 31 letters
    std::string out;
    for (int i = 0; i < 20; ++i)
        out.push_back(k_alphabet[randombytes_uniform(static_cast<std::uint32_t>(k_alphabet.size()))]);
    return out;
}

std::string generatePin()
{
    ensureSodium();
    std::string out;
    for (int i = 0; i < k_pinDigits; ++i)
        out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
    return out;
}

} // namespace imhere::server
