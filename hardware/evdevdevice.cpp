#include "evdevdevice.h"

#include <libevdev/libevdev.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/ioctl.h>

namespace imhere::hardware {

void EvdevDevice::Free::operator()(libevdev* dev) const
{
    libevdev_free(dev);
}

Result<EvdevDevice> EvdevDevice::open(const std::string& path)
{
    EvdevDevice device;
    device.m_fd = UniqueFd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!device.m_fd.valid()) {
        return fail(Errc::OpenFailed, path + ": " + std::strerror(errno));
    }
    libevdev* dev = nullptr;
    if (const int rc = libevdev_new_from_fd(device.m_fd.get(), &dev); rc < 0) {
        return fail(Errc::NotEvdev, path + " is not an input event device: " + std::strerror(-rc));
    }
    device.m_dev.reset(dev);
    return device;
}

std::string EvdevDevice::name() const
{
    const char* name = libevdev_get_name(m_dev.get());
    return name ? name : "";
}

bool EvdevDevice::typesDigits() const
{
    const std::array keys{KEY_ENTER, KEY_0, KEY_1, KEY_9};
    return libevdev_has_event_type(m_dev.get(), EV_KEY)
        && std::ranges::all_of(keys, [this](int key) {
               return libevdev_has_event_code(m_dev.get(), EV_KEY, static_cast<unsigned>(key)) != 0;
           });
}

Result<void> EvdevDevice::grab()
{
    if (const int rc = libevdev_grab(m_dev.get(), LIBEVDEV_GRAB); rc < 0) {
        return fail(Errc::GrabFailed, std::string("exclusive grab refused (another program holds the device?): ")
                                       + std::strerror(-rc));
    }
    return {};
}

Result<void> EvdevDevice::useMonotonicClock()
{
    int clock = CLOCK_MONOTONIC;
    if (::ioctl(m_fd.get(), EVIOCSCLOCKID, &clock) != 0) {
        return fail(Errc::ClockFailed, std::string("EVIOCSCLOCKID: ") + std::strerror(errno));
    }
    return {};
}

bool nameSuggestsBadgeReader(const std::string& name)
{
    std::string lower(name);
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"rfid", "reader", "card", "id&ic", "125k", "em4100", "barcode"}) {
        if (lower.find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace imhere::hardware

#include <filesystem>
#include <set>

namespace imhere::hardware {

std::vector<KeyboardCandidate> listKeyboardCandidates()
{
    namespace fs = std::filesystem;
    std::vector<KeyboardCandidate> found;
    std::set<fs::path> seen; // event nodes already listed under a by-id name
    std::error_code ec;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator("/dev/input/by-id", ec)) {
        if (entry.path().filename().string().find("event") != std::string::npos) {
            paths.push_back(entry.path());
        }
    }
    for (const auto& entry : fs::directory_iterator("/dev/input", ec)) {
        if (entry.path().filename().string().starts_with("event")) {
            paths.push_back(entry.path());
        }
    }
    for (const auto& path : paths) {
        const auto target = fs::canonical(path, ec);
        if (ec || !seen.insert(target).second) {
            continue;
        }
        auto device = EvdevDevice::open(path.string());
        if (!device || !device->typesDigits()) {
            continue;
        }
        const auto name = device->name();
        found.push_back({path.string(), name, nameSuggestsBadgeReader(name)});
    }
    return found;
}

} // namespace imhere::hardware
