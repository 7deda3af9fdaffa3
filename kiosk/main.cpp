// imhere-kiosk: the check-in station by the classroom door. Only wiring here:
// command line, provisioning, the Station, the reader and the QML window.
#include "curltransport.h"
#include "kioskstore.h"
#include "station.h"

#include "hardware/readerfactory.h"

#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <sys/stat.h>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(Imhere_KioskPlugin)

namespace {

using namespace imhere;
using namespace imhere::kiosk;

constexpr int k_selfTestTimeoutMs = 20'000;

int failWith(const QString& message)
{
    std::fprintf(stderr, "imhere-kiosk: %s\n", qPrintable(message));
    return 1;
}

// First start stores the server and token; later starts need only --data.
Result<void> provision(const std::string& storePath, const QString& server, const QString& token,
                       const QString& caFile)
{
    auto store = KioskStore::open(storePath);
    if (!store)
        return std::unexpected(store.error());
    if (!server.isEmpty() || !token.isEmpty()) {
        if (server.isEmpty() || token.isEmpty())
            return fail("usage", "--server and --token go together");
        return store->saveCredentials({server.toStdString(), token.toStdString(), caFile.toStdString()});
    }
    auto creds = store->credentials();
    if (!creds)
        return std::unexpected(creds.error());
    if (!*creds)
        return fail("usage", "this data directory has no kiosk credentials yet: give --server and --token once");
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("imhere-kiosk"));
    QGuiApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("imhere check-in kiosk (offline-first)."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Server base URL (first start)."), QStringLiteral("URL"));
    QCommandLineOption token(QStringLiteral("token"), QStringLiteral("Kiosk token from `imhere-server kiosk add` (first start)."), QStringLiteral("TOKEN"));
    QCommandLineOption data(QStringLiteral("data"), QStringLiteral("Directory for the kiosk's store (mode 0700)."), QStringLiteral("DIR"));
    QCommandLineOption reader(QStringLiteral("reader"), QStringLiteral("Badge reader: nfc[:CONN], wedge:/dev/input/..., camera, sim[:SOCKET]."), QStringLiteral("SPEC"), QStringLiteral("sim"));
    QCommandLineOption caFile(QStringLiteral("ca-file"), QStringLiteral("CA bundle for the server's TLS certificate (first start)."), QStringLiteral("FILE"));
    QCommandLineOption selfTest(QStringLiteral("self-test"), QStringLiteral("Load the interface, show one frame and exit 0."));
    parser.addOptions({server, token, data, reader, caFile, selfTest});
    parser.process(app);

    const bool testing = parser.isSet(selfTest);
    QTemporaryDir scratch; // --self-test without --data
    QString dataDir = parser.value(data);
    if (dataDir.isEmpty() && !testing)
        return failWith(QStringLiteral("--data DIR is required (see --help)"));
    if (dataDir.isEmpty())
        dataDir = scratch.path();

    ::umask(077); // the store holds the token and keys: files 0600, directories 0700
    if (!QDir().mkpath(dataDir))
        return failWith(QStringLiteral("cannot create %1").arg(dataDir));
    ::chmod(QFile::encodeName(dataDir).constData(), 0700);
    const std::string storePath = QDir(dataDir).filePath(QStringLiteral("kiosk.db")).toStdString();
    const QString serverUrl = testing && !parser.isSet(server) ? QStringLiteral("http://127.0.0.1:9") : parser.value(server);
    const QString tokenValue = testing && !parser.isSet(token) ? QStringLiteral("self-test") : parser.value(token);
    if (auto r = provision(storePath, serverUrl, tokenValue, parser.value(caFile)); !r)
        return failWith(QString::fromStdString(r.error().message));

    CurlGlobal curl;
    SystemClock systemClock;
    std::string ca;
    if (auto store = KioskStore::open(storePath); store && *store->credentials())
        ca = (*store->credentials())->caFile;
    auto station = Station::create(storePath, std::make_unique<CurlTransport>(CurlTransport::Options{ca}), systemClock);
    if (!station)
        return failWith(QString::fromStdString(station.error().message));

    std::unique_ptr<hardware::BadgeReader> badgeReader;
    if (!testing) {
        auto created = hardware::createBadgeReader(parser.value(reader));
        if (!created)
            return failWith(QString::fromStdString(created.error().message));
        badgeReader = std::move(*created);
        QObject::connect(badgeReader.get(), &hardware::BadgeReader::badgeRead, &(*station)->checkIns(),
                         &CheckInService::handleRead);
        QObject::connect(badgeReader.get(), &hardware::BadgeReader::errorOccurred, [](const QString& message) {
            std::fprintf(stderr, "imhere-kiosk: reader: %s\n", qPrintable(message));
        });
    }

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("controller"), QVariant::fromValue(&(*station)->controller())},
                                 {QStringLiteral("admin"), QVariant::fromValue(&(*station)->admin())}});
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Imhere/Kiosk/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return failWith(QStringLiteral("the interface did not load"));
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());

    if (testing) {
        QObject::connect(window, &QQuickWindow::frameSwapped, &app, [] { QCoreApplication::exit(0); },
                         Qt::QueuedConnection);
        QTimer::singleShot(k_selfTestTimeoutMs, &app, [] {
            std::fprintf(stderr, "imhere-kiosk: self-test: no frame within the time limit\n");
            QCoreApplication::exit(1);
        });
    } else {
        (*station)->start();
        badgeReader->start();
        std::fprintf(stderr, "imhere-kiosk: reading badges from %s\n", qPrintable(badgeReader->description()));
    }
    const int rc = QGuiApplication::exec();
    if (badgeReader)
        badgeReader->stop();
    return rc;
}
