#include "servermetrics.h"

namespace imhere::server::observe {

namespace {

// Seconds: from a cached page (~1 ms) to a sync batch waiting on fsync.
const std::vector<double> k_latencyBounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
// Check-ins per group commit, up to the group limit (256).
const std::vector<double> k_groupBounds{1, 2, 4, 8, 16, 32, 64, 128, 256};

} // namespace

ServerMetrics::ServerMetrics()
    : m_requests(m_registry.counter("imhere_http_requests_total", "HTTP requests answered, by route group and status.",
                                    {"group", "code"})),
      m_latency(m_registry.histogram("imhere_http_request_duration_seconds",
                                     "Time from a request's headers to the end of its answer, by route group.",
                                     {"group"}, k_latencyBounds)),
      m_syncEvents(m_registry.counter("imhere_sync_events_total",
                                      "Kiosk sync events by outcome: stored, duplicate (already stored) or rejected.",
                                      {"outcome"})),
      m_checkIns(m_registry.counter("imhere_check_ins_total",
                                    "Check-ins stored, by source (nfc, wedge, qr_badge, qr_remote, manual).",
                                    {"source"})),
      m_groupCommit(m_registry.histogram("imhere_check_in_group_commit_size",
                                         "Check-ins committed together by the group-commit writer.", {},
                                         k_groupBounds)),
      m_kioskLastSync(m_registry.gauge("imhere_kiosk_last_sync_timestamp_seconds",
                                       "Unix time of each kiosk's last sync (from the database, to within a minute, until it syncs again).", {"kiosk"})),
      m_kioskOutbox(m_registry.gauge("imhere_kiosk_outbox_events",
                                     "Events waiting in each kiosk's outbox, as it reported at its last sync.",
                                     {"kiosk"})),
      m_kioskSkew(m_registry.gauge("imhere_kiosk_clock_skew_seconds",
                                   "Each kiosk's clock minus the server's at its last sync (includes the network delay).",
                                   {"kiosk"}))
{
    // Known series exist from the start, at zero, so rates and alerts see them.
    for (const char* outcome : {"stored", "duplicate", "rejected"})
        m_syncEvents.with({outcome});
}

std::string_view ServerMetrics::routeGroup(std::string_view pattern)
{
    if (pattern.empty())
        return "unrouted";
    if (pattern == "/api/v1/kiosk/sync")
        return "sync";
    if (pattern.starts_with("/api/"))
        return "api";
    if (pattern == "/healthz")
        return "health";
    if (pattern == "/metrics")
        return "metrics";
    if (pattern.starts_with("/q/"))
        return "remote";
    return "pages";
}

void ServerMetrics::recordRequest(std::string_view routePattern, int status, double seconds)
{
    const std::string group(routeGroup(routePattern));
    m_requests.with({group, std::to_string(status)}).add();
    m_latency.with({group}).observe(seconds);
}

void ServerMetrics::recordSyncAcks(std::size_t stored, std::size_t duplicate, std::size_t rejected)
{
    m_syncEvents.with({"stored"}).add(stored);
    m_syncEvents.with({"duplicate"}).add(duplicate);
    m_syncEvents.with({"rejected"}).add(rejected);
}

void ServerMetrics::recordCheckIns(std::string_view source, std::size_t stored)
{
    if (stored > 0)
        m_checkIns.with({std::string(source)}).add(stored);
}

void ServerMetrics::recordGroupCommit(std::size_t checkIns)
{
    m_groupCommit.with({}).observe(static_cast<double>(checkIns));
}

void ServerMetrics::recordKioskSync(std::uint32_t kiosk, std::int64_t serverMs, std::int64_t kioskMs,
                                    std::optional<std::int64_t> outbox)
{
    const Labels labels{std::to_string(kiosk)};
    m_kioskLastSync.with(labels).set(static_cast<double>(serverMs) / 1000.0);
    m_kioskSkew.with(labels).set(static_cast<double>(kioskMs - serverMs) / 1000.0);
    if (outbox)
        m_kioskOutbox.with(labels).set(static_cast<double>(*outbox));
}

void ServerMetrics::recordKioskLastSync(std::uint32_t kiosk, std::int64_t atMs)
{
    m_kioskLastSync.with({std::to_string(kiosk)}).set(static_cast<double>(atMs) / 1000.0);
}

std::string ServerMetrics::render() const
{
    return m_registry.render();
}

} // namespace imhere::server::observe
