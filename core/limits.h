#pragma once
// Every limit, timeout and interval shared between kiosk and server lives here.

#include <cstddef>
#include <cstdint>

namespace imhere::limits {

// Rotating remote check-in code (DESIGN §4).
inline constexpr std::int64_t k_codeStepMs = 10'000;
inline constexpr std::int64_t k_codeGraceMs = 2'000;
inline constexpr std::size_t k_kioskKeyBytes = 32;

// Storage.
inline constexpr int k_sqliteBusyTimeoutMs = 5'000;

// HTTP bodies (DESIGN §6).
inline constexpr std::size_t k_maxBodyBytes = 1 << 20;
inline constexpr std::size_t k_maxSyncBodyBytes = 4 << 20;
inline constexpr std::size_t k_maxHeaderBytes = 16 << 10;

// Sync protocol (DESIGN §5).
inline constexpr std::size_t k_maxSyncEvents = 500;
// The largest outbox length a kiosk may report in a sync request.
inline constexpr std::int64_t k_maxOutboxReport = 100'000'000;
inline constexpr std::size_t k_maxSyncChanges = 5'000;
inline constexpr int k_maxJsonDepth = 16;
inline constexpr std::size_t k_maxNameBytes = 200;
inline constexpr std::size_t k_maxReasonBytes = 500;
inline constexpr std::size_t k_maxNoteBytes = 1'000;
inline constexpr std::size_t k_maxTimezoneBytes = 64;
inline constexpr std::size_t k_maxPinHashBytes = 256;
inline constexpr std::size_t k_maxReasonCodeBytes = 100;
// Timestamps are UTC milliseconds inside what a JSON double holds exactly.
inline constexpr std::int64_t k_maxTimestampMs = (std::int64_t{1} << 53) - 1;

// Punctuality defaults (DESIGN §3).
inline constexpr int k_defaultLateAfterMin = 10;
inline constexpr int k_defaultAbsentAfterMin = 60;
// A class's length when its window does not say, and how long after its end
// the server closes a window that is still open.
inline constexpr int k_defaultWindowLengthMin = 120;
inline constexpr int k_defaultCloseGraceMin = 15;

} // namespace imhere::limits
