// RotatingCode: fixed vectors (computed independently with Python's hmac and
// base64 modules) and every rejection reason.

#include "core/rotatingcode.h"

#include "core/encoding.h"
#include "core/limits.h"
#include "core/random.h"

#include <gtest/gtest.h>

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

TEST(RotatingCode, MatchesFixedVectors)
{
    const auto k1 = key1();
    const auto k2 = key2();
    EXPECT_EQ(RotatingCode::generateAt(k1, k_window1, 7, k_t0), "Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4P");
    EXPECT_EQ(RotatingCode::generateAt(k1, k_window1, 7, k_t0 + 9'999),
              "Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4P");
    EXPECT_EQ(RotatingCode::generateAt(k1, k_window1, 7, k_t0 + 10'000),
              "Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6BYbUK1zwC19IGgUrT");
    EXPECT_EQ(RotatingCode::generateAt(k2, k_window2, 0xffffffff, 1'767'225'600'000),
              "Ej5FZ-ibQtOkVkJmFBdAAP____8KiJKAcNkxXDITq1P4-XKG");
    EXPECT_EQ(RotatingCode::generateAt(k2, k_window2, 1, 0), "Ej5FZ-ibQtOkVkJmFBdAAAAAAAEAAAAAp3l0gHnmAUkk4K6y");
}

TEST(RotatingCode, StepArithmetic)
{
    EXPECT_EQ(RotatingCode::stepAt(k_t0), 170'000'000u);
    EXPECT_EQ(RotatingCode::stepAt(k_t0 + 9'999), 170'000'000u);
    EXPECT_EQ(RotatingCode::stepAt(k_t0 + 10'000), 170'000'001u);
    EXPECT_EQ(RotatingCode::msUntilNextStep(k_t0), 10'000);
    EXPECT_EQ(RotatingCode::msUntilNextStep(k_t0 + 7'500), 2'500);
}

TEST(RotatingCode, ParseReadsFields)
{
    const auto fields = RotatingCode::parse("Ej5FZ-ibQtOkVkJmFBdAAP____8KiJKAcNkxXDITq1P4-XKG");
    ASSERT_TRUE(fields);
    EXPECT_EQ(fields->window, k_window2);
    EXPECT_EQ(fields->kioskId, 0xffffffffu);
    EXPECT_EQ(fields->step, 176'722'560u);
}

TEST(RotatingCode, AcceptsCurrentAndPreviousStepWithGrace)
{
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    // Valid from 2 s before its step until 2 s after the following step ends.
    for (const std::int64_t dt : {-2'000L, -1L, 0L, 5'000L, 9'999L, 10'000L, 19'999L, 20'000L, 21'999L}) {
        const auto r = RotatingCode::verify(code, k, k_window1, k_t0 + dt);
        EXPECT_TRUE(r) << "dt=" << dt << " " << (r ? "" : toString(r.error()));
    }
}

TEST(RotatingCode, RejectsExpiredAndFutureSteps)
{
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    EXPECT_EQ(RotatingCode::verify(code, k, k_window1, k_t0 + 22'000).error(), CodeRejection::Expired);
    EXPECT_EQ(RotatingCode::verify(code, k, k_window1, k_t0 + 3'600'000).error(), CodeRejection::Expired);
    EXPECT_EQ(RotatingCode::verify(code, k, k_window1, k_t0 - 2'001).error(), CodeRejection::FromFuture);
    const std::string later = RotatingCode::generateAt(k, k_window1, 7, k_t0 + 60'000);
    EXPECT_EQ(RotatingCode::verify(later, k, k_window1, k_t0).error(), CodeRejection::FromFuture);
}

TEST(RotatingCode, RejectsAnotherKioskKey)
{
    const std::string code = RotatingCode::generateAt(key1(), k_window1, 7, k_t0);
    EXPECT_EQ(RotatingCode::verify(code, key2(), k_window1, k_t0).error(), CodeRejection::BadSignature);
}

TEST(RotatingCode, RejectsAnotherWindow)
{
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    EXPECT_EQ(RotatingCode::verify(code, k, k_window2, k_t0).error(), CodeRejection::WrongWindow);
}

TEST(RotatingCode, RejectsAlteredFields)
{
    // Re-encoding a code with another step, kiosk or window keeps the old MAC.
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    auto bytes = *base64UrlDecode(code);
    for (const std::size_t index : {0u, 15u, 19u, 23u, 24u, 35u}) {
        auto tampered = bytes;
        tampered[index] ^= 0x01;
        EXPECT_EQ(RotatingCode::verify(base64UrlEncode(tampered), k, k_window1, k_t0).error(),
                  CodeRejection::BadSignature)
            << "byte " << index;
    }
}

TEST(RotatingCode, RejectsMalformedAndTruncatedCodes)
{
    const auto k = key1();
    const std::string code = RotatingCode::generateAt(k, k_window1, 7, k_t0);
    const std::vector<std::string> bad{
        "",
        code.substr(0, 47),
        code.substr(0, 32),
        code + "A",
        code.substr(0, 47) + "=",
        code.substr(0, 47) + "+",
        code.substr(0, 47) + "/",
        std::string(48, '*'),
        std::string(1000, 'A'),
        std::string("Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4\0", 48),
    };
    for (const auto& c : bad)
        EXPECT_EQ(RotatingCode::verify(c, k, k_window1, k_t0).error(), CodeRejection::Malformed) << c;
}

TEST(RotatingCode, RoundTripsRandomInputs)
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
        ASSERT_TRUE(r);
        EXPECT_EQ(r->kioskId, id);
        EXPECT_EQ(r->window, w);
    }
}
