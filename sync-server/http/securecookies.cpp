#include "securecookies.h"

#include <vector>

namespace imhere::server {

namespace {

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

bool startsWithNoCase(std::string_view s, std::string_view prefix)
{
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const char a = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
        if (a != prefix[i])
            return false;
    }
    return true;
}

} // namespace

std::string secureSetCookie(std::string_view setCookie)
{
    std::vector<std::string_view> parts;
    while (true) {
        const auto semicolon = setCookie.find(';');
        parts.push_back(trimmed(setCookie.substr(0, semicolon)));
        if (semicolon == std::string_view::npos)
            break;
        setCookie.remove_prefix(semicolon + 1);
    }
    std::string out(k_hostCookiePrefix);
    out += parts.front();
    out += "; Path=/; Secure";
    for (std::size_t i = 1; i < parts.size(); ++i) {
        // __Host- allows no Domain and only Path=/.
        if (parts[i].empty() || startsWithNoCase(parts[i], "path=") || startsWithNoCase(parts[i], "domain=")
            || startsWithNoCase(parts[i], "secure"))
            continue;
        out += "; ";
        out += parts[i];
    }
    return out;
}

} // namespace imhere::server
