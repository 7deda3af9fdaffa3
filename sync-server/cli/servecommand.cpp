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
#include "sync-server/service/harvest.h"
#include "sync-server/service/mail.h"
#include "sync-server/fetch/curlfetch.h"
#include "sync-server/mail/smtpsender.h"
#include "sync-server/service/slack.h"
#include "sync-server/slack/webhooksender.h"
#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitebackup.h"
#include "sync-server/store/sqlitestore.h"

#include <curl/curl.h>

#include <atomic>
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

// A background job run by one server at a time over a shared database
// (Store::holdLease): skipped on the others, and taken over by one of them
// when its server stops. `onTaken` runs before the first round this server
// runs.
class LeasedJob {
public:
    LeasedJob(Store& store, std::string name, bool shared, std::function<void()> job,
              std::function<void()> onTaken = {})
        : m_store(store), m_name(std::move(name)), m_shared(shared), m_job(std::move(job)),
          m_onTaken(std::move(onTaken))
    {
    }
    void operator()()
    {
        const auto lease = m_store.holdLease(m_name);
        if (!lease) {
            if (m_working)
                log(LogLevel::Error, "cannot tell whether this server runs " + m_name,
                    {{"JOB", m_name}, {"REASON", lease.error().message}});
            m_working = false;
            return;
        }
        m_working = true;
        if (*lease == JobLease::Elsewhere) {
            if (m_running && m_shared)
                log(LogLevel::Info, "another server runs " + m_name + " now", {{"JOB", m_name}});
            m_running = false;
            return;
        }
        if (*lease == JobLease::Taken) {
            if (m_shared)
                log(LogLevel::Info, "this server runs " + m_name + " now", {{"JOB", m_name}});
            if (m_onTaken)
                m_onTaken();
        }
        m_running = true;
        m_job();
    }

private:
    Store& m_store;
    const std::string m_name;
    const bool m_shared;
    const std::function<void()> m_job;
    const std::function<void()> m_onTaken;
    bool m_working = true;
    bool m_running = false;
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
        if (!closed->empty() && m_services.slackQueued)
            m_services.slackQueued(); // the closes may have queued Slack posts
    }

private:
    Services& m_services;
    bool m_working = true;
};

// Sends the outbox's due mail (deliverDueMail) through the SMTP server,
// logging what was sent and a failure once until it recovers.
class MailSender {
public:
    MailSender(Services& services, SmtpSettings settings) : m_services(services), m_smtp(std::move(settings)) {}
    void operator()()
    {
        const SendMail send = [this](const NewMail& mail) {
            const SmtpOutcome outcome = m_smtp.send({mail.recipient, mail.subject, mail.body});
            return MailAttempt{outcome.sent, outcome.permanent(), outcome.error};
        };
        auto round = deliverDueMail(m_services, send);
        if (!round) {
            if (m_working)
                log(LogLevel::Error, "could not read the mail outbox", {{"REASON", round.error().message}});
            m_working = false;
            return;
        }
        m_working = true;
        if (round->sent + round->retrying + round->givenUp > 0)
            log(round->givenUp + round->retrying > 0 ? LogLevel::Warning : LogLevel::Info, "mail sent from the outbox",
                {{"SENT", std::to_string(round->sent)}, {"RETRYING", std::to_string(round->retrying)},
                 {"GIVEN_UP", std::to_string(round->givenUp)}});
    }

private:
    Services& m_services;
    SmtpSender m_smtp;
    bool m_working = true;
};

