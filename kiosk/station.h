#pragma once
// Wires one running kiosk: the store thread (CheckInService, AdminService on
// one KioskStore connection), the sync thread (SyncClient on another
// connection with its transport), and the GUI-thread controllers QML reads.
//
// Thread rules: create, start and destroy on the GUI thread. It owns its two
// threads and joins them on destruction.

#include "admincontroller.h"
#include "adminservice.h"
#include "checkinservice.h"
#include "httptransport.h"
#include "kioskcontroller.h"
#include "syncclient.h"

#include "core/clock.h"

#include <QThread>
#include <QTimer>

#include <memory>

namespace imhere::kiosk {

class Station : public QObject {
    Q_OBJECT
public:
    // Opens the store twice (one connection per thread); fails if it cannot.
    [[nodiscard]] static Result<std::unique_ptr<Station>> create(const std::string& storePath,
                                                                 std::unique_ptr<HttpTransport> transport,
                                                                 const Clock& systemClock);
    ~Station() override;

    KioskController& controller() { return *m_controller; }
    AdminController& admin() { return *m_admin; }
    CheckInService& checkIns() { return *m_checkIns; }
    OffsetClock& serverClock() { return m_serverClock; }

    // Starts both threads and the first sync.
    void start();

private:
    Station(KioskStore tapStore, KioskStore syncStore, std::unique_ptr<HttpTransport> transport,
            const Clock& systemClock);
    void wire();

    OffsetClock m_serverClock;
    SteadyClock m_monotonic; // PIN lockouts
    KioskStore m_tapStore;
    KioskStore m_syncStore;
    std::unique_ptr<HttpTransport> m_transport;
    QThread m_storeThread;
    QThread m_syncThread;
    std::unique_ptr<CheckInService> m_checkIns;
    std::unique_ptr<AdminService> m_adminService;
    std::unique_ptr<SyncClient> m_sync;
    std::unique_ptr<KioskController> m_controller;
    std::unique_ptr<AdminController> m_admin;
    QTimer m_statusTimer;
};

} // namespace imhere::kiosk
