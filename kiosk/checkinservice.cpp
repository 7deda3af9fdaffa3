#include "checkinservice.h"
#include "kiosklimits.h"

#include "core/crypto.h"
#include "core/random.h"
#include "core/timezone.h"

#include <QLoggingCategory>

namespace imhere::kiosk {

namespace {

Q_LOGGING_CATEGORY(lcCheckIn, "imhere.kiosk.checkin")

sync::CheckInSource toSyncSource(hardware::BadgeSource source)
{
    switch (source) {
    case hardware::BadgeSource::Nfc: return sync::CheckInSource::Nfc;
    case hardware::BadgeSource::Wedge: return sync::CheckInSource::Wedge;
    case hardware::BadgeSource::QrBadge: return sync::CheckInSource::QrBadge;
    }
    return sync::CheckInSource::Nfc;
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

TapFeedback failed(const Error& error)
{
    qCWarning(lcCheckIn) << "store failure:" << q(std::string(errorCodeName(error.code))) << q(error.message);
    TapFeedback fb;
    fb.kind = TapFeedback::Kind::Failed;
    // Say plainly when the kiosk's own storage is the cause: tapping again will not help.
    switch (error.code) {
    case Errc::DiskFull:
        fb.detail = QStringLiteral("The kiosk's storage is full. Nothing was recorded. Please ask a volunteer.");
        break;
    case Errc::IoError:
    case Errc::ReadOnly:
        fb.detail = QStringLiteral("The kiosk cannot save to its storage. Nothing was recorded. Please ask a volunteer.");
        break;
    default:
        fb.detail = QStringLiteral("Nothing was recorded. Tap again or ask a volunteer.");
        break;
    }
    return fb;
}

} // namespace

CheckInService::CheckInService(KioskStore& store, const Clock& clock, QObject* parent)
    : QObject(parent), m_store(store), m_clock(clock)
{
    reloadIdentity();
}

void CheckInService::reloadIdentity()
{
    auto identity = m_store.identity();
    if (!identity) {
        qCWarning(lcCheckIn) << "cannot read identity:" << q(identity.error().message);
        return;
    }
    m_identity = std::move(*identity);
}

QString CheckInService::hashCredential(const QByteArray& credential)
{
    if (!m_identity)
        reloadIdentity();
    if (!m_identity)
        return {};
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(credential.constData());
    return q(badgeHash(m_identity->badgeKey, {bytes, static_cast<std::size_t>(credential.size())}));
}

void CheckInService::setRoute(Route route)
{
    m_route = route;
}

bool CheckInService::isRepeat(const QString& uidHash, std::int64_t nowMs)
{
    auto it = m_lastSeen.find(uidHash);
    const bool repeat = it != m_lastSeen.end() && nowMs - it->second < limits::k_duplicateReadMs;
    if (repeat)
        return true; // the window runs from the first read, so holding a card does not extend it
    if (m_lastSeen.size() >= limits::k_duplicateMemory) {
        std::erase_if(m_lastSeen, [nowMs](const auto& entry) {
            return nowMs - entry.second >= limits::k_duplicateReadMs;
        });
        if (m_lastSeen.size() >= limits::k_duplicateMemory)
            m_lastSeen.erase(m_lastSeen.begin());
    }
    m_lastSeen[uidHash] = nowMs;
    return false;
}

void CheckInService::handleRead(const hardware::BadgeRead& read)
{
    const std::int64_t now = m_clock.nowMs();
    const QString uidHash = hashCredential(read.credential);
    if (uidHash.isEmpty()) {
        TapFeedback fb;
        fb.kind = TapFeedback::Kind::NotReady;
        fb.detail = QStringLiteral("This kiosk is still setting up. Please ask a volunteer.");
        Q_EMIT feedback(fb);
        return;
    }
    if (isRepeat(uidHash, now))
        return;
    if (m_route == Route::Admin) {
        auto person = m_store.personByBadge(uidHash.toStdString());
        const bool known = person && *person;
        Q_EMIT adminBadge(uidHash, known ? q((*person)->publicId) : QString(),
                          known ? q((*person)->displayName) : QString());
        return;
    }
    TapFeedback fb = checkIn(uidHash, read.source, now);
    Q_EMIT feedback(fb);
    if (fb.kind == TapFeedback::Kind::CheckedIn) {
        Q_EMIT eventRecorded();
        refreshStatus();
    }
}

TapFeedback CheckInService::checkIn(const QString& uidHash, hardware::BadgeSource source, std::int64_t nowMs)
{
    auto person = m_store.personByBadge(uidHash.toStdString());
    if (!person)
        return failed(person.error());
    TapFeedback fb;
    fb.at = nowMs;
    if (!*person) {
        fb.kind = TapFeedback::Kind::UnknownBadge;
        fb.detail = QStringLiteral("Please ask a volunteer.");
        return fb;
    }
    fb.name = q((*person)->displayName);
    auto windows = m_store.openWindowsFor((*person)->publicId, nowMs);
    if (!windows)
        return failed(windows.error());
    if (windows->empty()) {
        fb.kind = TapFeedback::Kind::NoOpenWindow;
        fb.detail = QStringLiteral("No class is open for you right now.");
        return fb;
    }
    const Window& window = windows->front();
    fb.courseName = q(window.courseName);
    fb.windowTitle = q(window.title);
    auto existing = m_store.checkInFor((*person)->publicId, window.id);
    if (!existing)
        return failed(existing.error());
    if (*existing) {
        fb.kind = TapFeedback::Kind::AlreadyCheckedIn;
        fb.at = (*existing)->at;
        fb.detail = QStringLiteral("Already checked in at %1").arg(q(formatLocalTime(window.timezone, fb.at)));
        return fb;
    }
    sync::Event event;
    event.id = newUuidV4();
    event.at = nowMs;
    event.actor = (*person)->publicId;
    event.body = sync::CheckIn{(*person)->publicId, window.id, toSyncSource(source)};
    if (auto r = m_store.recordEvent(event); !r)
        return failed(r.error());
    const Punctuality p = assessCheckIn(window.timing, window.startMs, nowMs);
    fb.kind = TapFeedback::Kind::CheckedIn;
    fb.late = p.status != AttendanceStatus::OnTime;
    fb.detail = fb.late ? QStringLiteral("Late by %1 min").arg(p.minutesLate) : QStringLiteral("On time");
    return fb;
}

void CheckInService::refreshStatus()
{
    StationStatus status;
    const std::int64_t now = m_clock.nowMs();
    if (!m_identity)
        reloadIdentity();
    if (m_identity) {
        status.ready = true;
        status.kioskId = m_identity->kioskId;
        status.secret = QByteArray(reinterpret_cast<const char*>(m_identity->secret.data()),
                                   static_cast<qsizetype>(m_identity->secret.size()));
    }
    if (auto creds = m_store.credentials(); creds && *creds)
        status.serverUrl = q((*creds)->serverUrl);
    if (auto length = m_store.outboxLength())
        status.queueLength = *length;
    auto windows = m_store.openWindows(now);
    if (windows && !windows->empty()) {
        const Window& w = windows->front();
        status.windowId = q(w.id);
        status.windowTitle = q(w.title);
        status.courseName = q(w.courseName);
        status.otherOpenWindows = static_cast<int>(windows->size()) - 1;
        if (auto count = m_store.presentCount(w.id))
            status.presentCount = *count;
        auto toRecent = [&w](const CheckInRecord& r) {
            return RecentCheckIn{q(r.id), q(r.person), q(r.window), shortName(q(r.name)),
                                 q(formatLocalTime(w.timezone, r.at)), q(r.source)};
        };
        if (auto recent = m_store.recentCheckIns(w.id, limits::k_recentCheckIns)) {
            for (const auto& r : *recent)
                status.recent.push_back(toRecent(r));
        }
        if (auto remote = m_store.unconfirmedRemote(w.id)) {
            for (const auto& r : *remote)
                status.remotePending.push_back(toRecent(r));
        }
    }
    Q_EMIT statusChanged(status);
}

} // namespace imhere::kiosk
