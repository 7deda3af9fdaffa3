#pragma once
// The reverse proxies whose word on the client's address is believed: a list
// of addresses and CIDR blocks (IPv4 and IPv6). From a peer in the list, the
// client is the rightmost hop of Forwarded (for=) or, without it,
// X-Forwarded-For that is not itself a trusted proxy; from any other peer,
// those headers are ignored and the client is the peer.
//
// Thread rules: built before the server starts, then read-only.

#include "core/result.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

class TrustedProxies {
public:
    // "10.0.0.1, 192.168.0.0/16 ::1" (commas and/or spaces); an empty list
    // trusts nobody.
    [[nodiscard]] static Result<TrustedProxies> parse(std::string_view list);

    [[nodiscard]] bool empty() const { return m_blocks.empty(); }
    [[nodiscard]] bool contains(std::string_view address) const;
    // The client's address given the peer's and the two headers (absent: nullopt).
    [[nodiscard]] std::string clientAddress(const std::string& peer, std::optional<std::string_view> forwarded,
                                            std::optional<std::string_view> xForwardedFor) const;

private:
    struct Block {
        std::array<std::uint8_t, 16> address{}; // IPv4 as ::ffff:a.b.c.d
        unsigned prefixBits = 128;
    };
    std::vector<Block> m_blocks;
};

} // namespace imhere::server
