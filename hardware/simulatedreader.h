#pragma once
// A reader driven by text lines (see simulatedinput.h), for the kiosk demo,
// tests and trying a classroom setup without hardware. Lines come from a
// stream (stdin by default) or from any number of clients of a Unix socket.
//
// Thread rules: create, start, stop and destroy on one thread (the GUI
// thread). A worker thread reads the input; signals are emitted on the
// reader's thread. A malformed line is reported with errorOccurred and skipped.

#include "badgereader.h"
#include "uniquefd.h"

#include <QString>

#include <thread>

namespace imhere::hardware {

class SimulatedReader final : public BadgeReader {
    Q_OBJECT
public:
    // Reads lines from `fd` (not owned; e.g. STDIN_FILENO) until end of file.
    static std::unique_ptr<SimulatedReader> fromStream(int fd, QObject* parent = nullptr);
    // Listens on a Unix stream socket at `path` (a stale socket file there is
    // replaced; any other file is left alone and reported).
    static std::unique_ptr<SimulatedReader> fromSocket(const QString& path, QObject* parent = nullptr);
    ~SimulatedReader() override;

    void start() override;
    void stop() override;
    [[nodiscard]] QString description() const override;

private:
    SimulatedReader(int fd, QString socketPath, QObject* parent);
    void runStream();
    void runSocket(UniqueFd listener);
    void handleBytes(class LineSplitter& splitter, std::string_view bytes);

    int m_streamFd = -1;
    QString m_socketPath;
    StopSignal m_stop;
    std::thread m_worker;
};

} // namespace imhere::hardware
