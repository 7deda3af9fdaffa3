// `imhere-server serve`: the HTTP server in the foreground until SIGTERM/SIGINT.

#include "commands.h"

#include "databaselock.h"
#include "healthprobe.h"
#include "periodic.h"
#include "routetable.h"
#include "sync-server/http/httpserver.h"
#include "sync-server/observe/log.h"
#include "sync-server/observe/notify.h"
#include "sync-server/serverlimits.h"
#include "sync-server/service/attendance.h"
#include "sync-server/service/kiosks.h"
#include "sync-server/store/sqlitebackup.h"
#include "sync-server/store/sqlitestore.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <pthread.h>
#include <optional>

namespace imhere::server::cli {

namespace {

using observe::log;
using observe::LogLevel;

// Feeds the systemd watchdog while the health probe passes (run by a
// Periodic every half of WatchdogSec=). A failing probe is logged once when
// it starts failing and once when it recovers; meanwhile no WATCHDOG=1 is
// sent, so systemd restarts the server once WatchdogSec= has passed.
class HealthFeed {
public:
    explicit HealthFeed(HealthProbe& probe) : m_probe(probe) {}
    void operator()()
    {
        const auto checked = m_probe.check();
        if (checked) {
            observe::notifyServiceManager("WATCHDOG=1");
            if (!m_healthy)
                log(LogLevel::Info, "healthy again: watchdog fed");
        } else if (m_healthy) {
            log(LogLevel::Error, "health check failed; the watchdog is no longer fed",
                {{"REASON", checked.error().message}});
        }
        m_healthy = checked.has_value();
    }

private:
    HealthProbe& m_probe;
    bool m_healthy = true;
};

// Closes the windows whose end and grace have passed (closeDueWindows),
// logging each one and a failure once until it recovers.
class WindowCloser {
public:
    explicit WindowCloser(Services& services) : m_services(services) {}
    void operator()()
    {
        auto closed = closeDueWindows(m_services);
        if (!closed) {
            if (m_working)
                log(LogLevel::Error, "could not close the windows whose time is over",
                    {{"REASON", closed.error().message}});
            m_working = false;
            return;
        }
        m_working = true;
        for (const Window& w : *closed)
            log(LogLevel::Info, "closed window \"" + w.title + "\" at its end", {{"WINDOW", w.id}});
    }

private:
    Services& m_services;
    bool m_working = true;
};

unsigned unsignedSetting(const Settings& settings, const std::string& name, unsigned fallback)
{
    // Settings::load has checked the value.
    const auto text = settings.get(name);
    return text ? static_cast<unsigned>(std::stoul(*text)) : fallback;
}

// The `metrics` and `metrics-token-file` settings; a token is one line of
// at least 16 characters.
Result<MetricsAccess> metricsAccessFrom(const Settings& settings)
{
    MetricsAccess access;
    const std::string mode = settings.get("metrics").value_or("loopback");
    if (mode == "off")
        access.mode = MetricsAccess::Mode::Off;
    if (mode != "token")
        return access;
    access.mode = MetricsAccess::Mode::Token;
    const auto file = settings.get("metrics-token-file");
    if (!file)
        return fail(Errc::BadConfig, settings.describeProblem("metrics", "needs metrics-token-file"));
    std::ifstream in(*file);
    std::getline(in, access.token);
    while (!access.token.empty() && (access.token.back() == '\r' || access.token.back() == ' '))
        access.token.pop_back();
    if (!in && access.token.empty())
        return fail(Errc::BadConfig, settings.describeProblem("metrics-token-file", "cannot be read"));
    if (access.token.size() < 16)
        return fail(Errc::BadConfig,
                    settings.describeProblem("metrics-token-file", "must hold a token of at least 16 characters"));
    return access;
}

// Before a migration changes the file, a copy of it as it was.
Result<void> backUpBeforeMigrating(const std::string& path)
{
    if (!std::filesystem::exists(path))
        return {};
    TRY_ASSIGN(version, schemaVersionOf(path));
    if (version == 0 || version >= latestSchemaVersion())
        return {};
    const std::string copy = path + ".before-v" + std::to_string(latestSchemaVersion());
    TRY(backupDatabase(path, copy));
    log(LogLevel::Info, "database backed up before its migration",
        {{"DB", path}, {"BACKUP", copy}, {"FROM_VERSION", std::to_string(version)},
         {"TO_VERSION", std::to_string(latestSchemaVersion())}});
    return {};
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
    listen->threads = unsignedSetting(settings, "threads", limits::k_defaultThreads);
    listen->connectionTimeoutSec = unsignedSetting(settings, "connection-timeout", limits::k_connectionTimeoutSec);
    if (auto proxies = TrustedProxies::parse(settings.get("trusted-proxies").value_or("")); proxies)
        listen->trustedProxies = std::move(*proxies); // checked when the settings were loaded
    const auto metricsAccess = metricsAccessFrom(settings);
    if (!metricsAccess) {
        std::fprintf(stderr, "imhere-server: %s\n", metricsAccess.error().message.c_str());
        return 2;
    }
    const auto dbPath = settings.require("db");
    if (!dbPath)
        return failWith(dbPath.error().message);
    auto lock = DatabaseLock::acquire(*dbPath);
    if (!lock)
        return failWith(lock.error().message);

    // Block the stop signals before any thread starts, so that every thread
    // inherits the mask and only sigwait() below receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    if (auto saved = backUpBeforeMigrating(*dbPath); !saved)
        return failWith("no backup before migrating, so no migration: " + saved.error().message);
    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    Services services(*store, clock);
    if (auto loaded = loadKioskMetrics(services); !loaded)
        return failWith("cannot read the kiosks: " + loaded.error().message);
    ApiContext api(services);
    api.metricsAccess = *metricsAccess;
    PublicApiSettings publicSettings;
    publicSettings.requireKey = settings.get("public-api").value_or("open") == "key";
    if (const auto perMinute = settings.get("public-rate-limit"))
        publicSettings.requestsPerMinute = std::stoi(*perMinute); // checked when the settings were loaded
    PublicApi publicApi(services, publicSettings);
    Router router;
    addAllRoutes(router, api, publicApi);
    listen->onAnswered = [&services](const Exchange& e) {
        services.metrics.recordRequest(e.routePattern, e.status, e.seconds);
    };
    HttpServer server(router);
    if (auto started = server.start(*listen); !started)
        return failWith(started.error().message);

    // Ready only once the port answers and the store passes its check.
    HealthProbe probe(*store, listen->host, server.port());
    if (auto healthy = probe.check(); !healthy)
        return failWith("not starting: " + healthy.error().message);
    // On a terminal (and to scripts) one line on stdout says where it
    // listens; in the journal, the structured entry says it instead.
    if (observe::logsToJournal())
        log(LogLevel::Info, "serving on " + listen->host + ":" + std::to_string(server.port()),
            {{"LISTEN", listen->host + ":" + std::to_string(server.port())}, {"DB", *dbPath}});
    else
        std::printf("imhere-server: listening on http://%s:%u\n", listen->host.c_str(), unsigned{server.port()});
    std::fflush(stdout);
    observe::notifyServiceManager("READY=1\nSTATUS=serving on " + listen->host + ":" + std::to_string(server.port()));

    std::optional<Periodic> healthLoop;
    if (const auto timeout = observe::watchdogTimeout())
        healthLoop.emplace(*timeout / 2, HealthFeed(probe));
    // Windows close themselves at their end plus the course's grace; the
    // first run closes those whose time passed while the server was down.
    std::optional<Periodic> windowCloser;
    windowCloser.emplace(limits::k_windowCloseInterval, WindowCloser(services));

    int received = 0;
    sigwait(&stopSignals, &received);
    observe::notifyServiceManager("STOPPING=1");
    healthLoop.reset();
    windowCloser.reset();
    if (observe::logsToJournal())
        log(LogLevel::Info, "stopping", {{"SIGNAL", std::to_string(received)}});
    else
        std::printf("imhere-server: stopping (signal %d)\n", received);
    std::fflush(stdout);
    server.stop();
    return 0;
}

} // namespace imhere::server::cli
