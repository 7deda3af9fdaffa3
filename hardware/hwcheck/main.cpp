// imhere-hwcheck: for setting up a classroom machine. Lists the badge
// readers this machine has, or opens one and echoes every tap until Ctrl-C.
// Wires the hardware library to a terminal; it holds no logic of its own.

#include "hardware/readerfactory.h"
#include "hardware/uniquefd.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace imhere::hardware;

namespace {

constexpr int k_exitUsage = 2;
constexpr int k_exitReaderUnavailable = 3;

int g_signalPipe = -1; // write end, for the async-signal-safe handler

void onSignal(int)
{
    const char byte = 0;
    [[maybe_unused]] const auto written = ::write(g_signalPipe, &byte, 1);
}

void printLine(FILE* stream, const QString& line)
{
    std::fprintf(stream, "%s\n", line.toLocal8Bit().constData());
    std::fflush(stream); // a person or a script is watching as taps happen
}

int listReaders()
{
    for (const auto& reader : listAvailableReaders()) {
        printLine(stdout, reader.spec + QLatin1Char('\t') + reader.description);
    }
    return 0;
}

int echoTaps(QGuiApplication& app, const QString& spec, qint64 count)
{
    auto created = createBadgeReader(spec);
    if (!created) {
        printLine(stderr, QStringLiteral("imhere-hwcheck: %1").arg(QString::fromStdString(created.error().message)));
        return k_exitReaderUnavailable;
    }
    BadgeReader& reader = **created;
    auto stopPipe = makePipe();
    if (!stopPipe) {
        printLine(stderr, QString::fromStdString(stopPipe.error().message));
        return 1;
    }
    g_signalPipe = stopPipe->writeEnd.get();
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QSocketNotifier stopNotifier(stopPipe->readEnd.get(), QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, &app, [&app] { app.quit(); });

    qint64 seen = 0;
    QObject::connect(&reader, &BadgeReader::badgeRead, &app, [&](const BadgeRead& read) {
        printLine(stdout, describeBadgeRead(read));
        if (count > 0 && ++seen >= count) {
            app.quit();
        }
    });
    QObject::connect(&reader, &BadgeReader::readyChanged, &app, [&reader](bool ready) {
        printLine(stderr, QStringLiteral("%1: %2").arg(reader.description(),
                                                        ready ? QStringLiteral("ready, waiting for taps")
                                                              : QStringLiteral("not ready")));
    });
    QObject::connect(&reader, &BadgeReader::errorOccurred, &app,
                     [](const QString& message) { printLine(stderr, message); });
    reader.start();
    const int status = QGuiApplication::exec();
    reader.stop();
    g_signalPipe = -1;
    return status;
}

} // namespace

int main(int argc, char* argv[])
{
    // A set-up tool run over SSH has no display, and it never shows a window.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("imhere-hwcheck"));
    QGuiApplication::setApplicationVersion(QStringLiteral(IMHERE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the badge readers on this machine, or echoes the taps of one of them until Ctrl-C.\n"
        "Reader specs: nfc[:CONNSTRING], wedge:/dev/input/..., camera[:DEVICE], sim[:SOCKET]."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("List the readers found (the default)."));
    const QCommandLineOption readerOption(QStringLiteral("reader"),
                                          QStringLiteral("Open the reader SPEC and print each tap."),
                                          QStringLiteral("SPEC"));
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("With --reader: stop after N taps."),
                                         QStringLiteral("N"));
    parser.addOptions({list, readerOption, countOption});
    parser.process(app);

    if (!parser.isSet(readerOption)) {
        return listReaders();
    }
    qint64 count = 0;
    if (parser.isSet(countOption)) {
        bool ok = false;
        count = parser.value(countOption).toLongLong(&ok);
        if (!ok || count <= 0) {
            printLine(stderr, QStringLiteral("imhere-hwcheck: --count needs a positive number"));
            return k_exitUsage;
        }
    }
    return echoTaps(app, parser.value(readerOption), count);
}
