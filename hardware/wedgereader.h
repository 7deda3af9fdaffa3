#pragma once
// A keyboard-wedge badge reader (the common 125 kHz USB readers that type the
// card number and Enter) read through evdev. The device is grabbed
// exclusively so the digits never reach the kiosk window or a console.
// Unplugging is reported (readyChanged(false)) and the device is reopened
// when it comes back at the same path (use a /dev/input/by-id path).
//
// Thread rules: create, start, stop and destroy on the GUI thread; a worker
// thread owns the device; signals are emitted on the reader's thread.

#include "badgereader.h"
#include "uniquefd.h"

#include <QString>

#include <thread>

namespace imhere::hardware {

class WedgeReader final : public BadgeReader {
    Q_OBJECT
public:
    explicit WedgeReader(QString devicePath, QObject* parent = nullptr);
    ~WedgeReader() override;

    void start() override;
    void stop() override;
    [[nodiscard]] QString description() const override;

private:
    void run();

    QString m_devicePath;
    StopSignal m_stop;
    std::thread m_worker;
};

} // namespace imhere::hardware
