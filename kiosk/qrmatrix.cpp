#include "qrmatrix.h"

#include "core/random.h"
#include "core/rotatingcode.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <QPainter>

#include <algorithm>
#include <exception>

namespace imhere::kiosk {

namespace {
constexpr int k_quietZoneModules = 4;
}

QrMatrix encodeQr(const QString& text)
{
    if (text.isEmpty())
        return {};
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
        writer.setMargin(0);
        const ZXing::BitMatrix bits = writer.encode(text.toStdString(), 0, 0);
        QrMatrix matrix;
        matrix.size = bits.width();
        matrix.dark.resize(static_cast<std::size_t>(matrix.size * matrix.size));
        for (int y = 0; y < matrix.size; ++y) {
            for (int x = 0; x < matrix.size; ++x)
                matrix.dark[static_cast<std::size_t>(y * matrix.size + x)] = bits.get(x, y);
        }
        return matrix;
    } catch (const std::exception&) {
        return {}; // too long for a QR code: the screen shows none
    }
}

QImage renderQr(const QrMatrix& matrix, int pixelsPerModule)
{
    const int side = (matrix.size + 2 * k_quietZoneModules) * pixelsPerModule;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < matrix.size; ++y) {
        for (int x = 0; x < matrix.size; ++x) {
            if (matrix.at(x, y))
                painter.fillRect((x + k_quietZoneModules) * pixelsPerModule, (y + k_quietZoneModules) * pixelsPerModule,
                                 pixelsPerModule, pixelsPerModule, Qt::black);
        }
    }
    return image;
}

QString remoteCheckInUrl(const QString& serverUrl, const QByteArray& kioskSecret, const QString& windowId,
                         std::uint32_t kioskId, std::int64_t nowMs)
{
    auto windowBytes = uuidBytes(windowId.toStdString());
    if (!windowBytes || kioskSecret.isEmpty() || serverUrl.isEmpty())
        return {};
    WindowId window{};
    std::copy_n(windowBytes->begin(), window.size(), window.begin());
    const auto* key = reinterpret_cast<const std::uint8_t*>(kioskSecret.constData());
    const std::string code =
        RotatingCode::generateAt({key, static_cast<std::size_t>(kioskSecret.size())}, window, kioskId, nowMs);
    QString base = serverUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + QStringLiteral("/q/") + QString::fromStdString(code);
}

} // namespace imhere::kiosk
