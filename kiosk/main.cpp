// imhere-kiosk: the check-in station by the classroom door. Only wiring here:
// command line, provisioning, the Station, the reader and the QML window.
#include "curltransport.h"
#include "kiosksettings.h"
#include "provisioning.h"
#include "shutdownsignals.h"
#include "station.h"

#include "hardware/readerfactory.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string_view>

Q_IMPORT_QML_PLUGIN(Imhere_KioskPlugin)

namespace {

using namespace imhere;
using namespace imhere::kiosk;

constexpr int k_selfTestTimeoutMs = 20'000;
constexpr int k_exitUsage = 2;

int failWith(const QString& message, int code = 1)
{
    std::fprintf(stderr, "imhere-kiosk: %s\n", qPrintable(message));
    return code;
}

// The headline of the result screen, for --print-taps.
QString tapHeadline(const KioskController& controller)
{
    switch (controller.screen()) {
    case KioskController::Screen::UnknownBadge: return QStringLiteral("Badge not recognised");
    case KioskController::Screen::NotReady: return QStringLiteral("Not ready yet");
    case KioskController::Screen::Failed: return QStringLiteral("Not saved");
    default: return controller.feedbackName();
    }
}

// Qt aborts while making the application object when it cannot reach a
// display. --help and --version show nothing, and --self-test needs no screen
// when none is named, so they get the offscreen platform; a real start with
// no display named gets a sentence instead of an abort.
bool settleHeadlessPlatform(int argc, char** argv)
{
    const bool named = !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY") ||
                       !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    bool informational = false;
    bool selfTest = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-platform" || arg == "--platform")
            return true;
        informational = informational || arg == "--help" || arg == "-h" || arg == "-?" || arg == "--help-all" ||
                        arg == "--version" || arg == "-v";
        selfTest = selfTest || arg == "--self-test";
    }
    if (informational || (selfTest && !named)) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        return true;
    }
    return named;
}

} // namespace

