#pragma once
// Lets the NFC reader cut a serial line libnfc is blocked on. libnfc waits
// for a PN532's ACK without a timeout and without an abort path, so a reader
// that falls silent would hold the worker forever. Replacing the line's fd
// with /dev/null (dup2, so the number stays libnfc's until it closes it) and
// interrupting the blocked thread with a signal makes libnfc's select restart
// on /dev/null, where its read fails with an I/O error; the reader then
// closes and reopens the device. The signal is a real-time one with a no-op
// handler, installed once and only if nothing else uses it.
//
// Thread rules: find() on the worker; cut() from any thread while the device
// is open (the caller guarantees that with its own lock).

#include <pthread.h>
#include <set>
#include <string>

namespace imhere::hardware {

// The fds open in this process now (to tell libnfc's new fd from others).
[[nodiscard]] std::set<int> openFds();
// The fd opened since `before` that refers to `devicePath`; -1 if none.
[[nodiscard]] int findNewFdFor(const std::string& devicePath, const std::set<int>& before);
// Points `fd` at /dev/null and interrupts `blocked` (the thread waiting on
// it); true on success.
bool cutLine(int fd, pthread_t blocked);
// The device path in a serial connstring ("pn532_uart:/dev/ttyUSB0:115200").
[[nodiscard]] std::string serialPathOf(const std::string& connstring);

} // namespace imhere::hardware
