#include "adminservice.h"
#include "kiosklimits.h"

#include "core/crypto.h"
#include "core/random.h"
#include "core/timezone.h"

#include <sodium.h>


namespace imhere::kiosk {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString statusOf(const RosterEntry& e, const Window& w)
{
    if (e.corrected)
        return *e.corrected ? QStringLiteral("present") : QStringLiteral("absent");
    if (!e.checkedInAt)
        return QStringLiteral("not in yet");
    const Punctuality p = assessCheckIn(w.timing, w.startMs, *e.checkedInAt);
    if (p.status == AttendanceStatus::OnTime)
        return QStringLiteral("on time");
    return QStringLiteral("late %1 min").arg(p.minutesLate);
}

} // namespace

AdminService::AdminService(KioskStore& store, const Clock& clock, const Clock& monotonic, QObject* parent)
    : QObject(parent), m_store(store), m_clock(clock), m_lockout(store, monotonic)
{
    ensureSodium();
}

void AdminService::handleBadge(const QString& uidHash, const QString& person, const QString& name)
{
    if (inSession()) {
        if (person.isEmpty())
            Q_EMIT unknownBadgeCaptured(uidHash);
        else
            Q_EMIT actionDone(QStringLiteral("That badge belongs to %1.").arg(name));
        return;
    }
    if (person.isEmpty()) {
        Q_EMIT loginRefused(QStringLiteral("This badge is not known."));
        return;
    }
    auto staff = m_store.isStaff(person.toStdString());
    auto hash = m_store.pinHash(person.toStdString());
    if (!staff || !*staff || !hash || !*hash) {
        Q_EMIT loginRefused(QStringLiteral("Only teachers and TAs with a PIN can open the admin screen."));
        return;
    }
    m_candidate = person.toStdString();
    Q_EMIT pinRequested(name);
}

void AdminService::verifyPin(const QString& pin)
{
    if (m_candidate.empty()) {
        Q_EMIT pinRejected(QStringLiteral("Tap your badge first."), 0);
        return;
    }
    if (const std::int64_t locked = m_lockout.lockedForMs(m_candidate); locked > 0) {
        Q_EMIT pinRejected(QStringLiteral("Too many wrong PINs. Try again later."),
                           static_cast<int>((locked + 999) / 1000));
        return;
    }
    auto hash = m_store.pinHash(m_candidate);
    const std::string digits = pin.left(limits::k_maxPinDigits).toStdString();
    const bool ok = hash && *hash && crypto_pwhash_str_verify((*hash)->c_str(), digits.data(), digits.size()) == 0;
    if (ok) {
        m_lockout.recordSuccess(m_candidate);
        m_actor = m_candidate;
        m_candidate.clear();
        auto person = m_store.person(m_actor);
        Q_EMIT sessionStarted(person && *person ? q((*person)->displayName) : QString());
        refresh();
        return;
    }
    const PinLockout::Failure failure = m_lockout.recordFailure(m_candidate);
    if (failure.lockedForMs > 0) {
        Q_EMIT pinRejected(QStringLiteral("Too many wrong PINs. Try again later."),
                           static_cast<int>(failure.lockedForMs / 1000));
        return;
    }
    Q_EMIT pinRejected(QStringLiteral("Wrong PIN. %1 tries left.").arg(failure.triesLeft), 0);
}

void AdminService::endSession()
{
    m_actor.clear();
    m_candidate.clear();
    m_selectedWindow.clear();
    Q_EMIT sessionEnded();
}

bool AdminService::record(sync::EventBody body, const QString& done)
{
    if (!inSession()) {
        Q_EMIT actionFailed(QStringLiteral("Sign in first."));
        return false;
    }
    sync::Event event{newUuidV4(), m_clock.nowMs(), m_actor, std::move(body)};
    if (auto r = m_store.recordEvent(event); !r) {
        Q_EMIT actionFailed(QStringLiteral("Not saved: %1").arg(q(r.error().message)));
        return false;
    }
    Q_EMIT eventRecorded();
    Q_EMIT actionDone(done);
    refresh();
    return true;
}

void AdminService::selectWindow(const QString& windowId)
{
    m_selectedWindow = windowId.toStdString();
    refresh();
}

