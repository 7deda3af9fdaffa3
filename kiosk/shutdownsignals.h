#pragma once
// Turns SIGINT and SIGTERM (Ctrl-C, systemd stopping the unit) into a normal
// QCoreApplication::quit(), so the reader and sync threads are stopped and
// joined and the store is closed cleanly. The handler only writes a byte to
// a pipe; the quit happens on the GUI thread.
//
// Thread rules: construct once, on the GUI thread, after the application.

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace imhere::kiosk {

class ShutdownSignals : public QObject {
    Q_OBJECT
public:
    explicit ShutdownSignals(QObject* parent = nullptr);
    ~ShutdownSignals() override;

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace imhere::kiosk
