#pragma once
// The one interface every badge or code reader implements (DESIGN §8).
//
// Thread rules: a reader is created, started and stopped on the GUI thread.
// Device I/O and decoding run on a thread the reader owns, never on the GUI
// thread. Every implementation in hardware/ emits its signals on the thread
// the reader object lives on (workers hand results over with post*()), so
// receivers need no locking and QSignalSpy works in tests; connecting with
// the default (auto) connection is still right. Duplicate reads of one badge
// within k_duplicateWindowMs are the kiosk's to drop (CheckInService), so
// readers report every read they see (an NFC card resting on the reader is
// one read: it is reported when it arrives).

#include <QByteArray>
#include <QObject>
#include <QString>

namespace imhere::hardware {

enum class BadgeSource {
    Nfc,     // ISO14443A UID from an NFC reader
    Wedge,   // UID typed by a keyboard-wedge (125 kHz) reader
    QrBadge, // personal badge QR token read by the camera
};

// What a reader saw: the raw credential (card UID bytes, or the QR badge token
// as UTF-8 bytes). The kiosk hashes it with the org badge key at once; raw
// credentials are never stored.
struct BadgeRead {
    QByteArray credential;
    BadgeSource source = BadgeSource::Nfc;
};

class BadgeReader : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~BadgeReader() override = default;

    // Starts reading; failures to find or open the device are reported through
    // errorOccurred, and the reader keeps retrying where that makes sense.
    virtual void start() = 0;
    // Stops reading and joins the worker; safe to call twice.
    virtual void stop() = 0;
    // A short human description, e.g. "NFC pn532_uart:/dev/ttyUSB0".
    [[nodiscard]] virtual QString description() const = 0;
    // Whether the device is present and reading, as last signalled.
    [[nodiscard]] bool isReady() const { return m_ready; }

Q_SIGNALS:
    void badgeRead(const imhere::hardware::BadgeRead& read);
    // The device is present and reading (true) or gone/failing (false).
    void readyChanged(bool ready);
    void errorOccurred(const QString& message);

protected:
    // Thread-safe: queue the signal to the reader's own thread. Events posted
    // to a reader that has been destroyed are discarded by Qt.
    void postRead(BadgeRead read);
    void postReady(bool ready); // emits readyChanged only on a change
    void postError(QString message);

private:
    bool m_ready = false; // touched on the reader's thread only
};

[[nodiscard]] QString badgeSourceName(BadgeSource source);
// One line for a person setting up a reader: the source, then the UID in hex
// (NFC) or the text read (wedge digits, QR badge token).
[[nodiscard]] QString describeBadgeRead(const BadgeRead& read);

} // namespace imhere::hardware

Q_DECLARE_METATYPE(imhere::hardware::BadgeRead)
