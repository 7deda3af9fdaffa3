// decodeQrText on frames made in the test: a badge QR turned, blurred,
// washed out or small in a 640x480 frame is read; a frame with no code reads
// as nothing; every pixel layout a webcam delivers gives the same text.

#include "qrtestframes.h"

#include "hardware/credentialformat.h"
#include "hardware/qrframedecoder.h"

#include <QTest>

using namespace imhere::hardware;
namespace tf = imhere::hardware::testframes;

namespace {

constexpr int k_modulePixels = 6; // a badge at arm's length from a 640x480 webcam
constexpr int k_smallModulePixels = 2;

} // namespace

class QrFrameDecoderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsBadgeSeenByCamera_data();
    void readsBadgeSeenByCamera();
    void framesWithoutCodeReadAsNothing_data();
    void framesWithoutCodeReadAsNothing();
    void readsEveryCameraPixelLayout_data();
    void readsEveryCameraPixelLayout();
    void returnsOtherQrTextForTheCallerToJudge();
};

void QrFrameDecoderTest::readsBadgeSeenByCamera_data()
{
    QTest::addColumn<QImage>("frame");
    QTest::addColumn<QString>("token");
    const auto add = [](const char* name, auto makeFrame) {
        const std::string token = newQrBadgeToken();
        QTest::newRow(name) << makeFrame(token) << QString::fromStdString(token);
    };
    add("upright", [](const std::string& t) { return tf::inFrame(tf::qrCode(t, k_modulePixels)); });
    add("turned 30 degrees", [](const std::string& t) { return tf::inFrame(tf::qrCode(t, k_modulePixels), 30); });
    add("turned 90 degrees", [](const std::string& t) { return tf::inFrame(tf::qrCode(t, k_modulePixels), 90); });
    add("turned 200 degrees", [](const std::string& t) { return tf::inFrame(tf::qrCode(t, k_modulePixels), 200); });
    add("blurred", [](const std::string& t) { return tf::blurred(tf::inFrame(tf::qrCode(t, k_modulePixels)), 2); });
    // A quarter of the grey range between black and white modules (a
    // washed-out print under bright light), and 30 levels in shadow; ZXing's
    // local binariser reads both. At a fifth (103..153) about one random
    // token in a hundred was not read: its mask pattern left too few edges.
    add("low contrast", [](const std::string& t) {
        return tf::withContrast(tf::inFrame(tf::qrCode(t, k_modulePixels)), 96, 160);
    });
    add("in shadow", [](const std::string& t) {
        return tf::withContrast(tf::inFrame(tf::qrCode(t, k_modulePixels)), 45, 75);
    });
    add("small in frame", [](const std::string& t) { return tf::inFrame(tf::qrCode(t, k_smallModulePixels)); });
    add("turned, blurred and dim", [](const std::string& t) {
        return tf::withContrast(tf::blurred(tf::inFrame(tf::qrCode(t, k_modulePixels), 30), 1), 60, 140);
    });
}

void QrFrameDecoderTest::readsBadgeSeenByCamera()
{
    QFETCH(QImage, frame);
    QFETCH(QString, token);
    QCOMPARE(frame.size(), QSize(tf::k_frameWidth, tf::k_frameHeight));
    const auto text = decodeQrText(frame);
    QVERIFY(text.has_value());
    QCOMPARE(QString::fromStdString(*text), token);
    QVERIFY(isQrBadgeToken(*text));
}

void QrFrameDecoderTest::framesWithoutCodeReadAsNothing_data()
{
    QTest::addColumn<QImage>("frame");
    QImage grey(tf::k_frameWidth, tf::k_frameHeight, QImage::Format_Grayscale8);
    grey.fill(128);
    QTest::newRow("flat grey") << grey;
    QTest::newRow("shaded scene with edges") << tf::sceneWithoutCode();
    QImage noise(tf::k_frameWidth, tf::k_frameHeight, QImage::Format_Grayscale8);
    std::uint32_t state = 12345; // fixed seed: the same noise every run
    for (int y = 0; y < noise.height(); ++y) {
        for (int x = 0; x < noise.width(); ++x) {
            state = state * 1664525u + 1013904223u;
            noise.scanLine(y)[x] = static_cast<uchar>(state >> 24);
        }
    }
    QTest::newRow("sensor noise") << noise;
    // Too blurred to read: decoding must fail quietly, not return garbage.
    QTest::newRow("badge blurred past reading")
        << tf::blurred(tf::inFrame(tf::qrCode(newQrBadgeToken(), k_smallModulePixels)), 4);
    QTest::newRow("null image") << QImage();
}

void QrFrameDecoderTest::framesWithoutCodeReadAsNothing()
{
    QFETCH(QImage, frame);
    QVERIFY(!decodeQrText(frame).has_value());
}

void QrFrameDecoderTest::readsEveryCameraPixelLayout_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("Y8") << int(QVideoFrameFormat::Format_Y8);
    QTest::newRow("NV12") << int(QVideoFrameFormat::Format_NV12);
    QTest::newRow("YUYV") << int(QVideoFrameFormat::Format_YUYV);
    QTest::newRow("BGRA8888") << int(QVideoFrameFormat::Format_BGRA8888);
}

void QrFrameDecoderTest::readsEveryCameraPixelLayout()
{
    QFETCH(int, format);
    const std::string token = newQrBadgeToken();
    const QImage grey = tf::inFrame(tf::qrCode(token, k_modulePixels), 30);
    const QVideoFrame frame = tf::videoFrame(grey, static_cast<QVideoFrameFormat::PixelFormat>(format));
    QVERIFY(frame.isValid());
    const auto text = decodeQrText(frame);
    QVERIFY(text.has_value());
    QCOMPARE(*text, token);

    const QVideoFrame empty = tf::videoFrame(tf::sceneWithoutCode(), static_cast<QVideoFrameFormat::PixelFormat>(format));
    QVERIFY(!decodeQrText(empty).has_value());
}

void QrFrameDecoderTest::returnsOtherQrTextForTheCallerToJudge()
{
    const std::string url = "https://example.org/menu";
    const auto text = decodeQrText(tf::inFrame(tf::qrCode(url, k_modulePixels), 30));
    QVERIFY(text.has_value());
    QCOMPARE(*text, url);
    QVERIFY(!isQrBadgeToken(*text));
}

QTEST_MAIN(QrFrameDecoderTest)
#include "qrframedecodertest.moc"