// Posts the Slack outbox's due posts (deliverDueSlackPosts) to their
// webhooks, logging what went and a failure once until it recovers.
class SlackSender {
public:
    explicit SlackSender(Services& services) : m_services(services), m_webhook(limits::k_slackTimeoutSec) {}
    void operator()()
    {
        const PostToSlack post = [this](const std::string& url, const std::string& json) {
            const WebhookOutcome outcome = m_webhook.post(url, json);
            return SlackAnswer{outcome.status, outcome.body, outcome.retryAfter, outcome.error};
        };
        auto round = deliverDueSlackPosts(m_services, post);
        if (!round) {
            if (m_working)
                log(LogLevel::Error, "could not read the Slack outbox", {{"REASON", round.error().message}});
            m_working = false;
            return;
        }
        m_working = true;
        if (round->delivered + round->retrying + round->givenUp > 0)
            log(round->givenUp + round->retrying > 0 ? LogLevel::Warning : LogLevel::Info,
                "Slack posts sent from the outbox",
                {{"DELIVERED", std::to_string(round->delivered)}, {"RETRYING", std::to_string(round->retrying)},
                 {"GIVEN_UP", std::to_string(round->givenUp)}});
    }

private:
    Services& m_services;
    WebhookSender m_webhook;
    bool m_working = true;
};

// One harvest round (Harvester::runOnce), logged, and a failure once
// until it recovers.
class HarvestJob {
public:
    HarvestJob(Services& services, HarvestSettings settings, long timeoutMs)
        : m_harvester(services, std::move(settings), CurlFetch(timeoutMs))
    {
    }
    void operator()()
    {
        auto round = m_harvester.runOnce();
        if (!round) {
            if (m_working)
                log(LogLevel::Error, "could not harvest milestone progress", {{"REASON", round.error().message}});
            m_working = false;
            return;
        }
        m_working = true;
        if (round->people > 0)
            log(round->failed > 0 ? LogLevel::Warning : LogLevel::Info, "milestone progress harvested",
                {{"PEOPLE", std::to_string(round->people)}, {"REQUESTS", std::to_string(round->requests)},
                 {"NOT_MODIFIED", std::to_string(round->notModified)}, {"STORED", std::to_string(round->stored)},
                 {"FAILED", std::to_string(round->failed)}, {"WAITING", std::to_string(round->waiting)}});
    }

private:
    Harvester m_harvester;
    bool m_working = true;
};

// The smtp-* and mail-from settings; nullopt when no smtp-host is set.
Result<std::optional<SmtpSettings>> smtpSettingsFrom(const Settings& settings)
{
    const auto host = settings.get("smtp-host");
    if (!host)
        return std::optional<SmtpSettings>();
    SmtpSettings smtp;
    smtp.host = *host;
    smtp.port = static_cast<unsigned>(std::stoul(settings.get("smtp-port").value_or("587")));
    smtp.startTls = settings.get("smtp-starttls").value_or("yes") == "yes";
    smtp.user = settings.get("smtp-user").value_or("");
    smtp.timeoutSec = limits::k_smtpTimeoutSec;
    const auto from = settings.get("mail-from");
    if (!from)
        return fail(Errc::BadConfig, settings.describeProblem("smtp-host", "needs mail-from"));
    smtp.from = *from;
    if (!settings.get("public-url"))
        return fail(Errc::BadConfig, settings.describeProblem("smtp-host", "needs public-url, for the links in mail"));
    if (const auto file = settings.get("smtp-password-file")) {
        std::ifstream in(*file);
        std::getline(in, smtp.password);
        while (!smtp.password.empty() && (smtp.password.back() == '\r' || smtp.password.back() == ' '))
            smtp.password.pop_back();
        if (!in && smtp.password.empty())
            return fail(Errc::BadConfig, settings.describeProblem("smtp-password-file", "cannot be read"));
    }
    return std::optional(std::move(smtp));
}

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

// SIGHUP: the certificate and key are read again; a pair that cannot be
// read is reported and the one in use stays.
void reportReload(const Result<void>& reloaded)
{
    if (observe::logsToJournal()) {
        if (reloaded)
            log(LogLevel::Info, "TLS certificate reloaded");
        else
            log(LogLevel::Error, "TLS certificate not reloaded", {{"REASON", reloaded.error().message}});
    } else if (reloaded) {
        std::printf("imhere-server: TLS certificate reloaded\n");
    } else {
        std::printf("imhere-server: TLS certificate not reloaded: %s\n", reloaded.error().message.c_str());
    }
    std::fflush(stdout);
}

} // namespace

