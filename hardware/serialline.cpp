#include "serialline.h"

#include <filesystem>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace imhere::hardware {

namespace fs = std::filesystem;

std::set<int> openFds()
{
    std::set<int> fds;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc/self/fd", ec)) {
        // The listing's own fd shows up too; it is closed again afterwards
        // and its number may be reused, so it is not counted.
        const auto link = fs::read_symlink(entry.path(), ec).string();
        if (ec || (link.starts_with("/proc/") && link.ends_with("/fd"))) {
            continue;
        }
        try {
            fds.insert(std::stoi(entry.path().filename().string()));
        } catch (const std::exception&) {
        }
    }
    return fds;
}

int findNewFdFor(const std::string& devicePath, const std::set<int>& before)
{
    std::error_code ec;
    const auto target = fs::canonical(devicePath, ec);
    if (ec) {
        return -1;
    }
    for (const int fd : openFds()) {
        if (before.contains(fd)) {
            continue;
        }
        const auto link = fs::read_symlink("/proc/self/fd/" + std::to_string(fd), ec);
        if (!ec && link == target) {
            return fd;
        }
    }
    return -1;
}

namespace {

// SIGRTMIN + 5: clear of glibc's and Qt's own uses.
int wakeSignal()
{
    static const int signal = [] {
        const int number = SIGRTMIN + 5;
        struct sigaction current{};
        ::sigaction(number, nullptr, &current);
        if (current.sa_handler == SIG_DFL) {
            struct sigaction wake{};
            wake.sa_handler = [](int) {}; // only to interrupt a blocking call
            ::sigemptyset(&wake.sa_mask);
            ::sigaction(number, &wake, nullptr);
        }
        return number;
    }();
    return signal;
}

} // namespace

bool cutLine(int fd, pthread_t blocked)
{
    const int signal = wakeSignal();
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) {
        return false;
    }
    const bool ok = ::dup2(null, fd) == fd;
    ::close(null);
    return ok && ::pthread_kill(blocked, signal) == 0;
}

std::string serialPathOf(const std::string& connstring)
{
    const auto first = connstring.find(':');
    if (first == std::string::npos) {
        return {};
    }
    const auto second = connstring.find(':', first + 1);
    auto path = connstring.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    return path.starts_with('/') ? path : std::string{};
}

} // namespace imhere::hardware
