// Camera pipeline per 640x480 frame — frame set on the reader's QVideoSink →
// mailbox → worker → ZXing → token check → badgeRead signal delivered on the
// GUI thread — next to a bare ZXing ReadBarcode of the same frame with the
// same hints (QR only, try harder/rotate/downscale), measured in the same run.
// The pipeline's own cost is the ratio above 1.0 (goal <= 1.2).
//
// Two badge frames alternate so every frame is a new read (a badge held in
// view is one read), and each frame is sent only after the previous signal,
// so nothing is dropped and every frame is timed end to end. The bare decode
// and the pipeline take turns on each frame.

#include "bench/benchtable.h"
#include "benchstats.h"
#include "qrtestframes.h"

#include "hardware/credentialformat.h"
#include "hardware/videobadgereader.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <QEventLoop>
#include <QGuiApplication>

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace imhere::hardware;
namespace tf = imhere::hardware::testframes;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int k_defaultFrames = 200;
constexpr int k_modulePixels = 4;
constexpr double k_rotationDegrees = 30;

double microsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// The bare decode: the frame's luma plane straight into ZXing.
bool bareDecode(const QVideoFrame& frame)
{
    static const auto hints = ZXing::DecodeHints()
                                  .setFormats(ZXing::BarcodeFormat::QRCode)
                                  .setTryHarder(true)
                                  .setTryRotate(true)
                                  .setTryDownscale(true)
                                  .setMaxNumberOfSymbols(1);
    QVideoFrame mapped = frame;
    if (!mapped.map(QVideoFrame::ReadOnly)) {
        return false;
    }
    const auto result = ZXing::ReadBarcode(
        {mapped.bits(0), mapped.width(), mapped.height(), ZXing::ImageFormat::Lum, mapped.bytesPerLine(0)}, hints);
    mapped.unmap();
    return result.isValid() && isQrBadgeToken(result.text());
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QGuiApplication app(argc, argv);
    const int frames = argc > 1 ? std::atoi(argv[1]) : k_defaultFrames;

    const QVideoFrame pair[2] = {
        tf::videoFrame(tf::inFrame(tf::qrCode(newQrBadgeToken(), k_modulePixels), k_rotationDegrees),
                       QVideoFrameFormat::Format_NV12),
        tf::videoFrame(tf::inFrame(tf::qrCode(newQrBadgeToken(), k_modulePixels), k_rotationDegrees),
                       QVideoFrameFormat::Format_NV12),
    };

    VideoBadgeReader reader;
    QEventLoop loop;
    QObject::connect(&reader, &BadgeReader::badgeRead, &loop, &QEventLoop::quit);
    reader.start();

    // Interleaved, so both sides see the same machine load and cache state.
    std::vector<double> bare;
    std::vector<double> pipeline;
    for (int i = 0; i < frames; ++i) {
        const QVideoFrame& frame = pair[i % 2];
        auto start = Clock::now();
        if (!bareDecode(frame)) {
            std::fprintf(stderr, "bare decode failed\n");
            return 1;
        }
        bare.push_back(microsSince(start));

        start = Clock::now();
        reader.videoSink()->setVideoFrame(frame);
        loop.exec();
        pipeline.push_back(microsSince(start));
    }
    reader.stop();
    const auto counters = reader.counters();

    const auto b = imhere::bench::spreadOf(bare);
    const auto p = imhere::bench::spreadOf(pipeline);
    std::printf("640x480 NV12 frame, badge QR turned %.0f deg, %d px/module, %d frames\n", k_rotationDegrees,
                k_modulePixels, frames);
    std::printf("bare ZXing ReadBarcode      median %8.0f us   p95 %8.0f us\n", b.median, b.p95);
    std::printf("pipeline frame -> signal    median %8.0f us   p95 %8.0f us\n", p.median, p.p95);
    std::printf("ratio (median)              %.3f   (goal <= 1.2)\n", p.median / b.median);
    imhere::bench::tableRow("camera pipeline, frame -> badge, median", p.median, "bare ZXing ReadBarcode, median", b.median, "us");
    std::printf("frames: submitted %llu, decoded %llu, dropped %llu, badge reads %llu\n",
                static_cast<unsigned long long>(counters.submitted), static_cast<unsigned long long>(counters.decoded),
                static_cast<unsigned long long>(counters.dropped), static_cast<unsigned long long>(counters.tokens));
    return counters.tokens == static_cast<std::uint64_t>(frames) ? 0 : 1;
}
