#pragma once
// What the check-in screen shows, as properties for QML: the idle screen
// (window, rotating QR code with its countdown, who is in), the result of the
// last tap for a few seconds, and the offline banner. It holds no business
// rules: it mirrors values the services send and computes the QR text.
//
// Thread rules: GUI thread only. Fed through queued connections from the
// store thread (CheckInService) and the sync thread (SyncClient).

#include "listmodels.h"
#include "stationtypes.h"

#include "core/clock.h"

#include <QObject>
#include <QTimer>

namespace imhere::kiosk {

class KioskController : public QObject {
    Q_OBJECT
    Q_PROPERTY(Screen screen READ screen NOTIFY screenChanged)
    Q_PROPERTY(QString feedbackName READ feedbackName NOTIFY screenChanged)
    Q_PROPERTY(QString feedbackDetail READ feedbackDetail NOTIFY screenChanged)
    Q_PROPERTY(bool feedbackLate READ feedbackLate NOTIFY screenChanged)
    Q_PROPERTY(bool ready READ ready NOTIFY statusChanged)
    Q_PROPERTY(bool hasOpenWindow READ hasOpenWindow NOTIFY statusChanged)
    Q_PROPERTY(QString courseName READ courseName NOTIFY statusChanged)
    Q_PROPERTY(QString windowTitle READ windowTitle NOTIFY statusChanged)
    Q_PROPERTY(int otherOpenWindows READ otherOpenWindows NOTIFY statusChanged)
    Q_PROPERTY(int presentCount READ presentCount NOTIFY statusChanged)
    Q_PROPERTY(imhere::kiosk::RecentCheckInModel* recentCheckIns READ recentCheckIns CONSTANT)
    Q_PROPERTY(imhere::kiosk::RecentCheckInModel* remoteCheckIns READ remoteCheckIns CONSTANT)
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    Q_PROPERTY(qint64 queueLength READ queueLength NOTIFY queueLengthChanged)
    Q_PROPERTY(QString qrText READ qrText NOTIFY qrTextChanged)
    Q_PROPERTY(int codeSecondsLeft READ codeSecondsLeft NOTIFY codeSecondsLeftChanged)

public:
    enum class Screen { Idle, CheckedIn, AlreadyCheckedIn, UnknownBadge, NoOpenWindow, NotReady, Failed };
    Q_ENUM(Screen)

    // `serverClock` is the kiosk's server-corrected clock; it must outlive this.
    explicit KioskController(const Clock& serverClock, QObject* parent = nullptr);

    [[nodiscard]] Screen screen() const { return m_screen; }
    [[nodiscard]] QString feedbackName() const { return m_feedback.name; }
    [[nodiscard]] QString feedbackDetail() const { return m_feedback.detail; }
    [[nodiscard]] bool feedbackLate() const { return m_feedback.late; }
    [[nodiscard]] bool ready() const { return m_status.ready; }
    [[nodiscard]] bool hasOpenWindow() const { return !m_status.windowId.isEmpty(); }
    [[nodiscard]] QString courseName() const { return m_status.courseName; }
    [[nodiscard]] QString windowTitle() const { return m_status.windowTitle; }
    [[nodiscard]] int otherOpenWindows() const { return m_status.otherOpenWindows; }
    [[nodiscard]] int presentCount() const { return m_status.presentCount; }
    [[nodiscard]] RecentCheckInModel* recentCheckIns() { return &m_recent; }
    [[nodiscard]] RecentCheckInModel* remoteCheckIns() { return &m_remote; }
    [[nodiscard]] bool online() const { return m_online; }
    [[nodiscard]] qint64 queueLength() const { return m_queueLength; }
    [[nodiscard]] QString qrText() const { return m_qrText; }
    [[nodiscard]] int codeSecondsLeft() const { return m_codeSecondsLeft; }
    [[nodiscard]] const StationStatus& status() const { return m_status; }

public Q_SLOTS:
    void showFeedback(const imhere::kiosk::TapFeedback& feedback);
    void setStatus(const imhere::kiosk::StationStatus& status);
    void setOnline(bool online);
    void setQueueLength(qint64 length);
    // Back to the idle screen before the result's time is up (a touch).
    void dismissFeedback();
    // Recomputes the QR text and countdown from the clock (also run by a timer).
    void tick();

Q_SIGNALS:
    void screenChanged();
    void statusChanged();
    void onlineChanged();
    void queueLengthChanged();
    void qrTextChanged();
    void codeSecondsLeftChanged();
    // A result screen appeared; QML plays the matching sound.
    void feedbackShown(bool success);

private:
    const Clock& m_clock;
    Screen m_screen = Screen::Idle;
    TapFeedback m_feedback;
    StationStatus m_status;
    RecentCheckInModel m_recent;
    RecentCheckInModel m_remote;
    bool m_online = false;
    qint64 m_queueLength = 0;
    QString m_qrText;
    int m_codeSecondsLeft = 0;
    QTimer m_feedbackTimer;
    QTimer m_tickTimer;
};

} // namespace imhere::kiosk
