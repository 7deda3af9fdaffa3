#pragma once
// A QR code as a small inline SVG: crisp at any size and on paper, with no
// image request (pages stay under their byte budget).

#include <string>
#include <string_view>

namespace imhere::web {

// An <svg> of `text` as a QR code for printing (error correction Q, 4-module
// quiet zone) with role="img" and the given accessible label; "" if the text
// is empty or too long to encode.
[[nodiscard]] std::string qrSvg(std::string_view text, std::string_view label);

} // namespace imhere::web
