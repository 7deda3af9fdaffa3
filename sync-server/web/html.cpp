#include "html.h"

#include "core/timezone.h"

namespace imhere::web {

std::string escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string urlEncode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-'
            || u == '_' || u == '.' || u == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0x0f];
        }
    }
    return out;
}

std::string dateTimeText(std::string_view zone, std::int64_t utcMs)
{
    return utcMs > 0 ? formatLocalDateTime(zone, utcMs) : "—";
}

std::string timeText(std::string_view zone, std::int64_t utcMs)
{
    return utcMs > 0 ? formatLocalTime(zone, utcMs) : "—";
}

} // namespace imhere::web
