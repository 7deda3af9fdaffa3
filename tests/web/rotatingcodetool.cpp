// The code a kiosk shows at this moment, for the end-to-end test's "trainee
// scans the screen" step: core's RotatingCode with the kiosk's key, as the
// kiosk itself computes it (DESIGN §4).
//
//   imhere-test-rotating-code KEY_BASE64URL KIOSK_ID WINDOW_UUID [UNIX_MS]

#include "core/clock.h"
#include "core/encoding.h"
#include "core/random.h"
#include "core/rotatingcode.h"

#include <algorithm>
#include <cstdio>
#include <string>

int main(int argc, char** argv)
{
    using namespace imhere;
    if (argc != 4 && argc != 5) {
        std::fputs("usage: imhere-test-rotating-code KEY_BASE64URL KIOSK_ID WINDOW_UUID [UNIX_MS]\n", stderr);
        return 2;
    }
    const auto key = base64UrlDecode(argv[1]);
    const auto window = uuidBytes(argv[3]);
    if (!key || !window || window->size() != WindowId{}.size()) {
        std::fputs("imhere-test-rotating-code: bad key or window id\n", stderr);
        return 2;
    }
    try {
        const auto kiosk = static_cast<std::uint32_t>(std::stoul(argv[2]));
        const std::int64_t at = argc == 5 ? std::stoll(argv[4]) : SystemClock().nowMs();
        WindowId id{};
        std::ranges::copy(*window, id.begin());
        std::printf("%s\n", RotatingCode::generateAt(*key, id, kiosk, at).c_str());
    } catch (const std::exception&) {
        std::fputs("imhere-test-rotating-code: KIOSK_ID and UNIX_MS are whole numbers\n", stderr);
        return 2;
    }
    return 0;
}
