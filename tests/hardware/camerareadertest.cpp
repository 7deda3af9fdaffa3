// The camera path without a camera: frames set on the reader's QVideoSink
// go through the decode pipeline and come out as badgeRead signals; frames
// arriving faster than decoding are dropped, not queued; QR codes that are
// not badge tokens are ignored; the factory says clearly when no camera exists.

#include "qrtestframes.h"

#include "hardware/credentialformat.h"
#include "hardware/qrdecodepipeline.h"
#include "hardware/qrframedecoder.h"
#include "hardware/readerfactory.h"
#include "hardware/videobadgereader.h"

#include <QCameraDevice>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTest>

#include <semaphore>
#include <vector>

using namespace imhere::hardware;
namespace tf = imhere::hardware::testframes;

namespace {

constexpr int k_modulePixels = 6;
constexpr auto k_workerStartWait = std::chrono::seconds(10);

QImage badgeFrame(const std::string& token)
{
    return tf::inFrame(tf::qrCode(token, k_modulePixels), 30);
}

std::optional<std::string> zxing(const VideoInput& input)
{
    return std::visit([](const auto& frame) { return decodeQrText(frame); }, input);
}

// Collects tokens handed on by a pipeline (on its worker thread).
struct TokenLog {
    std::mutex mutex;
    std::vector<std::string> tokens;
    QrDecodePipeline::TokenHandler handler()
    {
        return [this](std::string token) {
            const std::lock_guard lock(mutex);
            tokens.push_back(std::move(token));
        };
    }
    std::vector<std::string> snapshot()
    {
        const std::lock_guard lock(mutex);
        return tokens;
    }
};

} // namespace

class CameraReaderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void framesOnTheSinkBecomeBadgeReads();
    void framesWhileStoppedAreNotDecoded();
    void framesFasterThanDecodingAreDroppedNotQueued();
    void qrCodesThatAreNotBadgesAreIgnored();
    void badgeHeldInViewIsOneRead();
    void factorySaysWhenThereIsNoCamera();
};

void CameraReaderTest::framesOnTheSinkBecomeBadgeReads()
{
    VideoBadgeReader reader;
    QSignalSpy reads(&reader, &BadgeReader::badgeRead);
    QSignalSpy errors(&reader, &BadgeReader::errorOccurred);
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT(reader.isReady(), 5000);

    const std::string first = newQrBadgeToken();
    reader.videoSink()->setVideoFrame(tf::videoFrame(badgeFrame(first), QVideoFrameFormat::Format_NV12));
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 1, 10000);
    const auto read = reads.at(0).at(0).value<BadgeRead>();
    QCOMPARE(read.credential.toStdString(), first);
    QCOMPARE(read.source, BadgeSource::QrBadge);

    const std::string second = newQrBadgeToken();
    reader.videoSink()->setVideoFrame(tf::videoFrame(badgeFrame(second), QVideoFrameFormat::Format_YUYV));
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 2, 10000);
    QCOMPARE(reads.at(1).at(0).value<BadgeRead>().credential.toStdString(), second);
    QCOMPARE(errors.count(), 0);

    reader.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!reader.isReady(), 5000);
    reader.stop(); // twice is harmless
}

void CameraReaderTest::framesWhileStoppedAreNotDecoded()
{
    VideoBadgeReader reader;
    QSignalSpy reads(&reader, &BadgeReader::badgeRead);
    reader.videoSink()->setVideoFrame(tf::videoFrame(badgeFrame(newQrBadgeToken()), QVideoFrameFormat::Format_Y8));
    QCOMPARE(reader.counters().submitted, 0u);

    // Started afterwards, the reader decodes what comes next, not the past.
    reader.start();
    const std::string token = newQrBadgeToken();
    reader.videoSink()->setVideoFrame(tf::videoFrame(badgeFrame(token), QVideoFrameFormat::Format_Y8));
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 1, 10000);
    QCOMPARE(reads.at(0).at(0).value<BadgeRead>().credential.toStdString(), token);
    QCOMPARE(reader.counters().submitted, 1u);
}

