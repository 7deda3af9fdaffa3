#include "qrframedecoder.h"

// text() as UTF-8 std::string rather than the deprecated std::wstring.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <QScopeGuard>

namespace imhere::hardware {

namespace {

// How ZXing should look at a buffer: its layout, and where the luma starts
// when it is interleaved with chroma.
struct PixelLayout {
    ZXing::ImageFormat format = ZXing::ImageFormat::None;
    int pixStride = 0; // 0: ZXing derives it from the format
    int offset = 0;
};

const ZXing::DecodeHints& qrHints()
{
    static const ZXing::DecodeHints hints = ZXing::DecodeHints()
                                                .setFormats(ZXing::BarcodeFormat::QRCode)
                                                .setTryHarder(true)
                                                .setTryRotate(true)
                                                .setTryDownscale(true)
                                                .setMaxNumberOfSymbols(1);
    return hints;
}

std::optional<std::string> readQr(const ZXing::ImageView& view)
{
    const auto result = ZXing::ReadBarcode(view, qrHints());
    if (!result.isValid() || result.format() != ZXing::BarcodeFormat::QRCode) {
        return std::nullopt;
    }
    return result.text();
}

// Qt 6 video pixel formats name bytes in memory order (ARGB8888 is A,R,G,B),
// unlike QImage's 32-bit words.
PixelLayout layoutOf(QVideoFrameFormat::PixelFormat format)
{
    using F = QVideoFrameFormat;
    using Z = ZXing::ImageFormat;
    switch (format) {
    case F::Format_Y8:
    case F::Format_NV12:
    case F::Format_NV21:
    case F::Format_YUV420P:
    case F::Format_YUV422P:
    case F::Format_YV12:
    case F::Format_IMC1:
    case F::Format_IMC2:
    case F::Format_IMC3:
    case F::Format_IMC4:
        return {Z::Lum, 1, 0};
    case F::Format_YUYV:
        return {Z::Lum, 2, 0};
    case F::Format_UYVY:
        return {Z::Lum, 2, 1};
    case F::Format_Y16:
    case F::Format_P010:
    case F::Format_P016:
        return {Z::Lum, 2, 1}; // the high byte of a little-endian 16-bit sample
    case F::Format_ARGB8888:
    case F::Format_ARGB8888_Premultiplied:
    case F::Format_XRGB8888:
        return {Z::XRGB, 0, 0};
    case F::Format_BGRA8888:
    case F::Format_BGRA8888_Premultiplied:
    case F::Format_BGRX8888:
        return {Z::BGRX, 0, 0};
    case F::Format_ABGR8888:
    case F::Format_XBGR8888:
        return {Z::XBGR, 0, 0};
    case F::Format_RGBA8888:
    case F::Format_RGBX8888:
        return {Z::RGBX, 0, 0};
    default:
        return {};
    }
}

} // namespace

std::optional<std::string> decodeQrText(const QImage& image)
{
    if (image.isNull()) {
        return std::nullopt;
    }
    ZXing::ImageFormat format = ZXing::ImageFormat::None;
    switch (image.format()) {
    case QImage::Format_Grayscale8:
        format = ZXing::ImageFormat::Lum;
        break;
    case QImage::Format_RGB32:
    case QImage::Format_ARGB32:
    case QImage::Format_ARGB32_Premultiplied:
        format = Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? ZXing::ImageFormat::BGRX : ZXing::ImageFormat::XRGB;
        break;
    case QImage::Format_RGB888:
        format = ZXing::ImageFormat::RGB;
        break;
    case QImage::Format_BGR888:
        format = ZXing::ImageFormat::BGR;
        break;
    case QImage::Format_RGBX8888:
    case QImage::Format_RGBA8888:
    case QImage::Format_RGBA8888_Premultiplied:
        format = ZXing::ImageFormat::RGBX;
        break;
    default:
        return decodeQrText(image.convertToFormat(QImage::Format_Grayscale8));
    }
    return readQr({image.constBits(), image.width(), image.height(), format,
                   static_cast<int>(image.bytesPerLine())});
}

std::optional<std::string> decodeQrText(const QVideoFrame& frame)
{
    const PixelLayout layout = layoutOf(frame.pixelFormat());
    if (layout.format == ZXing::ImageFormat::None) {
        return decodeQrText(frame.toImage());
    }
    QVideoFrame mapped = frame; // map() needs a non-const handle; the pixels are shared
    if (!mapped.map(QVideoFrame::ReadOnly)) {
        return std::nullopt;
    }
    const auto unmap = qScopeGuard([&mapped] { mapped.unmap(); });
    return readQr({mapped.bits(0) + layout.offset, mapped.width(), mapped.height(), layout.format,
                   mapped.bytesPerLine(0), layout.pixStride});
}

} // namespace imhere::hardware
