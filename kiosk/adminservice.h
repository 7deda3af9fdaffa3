#pragma once
// The volunteer's side of the kiosk (DESIGN §8): a teacher or TA taps their
// badge and types their PIN (argon2id, verified offline against the synced
// hash; wrong PINs lock that staff member out for longer and longer,
// pinlockout.h). In a session they open and close
// windows, correct presence (teachers only, as the server rules), set flags,
// confirm remote check-ins and give an
// unknown badge to a person. Every action is an outbox event written with
// its local effect in one transaction.
//
// Thread rules: lives on the store thread beside CheckInService and shares
// its KioskStore; slots are called through queued connections; signals are
// emitted on the store thread. PIN verification (hundreds of ms) runs here,
// never on the GUI thread.

#include "kioskstore.h"
#include "pinlockout.h"
#include "stationtypes.h"

#include "core/clock.h"

#include <QObject>

namespace imhere::kiosk {

class AdminService : public QObject {
    Q_OBJECT
public:
    // `clock` dates events (server-corrected); `monotonic` times PIN lockouts.
    AdminService(KioskStore& store, const Clock& clock, const Clock& monotonic, QObject* parent = nullptr);

    [[nodiscard]] bool inSession() const { return !m_actor.empty(); }

public Q_SLOTS:
    // A tap while the admin screen wants badges (from CheckInService::adminBadge).
    void handleBadge(const QString& uidHash, const QString& person, const QString& name);
    void verifyPin(const QString& pin);
    void endSession();

    void selectWindow(const QString& windowId);
    void openWindow(const QString& courseId, const QString& title);
    void closeWindow(const QString& windowId);
    void markPresence(const QString& person, bool present, const QString& reason, const QString& base);
    void setFlag(const QString& person, const QString& flag, bool set, const QString& note);
    void confirmRemote(const QString& checkInId, const QString& person, const QString& windowId);
    void enrollBadge(const QString& uidHash, const QString& person);
    void refresh();

Q_SIGNALS:
    void pinRequested(const QString& name);
    void loginRefused(const QString& message);
    void pinRejected(const QString& message, int lockedForSeconds);
    void sessionStarted(const QString& name);
    void sessionEnded();
    void unknownBadgeCaptured(const QString& uidHash);
    void actionDone(const QString& message);
    void actionFailed(const QString& message);
    void eventRecorded();
    // Whether the volunteer in session may correct presence in the selected
    // window (its course's teacher; TAs may flag but not correct, as on the server).
    void correctionsAllowedChanged(bool allowed);
    void viewChanged(const QList<imhere::kiosk::WindowRow>& windows, const QList<imhere::kiosk::WindowRow>& courses,
                     const QString& selectedWindow, const QList<imhere::kiosk::RosterRow>& roster, int rejectedCount);

private:
    [[nodiscard]] bool record(sync::EventBody body, const QString& done);
    [[nodiscard]] bool mayCorrect(const std::string& windowId);

    KioskStore& m_store;
    const Clock& m_clock;
    PinLockout m_lockout;
    std::string m_candidate; // badge tapped, PIN not yet typed
    std::string m_actor;     // staff member in session
    std::string m_selectedWindow;
};

} // namespace imhere::kiosk
