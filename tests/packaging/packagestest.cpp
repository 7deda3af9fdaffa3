// imhere-server and imhere-kiosk as Debian packages: CPack builds them,
// lintian finds no error in them, their control data names the libraries
// and programs they need and their conffiles, their maintainer scripts make
// the accounts and enable nothing, and unpacked into a scratch root their
// programs answer --help and --version, read the settings files they ship,
// and come with man pages.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int k_toolTimeoutMs = 120'000;

struct Ran {
    int status = -1;
    QString out;
};

Ran run(const QString& program, const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setProcessEnvironment(env);
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
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class PackagesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void lintianFindsNoError();
    void controlNamesDependenciesAndConffiles();
    void maintainerScriptsMakeAccountsAndEnableNothing();
    void programsRunFromAScratchRoot();

private:
    QString deb(const QString& package) const
    {
        return m_out.filePath(package + QStringLiteral("_" IMHERE_VERSION "_amd64.deb"));
    }
    QString field(const QString& package, const QString& name) const
    {
        return run(QStringLiteral(IMHERE_DPKG_DEB), {QStringLiteral("-f"), deb(package), name}).out.trimmed();
    }

    QTemporaryDir m_out;
    QTemporaryDir m_root;
};

void PackagesTest::initTestCase()
{
    QVERIFY(m_out.isValid() && m_root.isValid());
    const Ran cpack = run(QStringLiteral(IMHERE_CPACK),
                          {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
                           QStringLiteral(IMHERE_CPACK_CONFIG), QStringLiteral("-B"), m_out.path()});
    QVERIFY2(cpack.status == 0, qPrintable(cpack.out));
    for (const QString& package : {QStringLiteral("imhere-server"), QStringLiteral("imhere-kiosk")}) {
        QVERIFY2(QFile::exists(deb(package)), qPrintable(cpack.out));
        qInfo("%s: %lld bytes", qPrintable(QFileInfo(deb(package)).fileName()), QFileInfo(deb(package)).size());
        const Ran x = run(QStringLiteral(IMHERE_DPKG_DEB), {QStringLiteral("-x"), deb(package), m_root.path()});
        QVERIFY2(x.status == 0, qPrintable(x.out));
    }
}

void PackagesTest::lintianFindsNoError()
{
    if (QStringLiteral(IMHERE_LINTIAN).isEmpty())
        QSKIP("lintian is not installed");
    const Ran r = run(QStringLiteral(IMHERE_LINTIAN),
                      {QStringLiteral("--tag-display-limit"), QStringLiteral("0"), deb(QStringLiteral("imhere-server")),
                       deb(QStringLiteral("imhere-kiosk"))});
    QStringList errors;
    for (const QString& line : r.out.split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(QStringLiteral("E: ")))
            errors << line;
        else if (line.startsWith(QStringLiteral("W: ")))
            qInfo("lintian %s", qPrintable(line));
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    // lintian exits 2 on errors; warnings alone are reported above.
    QVERIFY2(r.status == 0 || r.status == 1, qPrintable(r.out));
}

void PackagesTest::controlNamesDependenciesAndConffiles()
{
    const QString server = field(QStringLiteral("imhere-server"), QStringLiteral("Depends"));
    for (const char* needed : {"systemd (>= 252)", "libmicrohttpd12", "libinih1", "libsqlite3-0", "libsodium23", "libsystemd0"})
        QVERIFY2(server.contains(QString::fromLatin1(needed)), qPrintable(server));
    QVERIFY2(!server.contains(QStringLiteral("libqt6")), qPrintable(server));
    const QString kiosk = field(QStringLiteral("imhere-kiosk"), QStringLiteral("Depends"));
    for (const char* needed : {"cage", "qt6-wayland", "qml6-module-qtquick-controls", "libqt6quick6", "libnfc6", "libcurl4"})
        QVERIFY2(kiosk.contains(QString::fromLatin1(needed)), qPrintable(kiosk));

    QTemporaryDir control;
    QCOMPARE(run(QStringLiteral(IMHERE_DPKG_DEB), {QStringLiteral("-e"), deb(QStringLiteral("imhere-server")), control.path()}).status, 0);
    QCOMPARE(readFile(control.filePath(QStringLiteral("conffiles"))).trimmed(), QStringLiteral("/etc/imhere/server.conf"));
    QTemporaryDir kioskControl;
    QCOMPARE(run(QStringLiteral(IMHERE_DPKG_DEB), {QStringLiteral("-e"), deb(QStringLiteral("imhere-kiosk")), kioskControl.path()}).status, 0);
    QVERIFY(readFile(kioskControl.filePath(QStringLiteral("conffiles"))).contains(QStringLiteral("/etc/imhere/kiosk.conf")));
}

