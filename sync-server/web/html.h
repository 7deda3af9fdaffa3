#pragma once
// Building HTML safely: text from people and the database goes through
// escape(); markup the code writes is appended as is. Every page is
// server-rendered and works without JavaScript.

#include <cstdint>
#include <string>
#include <string_view>

namespace imhere::web {

// Escapes & < > " ' so text is safe in element content and quoted attributes.
[[nodiscard]] std::string escape(std::string_view text);

// Percent-encodes one URL path segment or query value (RFC 3986 unreserved kept).
[[nodiscard]] std::string urlEncode(std::string_view text);

// "2026-10-24 09:00" style, in the given IANA zone; "—" for no time.
[[nodiscard]] std::string dateTimeText(std::string_view zone, std::int64_t utcMs);
[[nodiscard]] std::string timeText(std::string_view zone, std::int64_t utcMs);

} // namespace imhere::web
