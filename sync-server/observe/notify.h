#pragma once
// The service manager's notification protocol (sd_notify(3)): READY=1,
// WATCHDOG=1, STOPPING=1, STATUS=. A no-op unless started by systemd with
// NOTIFY_SOCKET set (Type=notify), or built without libsystemd.
//
// Thread rules: any thread.

#include <chrono>
#include <optional>
#include <string_view>

namespace imhere::server::observe {

void notifyServiceManager(std::string_view state);

// How often the service manager wants WATCHDOG=1 (WatchdogSec=), when it
// watches this process.
[[nodiscard]] std::optional<std::chrono::microseconds> watchdogTimeout();

} // namespace imhere::server::observe
