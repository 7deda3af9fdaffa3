#include "wedgestream.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <unistd.h>

namespace imhere::hardware {

namespace {

std::chrono::microseconds nowOn(int clockId)
{
    timespec ts{};
    ::clock_gettime(clockId, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::microseconds(ts.tv_nsec / 1000);
}

} // namespace

WedgeStreamEnd runWedgeStream(int fd, WedgeParser& parser, const StopSignal& stop,
                              const std::function<void(const WedgeOutcome&)>& onOutcome, int clockId)
{
    // Room for a burst of events; a partial record stays in the buffer until
    // the rest arrives (pipes may split writes, evdev never does).
    std::array<char, sizeof(input_event) * 64> buffer{};
    std::size_t filled = 0;
    while (true) {
        int timeoutMs = -1;
        if (const auto deadline = parser.deadline()) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - nowOn(clockId));
            timeoutMs = static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count() + 1, 1));
        }
        std::array<pollfd, 2> fds{{{stop.fd(), POLLIN, 0}, {fd, POLLIN, 0}}};
        const int rc = ::poll(fds.data(), fds.size(), timeoutMs);
        if (rc < 0) {
            if (errno == EINTR) {
                continue;
            }
            return {false, std::string("poll: ") + std::strerror(errno)};
        }
        if (fds[0].revents != 0) {
            return {true, {}};
        }
        if (rc == 0) {
            if (auto outcome = parser.expire(nowOn(clockId))) {
                onOutcome(*outcome);
            }
            continue;
        }
        const auto n = ::read(fd, buffer.data() + filled, buffer.size() - filled);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n < 0) {
            return {false, errno == ENODEV ? std::string("device unplugged") : std::string(std::strerror(errno))};
        }
        if (n == 0) {
            return {false, "end of input"};
        }
        filled += static_cast<std::size_t>(n);
        std::size_t used = 0;
        for (; filled - used >= sizeof(input_event); used += sizeof(input_event)) {
            input_event event{};
            std::memcpy(&event, buffer.data() + used, sizeof event);
            if (auto outcome = parser.feed(event)) {
                onOutcome(*outcome);
            }
        }
        std::memmove(buffer.data(), buffer.data() + used, filled - used);
        filled -= used;
    }
}

} // namespace imhere::hardware
