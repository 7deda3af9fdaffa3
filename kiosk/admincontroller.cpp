#include "admincontroller.h"
#include "kiosklimits.h"

#include <QVariantMap>

#include <algorithm>

namespace imhere::kiosk {

AdminController::AdminController(QObject* parent)
    : QObject(parent), m_windows(this), m_roster(this), m_idleTimer(this), m_lockTimer(this)
{
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(static_cast<int>(limits::k_adminIdleMs));
    connect(&m_idleTimer, &QTimer::timeout, this, &AdminController::cancel);
    m_lockTimer.setInterval(limits::k_lockCountdownTickMs);
    connect(&m_lockTimer, &QTimer::timeout, this, [this] {
        setLockedSeconds(m_lockedSeconds - 1);
        if (m_lockedSeconds == 0 && m_stage == Stage::Pin)
            setMessage(QStringLiteral("Type your PIN."));
    });
}

void AdminController::setStage(Stage stage)
{
    if (stage == m_stage)
        return;
    const bool wanted = stage != Stage::Closed;
    const bool wasWanted = m_stage != Stage::Closed;
    m_stage = stage;
    if (wanted != wasWanted)
        Q_EMIT badgesWanted(wanted);
    Q_EMIT stageChanged();
}

void AdminController::setMessage(const QString& message)
{
    m_message = message;
    Q_EMIT messageChanged();
}

void AdminController::setStaffName(const QString& name)
{
    if (name == m_staffName)
        return;
    m_staffName = name;
    Q_EMIT staffNameChanged();
}

void AdminController::setLockedSeconds(int seconds)
{
    seconds = std::max(0, seconds);
    if (seconds > 0 && !m_lockTimer.isActive())
        m_lockTimer.start();
    else if (seconds == 0)
        m_lockTimer.stop();
    if (seconds == m_lockedSeconds)
        return;
    m_lockedSeconds = seconds;
    Q_EMIT lockedSecondsChanged();
}

void AdminController::touch()
{
    if (m_stage != Stage::Closed)
        m_idleTimer.start();
}

void AdminController::begin()
{
    setMessage(QStringLiteral("Tap your teacher or TA badge."));
    setStage(Stage::WaitingForBadge);
    touch();
}

void AdminController::cancel()
{
    m_idleTimer.stop();
    setStaffName({});
    m_pendingBadge.clear();
    setLockedSeconds(0);
    onCorrectionsAllowed(false);
    setMessage({});
    setStage(Stage::Closed);
    Q_EMIT pendingBadgeChanged();
    Q_EMIT endSessionRequested(); // also drops a badge waiting for its PIN
}

void AdminController::submitPin(const QString& pin)
{
    touch();
    Q_EMIT verifyPinRequested(pin);
}

void AdminController::selectWindow(const QString& windowId)
{
    touch();
    Q_EMIT selectWindowRequested(windowId);
}

void AdminController::openWindow(const QString& courseId, const QString& title)
{
    touch();
    Q_EMIT openWindowRequested(courseId, title.trimmed().isEmpty() ? QStringLiteral("Class") : title.trimmed());
}

void AdminController::closeWindow(const QString& windowId)
{
    touch();
    Q_EMIT closeWindowRequested(windowId);
}

void AdminController::markPresent(const QString& person, const QString& reason, const QString& base)
{
    touch();
    Q_EMIT presenceRequested(person, true, reason, base);
}

void AdminController::markAbsent(const QString& person, const QString& reason, const QString& base)
{
    touch();
    Q_EMIT presenceRequested(person, false, reason, base);
}

void AdminController::setFlag(const QString& person, const QString& flag, bool set)
{
    touch();
    Q_EMIT flagRequested(person, flag, set, QString());
}

void AdminController::confirmRemote(const QString& checkInId, const QString& person, const QString& windowId)
{
    touch();
    Q_EMIT confirmRemoteRequested(checkInId, person, windowId);
}

void AdminController::givePendingBadgeTo(const QString& person)
{
    touch();
    if (m_pendingBadge.isEmpty())
        return;
    Q_EMIT enrollBadgeRequested(m_pendingBadge, person);
    forgetPendingBadge();
}

void AdminController::forgetPendingBadge()
{
    m_pendingBadge.clear();
    Q_EMIT pendingBadgeChanged();
}

void AdminController::onPinRequested(const QString& name)
{
    setStaffName(name);
    setMessage(QStringLiteral("Hello %1, type your PIN.").arg(name));
    setStage(Stage::Pin);
    touch();
}

void AdminController::onLoginRefused(const QString& message)
{
    setMessage(message);
}

void AdminController::onPinRejected(const QString& message, int lockedForSeconds)
{
    setLockedSeconds(lockedForSeconds);
    setMessage(message);
}

void AdminController::onSessionStarted(const QString& name)
{
    setStaffName(name);
    setLockedSeconds(0);
    setMessage(QStringLiteral("Signed in as %1.").arg(name));
    setStage(Stage::Session);
    touch();
}

void AdminController::onUnknownBadge(const QString& uidHash)
{
    m_pendingBadge = uidHash;
    setMessage(QStringLiteral("New badge read. Choose who it belongs to in the roster."));
    Q_EMIT pendingBadgeChanged();
}

void AdminController::onMessage(const QString& message)
{
    setMessage(message);
}

void AdminController::onCorrectionsAllowed(bool allowed)
{
    if (allowed == m_canCorrect)
        return;
    m_canCorrect = allowed;
    Q_EMIT canCorrectChanged();
}

void AdminController::onView(const QList<WindowRow>& windows, const QList<WindowRow>& courses,
                             const QString& selectedWindow, const QList<RosterRow>& roster, int rejectedCount)
{
    m_windows.setItems(windows);
    m_roster.setItems(roster);
    m_courses.clear();
    for (const auto& c : courses)
        m_courses.push_back(QVariantMap{{QStringLiteral("id"), c.course}, {QStringLiteral("name"), c.courseName}});
    m_selectedWindow = selectedWindow;
    m_rejectedCount = rejectedCount;
    Q_EMIT viewChanged();
}

} // namespace imhere::kiosk
