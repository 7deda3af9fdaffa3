#include "kioskcontroller.h"
#include "kiosklimits.h"
#include "screenqr.h"

#include "core/rotatingcode.h"

namespace imhere::kiosk {

namespace {
constexpr int k_tickMs = 250; // countdown and code refresh resolution

KioskController::Screen screenFor(TapFeedback::Kind kind)
{
    using Kind = TapFeedback::Kind;
    using Screen = KioskController::Screen;
    switch (kind) {
    case Kind::CheckedIn: return Screen::CheckedIn;
    case Kind::AlreadyCheckedIn: return Screen::AlreadyCheckedIn;
    case Kind::UnknownBadge: return Screen::UnknownBadge;
    case Kind::NoOpenWindow: return Screen::NoOpenWindow;
    case Kind::NotReady: return Screen::NotReady;
    case Kind::Failed: return Screen::Failed;
    }
    return Screen::Failed;
}
} // namespace

KioskController::KioskController(const Clock& serverClock, QObject* parent)
    : QObject(parent), m_clock(serverClock), m_recent(this), m_remote(this), m_feedbackTimer(this), m_tickTimer(this)
{
    m_feedbackTimer.setSingleShot(true);
    m_feedbackTimer.setInterval(static_cast<int>(limits::k_feedbackShownMs));
    connect(&m_feedbackTimer, &QTimer::timeout, this, &KioskController::dismissFeedback);
    m_tickTimer.setInterval(k_tickMs);
    connect(&m_tickTimer, &QTimer::timeout, this, &KioskController::tick);
    m_tickTimer.start();
}

void KioskController::showFeedback(const TapFeedback& feedback)
{
    m_feedback = feedback;
    m_screen = screenFor(feedback.kind);
    m_feedbackTimer.start();
    Q_EMIT screenChanged();
    Q_EMIT feedbackShown(feedback.kind == TapFeedback::Kind::CheckedIn ||
                         feedback.kind == TapFeedback::Kind::AlreadyCheckedIn);
}

void KioskController::dismissFeedback()
{
    m_feedbackTimer.stop();
    if (m_screen == Screen::Idle)
        return;
    m_screen = Screen::Idle;
    Q_EMIT screenChanged();
}

void KioskController::setStatus(const StationStatus& status)
{
    m_status = status;
    m_recent.setItems(status.recent);
    m_remote.setItems(status.remotePending);
    setQueueLength(status.queueLength);
    Q_EMIT statusChanged();
    tick();
}

void KioskController::setOnline(bool online)
{
    if (online == m_online)
        return;
    m_online = online;
    Q_EMIT onlineChanged();
}

void KioskController::setQueueLength(qint64 length)
{
    if (length == m_queueLength)
        return;
    m_queueLength = length;
    Q_EMIT queueLengthChanged();
}

void KioskController::tick()
{
    const std::int64_t now = m_clock.nowMs();
    const QString text = hasOpenWindow() && m_status.ready
                             ? remoteCheckInUrl(m_status.serverUrl, m_status.secret, m_status.windowId,
                                                m_status.kioskId, now)
                             : QString();
    if (text != m_qrText) {
        m_qrText = text;
        Q_EMIT qrTextChanged();
    }
    const int secondsLeft = static_cast<int>((RotatingCode::msUntilNextStep(now) + 999) / 1000);
    if (secondsLeft != m_codeSecondsLeft) {
        m_codeSecondsLeft = secondsLeft;
        Q_EMIT codeSecondsLeftChanged();
    }
}

} // namespace imhere::kiosk
