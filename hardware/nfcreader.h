#pragma once
// An NFC reader through libnfc 1.8 (PN532 on UART/I2C/SPI, PN533, ACR122U):
// polls for ISO14443A cards and reports each card's UID when it arrives (a
// card left on the reader is one read). Absent or unplugged readers are
// reported and reopened every k_reconnectInterval; a reader that stops
// answering mid-poll is cut off after k_nfcPollDeadline and reopened.
//
// Thread rules: create, start, stop and destroy on the GUI thread. A worker
// thread owns the libnfc context and device; a watchdog thread may abort its
// poll. Signals are emitted on the reader's thread.

#include "badgereader.h"
#include "uniquefd.h"

#include <QString>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

struct nfc_device;

namespace imhere::hardware {

class NfcReader final : public BadgeReader {
    Q_OBJECT
public:
    // An empty connstring means libnfc's default device (libnfc.conf,
    // LIBNFC_DEFAULT_DEVICE, or the first one found).
    explicit NfcReader(QString connstring, QObject* parent = nullptr);
    ~NfcReader() override;

    void start() override;
    void stop() override;
    [[nodiscard]] QString description() const override;

private:
    void run();
    void watch();
    void pollDevice(nfc_device* device);
    void abortPoll(bool cut);

    QString m_connstring;
    StopSignal m_stop;
    std::thread m_worker;
    std::thread m_watchdog;

    // Shared by worker, watchdog and stop(); guarded by m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_changed;
    nfc_device* m_device = nullptr; // while open
    int m_serialFd = -1;            // libnfc's serial line, when it has one
    std::optional<std::chrono::steady_clock::time_point> m_pollDeadline;
    bool m_pollOverran = false;
    bool m_stopping = false;
};

} // namespace imhere::hardware
