#include "notify.h"

#include <string>

#ifdef IMHERE_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace imhere::server::observe {

void notifyServiceManager([[maybe_unused]] std::string_view state)
{
#ifdef IMHERE_HAVE_SYSTEMD
    sd_notify(0, std::string(state).c_str());
#endif
}

std::optional<std::chrono::microseconds> watchdogTimeout()
{
#ifdef IMHERE_HAVE_SYSTEMD
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
        return std::chrono::microseconds(usec);
#endif
    return std::nullopt;
}

} // namespace imhere::server::observe
