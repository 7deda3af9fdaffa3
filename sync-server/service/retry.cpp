#include "retry.h"

#include <algorithm>

namespace imhere::server {

std::int64_t retryDelayMs(const Backoff& backoff, int attemptsMade)
{
    std::int64_t delay = backoff.firstMs;
    for (int i = 1; i < attemptsMade && delay < backoff.longestMs; ++i)
        delay *= 2;
    return std::min(delay, backoff.longestMs);
}

} // namespace imhere::server
