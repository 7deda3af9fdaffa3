#pragma once
// A budget of requests per client (an API key, or else an address) in fixed
// windows of time: what the public API's RateLimit-* headers report. Holds
// at most k_maxClients clients; past that, clients not yet known share one
// budget until old windows are dropped.
//
// Thread rules: any thread.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace imhere::server {

class ClientLimiter {
public:
    ClientLimiter(int limit, std::int64_t windowMs) : m_limit(limit), m_windowMs(windowMs) {}

    struct Verdict {
        bool allowed = true;
        int limit = 0;
        int remaining = 0;
        std::int64_t resetMs = 0; // until the budget is whole again
    };
    // Counts one request of `client` at `nowMs`.
    [[nodiscard]] Verdict take(const std::string& client, std::int64_t nowMs);

    static constexpr std::size_t k_maxClients = 10'000;

private:
    struct Budget {
        std::int64_t windowStart = 0;
        int used = 0;
    };
    const int m_limit;
    const std::int64_t m_windowMs;
    std::mutex m_mutex;
    std::unordered_map<std::string, Budget> m_clients;
};

} // namespace imhere::server
