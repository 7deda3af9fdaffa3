#include "badgetoken.h"

#include "encoding.h"
#include "random.h"

namespace imhere {

bool isQrBadgeToken(std::string_view text)
{
    if (!text.starts_with(k_qrBadgePrefix))
        return false;
    const auto decoded = base64UrlDecode(text.substr(k_qrBadgePrefix.size()));
    return decoded && decoded->size() >= k_qrTokenMinBytes && decoded->size() <= k_qrTokenMaxBytes;
}

std::string newQrBadgeToken()
{
    return std::string(k_qrBadgePrefix) + randomToken(k_qrTokenIssuedBytes);
}

} // namespace imhere
