#pragma once
// Values the kiosk's services hand to the GUI thread through queued signals.

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace imhere::kiosk {

// What the screen says after a tap.
struct TapFeedback {
    enum class Kind {
        CheckedIn,        // recorded durably; detail: "on time" / "late by N min"
        AlreadyCheckedIn, // detail: "already checked in at HH:MM"
        UnknownBadge,     // ask a volunteer
        NoOpenWindow,     // known person, nothing open for their courses
        NotReady,         // the kiosk has not received its keys from the server yet
        Failed,           // the store refused the write; nothing was recorded
    };
    Kind kind = Kind::Failed;
    QString name;
    QString detail;
    QString courseName;
    QString windowTitle;
    bool late = false;
    std::int64_t at = 0;
};

struct RecentCheckIn {
    QString checkInId;
    QString person;
    QString window;
    QString shortName; // first name and initial only
    QString time;      // HH:MM in the course's zone
    QString source;
};

// Everything the idle screen shows, read from the store off the GUI thread.
struct StationStatus {
    bool ready = false; // identity (keys) present
    std::uint32_t kioskId = 0;
    QByteArray secret;
    QString serverUrl;
    QString windowId; // the window the QR code and counts are for; empty: none open
    QString windowTitle;
    QString courseName;
    int otherOpenWindows = 0;
    int presentCount = 0;
    QList<RecentCheckIn> recent;
    QList<RecentCheckIn> remotePending; // qr_remote check-ins waiting for a mentor
    qint64 queueLength = 0;
};

// "Ada Lovelace" -> "Ada L.": what may be shown to the whole room.
[[nodiscard]] QString shortName(const QString& displayName);

} // namespace imhere::kiosk

Q_DECLARE_METATYPE(imhere::kiosk::TapFeedback)
Q_DECLARE_METATYPE(imhere::kiosk::StationStatus)

namespace imhere::kiosk {

// One line of the admin screen's roster.
struct RosterRow {
    QString person;
    QString name;
    QString role;      // student | ta | teacher
    QString status;    // "present", "late", "absent", "not in yet"
    QString time;      // first check-in HH:MM, or empty
    QString source;    // how they checked in
    QStringList flags; // e.g. CAMERA_OFF
    QString lastEventId;
};

// An open or openable window as the admin screen lists it.
struct WindowRow {
    QString id;
    QString course;
    QString courseName;
    QString title;
    QString opened; // HH:MM it opened or starts
};

} // namespace imhere::kiosk

Q_DECLARE_METATYPE(imhere::kiosk::RosterRow)
Q_DECLARE_METATYPE(QList<imhere::kiosk::RosterRow>)
Q_DECLARE_METATYPE(imhere::kiosk::WindowRow)
Q_DECLARE_METATYPE(QList<imhere::kiosk::WindowRow>)
