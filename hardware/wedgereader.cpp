#include "wedgereader.h"

#include "evdevdevice.h"
#include "hardwarelimits.h"
#include "wedgestream.h"

#include <ctime>

namespace imhere::hardware {

WedgeReader::WedgeReader(QString devicePath, QObject* parent)
    : BadgeReader(parent), m_devicePath(std::move(devicePath))
{
}

WedgeReader::~WedgeReader()
{
    stop();
}

QString WedgeReader::description() const
{
    return QStringLiteral("Keyboard wedge %1").arg(m_devicePath);
}

void WedgeReader::start()
{
    if (m_worker.joinable()) {
        return;
    }
    m_stop.clear();
    m_worker = std::thread([this] { run(); });
}

void WedgeReader::stop()
{
    if (!m_worker.joinable()) {
        return;
    }
    m_stop.notify();
    m_worker.join();
    postReady(false);
}

void WedgeReader::run()
{
    const std::string path = m_devicePath.toStdString();
    std::string lastError; // report each distinct failure once, not every retry
    const auto report = [&](const std::string& message) {
        if (message != lastError) {
            lastError = message;
            postError(QStringLiteral("Keyboard wedge: %1").arg(QString::fromStdString(message)));
        }
    };

    while (!m_stop.isSet()) {
        auto device = EvdevDevice::open(path);
        Result<void> ready = device ? device->grab() : std::unexpected(device.error());
        if (ready) {
            ready = device->useMonotonicClock();
        }
        if (!ready) {
            report(ready.error().message);
            if (m_stop.waitFor(limits::k_reconnectInterval)) {
                break;
            }
            continue;
        }
        lastError.clear();
        postReady(true);
        WedgeParser parser;
        const auto end = runWedgeStream(
            device->fd(), parser, m_stop,
            [this](const WedgeOutcome& outcome) {
                if (outcome.kind == WedgeOutcome::Kind::Uid) {
                    postRead(BadgeRead{QByteArray::fromStdString(outcome.text), BadgeSource::Wedge});
                } else {
                    postError(QStringLiteral("Keyboard wedge: read ignored (%1)")
                                  .arg(QString::fromStdString(outcome.reason)));
                }
            },
            CLOCK_MONOTONIC);
        postReady(false);
        if (end.stopped) {
            break;
        }
        report(path + ": " + end.error);
        if (m_stop.waitFor(limits::k_reconnectInterval)) {
            break;
        }
    }
}

} // namespace imhere::hardware
