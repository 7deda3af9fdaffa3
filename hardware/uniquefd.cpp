#include "uniquefd.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace imhere::hardware {

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    m_fd = fd;
}

StopSignal::StopSignal() : m_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
}

void StopSignal::notify()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(m_fd.get(), &one, sizeof one);
}

void StopSignal::clear()
{
    std::uint64_t value = 0;
    [[maybe_unused]] const auto got = ::read(m_fd.get(), &value, sizeof value);
}

bool StopSignal::isSet() const
{
    pollfd p{m_fd.get(), POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

bool StopSignal::waitFor(std::chrono::milliseconds duration) const
{
    pollfd p{m_fd.get(), POLLIN, 0};
    int rc = 0;
    do {
        rc = ::poll(&p, 1, static_cast<int>(duration.count()));
    } while (rc < 0 && errno == EINTR);
    return rc > 0;
}

Result<Pipe> makePipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return fail(Errc::PipeFailed, std::strerror(errno));
    }
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

bool writeAll(int fd, const void* data, std::size_t size)
{
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const auto n = ::write(fd, bytes, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                pollfd p{fd, POLLOUT, 0};
                ::poll(&p, 1, 100);
                continue;
            }
            return false;
        }
        bytes += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace imhere::hardware
