#pragma once
// Camera frames made in the test: QR codes written with ZXing's own encoder,
// placed in a 640x480 scene, then turned, blurred or washed out the way a
// webcam by a door sees a badge held up in a hurry.

#include <QImage>
#include <QVideoFrame>

#include <string>

namespace imhere::hardware::testframes {

inline constexpr int k_frameWidth = 640;
inline constexpr int k_frameHeight = 480;

// The QR code of `text` with a 4-module quiet zone, `modulePixels` per module.
[[nodiscard]] QImage qrCode(const std::string& text, int modulePixels);
// `code` centred in a mid-grey 640x480 Grayscale8 frame, turned by `degrees`.
[[nodiscard]] QImage inFrame(const QImage& code, double degrees = 0);
// A box blur of `radius` pixels (Grayscale8 in and out).
[[nodiscard]] QImage blurred(const QImage& frame, int radius);
// Black and white squeezed into [low, high] (Grayscale8 in and out).
[[nodiscard]] QImage withContrast(const QImage& frame, int low, int high);
// A 640x480 frame of smooth shading and edges, but no code.
[[nodiscard]] QImage sceneWithoutCode();
// The frame as a camera would deliver it (Y8, NV12, YUYV or BGRA8888).
[[nodiscard]] QVideoFrame videoFrame(const QImage& grey, QVideoFrameFormat::PixelFormat format);

} // namespace imhere::hardware::testframes
