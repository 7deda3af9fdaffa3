#include "clientlimiter.h"

namespace imhere::server {

ClientLimiter::Verdict ClientLimiter::take(const std::string& client, std::int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    const std::int64_t windowStart = nowMs - nowMs % m_windowMs;
    std::string key = client;
    if (!m_clients.contains(key) && m_clients.size() >= k_maxClients) {
        std::erase_if(m_clients, [&](const auto& entry) { return entry.second.windowStart < windowStart; });
        if (m_clients.size() >= k_maxClients)
            key = "(overflow)";
    }
    Budget& budget = m_clients[key];
    if (budget.windowStart != windowStart)
        budget = Budget{windowStart, 0};
    const bool allowed = budget.used < m_limit;
    if (allowed)
        ++budget.used;
    return Verdict{allowed, m_limit, m_limit - budget.used, windowStart + m_windowMs - nowMs};
}

} // namespace imhere::server
