// The units in systemd/ hold up to systemd's own tools: every unit passes
// `systemd-analyze verify` (with the programs at the paths the packages
// install them to standing in for the built ones), the server and backup
// services rate 2.0 or better on `systemd-analyze security`, the kiosk
// service no worse than its compositor needs, and the sysusers and tmpfiles
// snippets make the accounts and directories in a scratch root.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

namespace {

constexpr int k_toolTimeoutMs = 30'000;
constexpr double k_serverExposureLimit = 2.0;
// cage needs the seat's display and input devices, so the kiosk service
// cannot have PrivateDevices=, a system-call filter or an empty capability
// set; this keeps it from getting worse.
constexpr double k_kioskExposureLimit = 6.0;

const QStringList k_units{QStringLiteral("imhere-server.service"), QStringLiteral("imhere-backup.service"),
                          QStringLiteral("imhere-backup.timer"), QStringLiteral("imhere-kiosk.service")};

struct Ran {
    int status = -1;
    QString out;
};

Ran run(const QString& program, const QStringList& args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(k_toolTimeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, QStringLiteral("timed out: ") + program};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

QString readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

QString unitPath(const QString& name)
{
    return QStringLiteral(IMHERE_SYSTEMD_DIR "/") + name;
}

double exposureOf(const QString& unit)
{
    const Ran r = run(QStringLiteral(IMHERE_SYSTEMD_ANALYZE), {QStringLiteral("security"), QStringLiteral("--offline=yes"), unitPath(unit)});
    const auto m = QRegularExpression(QStringLiteral("Overall exposure level for [^:]+: ([0-9.]+)")).match(r.out);
    if (r.status != 0 || !m.hasMatch()) {
        qWarning("%s", qPrintable(r.out));
        return 99;
    }
    return m.captured(1).toDouble();
}

} // namespace

class UnitsTest : public QObject {
    Q_OBJECT

private slots:
    void unitsStartTheInstalledPrograms();
    void everyUnitVerifies();
    void securityExposure_data();
    void securityExposure();
    void sysusersAndTmpfilesMakeAccountsAndDirectories();
};

void UnitsTest::unitsStartTheInstalledPrograms()
{
    QVERIFY(readFile(unitPath(QStringLiteral("imhere-server.service")))
                .contains(QStringLiteral("\nExecStart=/usr/bin/imhere-server serve --config /etc/imhere/server.conf\n")));
    QVERIFY(readFile(unitPath(QStringLiteral("imhere-kiosk.service")))
                .contains(QStringLiteral("\nExecStart=/usr/bin/cage -d -- /usr/bin/imhere-kiosk --config /etc/imhere/kiosk.conf\n")));
    const QString server = readFile(unitPath(QStringLiteral("imhere-server.service")));
    for (const char* line : {"Type=notify", "WatchdogSec=", "ProtectSystem=strict", "PrivateDevices=yes",
                             "CapabilityBoundingSet=\n", "UMask=0077", "SystemCallFilter=@system-service",
                             "RestrictAddressFamilies=", "StateDirectory=imhere"})
        QVERIFY2(server.contains(QString::fromLatin1(line)), line);
}

void UnitsTest::everyUnitVerifies()
{
    // The units name /usr/bin/...; the built programs stand in for them.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStringList paths;
    for (const QString& unit : k_units) {
        QString text = readFile(unitPath(unit));
        QVERIFY2(!text.isEmpty(), qPrintable(unit));
        text.replace(QStringLiteral("/usr/bin/imhere-server"), QStringLiteral(IMHERE_SERVER_BIN));
        text.replace(QStringLiteral("/usr/bin/imhere-kiosk"), QStringLiteral(IMHERE_KIOSK_BIN));
        QFile out(dir.filePath(unit));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text.toUtf8());
        paths << out.fileName();
    }
    // --man=no: the man pages they name come with the packages (tests/packaging).
    const Ran r = run(QStringLiteral(IMHERE_SYSTEMD_ANALYZE), QStringList{QStringLiteral("verify"), QStringLiteral("--man=no")} + paths);
    QVERIFY2(r.status == 0, qPrintable(r.out));
    // Unknown keys and bad values are only warned about: none allowed.
    QVERIFY2(r.out.trimmed().isEmpty(), qPrintable(r.out));
}

