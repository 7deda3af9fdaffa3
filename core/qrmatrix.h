#pragma once
// A QR code as a square of modules, encoded with ZXing-C++'s writer. One
// encoder for every code imhere shows: the kiosk paints the rotating
// remote check-in code on its screen, the server draws badge codes as SVG on
// its pages. Each caller chooses the error-correction level for where its
// code is read, and says why beside the call.
//
// Thread rules: plain values; encodeQr() is reentrant.

#include "result.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace imhere {

// The four levels of ISO/IEC 18004, by the share of the symbol a reader can
// restore when it is damaged or hidden: L about 7 %, M 15 %, Q 25 %, H 30 %.
// Each step up stores the same text in more modules, so at the same printed
// or shown size every module is smaller.
enum class QrErrorCorrection { Low, Medium, Quartile, High };

struct QrMatrix {
    // Light modules needed on every side of the symbol for a reader to find
    // it (ISO/IEC 18004's minimum). The matrix does not include them: each
    // renderer adds them around what it draws.
    static constexpr int k_quietZoneModules = 4;

    int size = 0;           // modules per side: 21 (version 1) to 177 (version 40)
    std::vector<bool> dark; // row by row, size * size

    [[nodiscard]] bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// `text` (UTF-8) as the smallest QR code that holds it at `level`. Fails with
// "qr_empty" for empty text, and "qr_unencodable" for text no QR version
// holds or with a character outside ISO-8859-1: the writer stores text as
// Latin-1 bytes, which keeps an ECI header out of every ASCII code.
[[nodiscard]] Result<QrMatrix> encodeQr(std::string_view text, QrErrorCorrection level);

} // namespace imhere
