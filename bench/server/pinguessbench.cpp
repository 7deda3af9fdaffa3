// What one offline guess at a stolen kiosk's PIN hash costs, and so how long
// every PIN of k_pinDigits digits takes to try, next to the floor an attacker
// would meet without argon2: one bare HMAC-SHA256 of the same PIN (what a
// badge hash costs), measured in the same run. Also the older kind (6 digits, 19 MiB, t=2) for comparison.
//
// Usage: bench_server_pin_guess [guesses]   (default 20 per kind)

#include "bench/benchtable.h"
#include "sync-server/auth/passwords.h"

#include "core/crypto.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace imhere;
using namespace imhere::server;
using Clock = std::chrono::steady_clock;

namespace {

// Median milliseconds of one call of `op`, over `rounds` calls.
template <class F>
double medianMs(int rounds, F&& op)
{
    std::vector<double> ms;
    for (int i = 0; i < rounds; ++i) {
        const auto start = Clock::now();
        op(i);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::ranges::sort(ms);
    return ms[ms.size() / 2];
}

volatile std::uint8_t g_sink;

struct Kind {
    const char* name;
    HashCost cost;
    int digits;
};

} // namespace

int main(int argc, char** argv)
{
    const int guesses = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    const Key key{};
    const double shaMs = medianMs(2000, [&key](int i) {
        const std::string guess = std::to_string(10'000'000 + i);
        g_sink = hmacSha256(key, {asBytes(guess)})[0];
    });
    std::printf("floor: one bare HMAC-SHA256 of a PIN %.5f ms\n", shaMs);
    std::printf("%-28s %12s %10s %16s %18s\n", "PIN kind", "guess (ms)", "x floor", "all PINs (core-h)",
                "half, 64 cores (h)");
    const Kind kinds[] = {{"now: 8 digits, 64 MiB, t=3", k_pinCost, k_pinDigits},
                          {"older: 6 digits, 19 MiB, t=2", {2, 19ULL << 20}, 6}};
    for (const Kind& kind : kinds) {
        const auto hash = hashSecret("24681357", kind.cost);
        if (!hash) {
            std::fprintf(stderr, "could not hash: %s\n", hash.error().message.c_str());
            return 1;
        }
        const double guessMs = medianMs(guesses, [&](int i) {
            if (verifySecret(*hash, std::to_string(10'000'000 + i)))
                std::abort();
        });
        const double coreHours = std::pow(10.0, kind.digits) * guessMs / 3'600'000.0;
        std::printf("%-28s %12.1f %10.0f %16.0f %18.1f\n", kind.name, guessMs, guessMs / shaMs, coreHours,
                    coreHours / 2 / 64);
        if (kind.digits == k_pinDigits)
            bench::tableRow("offline guess at a kiosk PIN hash", guessMs, "bare HMAC-SHA256 of the PIN", shaMs, "ms");
    }
    return 0;
}