void UnitsTest::securityExposure_data()
{
    QTest::addColumn<QString>("unit");
    QTest::addColumn<double>("limit");
    QTest::newRow("server") << QStringLiteral("imhere-server.service") << k_serverExposureLimit;
    QTest::newRow("backup") << QStringLiteral("imhere-backup.service") << k_serverExposureLimit;
    QTest::newRow("kiosk") << QStringLiteral("imhere-kiosk.service") << k_kioskExposureLimit;
}

void UnitsTest::securityExposure()
{
    QFETCH(QString, unit);
    QFETCH(double, limit);
    const double exposure = exposureOf(unit);
    qInfo("%s: exposure %.1f (at most %.1f)", qPrintable(unit), exposure, limit);
    QCOMPARE_LE(exposure, limit);
}

void UnitsTest::sysusersAndTmpfilesMakeAccountsAndDirectories()
{
    if (QStringLiteral(IMHERE_SYSTEMD_SYSUSERS).isEmpty() || QStringLiteral(IMHERE_SYSTEMD_TMPFILES).isEmpty())
        QSKIP("systemd-sysusers or systemd-tmpfiles missing");
    if (geteuid() != 0)
        QSKIP("giving the directories to the accounts it makes needs root");
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(QDir(root.path()).mkpath(QStringLiteral("etc")));
    for (const char* name : {"passwd", "shadow", "gshadow"})
        QFile(root.filePath(QStringLiteral("etc/") + QString::fromLatin1(name))).open(QIODevice::WriteOnly);
    {
        QFile group(root.filePath(QStringLiteral("etc/group")));
        QVERIFY(group.open(QIODevice::WriteOnly));
        group.write("input:x:105:\nvideo:x:44:\ndialout:x:20:\nrender:x:106:\n");
    }
    const QString rootArg = QStringLiteral("--root=") + root.path();
    Ran r = run(QStringLiteral(IMHERE_SYSTEMD_SYSUSERS),
                {rootArg, unitPath(QStringLiteral("imhere-server.sysusers")), unitPath(QStringLiteral("imhere-kiosk.sysusers"))});
    QVERIFY2(r.status == 0, qPrintable(r.out));
    const QString passwd = readFile(root.filePath(QStringLiteral("etc/passwd")));
    QVERIFY2(passwd.contains(QStringLiteral("\nimhere:")) || passwd.startsWith(QStringLiteral("imhere:")), qPrintable(passwd));
    QVERIFY(passwd.contains(QStringLiteral("imhere-kiosk:")));
    const QString group = readFile(root.filePath(QStringLiteral("etc/group")));
    for (const char* g : {"input", "video", "dialout"})
        QVERIFY2(group.contains(QRegularExpression(QStringLiteral("^%1:x:\\d+:imhere-kiosk$").arg(QString::fromLatin1(g)),
                                                   QRegularExpression::MultilineOption)),
                 qPrintable(group));

    r = run(QStringLiteral(IMHERE_SYSTEMD_TMPFILES),
            {rootArg, QStringLiteral("--create"), unitPath(QStringLiteral("imhere-server.tmpfiles")),
             unitPath(QStringLiteral("imhere-kiosk.tmpfiles"))});
    QVERIFY2(r.status == 0, qPrintable(r.out));
    for (const char* d : {"var/lib/imhere/backups", "var/lib/imhere-kiosk"}) {
        const QFileInfo info(root.filePath(QString::fromLatin1(d)));
        QVERIFY2(info.isDir(), d);
        QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::ExeOther), QFile::Permissions());
    }
}

QTEST_GUILESS_MAIN(UnitsTest)
#include "unitstest.moc"
