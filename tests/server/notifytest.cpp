// imhere-server as systemd runs it with Type=notify and WatchdogSec=: the
// test is the service manager, listening on a NOTIFY_SOCKET of its own.
// READY=1 comes only once the port answers; WATCHDOG=1 keeps coming while
// the store and /healthz are well, stops when the database file is taken
// away, resumes when it is back, stops again when another file is put in
// its place; SIGTERM brings STOPPING=1 and exit 0.

#include "httpclient.h"

#include "tests/support/qtestsupport.h"
#include "tests/support/tempdir.h"

#include <QScopeGuard>
#include <QTest>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// Asks for WATCHDOG=1 every 100 ms.
constexpr std::string_view k_watchdogUsec = "200000";

// A datagram socket bound to a path, as systemd's notify socket is.
class NotifySocket {
public:
    explicit NotifySocket(std::string path) : m_path(std::move(path))
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        m_path.copy(address.sun_path, sizeof address.sun_path - 1);
        if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    [[nodiscard]] bool ok() const { return m_fd >= 0; }
    [[nodiscard]] const std::string& path() const { return m_path; }

    // The next message, or empty when none came within `timeout`.
    std::string next(std::chrono::milliseconds timeout)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
            return {};
        char buffer[4096];
        const auto n = ::recv(m_fd, buffer, sizeof buffer, 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
    }

    // How many messages holding `state` came within `span`.
    int count(std::string_view state, std::chrono::milliseconds span)
    {
        int seen = 0;
        const auto until = Clock::now() + span;
        while (Clock::now() < until) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            if (next(std::max(left, 1ms)).find(state) != std::string::npos)
                ++seen;
        }
        return seen;
    }

    // Waits until no message holding `state` has come for `gap`, for at most
    // `timeout` (a check under way when the state changed may still send one).
    bool waitForSilence(std::string_view state, std::chrono::milliseconds gap, std::chrono::milliseconds timeout)
    {
        const auto until = Clock::now() + timeout;
        while (Clock::now() < until)
            if (count(state, gap) == 0)
                return true;
        return false;
    }

    // Waits up to `timeout` for a message holding `state`, and returns it.
    std::string waitFor(std::string_view state, std::chrono::milliseconds timeout)
    {
        const auto until = Clock::now() + timeout;
        while (Clock::now() < until) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            std::string message = next(std::max(left, 1ms));
            if (message.find(state) != std::string::npos)
                return message;
        }
        return {};
    }

private:
    std::string m_path;
    int m_fd = -1;
};

} // namespace

class NotifyTest : public QObject {
    Q_OBJECT

private slots:
    void readyOnlyOnceServingAndWatchdogFollowsTheStore();
};

void NotifyTest::readyOnlyOnceServingAndWatchdogFollowsTheStore()
{
    TempDir dir("imhere-notify");
    NotifySocket notify((dir.path() / "notify").string());
    QVERIFY(notify.ok());
    const std::string db = (dir.path() / "imhere.db").string();
    const std::string config = (dir.path() / "server.conf").string();
    std::FILE* f = std::fopen(config.c_str(), "w");
    QVERIFY(f);
    std::fputs("[server]\nlisten = 127.0.0.1:0\nthreads = 2\n", f);
    std::fclose(f);

    const pid_t pid = fork();
    if (pid == 0) {
        setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
        setenv("WATCHDOG_USEC", std::string(k_watchdogUsec).c_str(), 1);
        unsetenv("WATCHDOG_PID");
        std::freopen("/dev/null", "w", stdout);
        execl(IMHERE_SERVER_BIN, IMHERE_SERVER_BIN, "serve", "--config", config.c_str(), "--db", db.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    bool reaped = false;
    const auto stop = qScopeGuard([&] {
        if (!reaped) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    });

    // The first message is READY=1, and the port it names answers at once.
    const std::string ready = notify.next(10s);
    QVERIFY2(ready.starts_with("READY=1"), ready.c_str());
    const auto at = ready.find("serving on ");
    QVERIFY2(at != std::string::npos, ready.c_str());
    const std::string url = "http://" + ready.substr(at + 11, ready.find('\n', at) - at - 11);
    HttpClient client(url);
    QCOMPARE(client.get("/healthz").status, 200L);

    // Fed every 100 ms while healthy.
    QCOMPARE_GE(notify.count("WATCHDOG=1", 1s), 5);

    // The database file taken away: the health loop stops feeding.
    std::filesystem::rename(db, db + ".away");
    QVERIFY(notify.waitForSilence("WATCHDOG=1", 300ms, 5s));
    QCOMPARE(notify.count("WATCHDOG=1", 1s), 0);
    // /healthz still answers: it is the store's check that failed.
    QCOMPARE(client.get("/healthz").status, 200L);

    // Back again: fed again.
    std::filesystem::rename(db + ".away", db);
    QVERIFY(!notify.waitFor("WATCHDOG=1", 2s).empty());

    // Another file put in its place (a copy, as a careless restore would):
    // not the database the server writes to, so not fed.
    std::filesystem::copy_file(db, db + ".copy");
    std::filesystem::rename(db + ".copy", db);
    QVERIFY(notify.waitForSilence("WATCHDOG=1", 300ms, 5s));
    QCOMPARE(notify.count("WATCHDOG=1", 1s), 0);

    kill(pid, SIGTERM);
    QVERIFY(!notify.waitFor("STOPPING=1", 5s).empty());
    int status = 0;
    QCOMPARE(waitpid(pid, &status, 0), pid);
    reaped = true;
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
}

QTEST_GUILESS_MAIN(NotifyTest)
#include "notifytest.moc"
