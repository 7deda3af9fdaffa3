#include "qrsvg.h"

#include "html.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <exception>

namespace imhere::web {

namespace {
constexpr int k_quietModules = 4;
constexpr int k_eccLevelM = 4; // ZXing's 0..8 scale: 4 is about level M (15 %)
} // namespace

std::string qrSvg(std::string_view text, std::string_view label)
{
    ZXing::BitMatrix matrix;
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
        writer.setMargin(0).setEccLevel(k_eccLevelM);
        matrix = writer.encode(std::string(text), 0, 0);
    } catch (const std::exception&) {
        return {};
    }
    const int size = matrix.width() + 2 * k_quietModules;
    // One path of unit squares, merged into horizontal runs: a few KB at most.
    std::string path;
    for (int y = 0; y < matrix.height(); ++y) {
        for (int x = 0; x < matrix.width();) {
            if (!matrix.get(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < matrix.width() && matrix.get(x + run, y))
                ++run;
            path += 'M' + std::to_string(x + k_quietModules) + ' ' + std::to_string(y + k_quietModules) + 'h'
                + std::to_string(run) + "v1h-" + std::to_string(run) + 'z';
            x += run;
        }
    }
    const std::string s = std::to_string(size);
    return "<svg class=\"qr\" role=\"img\" aria-label=\"" + escape(label) + "\" viewBox=\"0 0 " + s + ' ' + s
        + "\" shape-rendering=\"crispEdges\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"" + s + "\" height=\""
        + s + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

} // namespace imhere::web
