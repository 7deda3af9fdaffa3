// The shared QR encoder: every matrix reads back with ZXing's reader at the
// level asked for, carries no quiet zone of its own, and refuses what it
// cannot encode.
#define ZX_USE_UTF8 1

#include "core/badgetoken.h"
#include "core/qrmatrix.h"

#include "tests/support/qtestsupport.h"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using namespace imhere;

namespace {

constexpr int k_pixelsPerModule = 4;

// The matrix drawn as a renderer must: dark modules on white, with the
// quiet zone added around it.
std::vector<std::uint8_t> render(const QrMatrix& matrix, int& side)
{
    const int quiet = QrMatrix::k_quietZoneModules;
    side = (matrix.size + 2 * quiet) * k_pixelsPerModule;
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(side * side), 255);
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) {
            const int mx = x / k_pixelsPerModule - quiet;
            const int my = y / k_pixelsPerModule - quiet;
            if (mx >= 0 && my >= 0 && mx < matrix.size && my < matrix.size && matrix.at(mx, my))
                pixels[static_cast<std::size_t>(y * side + x)] = 0;
        }
    }
    return pixels;
}

ZXing::Result decode(const QrMatrix& matrix)
{
    int side = 0;
    const auto pixels = render(matrix, side);
    return ZXing::ReadBarcode({pixels.data(), side, side, ZXing::ImageFormat::Lum},
                              ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
}

// A 7x7 finder pattern with its top-left module at (x, y): a dark ring, a
// light ring, a dark 3x3 centre.
bool finderAt(const QrMatrix& m, int x, int y)
{
    for (int dy = 0; dy < 7; ++dy) {
        for (int dx = 0; dx < 7; ++dx) {
            const int ring = std::min(std::min(dx, dy), std::min(6 - dx, 6 - dy));
            if (m.at(x + dx, y + dy) != (ring != 1))
                return false;
        }
    }
    return true;
}

const std::string k_kioskUrl = "https://imhere.example.org/q/Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4P";

} // namespace

class QrMatrixTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decodesBackAtTheLevelAskedFor_data()
    {
        QTest::addColumn<std::string>("text");
        QTest::addColumn<QrErrorCorrection>("level");
        QTest::addColumn<std::string>("levelName");
        const std::pair<QrErrorCorrection, std::string> levels[] = {{QrErrorCorrection::Low, "L"},
                                                                    {QrErrorCorrection::Medium, "M"},
                                                                    {QrErrorCorrection::Quartile, "Q"},
                                                                    {QrErrorCorrection::High, "H"}};
        for (const auto& [level, name] : levels) {
            QTest::addRow("kiosk url %s", name.c_str()) << k_kioskUrl << level << name;
            QTest::addRow("badge %s", name.c_str()) << std::string("imhere:b1:3q2-7wQ8Zk1mN0pR4sT6uV") << level << name;
            QTest::addRow("latin-1 name %s", name.c_str()) << std::string("Zoë Müller, 7B") << level << name;
        }
    }
    void decodesBackAtTheLevelAskedFor()
    {
        QFETCH(std::string, text);
        QFETCH(QrErrorCorrection, level);
        QFETCH(std::string, levelName);
        const auto matrix = encodeQr(text, level);
        QVERIFY(matrix);
        const auto read = decode(*matrix);
        QVERIFY(read.isValid());
        QCOMPARE(read.text(), text);
        QCOMPARE(read.ecLevel(), levelName);
    }

    // The matrix is the symbol alone, a whole QR version: renderers add the
    // quiet zone, so a module more or less here would shift every code.
    void isTheSymbolWithoutQuietZone()
    {
        const auto matrix = encodeQr(k_kioskUrl, QrErrorCorrection::Medium);
        QVERIFY(matrix);
        QCOMPARE(matrix->dark.size(), static_cast<std::size_t>(matrix->size * matrix->size));
        QCOMPARE((matrix->size - 17) % 4, 0); // version v has 17 + 4v modules a side
        QVERIFY(finderAt(*matrix, 0, 0));
        QVERIFY(finderAt(*matrix, matrix->size - 7, 0));
        QVERIFY(finderAt(*matrix, 0, matrix->size - 7));
        QVERIFY(!finderAt(*matrix, matrix->size - 7, matrix->size - 7));
        QCOMPARE(QrMatrix::k_quietZoneModules, 4);
    }

    // More correction never takes fewer modules, and the smallest version
    // that holds the text is the one chosen.
    void sizeGrowsWithTextAndLevel()
    {
        QCOMPARE(encodeQr("1", QrErrorCorrection::Low)->size, 21);
        int previous = 0;
        for (auto level : {QrErrorCorrection::Low, QrErrorCorrection::Medium, QrErrorCorrection::Quartile,
                           QrErrorCorrection::High}) {
            const int size = encodeQr(k_kioskUrl, level)->size;
            QVERIFY(size >= previous);
            previous = size;
        }
        QVERIFY(encodeQr(std::string(200, 'a'), QrErrorCorrection::Medium)->size >
                encodeQr(std::string(20, 'a'), QrErrorCorrection::Medium)->size);
    }

    // Why printed badges use Q: an issued token takes the same version at Q as at M.
    void issuedBadgeTokenCostsNothingMoreAtQ()
    {
        const std::string token = newQrBadgeToken();
        QCOMPARE(encodeQr(token, QrErrorCorrection::Quartile)->size, encodeQr(token, QrErrorCorrection::Medium)->size);
    }

    void refusesEmptyText()
    {
        const auto matrix = encodeQr("", QrErrorCorrection::Medium);
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, imhere::Errc::QrEmpty);
    }

    // Version 40 at L holds 2953 bytes; one more fits no QR code.
    void refusesTextNoVersionHolds()
    {
        const auto largest = encodeQr(std::string(2953, 'a'), QrErrorCorrection::Low);
        QVERIFY(largest);
        QCOMPARE(largest->size, 177);
        const auto tooLong = encodeQr(std::string(2954, 'a'), QrErrorCorrection::Low);
        QVERIFY(!tooLong);
        QCOMPARE(tooLong.error().code, imhere::Errc::QrUnencodable);
        QVERIFY(!encodeQr(std::string(2953, 'a'), QrErrorCorrection::High));
    }

    // Text is stored as Latin-1 bytes, with no ECI header: a character
    // outside Latin-1 is refused rather than written as something else.
    void refusesCharactersOutsideLatin1()
    {
        const auto matrix = encodeQr("Ağaoğlu", QrErrorCorrection::Medium);
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, imhere::Errc::QrUnencodable);
    }
};

QTEST_GUILESS_MAIN(QrMatrixTest)
#include "qrmatrixtest.moc"
