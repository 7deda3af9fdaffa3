#pragma once
// Cookies over HTTPS (served here, or by a TLS proxy in front): every cookie
// a handler sets becomes `__Host-NAME` with `Secure` and `Path=/`, and only
// cookies named so are read back (Request::cookie). A browser keeps a
// `__Host-` cookie only from a secure origin and for this host alone, so
// neither plain HTTP nor a sibling subdomain can plant or overwrite one.
// Handlers keep writing plain names; the HTTP layer does the rest.

#include <string>
#include <string_view>

namespace imhere::server {

inline constexpr std::string_view k_hostCookiePrefix = "__Host-";

// "name=value; Path=/q/; HttpOnly" → "__Host-name=value; Path=/; HttpOnly; Secure".
[[nodiscard]] std::string secureSetCookie(std::string_view setCookie);

} // namespace imhere::server
