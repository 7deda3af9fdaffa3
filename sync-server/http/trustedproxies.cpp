#include "trustedproxies.h"

#include "core/encoding.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace imhere::server {

namespace {

// IPv4 is mapped into IPv6 (::ffff:0:0/96) so one comparison serves both.
std::optional<std::array<std::uint8_t, 16>> parseAddress(std::string_view text, bool* v4 = nullptr)
{
    const std::string s(text);
    std::array<std::uint8_t, 16> out{};
    in_addr a4{};
    if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
        out[10] = out[11] = 0xff;
        std::memcpy(out.data() + 12, &a4, 4);
        if (v4)
            *v4 = true;
        return out;
    }
    in6_addr a6{};
    if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
        std::memcpy(out.data(), &a6, 16);
        if (v4)
            *v4 = false;
        return out;
    }
    return std::nullopt;
}

// One hop of X-Forwarded-For or a Forwarded for= value: an address, maybe
// quoted, in brackets, or with a port; "unknown" and obfuscated names are
// not addresses.
std::optional<std::string> hopAddress(std::string_view hop)
{
    hop = trimBlanks(hop);
    if (hop.size() >= 2 && hop.front() == '"' && hop.back() == '"')
        hop = hop.substr(1, hop.size() - 2);
    if (hop.starts_with('[')) {
        const auto close = hop.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        hop = hop.substr(1, close - 1);
    } else if (std::count(hop.begin(), hop.end(), ':') == 1) {
        hop = hop.substr(0, hop.find(':')); // IPv4 with a port
    }
    if (!parseAddress(hop))
        return std::nullopt;
    return std::string(hop);
}

// The for= values of a Forwarded header, in order (RFC 7239).
std::vector<std::string_view> forwardedFor(std::string_view header)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= header.size()) {
        const auto end = std::min(header.find_first_of(",;", start), header.size());
        const auto pair = trimBlanks(header.substr(start, end - start));
        if (pair.size() > 4 && (pair.substr(0, 4) == "for=" || pair.substr(0, 4) == "For=" || pair.substr(0, 4) == "FOR="))
            out.push_back(pair.substr(4));
        start = end + 1;
    }
    return out;
}

std::vector<std::string_view> splitCommas(std::string_view header)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= header.size()) {
        const auto end = std::min(header.find(',', start), header.size());
        out.push_back(header.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

} // namespace

Result<TrustedProxies> TrustedProxies::parse(std::string_view list)
{
    TrustedProxies proxies;
    std::size_t start = 0;
    while (start < list.size()) {
        const auto end = std::min(list.find_first_of(", \t", start), list.size());
        const auto item = list.substr(start, end - start);
        start = end + 1;
        if (item.empty())
            continue;
        const auto slash = item.find('/');
        bool v4 = false;
        const auto address = parseAddress(item.substr(0, slash), &v4);
        if (!address)
            return fail(Errc::BadConfig, "'" + std::string(item) + "' is not an address or CIDR block");
        Block block{*address, 128};
        if (slash != std::string_view::npos) {
            const auto bitsText = item.substr(slash + 1);
            unsigned bits = 0;
            const auto [ptr, ec] = std::from_chars(bitsText.data(), bitsText.data() + bitsText.size(), bits);
            if (ec != std::errc{} || ptr != bitsText.data() + bitsText.size() || bitsText.empty() || bits > (v4 ? 32u : 128u))
                return fail(Errc::BadConfig, "'" + std::string(item) + "' has a bad prefix length");
            block.prefixBits = v4 ? bits + 96 : bits;
        }
        proxies.m_blocks.push_back(block);
    }
    return proxies;
}

bool TrustedProxies::contains(std::string_view address) const
{
    const auto a = parseAddress(address);
    if (!a)
        return false;
    for (const Block& b : m_blocks) {
        unsigned bits = b.prefixBits;
        bool match = true;
        for (std::size_t i = 0; i < 16 && bits > 0 && match; ++i) {
            const unsigned take = std::min(bits, 8u);
            const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
            match = ((*a)[i] & mask) == (b.address[i] & mask);
            bits -= take;
        }
        if (match)
            return true;
    }
    return false;
}

std::string TrustedProxies::clientAddress(const std::string& peer, std::optional<std::string_view> forwarded,
                                          std::optional<std::string_view> xForwardedFor) const
{
    if (!contains(peer))
        return peer;
    std::vector<std::string_view> hops;
    if (forwarded)
        hops = forwardedFor(*forwarded);
    else if (xForwardedFor)
        hops = splitCommas(*xForwardedFor);
    // Right to left: each trusted proxy vouches for the hop before it; the
    // first hop that is not one of ours is the client. A hop that is not an
    // address ends the walk at the last one we can vouch for.
    std::string client = peer;
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        const auto hop = hopAddress(*it);
        if (!hop)
            break;
        client = *hop;
        if (!contains(client))
            break;
    }
    return client;
}

} // namespace imhere::server
