#include "qrsvg.h"

#include "html.h"

#include "core/qrmatrix.h"

namespace imhere::web {

namespace {

// Q: codes on pages are there to be printed — the badge card — and a badge is
// carried for months: creased, scratched, worn at the edges, under laminate
// glare, and read at the door by the kiosk's camera with no second copy at
// hand. Q restores about 25 % of the symbol. An issued badge token (32
// characters) takes version 3 at M and at Q alike, so Q costs no extra modules;
// H would take version 4 for 5 % more.
constexpr QrErrorCorrection k_printLevel = QrErrorCorrection::Quartile;

} // namespace

std::string qrSvg(std::string_view text, std::string_view label)
{
    const auto matrix = encodeQr(text, k_printLevel);
    if (!matrix)
        return {};
    constexpr int quiet = QrMatrix::k_quietZoneModules;
    const int size = matrix->size + 2 * quiet;
    // One path of unit squares, merged into horizontal runs: a few KB at most.
    std::string path;
    for (int y = 0; y < matrix->size; ++y) {
        for (int x = 0; x < matrix->size;) {
            if (!matrix->at(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < matrix->size && matrix->at(x + run, y))
                ++run;
            path += 'M' + std::to_string(x + quiet) + ' ' + std::to_string(y + quiet) + 'h' + std::to_string(run)
                + "v1h-" + std::to_string(run) + 'z';
            x += run;
        }
    }
    const std::string s = std::to_string(size);
    return "<svg class=\"qr\" role=\"img\" aria-label=\"" + escape(label) + "\" viewBox=\"0 0 " + s + ' ' + s
        + "\" shape-rendering=\"crispEdges\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"" + s + "\" height=\""
        + s + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

} // namespace imhere::web