void CameraReaderTest::framesFasterThanDecodingAreDroppedNotQueued()
{
    // The decoder is held busy on the first frame until the test lets it go,
    // so "faster than decoding" does not depend on the machine's speed.
    std::binary_semaphore entered(0);
    std::counting_semaphore<16> gate(0);
    TokenLog log;
    QrDecodePipeline pipeline(log.handler(), [&](const VideoInput& input) {
        entered.release();
        gate.acquire();
        return zxing(input);
    });
    pipeline.start();

    constexpr int k_frames = 10;
    std::vector<std::string> tokens;
    for (int i = 0; i < k_frames; ++i) {
        tokens.push_back(newQrBadgeToken());
    }
    pipeline.submit(badgeFrame(tokens[0]));
    QVERIFY(entered.try_acquire_for(k_workerStartWait));
    for (int i = 1; i < k_frames; ++i) {
        pipeline.submit(badgeFrame(tokens[static_cast<std::size_t>(i)]));
    }
    // One frame being decoded, one waiting, the rest dropped on arrival.
    auto counters = pipeline.counters();
    QCOMPARE(counters.submitted, std::uint64_t(k_frames));
    QCOMPARE(counters.dropped, std::uint64_t(k_frames - 2));
    QCOMPARE(counters.decoded, 0u);

    gate.release(k_frames); // let the worker run freely
    QTRY_COMPARE_WITH_TIMEOUT(pipeline.counters().decoded, 2u, 10000);
    // The worker decoded the frame it held and then the freshest one.
    QTRY_COMPARE_WITH_TIMEOUT(log.snapshot().size(), std::size_t(2), 10000);
    QCOMPARE(log.snapshot(), (std::vector<std::string>{tokens.front(), tokens.back()}));
    pipeline.stop();
    counters = pipeline.counters();
    QCOMPARE(counters.decoded + counters.dropped, counters.submitted);
}

void CameraReaderTest::qrCodesThatAreNotBadgesAreIgnored()
{
    TokenLog log;
    QrDecodePipeline pipeline(log.handler());
    pipeline.start();
    const std::vector<std::string> notBadges{
        "https://example.org/menu", "imhere:b1:", "imhere:b2:AAAAAAAAAAAAAA", "imhere:b1:short",
        "imhere:b1:" + std::string(200, 'A'),
    };
    for (const auto& text : notBadges) {
        const auto before = pipeline.counters().decoded;
        pipeline.submit(badgeFrame(text));
        QTRY_COMPARE_WITH_TIMEOUT(pipeline.counters().decoded, before + 1, 10000);
    }
    pipeline.submit(tf::sceneWithoutCode());
    QTRY_COMPARE_WITH_TIMEOUT(pipeline.counters().decoded, notBadges.size() + 1, 10000);
    const auto counters = pipeline.counters();
    QCOMPARE(counters.ignored, std::uint64_t(notBadges.size()));
    QCOMPARE(counters.tokens, 0u);
    QVERIFY(log.snapshot().empty());

    // A real badge after all that still reads.
    const std::string token = newQrBadgeToken();
    pipeline.submit(badgeFrame(token));
    QTRY_COMPARE_WITH_TIMEOUT(log.snapshot().size(), std::size_t(1), 10000);
    QCOMPARE(log.snapshot().front(), token);
}

void CameraReaderTest::badgeHeldInViewIsOneRead()
{
    const std::string held = newQrBadgeToken();
    const QImage frame = badgeFrame(held);
    {
        TokenLog log;
        QrDecodePipeline pipeline(log.handler()); // the kiosk's gap
        pipeline.start();
        const std::string other = newQrBadgeToken();
        for (const auto& image : {frame, frame, frame, badgeFrame(other), frame}) {
            const auto before = pipeline.counters().decoded;
            pipeline.submit(image);
            QTRY_COMPARE_WITH_TIMEOUT(pipeline.counters().decoded, before + 1, 10000);
        }
        // Held for three frames: one read; another badge; the first again.
        QTRY_COMPARE_WITH_TIMEOUT(log.snapshot().size(), std::size_t(3), 10000);
        QCOMPARE(log.snapshot(), (std::vector<std::string>{held, other, held}));
    }
    {
        // With no gap, every sighting is a new read (the gap is what merges them).
        TokenLog log;
        QrDecodePipeline pipeline(log.handler(), {}, std::chrono::milliseconds(0));
        pipeline.start();
        for (int i = 0; i < 2; ++i) {
            pipeline.submit(frame);
            QTRY_COMPARE_WITH_TIMEOUT(pipeline.counters().decoded, std::uint64_t(i + 1), 10000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(log.snapshot().size(), std::size_t(2), 10000);
    }
}

void CameraReaderTest::factorySaysWhenThereIsNoCamera()
{
    const bool haveCamera = !QMediaDevices::videoInputs().isEmpty();
    auto reader = createBadgeReader(QStringLiteral("camera"));
    if (haveCamera) {
        QVERIFY(reader);
        QVERIFY((*reader)->description().startsWith(QStringLiteral("Camera ")));
    } else {
        QVERIFY(!reader);
        QCOMPARE(reader.error().code, imhere::Errc::NoCamera);
        QVERIFY(QString::fromStdString(reader.error().message).contains(QStringLiteral("no camera")));
    }
    auto named = createBadgeReader(QStringLiteral("camera:no-such-camera"));
    QVERIFY(!named);
    QCOMPARE(named.error().code, haveCamera ? imhere::Errc::CameraNotFound : imhere::Errc::NoCamera);
}

QTEST_MAIN(CameraReaderTest)
#include "camerareadertest.moc"
