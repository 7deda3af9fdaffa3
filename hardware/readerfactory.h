#pragma once
// Builds the reader named by a --reader spec, and lists the readers present on
// this machine (for imhere-hwcheck and the kiosk's set-up screen).
//
//   nfc                       libnfc's default device (libnfc.conf / LIBNFC_DEFAULT_DEVICE)
//   nfc:CONNSTRING            e.g. nfc:pn532_uart:/dev/ttyUSB0, nfc:acr122_usb
//   wedge:/dev/input/...      a keyboard-wedge reader's event device (by-id path)
//   camera[:DEVICE]           a camera by id or description (default camera if absent)
//   sim[:SOCKET]              simulated taps from stdin, or from a Unix socket
//
// Thread rules: call on the GUI thread; the reader is returned unstarted.

#include "badgereader.h"

#include "core/result.h"

#include <QString>

#include <memory>
#include <vector>

namespace imhere::hardware {

enum class ReaderKind { Nfc, Wedge, Camera, Simulated };

struct ReaderSpec {
    ReaderKind kind = ReaderKind::Simulated;
    QString argument; // connstring, device path, camera id or socket path; may be empty
};

// Errors: code "bad_reader_spec" with a message listing the accepted forms;
// for cameras "no_camera" or "camera_not_found" (see findCamera).
[[nodiscard]] Result<ReaderSpec> parseReaderSpec(const QString& spec);
[[nodiscard]] Result<std::unique_ptr<BadgeReader>> createBadgeReader(const ReaderSpec& spec,
                                                                     QObject* parent = nullptr);
[[nodiscard]] Result<std::unique_ptr<BadgeReader>> createBadgeReader(const QString& spec,
                                                                     QObject* parent = nullptr);

// One reader found on this machine, with the spec that selects it.
struct AvailableReader {
    QString spec;        // e.g. "nfc:pn532_uart:/dev/ttyUSB0"
    QString description; // e.g. "PN532 v1.6 on /dev/ttyUSB0"
};

// Looks for libnfc devices, evdev keyboards (wedge readers type like one),
// cameras and the simulated reader. Blocks for up to a few seconds (libnfc
// probes USB); call it from a set-up tool or a worker thread, not on the
// kiosk's GUI thread while running.
[[nodiscard]] std::vector<AvailableReader> listAvailableReaders();

} // namespace imhere::hardware
