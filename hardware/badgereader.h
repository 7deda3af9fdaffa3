#pragma once
// The one interface every badge or code reader implements (DESIGN §8).
//
// Thread rules: a reader is created, started and stopped on the GUI thread.
// Device I/O and decoding run on a thread the reader owns, never on the GUI
// thread. Signals may be emitted from that worker thread; connect to them with
// the default (auto) connection so that receivers on the GUI thread get queued
// calls. Duplicate reads of one badge within k_duplicateWindowMs are the
// kiosk's to drop (CheckInService), so readers report every read they see.

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

Q_SIGNALS:
    void badgeRead(const imhere::hardware::BadgeRead& read);
    // The device is present and reading (true) or gone/failing (false).
    void readyChanged(bool ready);
    void errorOccurred(const QString& message);
};

} // namespace imhere::hardware

Q_DECLARE_METATYPE(imhere::hardware::BadgeRead)