int main(int argc, char** argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    if (!settleHeadlessPlatform(argc, argv))
        return failWith(QStringLiteral("no display: set DISPLAY or WAYLAND_DISPLAY (or start it inside cage), or for a "
                                       "kiosk without a screen QT_QPA_PLATFORM=offscreen with --print-taps"),
                        k_exitUsage);
    QGuiApplication app(argc, argv);
    ShutdownSignals shutdownSignals; // SIGINT/SIGTERM: quit the event loop, then tidy up below
    QGuiApplication::setApplicationName(QStringLiteral("imhere-kiosk"));
    QGuiApplication::setApplicationVersion(QStringLiteral(IMHERE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "imhere check-in kiosk (offline-first).\n\n"
        "First start:  imhere-kiosk --server URL --token TOKEN --data DIR\n"
        "Later starts: imhere-kiosk --data DIR\n"
        "The token comes from `imhere-server kiosk add`. Simulated taps (--reader sim): type\n"
        "a card UID in hex per line on stdin, or with --reader sim:SOCKET send lines to that\n"
        "Unix socket (e.g. `echo 04a1b2c3d4e580 | socat - UNIX-CONNECT:SOCKET`).\n"
        "Each option may also come from the environment: IMHERE_SERVER, IMHERE_TOKEN, IMHERE_DATA,\n"
        "IMHERE_READER, IMHERE_CA_FILE, or from the [kiosk] section of the config file (keys\n"
        "server, token, data, reader, ca-file; default /etc/imhere/kiosk.conf when it exists).\n"
        "The command line wins over the environment, which wins over the file. A bad value\n"
        "stops the kiosk with exit status 2, naming the setting, its value and the reason."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Server base URL (first start)."), QStringLiteral("URL"));
    QCommandLineOption token(QStringLiteral("token"), QStringLiteral("Kiosk token from `imhere-server kiosk add` (first start)."), QStringLiteral("TOKEN"));
    QCommandLineOption data(QStringLiteral("data"), QStringLiteral("Directory for the kiosk's store (made private: 0700, store 0600)."), QStringLiteral("DIR"));
    QCommandLineOption reader(QStringLiteral("reader"), QStringLiteral("Badge reader: nfc[:CONN], wedge:/dev/input/..., camera[:ID], sim[:SOCKET] (default sim: stdin)."), QStringLiteral("SPEC"), QStringLiteral("sim"));
    QCommandLineOption caFile(QStringLiteral("ca-file"), QStringLiteral("CA bundle for the server's TLS certificate."), QStringLiteral("FILE"));
    QCommandLineOption config(QStringLiteral("config"), QStringLiteral("INI file with a [kiosk] section (default /etc/imhere/kiosk.conf when it exists; IMHERE_CONFIG)."), QStringLiteral("FILE"));
    QCommandLineOption selfTest(QStringLiteral("self-test"), QStringLiteral("Load the interface, show one frame and exit 0 (with --data: after provisioning)."));
    QCommandLineOption printTaps(QStringLiteral("print-taps"), QStringLiteral("Also print what the screen says after each tap (for running without a screen)."));
    parser.addOptions({server, token, data, reader, caFile, config, selfTest, printTaps});
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        return failWith(QStringLiteral("unexpected argument %1 (see --help)").arg(parser.positionalArguments().first()), k_exitUsage);

    std::map<std::string, std::string> given;
    for (const QCommandLineOption* option : {&server, &token, &data, &reader, &caFile})
        if (parser.isSet(*option))
            given[option->names().constFirst().toStdString()] = parser.value(*option).toStdString();
    const auto settings = KioskSettings::load(given, parser.value(config));
    if (!settings)
        return failWith(QString::fromStdString(settings.error().message), k_exitUsage);

    const bool testing = parser.isSet(selfTest);
    auto readerSpec = hardware::parseReaderSpec(QString::fromStdString(settings->get("reader").value_or("sim")));
    if (!readerSpec)
        return failWith(QString::fromStdString(readerSpec.error().message), k_exitUsage);

    // --self-test without --data runs on a throwaway store with made-up credentials.
    QTemporaryDir scratch;
    ProvisioningRequest request{settings->get("data").value_or(""), settings->get("server"), settings->get("token"),
                                settings->get("ca-file")};
    if (testing && request.dataDir.empty()) {
        request.dataDir = scratch.path().toStdString();
        request.serverUrl = request.serverUrl.value_or("http://127.0.0.1:9");
        request.token = request.token.value_or("self-test");
    }
    auto credentials = provision(request);
    if (!credentials)
        return failWith(QString::fromStdString(credentials.error().message),
                        credentials.error().code == Errc::Usage ? k_exitUsage : 1);

    CurlGlobal curl;
    SystemClock systemClock;
    const std::string storePath = QDir(QString::fromStdString(request.dataDir)).filePath(QString::fromLatin1(k_storeFileName)).toStdString();
    auto station = Station::create(storePath, std::make_unique<CurlTransport>(CurlTransport::Options{credentials->caFile}),
                                   systemClock);
    if (!station)
        return failWith(QString::fromStdString(station.error().message));

    std::unique_ptr<hardware::BadgeReader> badgeReader;
    if (!testing) {
        auto created = hardware::createBadgeReader(*readerSpec);
        if (!created)
            return failWith(QString::fromStdString(created.error().message));
        badgeReader = std::move(*created);
        QObject::connect(badgeReader.get(), &hardware::BadgeReader::badgeRead, &(*station)->checkIns(),
                         &CheckInService::handleRead);
        QObject::connect(badgeReader.get(), &hardware::BadgeReader::errorOccurred, [](const QString& message) {
            std::fprintf(stderr, "imhere-kiosk: reader: %s\n", qPrintable(message));
        });
    }

    if (parser.isSet(printTaps)) {
        KioskController* controller = &(*station)->controller();
        QObject::connect(controller, &KioskController::feedbackShown, controller, [controller](bool success) {
            std::printf("%s %s: %s\n", success ? "ok " : "-- ", qPrintable(tapHeadline(*controller)),
                        qPrintable(controller->feedbackDetail()));
            std::fflush(stdout);
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
        QObject::connect(
            window, &QQuickWindow::frameSwapped, &app,
            [&sinceStart] {
                // bench/kiosk times cold start to this line.
                std::printf("imhere-kiosk: self-test: first frame %lld ms after main()\n",
                            static_cast<long long>(sinceStart.elapsed()));
                std::fflush(stdout);
                QCoreApplication::exit(0);
            },
            Qt::QueuedConnection);
        QTimer::singleShot(k_selfTestTimeoutMs, &app, [] {
            std::fprintf(stderr, "imhere-kiosk: self-test: no frame within the time limit\n");
            QCoreApplication::exit(1);
        });
    } else {
        (*station)->start();
        badgeReader->start();
        std::fprintf(stderr, "imhere-kiosk: syncing with %s; reading badges from %s\n",
                     credentials->serverUrl.c_str(), qPrintable(badgeReader->description()));
    }
    const int rc = QGuiApplication::exec();
    if (badgeReader)
        badgeReader->stop();
    return rc;
}
