#pragma once
// One HTTP request as the router and the handlers see it: fully read, with
// header names in lower case and path parameters filled in by the router.

#include "core/result.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

struct Request {
    std::string method;
    std::string path;
    std::string body;
    std::string remoteIp; // the client's: the peer's, or the one a trusted proxy names (trustedproxies.h)
    // Reached over HTTPS (served here or ended by a TLS proxy): cookies are
    // `__Host-` ones (securecookies.h).
    bool secure = false;
    std::map<std::string, std::string, std::less<>> headers; // lower-case names
    std::map<std::string, std::string, std::less<>> params;  // from {name} in the route pattern
    std::map<std::string, std::string, std::less<>> query;   // ?name=value, decoded; the first of a repeated name

    [[nodiscard]] std::optional<std::string_view> header(std::string_view lowerName) const;
    // The cookie a handler set as `name` (named `__Host-name` when secure).
    [[nodiscard]] std::optional<std::string> cookie(std::string_view name) const;
    [[nodiscard]] const std::string& param(std::string_view name) const;
    // POST, PUT, PATCH and DELETE change state; they need a CSRF token with a session.
    [[nodiscard]] bool changesState() const;
};

// Path parameters: 400 invalid_id when malformed.
[[nodiscard]] Result<std::string> uuidParam(const Request& request, std::string_view name);
[[nodiscard]] Result<std::string> publicIdParam(const Request& request, std::string_view name);

} // namespace imhere::server
