#pragma once
// A bare TCP client for the tests that must misbehave on the wire: send a
// body's headers but not the body, send headers slowly, or too many.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace imhere::test {

class RawSocket {
public:
    explicit RawSocket(std::uint16_t port) : m_fd(socket(AF_INET, SOCK_STREAM, 0))
    {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = connect(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ~RawSocket() { close(m_fd); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    [[nodiscard]] bool connected() const { return m_connected; }
    bool send(const std::string& data) { return ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size()); }

    // Reads until the peer closes or `timeout` passes without data.
    std::string readAll(std::chrono::milliseconds timeout)
    {
        std::string out;
        char buffer[4096];
        for (;;) {
            pollfd p{m_fd, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
                return out;
            const ssize_t n = recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0) {
                m_closedByPeer = true;
                return out;
            }
            out.append(buffer, static_cast<std::size_t>(n));
        }
    }
    [[nodiscard]] bool closedByPeer() const { return m_closedByPeer; }

private:
    int m_fd;
    bool m_connected = false;
    bool m_closedByPeer = false;
};

} // namespace imhere::test
