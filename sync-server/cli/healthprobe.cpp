#include "healthprobe.h"

#include <gnutls/gnutls.h>

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

// A TLS client session on a connected non-blocking socket; none until
// start(). Reads and writes go through it when started.
class TlsClient {
public:
    TlsClient() = default;
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;
    ~TlsClient()
    {
        if (m_session)
            gnutls_deinit(m_session);
        if (m_credentials)
            gnutls_certificate_free_credentials(m_credentials);
    }
    [[nodiscard]] bool active() const { return m_session != nullptr; }

    Result<void> start(int fd, std::chrono::steady_clock::time_point deadline)
    {
        if (gnutls_certificate_allocate_credentials(&m_credentials) < 0 || gnutls_init(&m_session, GNUTLS_CLIENT) < 0
            || gnutls_set_default_priority(m_session) < 0
            || gnutls_credentials_set(m_session, GNUTLS_CRD_CERTIFICATE, m_credentials) < 0)
            return fail(Errc::Internal, "cannot set up TLS for the probe");
        gnutls_transport_set_int(m_session, fd);
        for (;;) {
            const int rc = gnutls_handshake(m_session);
            if (rc == GNUTLS_E_SUCCESS)
                return {};
            if (gnutls_error_is_fatal(rc))
                return fail(Errc::Internal, std::string("TLS handshake: ") + gnutls_strerror(rc));
            if (!waitFor(fd, static_cast<short>(gnutls_record_get_direction(m_session) ? POLLOUT : POLLIN), deadline))
                return fail(Errc::Internal, "no TLS handshake within the timeout");
        }
    }
    // Bytes moved; 0 when it would block; -1 on an error (or, for recv, the end).
    ssize_t send(const char* data, std::size_t size)
    {
        const auto n = gnutls_record_send(m_session, data, size);
        return n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED ? 0 : (n < 0 ? -1 : n);
    }
    ssize_t recv(char* data, std::size_t size)
    {
        const auto n = gnutls_record_recv(m_session, data, size);
        return n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED ? 0 : (n <= 0 ? -1 : n);
    }

private:
    gnutls_certificate_credentials_t m_credentials = nullptr;
    gnutls_session_t m_session = nullptr;
};

} // namespace

Result<int> httpStatusOf(const std::string& host, std::uint16_t port, const std::string& path,
                         std::chrono::milliseconds timeout, bool tls)
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
    TlsClient session;
    if (tls)
        TRY(session.start(s.fd(), deadline));
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + target + ":" + std::to_string(port)
        + "\r\nConnection: close\r\n\r\n";
    std::size_t sent = 0;
    while (sent < request.size()) {
        if (!waitFor(s.fd(), POLLOUT, deadline))
            return fail(Errc::Internal, "sending the request timed out");
        const auto n = session.active() ? session.send(request.data() + sent, request.size() - sent)
                                        : ::send(s.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && (session.active() || (errno != EAGAIN && errno != EINTR)))
            return fail(Errc::Internal, std::string("send: ") + (session.active() ? "TLS" : std::strerror(errno)));
        if (n > 0)
            sent += static_cast<std::size_t>(n);
    }
    std::string reply;
    char buffer[256];
    while (reply.find("\r\n") == std::string::npos && reply.size() < 1024) {
        if (!waitFor(s.fd(), POLLIN, deadline))
            return fail(Errc::Internal, "no answer to GET " + path + " within the timeout");
        const auto n = session.active() ? session.recv(buffer, sizeof buffer) : ::recv(s.fd(), buffer, sizeof buffer, 0);
        if (session.active() ? n < 0 : n == 0)
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

HealthProbe::HealthProbe(Store& store, std::string host, std::uint16_t port, bool tls)
    : m_store(store), m_host(std::move(host)), m_port(port), m_tls(tls)
{
}

Result<void> HealthProbe::checkHttp()
{
    TRY_ASSIGN(status, httpStatusOf(m_host, m_port, "/healthz", k_httpProbeTimeout, m_tls));
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
