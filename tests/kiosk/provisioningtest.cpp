// Provisioning (DESIGN §7): the first start stores the server and token
// privately in the data directory; later starts need only --data; bad or
// conflicting input is refused with a message that says what to do. Runs the
// real imhere-kiosk (its --self-test stops after the first frame) and
// provision() itself.
#include "testsupport.h"

#include "kiosk/provisioning.h"

#include <QProcess>
#include <QTest>

#include <sys/stat.h>

using namespace imhere;
using namespace imhere::kiosk;
using namespace imhere::kiosk::test;

namespace {
constexpr int k_processTimeoutMs = 60'000;

struct Run {
    int exitCode = -1;
    QString stderrText;
};

Run runKiosk(const QStringList& args, const QList<std::pair<QString, QString>>& extraEnv = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const auto& [name, value] : extraEnv)
        env.insert(name, value);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(IMHERE_KIOSK_BIN), args);
    if (!process.waitForFinished(k_processTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromLocal8Bit(process.readAllStandardError())};
}

mode_t modeOf(const QString& path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 0777;
}
} // namespace

class ProvisioningTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;
    QString dataDir(const QString& name) const { return m_root.filePath(name); }

private Q_SLOTS:
    void firstStartStoresCredentialsPrivatelyAndLaterStartsNeedOnlyData()
    {
        const QString dir = dataDir(QStringLiteral("kiosk-a"));
        Run first = runKiosk({QStringLiteral("--self-test"), QStringLiteral("--data"), dir, QStringLiteral("--server"),
                              QStringLiteral("http://127.0.0.1:8080"), QStringLiteral("--token"),
                              QStringLiteral("ik_abc.secret")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.stderrText));
        QCOMPARE(modeOf(dir), mode_t{0700});
        QCOMPARE(modeOf(dir + QStringLiteral("/kiosk.db")), mode_t{0600});
        {
            auto store = KioskStore::open((dir + QStringLiteral("/kiosk.db")).toStdString()).value();
            auto creds = store.credentials().value();
            QVERIFY(creds.has_value());
            QCOMPARE(creds->serverUrl, std::string("http://127.0.0.1:8080"));
            QCOMPARE(creds->token, std::string("ik_abc.secret"));
        }
        Run later = runKiosk({QStringLiteral("--self-test"), QStringLiteral("--data"), dir});
        QVERIFY2(later.exitCode == 0, qPrintable(later.stderrText));
        auto store = KioskStore::open((dir + QStringLiteral("/kiosk.db")).toStdString()).value();
        QCOMPARE(store.credentials().value()->token, std::string("ik_abc.secret"));
    }

    void theTokenMayComeFromTheEnvironment()
    {
        const QString dir = dataDir(QStringLiteral("kiosk-env"));
        Run run = runKiosk({QStringLiteral("--self-test"), QStringLiteral("--server"), QStringLiteral("https://imhere.example.org")},
                           {{QStringLiteral("IMHERE_TOKEN"), QStringLiteral("kt_from_env")},
                            {QStringLiteral("IMHERE_DATA"), dir}});
        QVERIFY2(run.exitCode == 0, qPrintable(run.stderrText));
        auto store = KioskStore::open((dir + QStringLiteral("/kiosk.db")).toStdString()).value();
        QCOMPARE(store.credentials().value()->token, std::string("kt_from_env"));
        QCOMPARE(store.credentials().value()->serverUrl, std::string("https://imhere.example.org"));
    }

    void aFreshDirectoryWithoutCredentialsSaysWhatToGive()
    {
        Run run = runKiosk({QStringLiteral("--self-test"), QStringLiteral("--data"), dataDir(QStringLiteral("fresh"))});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.stderrText.contains(QStringLiteral("give --server URL and --token TOKEN")),
                 qPrintable(run.stderrText));
    }

    void noDataDirectoryIsAUsageError()
    {
        Run run = runKiosk({QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:8080"),
                            QStringLiteral("--token"), QStringLiteral("t")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.stderrText.contains(QStringLiteral("--data DIR is required")), qPrintable(run.stderrText));
    }

    void badReaderSpecIsAUsageError()
    {
        Run run = runKiosk({QStringLiteral("--self-test"), QStringLiteral("--reader"), QStringLiteral("floppy")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.stderrText.contains(QStringLiteral("unknown reader")), qPrintable(run.stderrText));
    }

    void badInputIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("message");
        QTest::newRow("no scheme") << "imhere.example.org" << "t" << "must start with http:// or https://";
        QTest::newRow("no host") << "https:///api" << "t" << "no valid host";
        QTest::newRow("query") << "https://imhere.example.org/?x=1" << "t" << "no query";
        QTest::newRow("empty token") << "https://imhere.example.org" << "" << "--token is empty";
        QTest::newRow("token with space") << "https://imhere.example.org" << "a b" << "white space";
    }
    void badInputIsRefusedAndChangesNothing()
    {
        QFETCH(QString, server);
        QFETCH(QString, token);
        QFETCH(QString, message);
        const QString dir = dataDir(QStringLiteral("bad-%1").arg(QTest::currentDataTag()).replace(u' ', u'-'));
        auto r = provision({dir.toStdString(), server.toStdString(), token.toStdString(), std::nullopt});
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, imhere::Errc::Usage);
        QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
        QVERIFY(!QFile::exists(dir + QStringLiteral("/kiosk.db")));
    }

    void serverWithoutTokenIsRefused()
    {
        auto r = provision({dataDir(QStringLiteral("half")).toStdString(), "https://imhere.example.org", std::nullopt,
                            std::nullopt});
        QVERIFY(!r.has_value());
        QVERIFY(QString::fromStdString(r.error().message).contains(QStringLiteral("go together")));
    }

    void aProvisionedDirectoryKeepsItsServer()
    {
        const std::string dir = dataDir(QStringLiteral("kiosk-b")).toStdString();
        QVERIFY(provision({dir, "https://one.example.org", "token-one", std::nullopt}).has_value());
        // The same command line again (e.g. from a unit file) is fine.
        auto again = provision({dir, "https://one.example.org", "token-one", std::nullopt});
        QVERIFY(again.has_value());
        QCOMPARE(again->token, std::string("token-one"));
        // Another server or token would mix two kiosks' data: refused.
        auto other = provision({dir, "https://two.example.org", "token-two", std::nullopt});
        QVERIFY(!other.has_value());
        QVERIFY(QString::fromStdString(other.error().message).contains(QStringLiteral("new --data directory")));
        auto later = provision({dir, std::nullopt, std::nullopt, std::nullopt});
        QVERIFY(later.has_value());
        QCOMPARE(later->serverUrl, std::string("https://one.example.org"));
        // The CA file may be changed on its own.
        auto withCa = provision({dir, "https://one.example.org", "token-one", "/etc/imhere/ca.pem"});
        QVERIFY(withCa.has_value());
        QCOMPARE(provision({dir, std::nullopt, std::nullopt, std::nullopt})->caFile, std::string("/etc/imhere/ca.pem"));
    }
};

QTEST_GUILESS_MAIN(ProvisioningTest)
#include "provisioningtest.moc"
