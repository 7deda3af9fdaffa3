#pragma once
// Every timeout, interval and size limit of the badge and code readers.

#include <chrono>
#include <cstddef>

namespace imhere::hardware::limits {

using namespace std::chrono_literals;

// A reader that is absent or unplugged is looked for again this often.
inline constexpr auto k_reconnectInterval = 1000ms;
// Worker threads check their stop request at least this often.
inline constexpr auto k_stopPollInterval = 200ms;

// Keyboard wedge: readers type a whole UID within a few tens of milliseconds;
// a longer gap means the rest of the read was lost, so the part is dropped.
inline constexpr auto k_wedgeInterKeyTimeout = 200ms;
inline constexpr std::size_t k_wedgeMinUidChars = 4;
inline constexpr std::size_t k_wedgeMaxUidChars = 20;

// NFC (libnfc): one nfc_initiator_poll_target call polls k_nfcPollCount times
// for k_nfcPollPeriodUnits x 150 ms, so a stop request waits at most that long.
inline constexpr int k_nfcPollCount = 1;
inline constexpr int k_nfcPollPeriodUnits = 2;
// libnfc waits for a PN532's poll answer without a timeout; past this
// deadline the reader aborts the command and reopens the device, so a silent
// or broken reader never hangs the kiosk.
inline constexpr auto k_nfcPollDeadline = 2000ms;
// ISO14443A UIDs are 4, 7 or 10 bytes.
inline constexpr std::size_t k_nfcMinUidBytes = 4;
inline constexpr std::size_t k_nfcMaxUidBytes = 10;

// Simulated reader: line protocol limits.
inline constexpr std::size_t k_simMaxLineBytes = 512;
inline constexpr std::size_t k_simMaxClients = 8;

// Camera: a badge held in view is one read, like an NFC card resting on the
// reader. The same token counts as a new read only after it has been out of
// sight this long (decoding misses a frame now and then while it is held).
inline constexpr auto k_qrSameBadgeGap = 1500ms;

} // namespace imhere::hardware::limits
