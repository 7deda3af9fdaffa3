#pragma once
// Finds a QR code in one camera frame or image with ZXing-C++ and returns its
// text. QR only: other symbologies are never tried, which keeps a frame's
// decode time low and stops a printed EAN or Code 128 from being read.
//
// Thread rules: pure functions of their argument; call from any thread (the
// camera reader calls them on its decode worker, never on the GUI thread).

#include <QImage>
#include <QVideoFrame>

#include <optional>
#include <string>

namespace imhere::hardware {

// The UTF-8 text of the first QR code found, or nothing when the frame holds
// no readable QR code (or cannot be mapped). YUV and 8-bit grey frames are
// read in place from their luma plane; packed RGB frames in place too; any
// other pixel format goes through QVideoFrame::toImage().
[[nodiscard]] std::optional<std::string> decodeQrText(const QVideoFrame& frame);
[[nodiscard]] std::optional<std::string> decodeQrText(const QImage& image);

} // namespace imhere::hardware
