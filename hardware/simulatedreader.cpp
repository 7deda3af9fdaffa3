#include "simulatedreader.h"

#include "hardwarelimits.h"
#include "simulatedinput.h"

#include <QFileInfo>

#include <array>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace imhere::hardware {

namespace {

constexpr std::size_t k_readChunk = 4096;

Result<UniqueFd> listenUnix(const QString& path)
{
    const QByteArray native = QFileInfo(path).absoluteFilePath().toLocal8Bit();
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (static_cast<std::size_t>(native.size()) >= sizeof(address.sun_path)) {
        return fail(Errc::SocketPathTooLong, "socket path too long: " + native.toStdString());
    }
    std::memcpy(address.sun_path, native.constData(), static_cast<std::size_t>(native.size()));

    struct stat existing{};
    if (::lstat(native.constData(), &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode)) {
            return fail(Errc::SocketPathTaken, native.toStdString() + " exists and is not a socket");
        }
        ::unlink(native.constData()); // a socket left by an earlier run
    }
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.valid()) {
        return fail(Errc::SocketFailed, std::strerror(errno));
    }
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0
        || ::listen(fd.get(), static_cast<int>(limits::k_simMaxClients)) != 0) {
        return fail(Errc::SocketBindFailed, native.toStdString() + ": " + std::strerror(errno));
    }
    return fd;
}

} // namespace

SimulatedReader::SimulatedReader(int fd, QString socketPath, QObject* parent)
    : BadgeReader(parent), m_streamFd(fd), m_socketPath(std::move(socketPath))
{
}

std::unique_ptr<SimulatedReader> SimulatedReader::fromStream(int fd, QObject* parent)
{
    return std::unique_ptr<SimulatedReader>(new SimulatedReader(fd, {}, parent));
}

std::unique_ptr<SimulatedReader> SimulatedReader::fromSocket(const QString& path, QObject* parent)
{
    return std::unique_ptr<SimulatedReader>(new SimulatedReader(-1, path, parent));
}

SimulatedReader::~SimulatedReader()
{
    stop();
}

QString SimulatedReader::description() const
{
    return m_socketPath.isEmpty() ? QStringLiteral("Simulated (stdin)")
                                  : QStringLiteral("Simulated (socket %1)").arg(m_socketPath);
}

void SimulatedReader::start()
{
    if (m_worker.joinable()) {
        return;
    }
    m_stop.clear();
    if (m_socketPath.isEmpty()) {
        m_worker = std::thread([this] { runStream(); });
        return;
    }
    // Bind on the caller's thread so the socket exists when start() returns:
    // a test or script may connect right away.
    auto listener = listenUnix(m_socketPath);
    if (!listener) {
        postError(QStringLiteral("Simulated reader: %1").arg(QString::fromStdString(listener.error().message)));
        postReady(false);
        return;
    }
    m_worker = std::thread([this, fd = std::move(*listener)]() mutable { runSocket(std::move(fd)); });
}

void SimulatedReader::stop()
{
    if (!m_worker.joinable()) {
        return;
    }
    m_stop.notify();
    m_worker.join();
    if (!m_socketPath.isEmpty()) {
        ::unlink(QFileInfo(m_socketPath).absoluteFilePath().toLocal8Bit().constData());
    }
    postReady(false);
}

void SimulatedReader::handleBytes(LineSplitter& splitter, std::string_view bytes)
{
    for (const auto& line : splitter.feed(bytes)) {
        if (!line) {
            postError(QStringLiteral("Simulated reader: line longer than %1 bytes ignored").arg(limits::k_simMaxLineBytes));
            continue;
        }
        auto parsed = parseSimulatedLine(*line);
        if (!parsed) {
            continue;
        }
        if (*parsed) {
            postRead(std::move(**parsed));
        } else {
            postError(QStringLiteral("Simulated reader: %1").arg(QString::fromStdString(parsed->error().message)));
        }
    }
}

void SimulatedReader::runStream()
{
    LineSplitter splitter(limits::k_simMaxLineBytes);
    std::array<char, k_readChunk> buffer{};
    postReady(true);
    while (true) {
        std::array<pollfd, 2> fds{{{m_stop.fd(), POLLIN, 0}, {m_streamFd, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
            break;
        }
        if (fds[0].revents != 0) {
            return;
        }
        if (fds[1].revents == 0) {
            continue;
        }
        const auto n = ::read(m_streamFd, buffer.data(), buffer.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            break; // end of input: the simulated device is gone
        }
        handleBytes(splitter, std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
    postReady(false);
}

void SimulatedReader::runSocket(UniqueFd listener)
{
    struct Client {
        UniqueFd fd;
        LineSplitter splitter{limits::k_simMaxLineBytes};
    };
    std::vector<Client> clients;
    std::array<char, k_readChunk> buffer{};
    postReady(true);
    while (true) {
        std::vector<pollfd> fds{{m_stop.fd(), POLLIN, 0}, {listener.get(), POLLIN, 0}};
        for (const auto& client : clients) {
            fds.push_back({client.fd.get(), POLLIN, 0});
        }
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            postError(QStringLiteral("Simulated reader: poll failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
            postReady(false);
            return;
        }
        if (fds[0].revents != 0) {
            return;
        }
        // Read clients first: accepting below may reorder the vector.
        for (std::size_t i = clients.size(); i-- > 0;) {
            if (fds[i + 2].revents == 0) {
                continue;
            }
            const auto n = ::read(clients[i].fd.get(), buffer.data(), buffer.size());
            if (n > 0) {
                handleBytes(clients[i].splitter, std::string_view(buffer.data(), static_cast<std::size_t>(n)));
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
            }
        }
        if (fds[1].revents != 0) {
            UniqueFd client(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
            if (client.valid() && clients.size() < limits::k_simMaxClients) {
                clients.push_back(Client{std::move(client)});
            } else if (client.valid()) {
                postError(QStringLiteral("Simulated reader: more than %1 clients; connection refused")
                              .arg(limits::k_simMaxClients));
            }
        }
    }
}

} // namespace imhere::hardware