bool isPostgresUrl(std::string_view db)
{
    return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string describeDb(std::string_view db)
{
    if (!isPostgresUrl(db))
        return std::string(db);
    // scheme://user:password@host... → scheme://user@host...
    const auto scheme = db.find("://") + 3;
    const auto at = db.find('@', scheme);
    const auto colon = db.find(':', scheme);
    if (at == std::string_view::npos || colon == std::string_view::npos || colon > at)
        return std::string(db);
    return std::string(db.substr(0, colon)) + std::string(db.substr(at));
}

std::unique_ptr<Store> openStore(const Settings& settings, const Clock& clock, std::size_t connections)
{
    const auto db = settings.require("db");
    if (!db) {
        failWith(db.error().message);
        return nullptr;
    }
    Result<std::unique_ptr<Store>> store;
    if (isPostgresUrl(*db)) {
        PgStore::Options options;
        options.connections = connections;
        store = PgStore::open(*db, clock, options);
    } else {
        store = SqliteStore::open(*db, clock);
    }
    if (!store) {
        failWith("cannot open " + describeDb(*db) + ": " + store.error().message);
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
    const auto tlsCert = settings.get("tls-cert");
    const auto tlsKey = settings.get("tls-key");
    if (tlsCert.has_value() != tlsKey.has_value())
        return failWith(settings.describeProblem(tlsCert ? "tls-cert" : "tls-key", "needs tls-cert and tls-key both"));
    if (tlsCert)
        listen->tls = TlsFiles{*tlsCert, *tlsKey};
    listen->behindTlsProxy = settings.get("tls-proxy") == "yes";
    const auto metricsAccess = metricsAccessFrom(settings);
    if (!metricsAccess) {
        std::fprintf(stderr, "imhere-server: %s\n", metricsAccess.error().message.c_str());
        return 2;
    }
    const auto smtp = smtpSettingsFrom(settings);
    if (!smtp) {
        std::fprintf(stderr, "imhere-server: %s\n", smtp.error().message.c_str());
        return 2;
    }
    const auto dbPath = settings.require("db");
    if (!dbPath)
        return failWith(dbPath.error().message);
    // A file has one server, which the lock makes sure of; a PostgreSQL
    // database is shared by every instance pointed at it.
    const bool shared = isPostgresUrl(*dbPath);
    std::optional<DatabaseLock> lock;
    if (!shared) {
        auto acquired = DatabaseLock::acquire(*dbPath);
        if (!acquired)
            return failWith(acquired.error().message);
        lock.emplace(std::move(*acquired));
    }

    curl_global_init(CURL_GLOBAL_DEFAULT); // before any thread starts

    // Block the stop signals and SIGHUP (reload the certificate) before any
    // thread starts, so that every thread inherits the mask and only
    // sigwait() below receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    if (!shared) {
        if (auto saved = backUpBeforeMigrating(*dbPath); !saved)
            return failWith("no backup before migrating, so no migration: " + saved.error().message);
    }
    SystemClock clock;
    // One connection for each HTTP worker, the check-in writer, the health
    // probe and each background job.
    auto store = openStore(settings, clock, listen->threads + 6);
    if (!store)
        return 1;
    Services services(*store, clock);
    if (settings.get("phone-link-days"))
        services.phoneLinkLifetimeMs = std::int64_t{unsignedSetting(settings, "phone-link-days", 0)} * 24 * 3'600'000;
    services.auth.setIdleTimeoutMs(60'000LL * unsignedSetting(settings, "session-idle-timeout",
                                                               limits::k_defaultSessionIdleMs / 60'000));
    services.mail = MailSettings{smtp->has_value(), settings.get("public-url").value_or("")};
    // Mail goes out from the outbox on a thread of its own, woken when a
    // request queues some; the first run sends what was left at a restart.
    // It outlives the HTTP server, whose requests wake it.
    std::optional<Periodic> mailSender;
    if (*smtp) {
        mailSender.emplace(limits::k_mailInterval, LeasedJob(*store, "mail", shared, MailSender(services, **smtp)));
        services.mailQueued = [&mailSender] { mailSender->wake(); };
    }
    // Slack posts go out on a thread of their own too, woken when a window
    // closes. A server that holds a file's lock knows that a claim left in
    // the outbox is a stopped server's: it ends now, and the first run posts
    // what was left. Over PostgreSQL a claim left by an instance that
    // stopped ends at its expiry instead (k_slackClaimMs): the instance may
    // only have lost the database for a while, and still be posting.
    services.slackLoopback = settings.get("slack-loopback").value_or("no") == "yes";
    if (!shared) {
        if (auto released = store->outbox().releaseSlackClaims(); !released)
            return failWith("cannot read the Slack outbox: " + released.error().message);
    }
    std::optional<Periodic> slackSender;
    slackSender.emplace(limits::k_slackInterval, LeasedJob(*store, "Slack posts", shared, SlackSender(services)));
    services.slackQueued = [&slackSender] { slackSender->wake(); };
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
    HealthProbe probe(*store, listen->host, server.port(), server.servesTls());
    if (auto healthy = probe.check(); !healthy)
        return failWith("not starting: " + healthy.error().message);
    // On a terminal (and to scripts) one line on stdout says where it
    // listens; in the journal, the structured entry says it instead.
    const char* scheme = listen->tls ? "https" : "http";
    if (observe::logsToJournal())
        log(LogLevel::Info, "serving on " + listen->host + ":" + std::to_string(server.port()),
            {{"LISTEN", listen->host + ":" + std::to_string(server.port())}, {"SCHEME", scheme},
             {"DB", describeDb(*dbPath)}});
    else
        std::printf("imhere-server: listening on %s://%s:%u\n", scheme, listen->host.c_str(), unsigned{server.port()});
    std::fflush(stdout);
    observe::notifyServiceManager("READY=1\nSTATUS=serving on " + listen->host + ":" + std::to_string(server.port()));

    std::optional<Periodic> healthLoop;
    if (const auto timeout = observe::watchdogTimeout())
        healthLoop.emplace(*timeout / 2, HealthFeed(probe));
    // Windows close themselves at their end plus the course's grace; the
    // first run closes those whose time passed while the server was down.
    std::optional<Periodic> windowCloser;
    windowCloser.emplace(limits::k_windowCloseInterval,
                         LeasedJob(*store, "window auto-close", shared, WindowCloser(services)));

    // Milestone progress from GitHub and Codewars, on a thread of its own so
    // no request waits for it; the first round runs at once.
    std::optional<Periodic> harvester;
    std::atomic<bool> stopHarvest{false};
    if (const unsigned minutes = unsignedSetting(settings, "harvest-interval", limits::k_defaultHarvestMinutes);
        minutes > 0) {
        HarvestSettings harvest;
        harvest.githubApiUrl = settings.get("github-api-url").value_or(harvest.githubApiUrl);
        harvest.codewarsApiUrl = settings.get("codewars-api-url").value_or(harvest.codewarsApiUrl);
        harvest.githubToken = settings.get("github-token").value_or("");
        harvest.stop = &stopHarvest;
        const long timeoutMs = 1000L * unsignedSetting(settings, "harvest-timeout", limits::k_defaultHarvestTimeoutSec);
        harvester.emplace(std::chrono::minutes(minutes),
                          LeasedJob(*store, "milestone harvest", shared,
                                    HarvestJob(services, std::move(harvest), timeoutMs)));
    }

    int received = 0;
    while (sigwait(&stopSignals, &received) == 0 && received == SIGHUP)
        reportReload(server.reloadTls());
    observe::notifyServiceManager("STOPPING=1");
    healthLoop.reset();
    windowCloser.reset();
    stopHarvest = true;
    harvester.reset();
    if (observe::logsToJournal())
        log(LogLevel::Info, "stopping", {{"SIGNAL", std::to_string(received)}});
    else
        std::printf("imhere-server: stopping (signal %d)\n", received);
    std::fflush(stdout);
    server.stop();
    services.slackQueued = nullptr;
    slackSender.reset();
    mailSender.reset();
    return 0;
}

} // namespace imhere::server::cli
