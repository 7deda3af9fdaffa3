#pragma once
// The two real programs, run as child processes on loopback for end-to-end
// tests: imhere-server on a SQLite file, and imhere-kiosk offscreen with the
// simulated reader on a Unix socket. Every wait here is bounded; a test that
// runs out of time fails with a message instead of hanging.
//
// Thread rules: test (GUI) thread only; waits spin the Qt event loop.

#include "core/database.h"

#include <QProcess>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace imhere::e2e {

inline constexpr int k_processStartMs = 30'000;
inline constexpr int k_deliveryDeadlineMs = 90'000; // generous: two cores shared with other builds

// Polls `condition` (spinning the event loop) until it holds or the deadline passes.
[[nodiscard]] bool waitUntil(const std::function<bool()>& condition, int deadlineMs = k_deliveryDeadlineMs);

class ServerProcess {
public:
    explicit ServerProcess(std::string dbPath) : m_dbPath(std::move(dbPath)) {}
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Starts `imhere-server serve` on 127.0.0.1:port (0: any free port; a
    // restart reuses the first port) with `extraArgs`, and waits until it
    // listens.
    [[nodiscard]] bool start(const QStringList& extraArgs = {});
    // SIGHUP, then waits until the server says whether it read its TLS
    // certificate again; true when it did.
    [[nodiscard]] bool reloadTls();
    // SIGKILL: the server vanishes mid-whatever, as in a power cut.
    void kill();
    // http:// or https://, as the server said.
    [[nodiscard]] std::string url() const { return m_scheme + "://127.0.0.1:" + std::to_string(m_port); }
    [[nodiscard]] std::uint16_t port() const { return m_port; }
    [[nodiscard]] const std::string& dbPath() const { return m_dbPath; }
    // What the server has logged (its stderr) so far.
    [[nodiscard]] QString logged();
    // The process id, for a signal sent from another thread; 0 when not running.
    [[nodiscard]] qint64 pid() const { return m_process ? m_process->processId() : 0; }

private:
    std::string m_dbPath;
    std::uint16_t m_port = 0;
    std::string m_scheme = "http";
    std::unique_ptr<QProcess> m_process;
    QString m_logged;
};

class KioskProcess {
public:
    explicit KioskProcess(QString dataDir);
    ~KioskProcess();
    KioskProcess(const KioskProcess&) = delete;
    KioskProcess& operator=(const KioskProcess&) = delete;

    // Starts imhere-kiosk --data DIR --reader sim:SOCKET [extra...] offscreen
    // and waits for its reader socket.
    [[nodiscard]] bool start(const QStringList& extraArgs = {});
    // Sends one line to the simulated reader (a card UID in hex).
    [[nodiscard]] bool tap(const QByteArray& uid);
    // SIGTERM, as systemd stops it; true when it then exited by itself with 0.
    bool stop();
    // SIGKILL: the kiosk vanishes mid-whatever, as in a power cut. What it
    // printed before stays in output().
    void kill();
    // Reads the kiosk's output as it comes until `condition` holds on all of
    // it so far; false when the deadline passes or the kiosk exits first.
    [[nodiscard]] bool waitForOutput(const std::function<bool(const QString&)>& condition, int deadlineMs);
    [[nodiscard]] QString storePath() const { return m_dataDir + QStringLiteral("/kiosk.db"); }
    [[nodiscard]] QString output() const { return m_output; }

private:
    QString m_dataDir;
    QString m_socket;
    QString m_output;
    std::unique_ptr<QProcess> m_process;
};

// One integer from a read-only query on a SQLite file another process writes
// (the server's or the kiosk's); nullopt if the file or query fails.
[[nodiscard]] std::optional<std::int64_t> queryInt(const std::string& dbPath, const std::string& sql,
                                                   const std::string& arg = {});

} // namespace imhere::e2e