void AdminService::openWindow(const QString& courseId, const QString& title)
{
    const std::string id = newUuidV4();
    if (record(sync::WindowOpen{id, courseId.toStdString(), title.toStdString(), std::nullopt},
               QStringLiteral("Opened “%1”.").arg(title))) {
        m_selectedWindow = id;
        refresh();
    }
}

void AdminService::closeWindow(const QString& windowId)
{
    (void)record(sync::WindowClose{windowId.toStdString()}, QStringLiteral("Window closed."));
}

bool AdminService::mayCorrect(const std::string& windowId)
{
    auto window = m_store.window(windowId);
    if (!window || !*window)
        return false;
    auto role = m_store.roleIn(m_actor, (*window)->course);
    return role && *role == std::optional<std::string>("teacher");
}

void AdminService::markPresence(const QString& person, bool present, const QString& reason, const QString& base)
{
    if (inSession() && !mayCorrect(m_selectedWindow)) {
        Q_EMIT actionFailed(QStringLiteral("Only this class's teacher can mark presence. TAs can set flags."));
        return;
    }
    std::optional<std::string> baseId;
    if (!base.isEmpty())
        baseId = base.toStdString();
    (void)record(sync::Correction{person.toStdString(), m_selectedWindow, present,
                                  reason.left(static_cast<qsizetype>(imhere::limits::k_maxReasonBytes / 4)).toStdString(),
                                  baseId},
                 present ? QStringLiteral("Marked present.") : QStringLiteral("Marked absent."));
}

void AdminService::setFlag(const QString& person, const QString& flag, bool set, const QString& note)
{
    auto parsed = sync::flagFromString(flag.toStdString());
    if (!parsed) {
        Q_EMIT actionFailed(QStringLiteral("Unknown flag %1").arg(flag));
        return;
    }
    (void)record(sync::FlagChange{person.toStdString(), m_selectedWindow, *parsed, set, note.toStdString()},
                 set ? QStringLiteral("Flag set.") : QStringLiteral("Flag cleared."));
}

void AdminService::confirmRemote(const QString& checkInId, const QString& person, const QString& windowId)
{
    (void)record(sync::RemoteConfirm{person.toStdString(), windowId.toStdString(), checkInId.toStdString()},
                 QStringLiteral("Remote check-in confirmed."));
}

void AdminService::enrollBadge(const QString& uidHash, const QString& person)
{
    (void)record(sync::BadgeEnroll{person.toStdString(), uidHash.toStdString()},
                 QStringLiteral("Badge given to the person."));
}

void AdminService::refresh()
{
    if (!inSession())
        return;
    const std::int64_t now = m_clock.nowMs();
    QList<WindowRow> windows;
    auto open = m_store.openWindows(now);
    if (open) {
        for (const auto& w : *open)
            windows.push_back({q(w.id), q(w.course), q(w.courseName), q(w.title), q(formatLocalTime(w.timezone, w.startMs))});
    }
    if (m_selectedWindow.empty() && open && !open->empty())
        m_selectedWindow = open->front().id;
    QList<WindowRow> courses;
    if (auto list = m_store.courses()) {
        for (const auto& [id, name] : *list)
            courses.push_back({QString(), q(id), q(name), QString(), QString()});
    }
    QList<RosterRow> roster;
    auto window = m_store.window(m_selectedWindow);
    if (window && *window) {
        if (auto entries = m_store.roster(m_selectedWindow)) {
            for (const auto& e : *entries) {
                QStringList flags;
                for (const auto& f : e.flags)
                    flags << q(f);
                roster.push_back({q(e.person), q(e.name), q(e.role), statusOf(e, **window),
                                  e.checkedInAt ? q(formatLocalTime((*window)->timezone, *e.checkedInAt)) : QString(),
                                  q(e.source), flags, q(e.lastEventId)});
            }
        }
    }
    Q_EMIT correctionsAllowedChanged(mayCorrect(m_selectedWindow));
    const auto rejected = m_store.rejectedEvents(1000);
    Q_EMIT viewChanged(windows, courses, q(m_selectedWindow), roster,
                       rejected ? static_cast<int>(rejected->size()) : 0);
}

} // namespace imhere::kiosk
