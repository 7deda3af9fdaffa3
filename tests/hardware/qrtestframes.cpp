#include "qrtestframes.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <QPainter>

#include <cstring>

namespace imhere::hardware::testframes {

namespace {

constexpr int k_quietZoneModules = 4;
constexpr int k_sceneGrey = 128;

} // namespace

QImage qrCode(const std::string& text, int modulePixels)
{
    // Width and height 0: the smallest matrix, one pixel per module.
    const auto matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(k_quietZoneModules)
                            .encode(text, 0, 0);
    QImage image(matrix.width() * modulePixels, matrix.height() * modulePixels, QImage::Format_Grayscale8);
    for (int y = 0; y < image.height(); ++y) {
        auto* line = image.scanLine(y);
        for (int x = 0; x < image.width(); ++x) {
            line[x] = matrix.get(x / modulePixels, y / modulePixels) ? 0 : 255;
        }
    }
    return image;
}

QImage inFrame(const QImage& code, double degrees)
{
    QImage frame(k_frameWidth, k_frameHeight, QImage::Format_RGB32);
    frame.fill(QColor(k_sceneGrey, k_sceneGrey, k_sceneGrey));
    QPainter painter(&frame);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.translate(k_frameWidth / 2.0, k_frameHeight / 2.0);
    painter.rotate(degrees);
    painter.drawImage(QPointF(-code.width() / 2.0, -code.height() / 2.0), code);
    painter.end();
    return frame.convertToFormat(QImage::Format_Grayscale8);
}

QImage blurred(const QImage& frame, int radius)
{
    QImage out(frame.size(), QImage::Format_Grayscale8);
    const int w = frame.width();
    const int h = frame.height();
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            int sum = 0;
            int count = 0;
            for (int dy = -radius; dy <= radius; ++dy) {
                const int sy = std::clamp(y + dy, 0, h - 1);
                const auto* line = frame.constScanLine(sy);
                for (int dx = -radius; dx <= radius; ++dx) {
                    sum += line[std::clamp(x + dx, 0, w - 1)];
                    ++count;
                }
            }
            out.scanLine(y)[x] = static_cast<uchar>(sum / count);
        }
    }
    return out;
}

QImage withContrast(const QImage& frame, int low, int high)
{
    QImage out = frame.copy();
    for (int y = 0; y < out.height(); ++y) {
        auto* line = out.scanLine(y);
        for (int x = 0; x < out.width(); ++x) {
            line[x] = static_cast<uchar>(low + line[x] * (high - low) / 255);
        }
    }
    return out;
}

QImage sceneWithoutCode()
{
    QImage frame(k_frameWidth, k_frameHeight, QImage::Format_RGB32);
    QPainter painter(&frame);
    QLinearGradient shade(0, 0, k_frameWidth, k_frameHeight);
    shade.setColorAt(0, Qt::black);
    shade.setColorAt(1, Qt::white);
    painter.fillRect(frame.rect(), shade);
    painter.setPen(QPen(Qt::black, 6));
    for (int i = 0; i < 8; ++i) { // a door frame, a poster edge: hard lines, no finder patterns
        painter.drawLine(40 + i * 70, 20, 10 + i * 75, 460);
    }
    painter.fillRect(QRect(250, 150, 140, 140), Qt::white);
    painter.fillRect(QRect(270, 170, 100, 100), Qt::black);
    painter.end();
    return frame.convertToFormat(QImage::Format_Grayscale8);
}

QVideoFrame videoFrame(const QImage& grey, QVideoFrameFormat::PixelFormat format)
{
    QVideoFrame frame(QVideoFrameFormat(grey.size(), format));
    if (!frame.map(QVideoFrame::WriteOnly)) {
        return {};
    }
    const int w = grey.width();
    for (int y = 0; y < grey.height(); ++y) {
        const auto* src = grey.constScanLine(y);
        switch (format) {
        case QVideoFrameFormat::Format_Y8:
        case QVideoFrameFormat::Format_NV12:
            std::memcpy(frame.bits(0) + y * frame.bytesPerLine(0), src, static_cast<std::size_t>(w));
            break;
        case QVideoFrameFormat::Format_YUYV: {
            auto* dst = frame.bits(0) + y * frame.bytesPerLine(0);
            for (int x = 0; x < w; ++x) {
                dst[2 * x] = src[x];
                dst[2 * x + 1] = 128; // neutral chroma
            }
            break;
        }
        case QVideoFrameFormat::Format_BGRA8888: {
            auto* dst = frame.bits(0) + y * frame.bytesPerLine(0);
            for (int x = 0; x < w; ++x) {
                dst[4 * x] = dst[4 * x + 1] = dst[4 * x + 2] = src[x];
                dst[4 * x + 3] = 255;
            }
            break;
        }
        default:
            break;
        }
    }
    if (format == QVideoFrameFormat::Format_NV12) {
        for (int y = 0; y < grey.height() / 2; ++y) {
            std::memset(frame.bits(1) + y * frame.bytesPerLine(1), 128, static_cast<std::size_t>(w));
        }
    }
    frame.unmap();
    return frame;
}

} // namespace imhere::hardware::testframes
