#pragma once
// Every timeout, interval and bound of the kiosk in one place.

#include "core/limits.h"

#include <cstddef>
#include <cstdint>

namespace imhere::kiosk::limits {

// Taps (DESIGN §8).
inline constexpr std::int64_t k_duplicateReadMs = 3'000;  // same badge again within this: ignored
inline constexpr std::size_t k_duplicateMemory = 256;     // badges remembered for that check
inline constexpr std::int64_t k_feedbackShownMs = 4'000;  // a result screen stays this long
inline constexpr std::int64_t k_scheduledOpenEarlyMs = 15 * 60'000; // scheduled windows open this early
inline constexpr int k_recentCheckIns = 5;                // names in the "last check-ins" strip
inline constexpr std::int64_t k_statusRefreshMs = 30'000; // windows open and close with time

// Sync (DESIGN §5).
inline constexpr long k_connectTimeoutMs = 5'000;
inline constexpr long k_requestTimeoutMs = 30'000;
inline constexpr std::size_t k_maxResponseBytes = imhere::limits::k_maxSyncBodyBytes;
inline constexpr std::size_t k_syncBatchEvents = imhere::limits::k_maxSyncEvents;
inline constexpr std::int64_t k_backoffInitialMs = 1'000;
inline constexpr std::int64_t k_backoffMaxMs = 60'000;
inline constexpr std::int64_t k_pollIntervalMs = 15'000; // pull changes this often when idle
inline constexpr std::int64_t k_syncSoonMs = 200;        // after a tap, send within this
inline constexpr std::int64_t k_skewLogMs = 5'000;       // log clock skew beyond this (DESIGN §4)

// Admin (DESIGN §8).
// Every k_pinMaxFailures wrong PINs in a row lock that staff member out,
// for k_pinCooldownMs the first time and twice as long each time after, up
// to k_pinCooldownMaxMs (pinlockout.h).
inline constexpr int k_pinMaxFailures = 5;
inline constexpr std::int64_t k_pinCooldownMs = 5 * 60'000;
inline constexpr std::int64_t k_pinCooldownMaxMs = 24 * 3'600'000;
inline constexpr std::int64_t k_adminIdleMs = 3 * 60'000; // admin session ends after this idle
inline constexpr int k_lockCountdownTickMs = 1'000;      // the PIN lockout counts down in seconds
inline constexpr int k_maxPinDigits = 12;

} // namespace imhere::kiosk::limits
