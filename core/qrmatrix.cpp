#include "qrmatrix.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <exception>
#include <string>

namespace imhere {

namespace {

// ZXing's writer takes a 0..8 scale for every format and maps it onto the
// QR levels in pairs (1-2 L, 3-4 M, 5-6 Q, 7-8 H).
int zxingEccLevel(QrErrorCorrection level)
{
    return 2 * (static_cast<int>(level) + 1);
}

} // namespace

Result<QrMatrix> encodeQr(std::string_view text, QrErrorCorrection level)
{
    if (text.empty())
        return fail(Errc::QrEmpty, "a QR code needs some text");
    ZXing::BitMatrix bits;
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
        writer.setMargin(0).setEccLevel(zxingEccLevel(level));
        bits = writer.encode(std::string(text), 0, 0);
    } catch (const std::exception& e) { // more than version 40 holds, or not Latin-1
        return fail(Errc::QrUnencodable, "cannot encode " + std::to_string(text.size()) + " bytes as a QR code: "
                                          + e.what());
    }
    QrMatrix matrix;
    matrix.size = bits.width();
    matrix.dark.resize(static_cast<std::size_t>(matrix.size * matrix.size));
    for (int y = 0; y < matrix.size; ++y) {
        for (int x = 0; x < matrix.size; ++x)
            matrix.dark[static_cast<std::size_t>(y * matrix.size + x)] = bits.get(x, y);
    }
    return matrix;
}

} // namespace imhere
