#include "pgcluster.h"

#include <QProcess>
#include <QStringList>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace imhere::test {

namespace {

constexpr const char* k_superuser = "imhere";

// A loopback port nothing listens on now. Another program could take it
// before the server does; start() then fails and says so.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

std::filesystem::path PgCluster::binDir()
{
    if (const char* dir = std::getenv("IMHERE_PG_BINDIR"); dir && *dir)
        return dir;
    std::error_code ignored;
    const std::filesystem::path root = "/usr/lib/postgresql";
    std::filesystem::path newest;
    for (const auto& entry : std::filesystem::directory_iterator(root, ignored)) {
        if (std::filesystem::exists(entry.path() / "bin/initdb") && entry.path() > newest)
            newest = entry.path();
    }
    return newest.empty() ? newest : newest / "bin";
}

PgCluster::PgCluster(std::string database) : m_database(std::move(database))
{
    if (binDir().empty()) {
        m_error = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; scripts/install-deps.sh test)";
        return;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "imhere-pg-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        m_error = "cannot make a temporary directory";
        return;
    }
    m_dir = pattern;
    m_data = m_dir / "data";
    m_asNobody = ::geteuid() == 0;
    if (m_asNobody) {
        const passwd* nobody = ::getpwnam("nobody");
        if (!nobody || ::chown(m_dir.c_str(), nobody->pw_uid, nobody->pw_gid) != 0) {
            m_error = "cannot hand " + m_dir.string() + " to the user nobody";
            return;
        }
    }
    watchOver();
    if (!run("initdb", {"-D", m_data.string(), "-U", k_superuser, "--auth=trust", "--no-sync", "-E", "UTF8",
                        "--locale=C.UTF-8"},
             120))
        return;
    // A cluster for tests: nothing in it must survive a crash of the machine.
    std::ofstream conf(m_data / "postgresql.conf", std::ios::app);
    conf << "\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
            "listen_addresses = '127.0.0.1'\nunix_socket_directories = '"
         << m_dir.string() << "'\n";
    conf.close();
    if (!start())
        return;
    if (!createDatabase(m_database))
        return;
}

void PgCluster::watchOver()
{
    // A test killed (a CTest timeout, a crash) runs no destructor: a shell
    // outliving it stops the server and removes the directory once the test
    // process is gone. It ends by itself when the directory is removed.
    const std::string pgCtl = (binDir() / "pg_ctl").string();
    const std::string as = m_asNobody ? "runuser -u nobody -- " : "";
    const std::string script = "while kill -0 " + std::to_string(::getpid()) + " 2>/dev/null && [ -d '"
                               + m_dir.string() + "' ]; do sleep 1; done; " + as + "'" + pgCtl + "' stop -D '"
                               + m_data.string() + "' -m immediate -w -t 30 >/dev/null 2>&1; rm -rf '"
                               + m_dir.string() + "'";
    QProcess watchdog;
    watchdog.setProgram("/bin/sh");
    watchdog.setArguments({"-c", QString::fromStdString(script)});
    // Not the test's output: CTest would wait for the watchdog to close it.
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    watchdog.startDetached();
}

PgCluster::~PgCluster()
{
    if (m_running)
        (void)stop();
    if (!m_dir.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
}

std::string PgCluster::url(const std::string& database) const
{
    return "postgresql://" + std::string(k_superuser) + "@127.0.0.1:" + std::to_string(m_port) + "/" + database;
}

bool PgCluster::start()
{
    // A port taken between freePort() and the server's bind: try another.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (m_port == 0 || attempt > 0)
            m_port = freePort();
        if (m_port == 0) {
            m_error = "no free loopback port";
            return false;
        }
        if (run("pg_ctl", {"start", "-w", "-t", "60", "-D", m_data.string(), "-l", (m_dir / "server.log").string(),
                           "-o", "-p " + std::to_string(m_port)},
                90)) {
            m_running = true;
            return true;
        }
    }
    m_error += "\n" + readFile(m_dir / "server.log");
    return false;
}

bool PgCluster::stop()
{
    if (!run("pg_ctl", {"stop", "-w", "-t", "60", "-m", "fast", "-D", m_data.string()}, 90))
        return false;
    m_running = false;
    return true;
}

bool PgCluster::restart()
{
    const int port = m_port;
    if (!stop())
        return false;
    // The same port, so that clients holding the URL find it again.
    if (!run("pg_ctl", {"start", "-w", "-t", "60", "-D", m_data.string(), "-l", (m_dir / "server.log").string(),
                        "-o", "-p " + std::to_string(port)},
             90))
        return false;
    m_running = true;
    return true;
}

bool PgCluster::createDatabase(const std::string& name)
{
    return run("createdb", {"-h", "127.0.0.1", "-p", std::to_string(m_port), "-U", k_superuser, name}, 60);
}

bool PgCluster::run(const std::string& program, const std::vector<std::string>& args, int timeoutS)
{
    const std::string path = (binDir() / program).string();
    QStringList argv;
    QString command = QString::fromStdString(path);
    if (m_asNobody) {
        argv << "-u" << "nobody" << "--" << command;
        command = "runuser";
    }
    for (const auto& arg : args)
        argv << QString::fromStdString(arg);
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    // Somewhere nobody may read, for programs that look at their directory.
    process.setWorkingDirectory(QString::fromStdString(m_dir.string()));
    process.start(command, argv);
    if (!process.waitForFinished(timeoutS * 1000)) {
        process.kill();
        process.waitForFinished(5000);
        m_error = program + " did not finish within " + std::to_string(timeoutS) + " s: "
                  + process.readAll().toStdString();
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = program + " failed (" + std::to_string(process.exitCode()) + "): " + process.readAll().toStdString();
        return false;
    }
    return true;
}

} // namespace imhere::test
