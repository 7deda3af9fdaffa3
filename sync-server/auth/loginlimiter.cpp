#include "loginlimiter.h"

#include "sync-server/serverlimits.h"

#include <algorithm>

namespace imhere::server {

std::int64_t LoginLimiter::retryAfterMs(const std::string& key, std::int64_t nowMs)
{
    if (m_shared)
        return m_shared->attemptWait(sharedKey(key), nowMs, m_windowMs, m_maxFailures).value_or(k_unreadableWaitMs);
    std::lock_guard lock(m_mutex);
    return waitLocked(key, nowMs);
}

std::int64_t LoginLimiter::admit(const std::string& key, std::int64_t nowMs)
{
    if (m_shared)
        return m_shared->admitAttempt(sharedKey(key), nowMs, m_windowMs, m_maxFailures).value_or(k_unreadableWaitMs);
    std::lock_guard lock(m_mutex);
    if (const auto wait = waitLocked(key, nowMs); wait > 0)
        return wait;
    if (m_failures.size() >= limits::k_maxTrackedLoginKeys)
        prune(nowMs);
    m_failures[key].push_back(nowMs);
    return 0;
}

void LoginLimiter::release(const std::string& key, std::int64_t atMs)
{
    if (m_shared) {
        (void)m_shared->forgetAttempt(sharedKey(key), atMs); // not forgotten: it ages out
        return;
    }
    std::lock_guard lock(m_mutex);
    const auto it = m_failures.find(key);
    if (it == m_failures.end())
        return;
    auto& times = it->second;
    if (const auto one = std::ranges::find(times, atMs); one != times.end())
        times.erase(one);
}

std::int64_t LoginLimiter::waitLocked(const std::string& key, std::int64_t nowMs)
{
    const auto it = m_failures.find(key);
    if (it == m_failures.end())
        return 0;
    auto& times = it->second;
    while (!times.empty() && times.front() <= nowMs - m_windowMs)
        times.pop_front();
    if (static_cast<int>(times.size()) < m_maxFailures)
        return 0;
    // Free again once the oldest failure that keeps the count at the limit ages out.
    return times[times.size() - static_cast<std::size_t>(m_maxFailures)] + m_windowMs - nowMs;
}

void LoginLimiter::recordFailure(const std::string& key, std::int64_t nowMs)
{
    if (m_shared) {
        (void)m_shared->recordAttempt(sharedKey(key), nowMs, m_windowMs, m_maxFailures);
        return;
    }
    std::lock_guard lock(m_mutex);
    if (m_failures.size() >= limits::k_maxTrackedLoginKeys)
        prune(nowMs);
    auto& times = m_failures[key];
    times.push_back(nowMs);
    // Keep no more than the limit needs, so a flood cannot grow memory.
    while (static_cast<int>(times.size()) > m_maxFailures)
        times.pop_front();
}

void LoginLimiter::reset(const std::string& key)
{
    if (m_shared) {
        (void)m_shared->forgetAttempts(sharedKey(key));
        return;
    }
    std::lock_guard lock(m_mutex);
    m_failures.erase(key);
}

void LoginLimiter::prune(std::int64_t nowMs)
{
    std::erase_if(m_failures, [&](const auto& entry) {
        return entry.second.empty() || entry.second.back() <= nowMs - m_windowMs;
    });
    // Still full of live entries: forget everything rather than grow without bound.
    if (m_failures.size() >= limits::k_maxTrackedLoginKeys)
        m_failures.clear();
}

} // namespace imhere::server
