#include "station.h"
#include "kiosklimits.h"

namespace imhere::kiosk {

Result<std::unique_ptr<Station>> Station::create(const std::string& storePath,
                                                 std::unique_ptr<HttpTransport> transport, const Clock& systemClock)
{
    TRY_ASSIGN(tapStore, KioskStore::open(storePath));
    TRY_ASSIGN(syncStore, KioskStore::open(storePath));
    return std::unique_ptr<Station>(
        new Station(std::move(tapStore), std::move(syncStore), std::move(transport), systemClock));
}

Station::Station(KioskStore tapStore, KioskStore syncStore, std::unique_ptr<HttpTransport> transport,
                 const Clock& systemClock)
    : m_serverClock(systemClock), m_tapStore(std::move(tapStore)), m_syncStore(std::move(syncStore)),
      m_transport(std::move(transport))
{
    if (auto offset = m_tapStore.clockOffsetMs())
        m_serverClock.setOffsetMs(*offset); // codes are right from the first frame, even offline
    m_checkIns = std::make_unique<CheckInService>(m_tapStore, m_serverClock);
    m_adminService = std::make_unique<AdminService>(m_tapStore, m_serverClock, m_monotonic);
    m_sync = std::make_unique<SyncClient>(m_syncStore, *m_transport, systemClock, m_serverClock);
    m_controller = std::make_unique<KioskController>(m_serverClock);
    m_admin = std::make_unique<AdminController>();
    m_checkIns->moveToThread(&m_storeThread);
    m_adminService->moveToThread(&m_storeThread);
    m_sync->moveToThread(&m_syncThread);
    m_storeThread.setObjectName(QStringLiteral("kiosk-store"));
    m_syncThread.setObjectName(QStringLiteral("kiosk-sync"));
    wire();
}

void Station::wire()
{
    CheckInService* checkIns = m_checkIns.get();
    AdminService* adminService = m_adminService.get();
    SyncClient* sync = m_sync.get();
    KioskController* controller = m_controller.get();
    AdminController* admin = m_admin.get();

    // Taps and the idle screen.
    connect(checkIns, &CheckInService::feedback, controller, &KioskController::showFeedback);
    connect(checkIns, &CheckInService::statusChanged, controller, &KioskController::setStatus);
    connect(checkIns, &CheckInService::eventRecorded, sync, &SyncClient::syncSoon);
    connect(checkIns, &CheckInService::adminBadge, adminService, &AdminService::handleBadge);

    // Sync.
    connect(sync, &SyncClient::onlineChanged, controller, &KioskController::setOnline);
    connect(sync, &SyncClient::queueLengthChanged, controller, &KioskController::setQueueLength);
    connect(sync, &SyncClient::changesApplied, checkIns, &CheckInService::reloadIdentity);
    connect(sync, &SyncClient::changesApplied, checkIns, &CheckInService::refreshStatus);
    connect(sync, &SyncClient::changesApplied, adminService, &AdminService::refresh);

    // Admin screen -> services.
    connect(admin, &AdminController::badgesWanted, checkIns, [checkIns](bool wanted) {
        checkIns->setRoute(wanted ? CheckInService::Route::Admin : CheckInService::Route::CheckIn);
    });
    connect(admin, &AdminController::verifyPinRequested, adminService, &AdminService::verifyPin);
    connect(admin, &AdminController::endSessionRequested, adminService, &AdminService::endSession);
    connect(admin, &AdminController::selectWindowRequested, adminService, &AdminService::selectWindow);
    connect(admin, &AdminController::openWindowRequested, adminService, &AdminService::openWindow);
    connect(admin, &AdminController::closeWindowRequested, adminService, &AdminService::closeWindow);
    connect(admin, &AdminController::presenceRequested, adminService, &AdminService::markPresence);
    connect(admin, &AdminController::flagRequested, adminService, &AdminService::setFlag);
    connect(admin, &AdminController::confirmRemoteRequested, adminService, &AdminService::confirmRemote);
    connect(admin, &AdminController::enrollBadgeRequested, adminService, &AdminService::enrollBadge);

    // Services -> admin screen.
    connect(adminService, &AdminService::pinRequested, admin, &AdminController::onPinRequested);
    connect(adminService, &AdminService::loginRefused, admin, &AdminController::onLoginRefused);
    connect(adminService, &AdminService::pinRejected, admin, &AdminController::onPinRejected);
    connect(adminService, &AdminService::sessionStarted, admin, &AdminController::onSessionStarted);
    connect(adminService, &AdminService::unknownBadgeCaptured, admin, &AdminController::onUnknownBadge);
    connect(adminService, &AdminService::actionDone, admin, &AdminController::onMessage);
    connect(adminService, &AdminService::actionFailed, admin, &AdminController::onMessage);
    connect(adminService, &AdminService::viewChanged, admin, &AdminController::onView);
    connect(adminService, &AdminService::correctionsAllowedChanged, admin, &AdminController::onCorrectionsAllowed);
    connect(adminService, &AdminService::eventRecorded, sync, &SyncClient::syncSoon);
    connect(adminService, &AdminService::eventRecorded, checkIns, &CheckInService::refreshStatus);

    // Windows open and close with the clock, not only with taps.
    m_statusTimer.setInterval(static_cast<int>(limits::k_statusRefreshMs));
    connect(&m_statusTimer, &QTimer::timeout, checkIns, &CheckInService::refreshStatus);
}

void Station::start()
{
    m_storeThread.start();
    m_syncThread.start();
    QMetaObject::invokeMethod(m_sync.get(), &SyncClient::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_checkIns.get(), &CheckInService::refreshStatus, Qt::QueuedConnection);
    m_statusTimer.start();
}

Station::~Station()
{
    m_statusTimer.stop();
    QThread* home = thread();
    // Each service is handed back to this thread from its own thread (only
    // the owning thread may move an object), so it is destroyed here.
    if (m_syncThread.isRunning()) {
        QMetaObject::invokeMethod(
            m_sync.get(), [this, home] { m_sync->stop(); m_sync->moveToThread(home); }, Qt::BlockingQueuedConnection);
    }
    if (m_storeThread.isRunning()) {
        QMetaObject::invokeMethod(
            m_checkIns.get(),
            [this, home] {
                m_checkIns->moveToThread(home);
                m_adminService->moveToThread(home);
            },
            Qt::BlockingQueuedConnection);
    }
    m_syncThread.quit();
    m_storeThread.quit();
    m_syncThread.wait();
    m_storeThread.wait();
}

} // namespace imhere::kiosk
