#include "tokens.h"

#include "sync-server/serverlimits.h"

#include "core/crypto.h"
#include "core/random.h"

#include <sodium.h>

namespace imhere::server {

Bytes sha256(std::string_view text)
{
    ensureSodium();
    Bytes out(crypto_hash_sha256_BYTES);
    crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return out;
}

std::string tokenLookup(std::string_view token)
{
    return std::string(token.substr(0, limits::k_tokenLookupPrefixChars));
}

IssuedToken issueToken(std::string_view kindPrefix)
{
    std::string token = std::string(kindPrefix) + randomToken(limits::k_secretTokenBytes);
    return IssuedToken{token, tokenLookup(token), sha256(token)};
}

} // namespace imhere::server
