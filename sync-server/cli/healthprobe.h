#pragma once
// What the systemd watchdog is fed on: the store answers a real query on the
// file it opened, and the HTTP server answers GET /healthz on its own port
// over loopback within a short timeout (over TLS when it serves HTTPS; the
// certificate is not checked, as the server only asks itself whether it
// answers). A blind timer would keep a server alive whose store is gone or
// whose HTTP threads are stuck.
//
// Thread rules: check() from any one thread at a time.

#include "sync-server/store/store.h"

#include "core/result.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace imhere::server::cli {

class HealthProbe {
public:
    // `host` as the server listens on it; 0.0.0.0 is probed on 127.0.0.1.
    HealthProbe(Store& store, std::string host, std::uint16_t port, bool tls = false);

    // Both halves; the error says which failed and why.
    [[nodiscard]] Result<void> check();
    [[nodiscard]] Result<void> checkHttp();

private:
    Store& m_store;
    std::string m_host;
    std::uint16_t m_port;
    bool m_tls;
};

// GET `path` from host:port (over TLS when `tls`); the status line's code,
// or why there was none.
[[nodiscard]] Result<int> httpStatusOf(const std::string& host, std::uint16_t port, const std::string& path,
                                       std::chrono::milliseconds timeout, bool tls = false);

} // namespace imhere::server::cli
