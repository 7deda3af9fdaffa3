#include "processes.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace imhere::e2e {

namespace {
constexpr int k_pollMs = 50;
}

bool waitUntil(const std::function<bool()>& condition, int deadlineMs)
{
    QDeadlineTimer deadline(deadlineMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(k_pollMs);
    }
    return true;
}

ServerProcess::~ServerProcess()
{
    kill();
}

bool ServerProcess::start(const QStringList& extraArgs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    const QString listen = QStringLiteral("127.0.0.1:%1").arg(m_port);
    m_process->start(QStringLiteral(IMHERE_SERVER_BIN),
                     QStringList{QStringLiteral("serve"), QStringLiteral("--db"), QString::fromStdString(m_dbPath),
                                 QStringLiteral("--listen"), listen}
                         + extraArgs);
    if (!m_process->waitForStarted(k_processStartMs))
        return false;
    // "imhere-server: listening on http(s)://127.0.0.1:PORT"
    QByteArray out;
    const bool listening = waitUntil(
        [&] {
            out += m_process->readAllStandardOutput();
            return out.contains('\n') || m_process->state() == QProcess::NotRunning;
        },
        k_processStartMs);
    const qsizetype at = out.indexOf("://127.0.0.1:");
    if (!listening || at < 0) {
        qWarning("imhere-server did not start: %s %s", out.constData(), m_process->readAllStandardError().constData());
        return false;
    }
    m_scheme = out.mid(0, at).split(' ').back().toStdString();
    const QByteArray port = out.mid(at + 13).split('\n').front().trimmed();
    m_port = static_cast<std::uint16_t>(port.toUInt());
    return m_port != 0;
}

bool ServerProcess::reloadTls()
{
    if (!m_process || m_process->state() != QProcess::Running)
        return false;
    ::kill(static_cast<pid_t>(m_process->processId()), SIGHUP);
    // "imhere-server: TLS certificate reloaded" or "... not reloaded: WHY"
    QByteArray out;
    const bool answered = waitUntil(
        [&] {
            out += m_process->readAllStandardOutput();
            return out.contains("TLS certificate") || m_process->state() == QProcess::NotRunning;
        },
        k_processStartMs);
    if (!answered || !out.contains("TLS certificate reloaded")) {
        qWarning("imhere-server did not reload: %s %s", out.constData(), m_process->readAllStandardError().constData());
        return false;
    }
    return true;
}

QString ServerProcess::logged()
{
    if (m_process)
        m_logged += QString::fromUtf8(m_process->readAllStandardError());
    return m_logged;
}

void ServerProcess::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(k_processStartMs);
}

KioskProcess::KioskProcess(QString dataDir)
    : m_dataDir(std::move(dataDir)), m_socket(m_dataDir + QStringLiteral(".reader.sock"))
{
}

KioskProcess::~KioskProcess()
{
    stop();
}

bool KioskProcess::start(const QStringList& extraArgs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    m_process->setProcessEnvironment(env);
    QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(),
                     [this] { m_output += QString::fromLocal8Bit(m_process->readAll()); });
    QFile::remove(m_socket);
    m_process->start(QStringLiteral(IMHERE_KIOSK_BIN),
                     QStringList{QStringLiteral("--data"), m_dataDir, QStringLiteral("--reader"),
                                 QStringLiteral("sim:") + m_socket} +
                         extraArgs);
    if (!m_process->waitForStarted(k_processStartMs))
        return false;
    return waitUntil([this] { return QFile::exists(m_socket) || m_process->state() == QProcess::NotRunning; },
                     k_processStartMs) &&
           m_process->state() == QProcess::Running;
}

bool KioskProcess::tap(const QByteArray& uid)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray path = QFile::encodeName(m_socket);
    if (static_cast<std::size_t>(path.size()) >= sizeof addr.sun_path)
        return false;
    std::memcpy(addr.sun_path, path.constData(), static_cast<std::size_t>(path.size()));
    // The socket's file appears when the reader binds it, a moment before it
    // listens: a refused connection just after a start is tried again.
    QDeadlineTimer deadline(k_processStartMs);
    for (;;) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return false;
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
            const QByteArray line = uid.toHex() + '\n';
            const bool ok = ::write(fd, line.constData(), static_cast<std::size_t>(line.size())) == line.size();
            ::close(fd);
            return ok;
        }
        const int error = errno;
        ::close(fd);
        if ((error != ECONNREFUSED && error != ENOENT) || deadline.hasExpired() || !m_process
            || m_process->state() != QProcess::Running)
            return false;
        QThread::msleep(k_pollMs);
    }
}

bool KioskProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return false;
    m_process->terminate();
    bool clean = m_process->waitForFinished(k_processStartMs);
    if (!clean) {
        m_process->kill();
        m_process->waitForFinished(k_processStartMs);
    }
    m_output += QString::fromLocal8Bit(m_process->readAll());
    return clean && m_process->exitStatus() == QProcess::NormalExit && m_process->exitCode() == 0;
}

void KioskProcess::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(k_processStartMs);
    m_output += QString::fromLocal8Bit(m_process->readAll());
}

bool KioskProcess::waitForOutput(const std::function<bool(const QString&)>& condition, int deadlineMs)
{
    QDeadlineTimer deadline(deadlineMs);
    while (!condition(m_output)) {
        if (deadline.hasExpired() || !m_process || m_process->state() != QProcess::Running)
            return false;
        m_process->waitForReadyRead(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
    }
    return true;
}

std::optional<std::int64_t> queryInt(const std::string& dbPath, const std::string& sql, const std::string& arg)
{
    OpenOptions options;
    options.readOnly = true;
    auto db = Database::open(dbPath, options);
    if (!db)
        return std::nullopt;
    auto stmt = db->prepare(sql);
    if (!stmt)
        return std::nullopt;
    if (!arg.empty())
        stmt->bind(1, arg);
    auto row = stmt->step();
    if (!row || !*row)
        return std::nullopt;
    return stmt->int64At(0);
}

} // namespace imhere::e2e
