// `imhere-server serve`: the HTTP server in the foreground until SIGTERM/SIGINT.

#include "commands.h"

#include "routetable.h"
#include "sync-server/http/httpserver.h"
#include "sync-server/serverlimits.h"
#include "sync-server/store/sqlitestore.h"

#include <csignal>
#include <cstdio>
#include <pthread.h>

#ifdef IMHERE_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace imhere::server::cli {

namespace {

void notifySystemd([[maybe_unused]] const char* state)
{
#ifdef IMHERE_HAVE_SYSTEMD
    // A no-op unless started by systemd with Type=notify (NOTIFY_SOCKET set).
    sd_notify(0, state);
#endif
}

Result<unsigned> unsignedSetting(const Settings& settings, const std::string& name, unsigned fallback)
{
    const auto text = settings.get(name);
    if (!text)
        return fallback;
    try {
        std::size_t used = 0;
        const unsigned long value = std::stoul(*text, &used);
        if (used != text->size() || value == 0 || value > 100'000)
            throw std::out_of_range(name);
        return static_cast<unsigned>(value);
    } catch (const std::exception&) {
        return fail(Errc::Usage, "--" + name + " must be a positive whole number");
    }
}

} // namespace

std::unique_ptr<Store> openStore(const Settings& settings, const Clock& clock)
{
    const auto path = settings.require("db");
    if (!path) {
        failWith(path.error().message);
        return nullptr;
    }
    auto store = SqliteStore::open(*path, clock);
    if (!store) {
        failWith("cannot open " + *path + ": " + store.error().message);
        return nullptr;
    }
    return std::move(*store);
}

int failWith(std::string_view message)
{
    std::fprintf(stderr, "imhere-server: %.*s\n", static_cast<int>(message.size()), message.data());
    return 1;
}

int serveCommand(const CommandLine&, const Settings& settings)
{
    auto listen = parseListen(settings.get("listen").value_or("127.0.0.1:8080"));
    if (!listen)
        return failWith(listen.error().message);
    const auto threads = unsignedSetting(settings, "threads", limits::k_defaultThreads);
    const auto timeout = unsignedSetting(settings, "connection-timeout", limits::k_connectionTimeoutSec);
    if (!threads || !timeout)
        return failWith(!threads ? threads.error().message : timeout.error().message);
    listen->threads = *threads;
    listen->connectionTimeoutSec = *timeout;

    // Block the stop signals before any thread starts, so that every thread
    // inherits the mask and only sigwait() below receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    Services services(*store, clock);
    ApiContext api(services);
    Router router;
    addAllRoutes(router, api);
    HttpServer server(router);
    if (auto started = server.start(*listen); !started)
        return failWith(started.error().message);

    std::printf("imhere-server: listening on http://%s:%u\n", listen->host.c_str(), unsigned{server.port()});
    std::fflush(stdout);
    notifySystemd("READY=1");

    int received = 0;
    sigwait(&stopSignals, &received);
    notifySystemd("STOPPING=1");
    std::printf("imhere-server: stopping (signal %d)\n", received);
    std::fflush(stdout);
    server.stop();
    return 0;
}

} // namespace imhere::server::cli
