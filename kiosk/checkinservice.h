#pragma once
// Turns a badge read into a durable check-in and the feedback for the screen
// (DESIGN §2, §8): credential -> uid_hash -> person -> open window of one of
// their courses -> one transaction (check-in + outbox row) -> feedback.
//
// Thread rules: lives on the store thread (never the GUI thread: the commit
// waits for fsync). Its slots are called through queued connections; its
// signals are emitted on the store thread. It owns no thread itself.

#include "kioskstore.h"
#include "stationtypes.h"

#include "core/clock.h"
#include "hardware/badgereader.h"

#include <QObject>

#include <map>
#include <optional>

namespace imhere::kiosk {

class CheckInService : public QObject {
    Q_OBJECT
public:
    enum class Route {
        CheckIn, // normal: taps check people in
        Admin,   // an admin login or session wants the next taps
    };
    Q_ENUM(Route)

    // `clock` is server-corrected time; both must outlive the service.
    CheckInService(KioskStore& store, const Clock& clock, QObject* parent = nullptr);

    // Hashes a credential with the org badge key; empty when the kiosk has no key yet.
    [[nodiscard]] QString hashCredential(const QByteArray& credential);

public Q_SLOTS:
    void handleRead(const imhere::hardware::BadgeRead& read);
    void setRoute(imhere::kiosk::CheckInService::Route route);
    // Re-reads what the idle screen shows and emits statusChanged.
    void refreshStatus();
    // The identity arrived or changed (after the first sync).
    void reloadIdentity();

Q_SIGNALS:
    // Emitted only after the check-in is durable (commit returned).
    void feedback(const imhere::kiosk::TapFeedback& feedback);
    // A tap while an admin wants badges: its hash and, if known, whose it is.
    void adminBadge(const QString& uidHash, const QString& person, const QString& name);
    // An event entered the outbox; the sync client may send it now.
    void eventRecorded();
    void statusChanged(const imhere::kiosk::StationStatus& status);

private:
    [[nodiscard]] bool isRepeat(const QString& uidHash, std::int64_t nowMs);
    [[nodiscard]] TapFeedback checkIn(const QString& uidHash, hardware::BadgeSource source, std::int64_t nowMs);

    KioskStore& m_store;
    const Clock& m_clock;
    std::optional<Identity> m_identity;
    Route m_route = Route::CheckIn;
    std::map<QString, std::int64_t> m_lastSeen; // uid_hash -> last read, bounded
};

} // namespace imhere::kiosk
