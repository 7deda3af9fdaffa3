#pragma once
// A QR code as a square of modules (no quiet zone), encoded with ZXing-C++,
// so the screen can paint each module as a rectangle at any size.
//
// Thread rules: plain values; encodeQr() is reentrant.

#include <QImage>
#include <QString>

#include <vector>

namespace imhere::kiosk {

struct QrMatrix {
    int size = 0; // modules per side; 0 when nothing is encoded
    std::vector<bool> dark;
    [[nodiscard]] bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// Modules needed to encode `text`; an empty matrix when it cannot be encoded.
[[nodiscard]] QrMatrix encodeQr(const QString& text);

// The matrix drawn at `pixelsPerModule` with a 4-module quiet zone (tests, printing).
[[nodiscard]] QImage renderQr(const QrMatrix& matrix, int pixelsPerModule);

// <server>/q/<code> for the window's current step on server-corrected time.
[[nodiscard]] QString remoteCheckInUrl(const QString& serverUrl, const QByteArray& kioskSecret,
                                       const QString& windowId, std::uint32_t kioskId, std::int64_t nowMs);

} // namespace imhere::kiosk
