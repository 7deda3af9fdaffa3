#pragma once
// The admin screen's state for QML (sign-in stage, messages, windows, roster,
// a captured unknown badge) and the intents QML forwards, which it passes on
// to AdminService as queued signals. A session ends after k_adminIdleMs
// without a touch. After too many wrong PINs it counts the lockout down to
// zero so the screen can say how long is left.
//
// Thread rules: GUI thread only.

#include "listmodels.h"

#include <QObject>
#include <QTimer>
#include <QVariantList>

namespace imhere::kiosk {

class AdminController : public QObject {
    Q_OBJECT
    Q_PROPERTY(Stage stage READ stage NOTIFY stageChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(QString staffName READ staffName NOTIFY staffNameChanged)
    Q_PROPERTY(int lockedSeconds READ lockedSeconds NOTIFY lockedSecondsChanged)
    Q_PROPERTY(imhere::kiosk::WindowModel* windows READ windows CONSTANT)
    Q_PROPERTY(imhere::kiosk::RosterModel* roster READ roster CONSTANT)
    Q_PROPERTY(QVariantList courses READ courses NOTIFY viewChanged)
    Q_PROPERTY(QString selectedWindow READ selectedWindow NOTIFY viewChanged)
    Q_PROPERTY(bool hasPendingBadge READ hasPendingBadge NOTIFY pendingBadgeChanged)
    Q_PROPERTY(int rejectedCount READ rejectedCount NOTIFY viewChanged)
    Q_PROPERTY(bool canCorrect READ canCorrect NOTIFY canCorrectChanged)

public:
    enum class Stage { Closed, WaitingForBadge, Pin, Session };
    Q_ENUM(Stage)

    explicit AdminController(QObject* parent = nullptr);

    [[nodiscard]] Stage stage() const { return m_stage; }
    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] QString staffName() const { return m_staffName; }
    [[nodiscard]] int lockedSeconds() const { return m_lockedSeconds; }
    [[nodiscard]] WindowModel* windows() { return &m_windows; }
    [[nodiscard]] RosterModel* roster() { return &m_roster; }
    [[nodiscard]] QVariantList courses() const { return m_courses; }
    [[nodiscard]] QString selectedWindow() const { return m_selectedWindow; }
    [[nodiscard]] bool hasPendingBadge() const { return !m_pendingBadge.isEmpty(); }
    [[nodiscard]] int rejectedCount() const { return m_rejectedCount; }
    // The volunteer may mark presence in the selected window (its teacher).
    [[nodiscard]] bool canCorrect() const { return m_canCorrect; }

    // Intents from QML.
    Q_INVOKABLE void begin();
    Q_INVOKABLE void cancel();
    Q_INVOKABLE void submitPin(const QString& pin);
    Q_INVOKABLE void selectWindow(const QString& windowId);
    Q_INVOKABLE void openWindow(const QString& courseId, const QString& title);
    Q_INVOKABLE void closeWindow(const QString& windowId);
    Q_INVOKABLE void markPresent(const QString& person, const QString& reason, const QString& base);
    Q_INVOKABLE void markAbsent(const QString& person, const QString& reason, const QString& base);
    Q_INVOKABLE void setFlag(const QString& person, const QString& flag, bool set);
    Q_INVOKABLE void confirmRemote(const QString& checkInId, const QString& person, const QString& windowId);
    Q_INVOKABLE void givePendingBadgeTo(const QString& person);
    Q_INVOKABLE void forgetPendingBadge();

public Q_SLOTS:
    // From AdminService.
    void onPinRequested(const QString& name);
    void onLoginRefused(const QString& message);
    void onPinRejected(const QString& message, int lockedForSeconds);
    void onSessionStarted(const QString& name);
    void onUnknownBadge(const QString& uidHash);
    void onMessage(const QString& message);
    void onCorrectionsAllowed(bool allowed);
    void onView(const QList<imhere::kiosk::WindowRow>& windows, const QList<imhere::kiosk::WindowRow>& courses,
                const QString& selectedWindow, const QList<imhere::kiosk::RosterRow>& roster, int rejectedCount);

Q_SIGNALS:
    void stageChanged();
    void staffNameChanged();
    void lockedSecondsChanged();
    void messageChanged();
    void viewChanged();
    void pendingBadgeChanged();
    void canCorrectChanged();
    // To the services (queued).
    void badgesWanted(bool wanted);
    void verifyPinRequested(const QString& pin);
    void endSessionRequested();
    void selectWindowRequested(const QString& windowId);
    void openWindowRequested(const QString& courseId, const QString& title);
    void closeWindowRequested(const QString& windowId);
    void presenceRequested(const QString& person, bool present, const QString& reason, const QString& base);
    void flagRequested(const QString& person, const QString& flag, bool set, const QString& note);
    void confirmRemoteRequested(const QString& checkInId, const QString& person, const QString& windowId);
    void enrollBadgeRequested(const QString& uidHash, const QString& person);

private:
    void setStage(Stage stage);
    void setMessage(const QString& message);
    void setStaffName(const QString& name);
    void setLockedSeconds(int seconds);
    void touch();

    Stage m_stage = Stage::Closed;
    QString m_message;
    QString m_staffName;
    int m_lockedSeconds = 0;
    WindowModel m_windows;
    RosterModel m_roster;
    QVariantList m_courses;
    QString m_selectedWindow;
    QString m_pendingBadge;
    int m_rejectedCount = 0;
    bool m_canCorrect = false;
    QTimer m_idleTimer;
    QTimer m_lockTimer; // ticks once a second while the PIN is locked
};

} // namespace imhere::kiosk
