#pragma once
// What imhere-server counts for /metrics (docs/OPERATIONS.md, "What to
// watch"): requests and their latency per route group, kiosk sync events by
// outcome, check-ins stored by source, the sizes of check-in group commits,
// and what each kiosk reports when it syncs (its last sync, its outbox
// length, its clock's offset from the server's). Labels hold route groups,
// status codes, outcomes, sources and kiosk ids: never a name or a secret.
//
// Thread rules: record*() from any thread; render() from any thread.

#include "metrics.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imhere::server::observe {

class ServerMetrics {
public:
    ServerMetrics();

    // `routePattern` is the matched route ("/api/v1/windows/{w}"), empty
    // when no route matched.
    void recordRequest(std::string_view routePattern, int status, double seconds);
    void recordSyncAcks(std::size_t stored, std::size_t duplicate, std::size_t rejected);
    void recordCheckIns(std::string_view source, std::size_t stored);
    void recordGroupCommit(std::size_t checkIns);
    // A kiosk's sync at `serverMs`: `kioskMs` is the time on its clock when
    // it sent the request, `outbox` the events it says are waiting.
    void recordKioskSync(std::uint32_t kiosk, std::int64_t serverMs, std::int64_t kioskMs,
                         std::optional<std::int64_t> outbox);
    // A last sync known from before the server started (the store keeps it
    // to within a minute).
    void recordKioskLastSync(std::uint32_t kiosk, std::int64_t atMs);

    [[nodiscard]] std::string render() const;

    // api (the JSON API), sync (kiosk sync), pages, remote (/q/), health,
    // metrics, or unrouted (404, 405 and 431 before a route matched).
    [[nodiscard]] static std::string_view routeGroup(std::string_view routePattern);

private:
    MetricsRegistry m_registry;
    Family<Counter>& m_requests;
    Family<Histogram>& m_latency;
    Family<Counter>& m_syncEvents;
    Family<Counter>& m_checkIns;
    Family<Histogram>& m_groupCommit;
    Family<Gauge>& m_kioskLastSync;
    Family<Gauge>& m_kioskOutbox;
    Family<Gauge>& m_kioskSkew;
};

} // namespace imhere::server::observe
