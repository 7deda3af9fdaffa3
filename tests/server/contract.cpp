#include "contract.h"

#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace imhere::test::contract {

namespace {

// One Node process answering one line for each line sent.
class Checker {
public:
    Checker()
    {
        int toChild[2];
        int fromChild[2];
        if (pipe(toChild) != 0 || pipe(fromChild) != 0)
            return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO);
        for (const int fd : {toChild[0], toChild[1], fromChild[0], fromChild[1]})
            posix_spawn_file_actions_addclose(&actions, fd);
        const std::string script = std::string(IMHERE_CONTRACT_DIR) + "/check-server.mjs";
        const char* argv[] = {IMHERE_NODE, script.c_str(), IMHERE_OPENAPI, nullptr};
        const int spawned = posix_spawn(&m_pid, IMHERE_NODE, &actions, nullptr, const_cast<char**>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(toChild[0]);
        close(fromChild[1]);
        if (spawned != 0) {
            m_pid = -1;
            close(toChild[1]);
            close(fromChild[0]);
            return;
        }
        // A checker that died must not kill the test with SIGPIPE: its
        // errors say so instead.
        std::signal(SIGPIPE, SIG_IGN);
        m_to = fdopen(toChild[1], "w");
        m_from = fdopen(fromChild[0], "r");
    }

    ~Checker()
    {
        if (m_to)
            std::fclose(m_to);
        if (m_from)
            std::fclose(m_from);
        if (m_pid > 0)
            waitpid(m_pid, nullptr, 0);
    }

    nlohmann::json ask(const nlohmann::json& request)
    {
        const std::lock_guard lock(m_mutex);
        const auto unavailable = nlohmann::json{
            {"errors",
             {std::string("the contract checker (node ") + IMHERE_CONTRACT_DIR
                  + "/check-server.mjs) is not answering: are tests/contract's npm packages installed "
                    "(scripts/install-web-deps.sh)?"}}};
        if (!m_to || !m_from)
            return unavailable;
        const std::string line = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        if (std::fwrite(line.data(), 1, line.size(), m_to) != line.size() || std::fflush(m_to) != 0)
            return unavailable;
        std::string reply;
        char buffer[65536];
        while (std::fgets(buffer, sizeof buffer, m_from)) {
            reply += buffer;
            if (reply.ends_with('\n'))
                break;
        }
        auto parsed = nlohmann::json::parse(reply, nullptr, false);
        return parsed.is_object() ? parsed : unavailable;
    }

private:
    pid_t m_pid = -1;
    FILE* m_to = nullptr;
    FILE* m_from = nullptr;
    std::mutex m_mutex;
};

Checker& checker()
{
    static Checker instance;
    return instance;
}

std::mutex g_pendingMutex;
std::vector<std::string> g_pending; // errors seen off the test's thread

void reportPendingAtExit()
{
    const std::lock_guard lock(g_pendingMutex);
    if (g_pending.empty())
        return;
    for (const auto& e : g_pending)
        std::fprintf(stderr, "FAIL! (answer against docs/openapi.yaml, off the test thread) %s\n", e.c_str());
    std::_Exit(1);
}

bool onTestThread()
{
    const auto* app = QCoreApplication::instance();
    return app && QThread::currentThread() == app->thread();
}

} // namespace

nlohmann::json ask(const nlohmann::json& request)
{
    return checker().ask(request);
}

std::vector<std::string> check(const Answer& answer)
{
    const auto reply = ask({{"op", "check"},
                            {"method", answer.method},
                            {"path", answer.path},
                            {"status", answer.status},
                            {"content_type", answer.contentType},
                            {"body", answer.body},
                            {"headers", answer.headers}});
    std::vector<std::string> errors;
    if (reply.contains("errors") && reply["errors"].is_array())
        for (const auto& e : reply["errors"])
            errors.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    return errors;
}

void hold(const Answer& answer)
{
    static const bool registered = [] { return std::atexit(reportPendingAtExit) == 0; }();
    (void)registered;
    auto errors = check(answer);
    if (!onTestThread()) {
        const std::lock_guard lock(g_pendingMutex);
        g_pending.insert(g_pending.end(), errors.begin(), errors.end());
        return;
    }
    {
        const std::lock_guard lock(g_pendingMutex);
        errors.insert(errors.begin(), g_pending.begin(), g_pending.end());
        g_pending.clear();
    }
    for (const auto& e : errors)
        QTest::qFail(("answer against docs/openapi.yaml: " + e).c_str(), __FILE__, __LINE__);
}

} // namespace imhere::test::contract
