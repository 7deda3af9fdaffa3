// RotatingCode: fixed vectors (computed independently with Python's hmac and
// base64 modules) and every rejection reason.

#include "core/rotatingcode.h"

#include "core/encoding.h"
#include "core/limits.h"
#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>
#include <numeric>

using namespace imhere;

namespace {

std::array<std::uint8_t, 32> key1()
{
    std::array<std::uint8_t, 32> k{};
    std::iota(k.begin(), k.end(), std::uint8_t{0});
    return k;
}
std::array<std::uint8_t, 32> key2()
{
    std::array<std::uint8_t, 32> k{};
    k.fill(0xa5);
    return k;
}
WindowId window(std::string_view hex)
{
    WindowId w{};
    const auto bytes = hexDecode(hex);
    std::copy(bytes->begin(), bytes->end(), w.begin());
    return w;
}
const WindowId k_window1 = window("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
const WindowId k_window2 = window("123e4567e89b42d3a456426614174000");
constexpr std::int64_t k_t0 = 1'700'000'000'000; // the start of step 170000000

} // namespace

class RotatingCodeTest : public QObject {
    Q_OBJECT
private slots:
    void matchesFixedVectors();
    void stepArithmetic();
    void parseReadsFields();
    void acceptsCurrentAndPreviousStepWithGrace_data();
    void acceptsCurrentAndPreviousStepWithGrace();
    void rejectsExpiredAndFutureSteps();
    void rejectsAnotherKioskKey();
    void rejectsAnotherWindow();
    void rejectsAlteredFields_data();
    void rejectsAlteredFields();
    void rejectsMalformedAndTruncatedCodes_data();
    void rejectsMalformedAndTruncatedCodes();
    void roundTripsRandomInputs();
};

void RotatingCodeTest::matchesFixedVectors()
{
    const auto k1 = key1();
    const auto k2 = key2();
    QCOMPARE(RotatingCode::generateAt(k1, k_window1, 7, k_t0), "Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4P");
    QCOMPARE(RotatingCode::generateAt(k1, k_window1, 7, k_t0 + 9'999),
             "Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4P");
    QCOMPARE(RotatingCode::generateAt(k1, k_window1, 7, k_t0 + 10'000),
             "Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6BYbUK1zwC19IGgUrT");
    QCOMPARE(RotatingCode::generateAt(k2, k_window2, 0xffffffff, 1'767'225'600'000),
             "Ej5FZ-ibQtOkVkJmFBdAAP____8KiJKAcNkxXDITq1P4-XKG");
    QCOMPARE(RotatingCode::generateAt(k2, k_window2, 1, 0), "Ej5FZ-ibQtOkVkJmFBdAAAAAAAEAAAAAp3l0gHnmAUkk4K6y");
}

void RotatingCodeTest::stepArithmetic()
{
    QCOMPARE(RotatingCode::stepAt(k_t0), 170'000'000u);
    QCOMPARE(RotatingCode::stepAt(k_t0 + 9'999), 170'000'000u);
    QCOMPARE(RotatingCode::stepAt(k_t0 + 10'000), 170'000'001u);
    QCOMPARE(RotatingCode::msUntilNextStep(k_t0), 10'000);
    QCOMPARE(RotatingCode::msUntilNextStep(k_t0 + 7'500), 2'500);
}

void RotatingCodeTest::parseReadsFields()
{
    const auto fields = RotatingCode::parse("Ej5FZ-ibQtOkVkJmFBdAAP____8KiJKAcNkxXDITq1P4-XKG");
    QVERIFY(fields);
    QCOMPARE(fields->window, k_window2);
    QCOMPARE(fields->kioskId, 0xffffffffu);
    QCOMPARE(fields->step, 176'722'560u);
}

void RotatingCodeTest::acceptsCurrentAndPreviousStepWithGrace_data()
{
    // Valid from 2 s before its step until 2 s after the following step ends.
    QTest::addColumn<qint64>("dt");
    for (const qint64 dt : {-2'000LL, -1LL, 0LL, 5'000LL, 9'999LL, 10'000LL, 19'999LL, 20'000LL, 21'999LL})
        QTest::addRow("dt=%lld", dt) << dt;
}

void RotatingCodeTest::acceptsCurrentAndPreviousStepWithGrace()
{
    QFETCH(qint64, dt);
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    const auto r = RotatingCode::verify(code, k, k_window1, k_t0 + dt);
    QVERIFY2(r, r ? "" : std::string(toString(r.error())).c_str());
}

// Rejections are compared with QCOMPARE_EQ: QCOMPARE's unqualified toString()
// would find imhere::toString(CodeRejection), which returns a string_view.
void RotatingCodeTest::rejectsExpiredAndFutureSteps()
{
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    QCOMPARE_EQ(RotatingCode::verify(code, k, k_window1, k_t0 + 22'000).error(), CodeRejection::Expired);
    QCOMPARE_EQ(RotatingCode::verify(code, k, k_window1, k_t0 + 3'600'000).error(), CodeRejection::Expired);
    QCOMPARE_EQ(RotatingCode::verify(code, k, k_window1, k_t0 - 2'001).error(), CodeRejection::FromFuture);
    const std::string later = RotatingCode::generateAt(k, k_window1, 7, k_t0 + 60'000);
    QCOMPARE_EQ(RotatingCode::verify(later, k, k_window1, k_t0).error(), CodeRejection::FromFuture);
}

void RotatingCodeTest::rejectsAnotherKioskKey()
{
    const std::string code = RotatingCode::generateAt(key1(), k_window1, 7, k_t0);
    QCOMPARE_EQ(RotatingCode::verify(code, key2(), k_window1, k_t0).error(), CodeRejection::BadSignature);
}

void RotatingCodeTest::rejectsAnotherWindow()
{
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    QCOMPARE_EQ(RotatingCode::verify(code, k, k_window2, k_t0).error(), CodeRejection::WrongWindow);
}

void RotatingCodeTest::rejectsAlteredFields_data()
{
    // Re-encoding a code with another step, kiosk or window keeps the old MAC.
    QTest::addColumn<int>("index");
    for (const int index : {0, 15, 19, 23, 24, 35})
        QTest::addRow("byte %d", index) << index;
}

void RotatingCodeTest::rejectsAlteredFields()
{
    QFETCH(int, index);
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    auto tampered = *base64UrlDecode(code);
    tampered[static_cast<std::size_t>(index)] ^= 0x01;
    QCOMPARE_EQ(RotatingCode::verify(base64UrlEncode(tampered), k, k_window1, k_t0).error(),
             CodeRejection::BadSignature);
}

void RotatingCodeTest::rejectsMalformedAndTruncatedCodes_data()
{
    const std::string code = RotatingCode::generateAt(key1(), k_window1, 7, k_t0);
    QTest::addColumn<std::string>("code");
    QTest::newRow("empty") << std::string();
    QTest::newRow("47 characters") << code.substr(0, 47);
    QTest::newRow("32 characters") << code.substr(0, 32);
    QTest::newRow("49 characters") << code + "A";
    QTest::newRow("padding") << code.substr(0, 47) + "=";
    QTest::newRow("standard alphabet +") << code.substr(0, 47) + "+";
    QTest::newRow("standard alphabet /") << code.substr(0, 47) + "/";
    QTest::newRow("not base64") << std::string(48, '*');
    QTest::newRow("1000 characters") << std::string(1000, 'A');
    QTest::newRow("NUL at the end") << std::string("Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4\0", 48);
}

void RotatingCodeTest::rejectsMalformedAndTruncatedCodes()
{
    QFETCH(std::string, code);
    QCOMPARE_EQ(RotatingCode::verify(code, key1(), k_window1, k_t0).error(), CodeRejection::Malformed);
}

void RotatingCodeTest::roundTripsRandomInputs()
{
    for (int i = 0; i < 200; ++i) {
        const auto keyBytes = randomBytes(32);
        const auto windowBytes = randomBytes(16);
        WindowId w{};
        std::copy(windowBytes.begin(), windowBytes.end(), w.begin());
        const std::int64_t now = 1'600'000'000'000 + static_cast<std::int64_t>(randomBytes(1)[0]) * 1'234'567;
        const auto id = static_cast<std::uint32_t>(i * 7919);
        const auto code = RotatingCode::generateAt(keyBytes, w, id, now);
        const auto r = RotatingCode::verify(code, keyBytes, w, now);
        QVERIFY(r);
        QCOMPARE(r->kioskId, id);
        QCOMPARE(r->window, w);
    }
}

QTEST_GUILESS_MAIN(RotatingCodeTest)
#include "rotatingcodetest.moc"
