#include "readerfactory.h"

#include "camerareader.h"
#include "evdevdevice.h"
#include "nfchandles.h"
#include "nfcreader.h"
#include "simulatedreader.h"
#include "wedgereader.h"

#include <QMediaDevices>

#include <array>
#include <unistd.h>

namespace imhere::hardware {

namespace {

const char* const k_specHelp =
    "expected nfc[:CONNSTRING], wedge:/dev/input/..., camera[:DEVICE] or sim[:SOCKET]";

// More NFC readers than any door has; libnfc needs a fixed-size array.
constexpr std::size_t k_maxListedNfcDevices = 8;

void appendNfcDevices(std::vector<AvailableReader>& found)
{
    nfc_context* raw = nullptr;
    nfc_init(&raw);
    const NfcContextPtr context(raw);
    if (!context) {
        return;
    }
    std::array<nfc_connstring, k_maxListedNfcDevices> connstrings{};
    const auto count = nfc_list_devices(context.get(), connstrings.data(), connstrings.size());
    for (std::size_t i = 0; i < count; ++i) {
        const QString connstring = QString::fromLocal8Bit(connstrings[i]);
        found.push_back({QStringLiteral("nfc:%1").arg(connstring), QStringLiteral("NFC reader (libnfc)")});
    }
}

void appendCameras(std::vector<AvailableReader>& found)
{
    const auto defaultId = QMediaDevices::defaultVideoInput().id();
    for (const auto& camera : QMediaDevices::videoInputs()) {
        found.push_back({QStringLiteral("camera:%1").arg(QString::fromUtf8(camera.id())),
                         QStringLiteral("%1 (camera%2)")
                             .arg(camera.description(),
                                  camera.id() == defaultId ? QStringLiteral(", the default") : QString())});
    }
}

} // namespace

Result<ReaderSpec> parseReaderSpec(const QString& spec)
{
    const auto colon = spec.indexOf(QLatin1Char(':'));
    const QString kind = colon < 0 ? spec : spec.left(colon);
    const QString argument = colon < 0 ? QString() : spec.mid(colon + 1);
    if (colon >= 0 && argument.isEmpty()) {
        return fail(Errc::BadReaderSpec, "empty argument after ':' in '" + spec.toStdString() + "'; " + k_specHelp);
    }
    if (kind == QLatin1String("nfc")) {
        return ReaderSpec{ReaderKind::Nfc, argument};
    }
    if (kind == QLatin1String("wedge")) {
        if (argument.isEmpty()) {
            return fail(Errc::BadReaderSpec, "wedge needs an event device, e.g. wedge:/dev/input/by-id/...-event-kbd");
        }
        return ReaderSpec{ReaderKind::Wedge, argument};
    }
    if (kind == QLatin1String("camera")) {
        return ReaderSpec{ReaderKind::Camera, argument};
    }
    if (kind == QLatin1String("sim")) {
        return ReaderSpec{ReaderKind::Simulated, argument};
    }
    return fail(Errc::BadReaderSpec, "unknown reader '" + spec.toStdString() + "'; " + k_specHelp);
}

Result<std::unique_ptr<BadgeReader>> createBadgeReader(const ReaderSpec& spec, QObject* parent)
{
    switch (spec.kind) {
    case ReaderKind::Simulated:
        if (spec.argument.isEmpty()) {
            return SimulatedReader::fromStream(STDIN_FILENO, parent);
        }
        return SimulatedReader::fromSocket(spec.argument, parent);
    case ReaderKind::Wedge:
        return std::make_unique<WedgeReader>(spec.argument, parent);
    case ReaderKind::Nfc:
        return std::make_unique<NfcReader>(spec.argument, parent);
    case ReaderKind::Camera: {
        auto camera = findCamera(spec.argument);
        if (!camera) {
            return std::unexpected(camera.error());
        }
        return std::make_unique<CameraReader>(*camera, parent);
    }
    }
    return fail(Errc::BadReaderSpec, k_specHelp);
}

Result<std::unique_ptr<BadgeReader>> createBadgeReader(const QString& spec, QObject* parent)
{
    auto parsed = parseReaderSpec(spec);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    return createBadgeReader(*parsed, parent);
}

std::vector<AvailableReader> listAvailableReaders()
{
    std::vector<AvailableReader> found;
    appendNfcDevices(found);
    for (const auto& keyboard : listKeyboardCandidates()) {
        found.push_back({QStringLiteral("wedge:%1").arg(QString::fromStdString(keyboard.path)),
                         QStringLiteral("%1 (%2)").arg(QString::fromStdString(keyboard.name),
                                                       keyboard.looksLikeBadgeReader
                                                           ? QStringLiteral("looks like a badge reader")
                                                           : QStringLiteral("a keyboard; a wedge reader types like one"))});
    }
    appendCameras(found);
    found.push_back({QStringLiteral("sim"), QStringLiteral("Simulated reader (lines on stdin)")});
    return found;
}

} // namespace imhere::hardware
