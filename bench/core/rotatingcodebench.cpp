// Rotating code generate + verify, next to the physical floor: one bare
// HMAC-SHA256 over the same 36 bytes, measured in the same run.
//
// A generate+verify pair computes two HMACs plus base64 and the checks, so the
// ideal ratio against one HMAC is about 2.

#include "bench/benchtable.h"
#include "core/crypto.h"
#include "core/random.h"
#include "core/rotatingcode.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace imhere;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double nsPerOp(int iterations, F&& op)
{
    std::vector<double> rounds;
    for (int r = 0; r < 7; ++r) {
        const auto start = Clock::now();
        for (int i = 0; i < iterations; ++i)
            op(i);
        rounds.push_back(std::chrono::duration<double, std::nano>(Clock::now() - start).count() / iterations);
    }
    std::ranges::sort(rounds);
    return rounds[rounds.size() / 2]; // median round
}

volatile std::uint8_t g_sink;

} // namespace

int main(int argc, char** argv)
{
    const int iterations = argc > 1 ? std::atoi(argv[1]) : 50'000;
    const Bytes key = randomBytes(32);
    WindowId window{};
    const Bytes w = randomBytes(16);
    std::copy(w.begin(), w.end(), window.begin());
    const std::int64_t t0 = 1'790'000'000'000;

    const Bytes payload = randomBytes(RotatingCode::k_payloadBytes);
    const double hmacNs = nsPerOp(iterations, [&](int) {
        const auto mac = hmacSha256(key, {asBytes(RotatingCode::k_context), payload});
        g_sink = mac[0];
    });
    const double pairNs = nsPerOp(iterations, [&](int i) {
        const std::int64_t now = t0 + std::int64_t{i} * 37;
        const auto code = RotatingCode::generateAt(key, window, 7, now);
        const auto ok = RotatingCode::verify(code, key, window, now);
        if (!ok)
            std::abort();
        g_sink = static_cast<std::uint8_t>(ok->step);
    });

    std::printf("bench/core rotating code (%d iterations x 7 rounds, median)\n", iterations);
    std::printf("  bare HMAC-SHA256 over 36 bytes : %8.0f ns\n", hmacNs);
    std::printf("  RotatingCode generate + verify : %8.0f ns\n", pairNs);
    std::printf("  ratio (pair / one HMAC)        : %8.2f   (floor: 2.00, two HMACs per pair)\n", pairNs / hmacNs);
    bench::tableRow("rotating code, generate + verify", pairNs, "one bare HMAC-SHA256 (36 B)", hmacNs, "ns");
    return 0;
}
