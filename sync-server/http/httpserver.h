#pragma once
// libmicrohttpd behind the Router: an epoll listener with a small thread
// pool, HTTPS through GnuTLS when given a certificate (reloadable while it
// runs), body limits enforced from Content-Length before the body is read,
// each route's admission (Router.h) asked from the headers before a body is
// read, a bound on the large bodies read at once,
// a header limit through the per-connection memory pool, and connection
// limits and an idle timeout against slow clients. A handler's Deferred
// reply suspends its connection (MHD_suspend_connection) until the reply is
// ready, so a pool thread never waits for it.
//
// Thread rules: construct, start() and stop() from one thread. Handlers run
// on MHD's pool threads, several at once; whatever they touch must be
// thread-safe. The router, and whatever calls the `ready` of deferred
// replies, must outlive the server: stop() waits until every deferred reply
// has been made ready and sent.

#include "router.h"
#include "tlscertificate.h"
#include "trustedproxies.h"

#include "core/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

struct MHD_Daemon;

namespace imhere::server {

// One request as answered, reported once its answer has been sent (or the
// connection dropped after it was queued): for metrics.
struct Exchange {
    std::string_view routePattern; // the matched route's pattern; empty when none matched
    int status = 0;
    double seconds = 0; // from the request's headers to the end of its answer
};

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0; // 0: any free port; see HttpServer::port()
    unsigned threads = 0;   // 0: limits::k_defaultThreads
    unsigned connectionTimeoutSec = 0; // 0: limits::k_connectionTimeoutSec
    // Request::remoteIp is the client behind these proxies (trustedproxies.h);
    // empty: the peer's address.
    TrustedProxies trustedProxies;
    // HTTPS with this certificate and key; none: plain HTTP.
    std::optional<TlsFiles> tls;
    // Plain HTTP from a reverse proxy that ends TLS: answers are for an
    // HTTPS origin all the same (secure cookies, Strict-Transport-Security).
    bool behindTlsProxy = false;
    // Called on a pool thread after each answer; must be quick and thread-safe.
    std::function<void(const Exchange&)> onAnswered;
};

class HttpServer {
public:
    explicit HttpServer(const Router& router);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    [[nodiscard]] Result<void> start(const HttpServerOptions& options);
    // Stops accepting connections, waits until every deferred reply under
    // way has been sent (requests that arrive meanwhile on open connections
    // are answered on their pool thread), lets running handlers finish,
    // closes every connection.
    void stop();
    [[nodiscard]] std::uint16_t port() const { return m_port; }
    [[nodiscard]] bool servesTls() const;
    // Reads the certificate and key files again; handshakes from now on use
    // them, connections already open keep theirs. A pair that cannot be
    // read leaves the one in use in place. Any thread.
    [[nodiscard]] Result<void> reloadTls();

    struct Dispatch; // shared with MHD's callbacks

private:
    struct DaemonStopper {
        void operator()(MHD_Daemon* d) const;
    };

    std::unique_ptr<Dispatch> m_dispatch; // outlives the daemon
    std::unique_ptr<MHD_Daemon, DaemonStopper> m_daemon;
    std::uint16_t m_port = 0;
};

// "HOST:PORT" → parts; HOST may be a dotted IPv4 address or "localhost".
[[nodiscard]] Result<HttpServerOptions> parseListen(std::string_view listen);

} // namespace imhere::server
