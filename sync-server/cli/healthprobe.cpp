#include "healthprobe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace imhere::server::cli {

namespace {

constexpr std::chrono::milliseconds k_httpProbeTimeout{2'000};

class Socket {
public:
    explicit Socket(int fd) : m_fd(fd) {}
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    [[nodiscard]] int fd() const { return m_fd; }

private:
    int m_fd;
};

// Waits until `fd` is ready for `events` or the deadline passes.
bool waitFor(int fd, short events, std::chrono::steady_clock::time_point deadline)
{
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n > 0)
            return true;
        if (n < 0 && errno != EINTR)
            return false;
    }
}

} // namespace

Result<int> httpStatusOf(const std::string& host, std::uint16_t port, const std::string& path,
                         std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    const std::string target = host == "0.0.0.0" ? "127.0.0.1" : host;
    if (inet_pton(AF_INET, target.c_str(), &address.sin_addr) != 1)
        return fail(Errc::InvalidRequest, "cannot probe '" + host + "'");
    Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (s.fd() < 0)
        return fail(Errc::Internal, std::string("socket: ") + std::strerror(errno));
    if (::connect(s.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS)
        return fail(Errc::Internal, "connect to " + target + ":" + std::to_string(port) + ": " + std::strerror(errno));
    if (!waitFor(s.fd(), POLLOUT, deadline))
        return fail(Errc::Internal, "no connection to " + target + ":" + std::to_string(port) + " within the timeout");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0)
        return fail(Errc::Internal, "connect to " + target + ":" + std::to_string(port) + ": " + std::strerror(error));
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + target + ":" + std::to_string(port)
        + "\r\nConnection: close\r\n\r\n";
    std::size_t sent = 0;
    while (sent < request.size()) {
        if (!waitFor(s.fd(), POLLOUT, deadline))
            return fail(Errc::Internal, "sending the request timed out");
        const auto n = ::send(s.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return fail(Errc::Internal, std::string("send: ") + std::strerror(errno));
        if (n > 0)
            sent += static_cast<std::size_t>(n);
    }
    std::string reply;
    char buffer[256];
    while (reply.find("\r\n") == std::string::npos && reply.size() < 1024) {
        if (!waitFor(s.fd(), POLLIN, deadline))
            return fail(Errc::Internal, "no answer to GET " + path + " within the timeout");
        const auto n = ::recv(s.fd(), buffer, sizeof buffer, 0);
        if (n == 0)
            break;
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return fail(Errc::Internal, std::string("recv: ") + std::strerror(errno));
        if (n > 0)
            reply.append(buffer, static_cast<std::size_t>(n));
    }
    // "HTTP/1.1 200 OK"
    if (reply.size() < 12 || !reply.starts_with("HTTP/1."))
        return fail(Errc::Internal, "GET " + path + " got no HTTP answer");
    return std::stoi(reply.substr(9, 3));
}

HealthProbe::HealthProbe(Store& store, std::string host, std::uint16_t port)
    : m_store(store), m_host(std::move(host)), m_port(port)
{
}

Result<void> HealthProbe::checkHttp()
{
    TRY_ASSIGN(status, httpStatusOf(m_host, m_port, "/healthz", k_httpProbeTimeout));
    if (status != 200)
        return fail(Errc::Internal, "GET /healthz answered " + std::to_string(status));
    return {};
}

Result<void> HealthProbe::check()
{
    if (auto store = m_store.checkHealth(); !store)
        return fail(store.error().code, "store: " + store.error().message);
    if (auto http = checkHttp(); !http)
        return fail(http.error().code, "http: " + http.error().message);
    return {};
}

} // namespace imhere::server::cli
