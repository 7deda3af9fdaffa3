// WedgeReader on a real evdev device: a virtual keyboard made with uinput
// types a UID; the reader grabs the device exclusively and reports the UID.
// Needs /dev/uinput (and permission to use it): exits 77 (skipped) without.

#include "hardware/wedgereader.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>

#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>

#include <cstdio>
#include <fcntl.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <unistd.h>

using namespace imhere::hardware;

namespace {

constexpr int k_skipped = 77;

bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return done();
}

int check(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "FAIL: %s\n", what);
    }
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (::access("/dev/uinput", W_OK) != 0) {
        std::puts("skipped: /dev/uinput is not available on this machine");
        return k_skipped;
    }
    libevdev* dev = libevdev_new();
    libevdev_set_name(dev, "imhere test RFID reader");
    libevdev_enable_event_type(dev, EV_KEY);
    for (const int key : {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9, KEY_ENTER}) {
        libevdev_enable_event_code(dev, EV_KEY, static_cast<unsigned>(key), nullptr);
    }
    libevdev_uinput* uinput = nullptr;
    const int rc = libevdev_uinput_create_from_device(dev, LIBEVDEV_UINPUT_OPEN_MANAGED, &uinput);
    libevdev_free(dev);
    if (rc < 0) {
        std::puts("skipped: cannot create a uinput device here");
        return k_skipped;
    }
    const QString node = QString::fromLocal8Bit(libevdev_uinput_get_devnode(uinput));
    WedgeReader reader(node);
    QSignalSpy reads(&reader, &BadgeReader::badgeRead);
    reader.start();
    int failures = check(waitUntil([&] { return reader.isReady(); }, 5000), "reader becomes ready");

    // Grabbed: a second client cannot grab the device.
    const int other = ::open(node.toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC);
    failures += check(other >= 0 && ::ioctl(other, EVIOCGRAB, 1) != 0, "device is grabbed exclusively");
    if (other >= 0) {
        ::close(other);
    }

    for (const int key : {KEY_0, KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_ENTER}) {
        libevdev_uinput_write_event(uinput, EV_KEY, static_cast<unsigned>(key), 1);
        libevdev_uinput_write_event(uinput, EV_SYN, SYN_REPORT, 0);
        libevdev_uinput_write_event(uinput, EV_KEY, static_cast<unsigned>(key), 0);
        libevdev_uinput_write_event(uinput, EV_SYN, SYN_REPORT, 0);
    }
    failures += check(waitUntil([&] { return reads.count() == 1; }, 5000), "one read arrives");
    if (reads.count() == 1) {
        failures += check(reads.at(0).at(0).value<BadgeRead>().credential == "0012345678", "UID is 0012345678");
    }
    // Unplugged: the reader notices.
    libevdev_uinput_destroy(uinput);
    failures += check(waitUntil([&] { return !reader.isReady(); }, 5000), "unplug is noticed");
    reader.stop();
    std::puts(failures == 0 ? "PASS" : "FAILED");
    return failures == 0 ? 0 : 1;
}