void PackagesTest::maintainerScriptsMakeAccountsAndEnableNothing()
{
    for (const QString& package : {QStringLiteral("imhere-server"), QStringLiteral("imhere-kiosk")}) {
        QTemporaryDir control;
        QCOMPARE(run(QStringLiteral(IMHERE_DPKG_DEB), {QStringLiteral("-e"), deb(package), control.path()}).status, 0);
        const QString postinst = readFile(control.filePath(QStringLiteral("postinst")));
        QVERIFY2(postinst.contains(QStringLiteral("systemd-sysusers ") + package + QStringLiteral(".conf")), qPrintable(postinst));
        static const QRegularExpression enablesOrStarts(
            QStringLiteral("^[^#]*(systemctl|deb-systemd-helper|deb-systemd-invoke)[^#\\n]*\\b(enable|start|restart)\\b"),
            QRegularExpression::MultilineOption);
        for (const char* script : {"postinst", "prerm", "postrm"}) {
            const QString text = readFile(control.filePath(QString::fromLatin1(script)));
            QVERIFY2(!text.isEmpty(), script);
            QVERIFY2(!enablesOrStarts.match(text).hasMatch(), qPrintable(text));
        }
    }
}

void PackagesTest::programsRunFromAScratchRoot()
{
    const QString bin = m_root.filePath(QStringLiteral("usr/bin/"));
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.remove(QStringLiteral("IMHERE_CONFIG"));

    Ran r = run(bin + QStringLiteral("imhere-server"), {QStringLiteral("--version")}, env);
    QCOMPARE(r.status, 0);
    QCOMPARE(r.out.trimmed(), QStringLiteral("imhere-server " IMHERE_VERSION));
    r = run(bin + QStringLiteral("imhere-server"), {QStringLiteral("--help")}, env);
    QCOMPARE(r.status, 0);
    QVERIFY2(r.out.contains(QStringLiteral("usage: imhere-server COMMAND")), qPrintable(r.out));
    r = run(bin + QStringLiteral("imhere-server"), {QStringLiteral("backup"), QStringLiteral("--help")}, env);
    QVERIFY2(r.status == 0 && r.out.contains(QStringLiteral("--backup-dir")), qPrintable(r.out));

    r = run(bin + QStringLiteral("imhere-kiosk"), {QStringLiteral("--version")}, env);
    QCOMPARE(r.status, 0);
    QVERIFY2(r.out.contains(QStringLiteral("imhere-kiosk " IMHERE_VERSION)), qPrintable(r.out));
    r = run(bin + QStringLiteral("imhere-kiosk"), {QStringLiteral("--help")}, env);
    QVERIFY2(r.status == 0 && r.out.contains(QStringLiteral("--config")), qPrintable(r.out));
    r = run(bin + QStringLiteral("imhere-hwcheck"), {QStringLiteral("--version")}, env);
    QVERIFY2(r.status == 0 && r.out.contains(QStringLiteral(IMHERE_VERSION)), qPrintable(r.out));

    // The settings files the packages ship are read without complaint.
    QTemporaryDir work;
    const QString db = work.filePath(QStringLiteral("imhere.db"));
    r = run(bin + QStringLiteral("imhere-server"),
            {QStringLiteral("init"), QStringLiteral("--config"), m_root.filePath(QStringLiteral("etc/imhere/server.conf")),
             QStringLiteral("--db"), db},
            env);
    QVERIFY2(r.status == 0, qPrintable(r.out));
    r = run(bin + QStringLiteral("imhere-kiosk"),
            {QStringLiteral("--self-test"), QStringLiteral("--config"), m_root.filePath(QStringLiteral("etc/imhere/kiosk.conf")),
             QStringLiteral("--data"), work.filePath(QStringLiteral("kiosk")), QStringLiteral("--server"),
             QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--token"), QStringLiteral("kt_self_test")},
            env);
    QVERIFY2(r.status == 0, qPrintable(r.out));

    for (const char* path : {"usr/share/man/man1/imhere-server.1.gz", "usr/share/man/man1/imhere-kiosk.1.gz",
                             "usr/share/man/man1/imhere-hwcheck.1.gz", "lib/systemd/system/imhere-server.service",
                             "lib/systemd/system/imhere-backup.timer", "lib/systemd/system/imhere-kiosk.service",
                             "usr/lib/sysusers.d/imhere-server.conf", "usr/lib/sysusers.d/imhere-kiosk.conf",
                             "lib/udev/rules.d/70-imhere-readers.rules", "etc/pam.d/imhere-kiosk",
                             "usr/share/doc/imhere-server/OPERATIONS.md", "usr/share/doc/imhere-server/changelog.gz",
                             "usr/share/doc/imhere-kiosk/copyright"})
        QVERIFY2(QFileInfo::exists(m_root.filePath(QString::fromLatin1(path))), path);
}

QTEST_GUILESS_MAIN(PackagesTest)
#include "packagestest.moc"
