#include "camerareader.h"

#include <QCamera>

#include <algorithm>

namespace imhere::hardware {

namespace {

bool isListed(const QCameraDevice& device)
{
    const auto inputs = QMediaDevices::videoInputs();
    return std::any_of(inputs.begin(), inputs.end(),
                       [&device](const QCameraDevice& input) { return input.id() == device.id(); });
}

} // namespace

CameraReader::CameraReader(QCameraDevice device, QObject* parent)
    : VideoBadgeReader(parent), m_device(std::move(device))
{
    m_session.setVideoSink(videoSink());
    connect(&m_devices, &QMediaDevices::videoInputsChanged, this, &CameraReader::onVideoInputsChanged);
}

CameraReader::~CameraReader()
{
    closeCamera();
}

QString CameraReader::description() const
{
    return QStringLiteral("Camera %1 (%2)").arg(m_device.description(), QString::fromUtf8(m_device.id()));
}

void CameraReader::start()
{
    if (m_started) {
        return;
    }
    m_started = true;
    startDecoding();
    openCamera();
}

void CameraReader::stop()
{
    if (!m_started) {
        return;
    }
    m_started = false;
    closeCamera();
    stopDecoding();
    postReady(false);
}

void CameraReader::openCamera()
{
    if (m_camera) {
        return;
    }
    if (!isListed(m_device)) {
        postError(QStringLiteral("%1 is not connected; waiting for it").arg(description()));
        return;
    }
    m_camera = std::make_unique<QCamera>(m_device);
    connect(m_camera.get(), &QCamera::activeChanged, this, [this](bool active) { postReady(active); });
    connect(m_camera.get(), &QCamera::errorOccurred, this, [this](QCamera::Error error, const QString& text) {
        if (error != QCamera::NoError) {
            postError(QStringLiteral("%1: %2").arg(description(), text));
        }
    });
    m_session.setCamera(m_camera.get());
    m_camera->start();
}

void CameraReader::closeCamera()
{
    if (!m_camera) {
        return;
    }
    m_session.setCamera(nullptr);
    m_camera->stop();
    m_camera.reset();
}

void CameraReader::onVideoInputsChanged()
{
    if (!m_started) {
        return;
    }
    if (isListed(m_device)) {
        openCamera(); // back after an unplug (no-op while open)
        return;
    }
    if (m_camera) {
        closeCamera();
        postReady(false);
        postError(QStringLiteral("%1 was unplugged; waiting for it").arg(description()));
    }
}

Result<QCameraDevice> findCamera(const QString& device)
{
    const auto inputs = QMediaDevices::videoInputs();
    if (inputs.isEmpty()) {
        return fail(Errc::NoCamera,
                    "no camera found: Qt Multimedia lists no video input (is a UVC webcam plugged in, "
                    "and may this user open /dev/video*?)");
    }
    if (device.isEmpty()) {
        const QCameraDevice preferred = QMediaDevices::defaultVideoInput();
        return preferred.isNull() ? inputs.first() : preferred;
    }
    QStringList present;
    for (const auto& input : inputs) {
        if (QString::fromUtf8(input.id()) == device || input.description() == device) {
            return input;
        }
        present << QStringLiteral("%1 (%2)").arg(QString::fromUtf8(input.id()), input.description());
    }
    return fail(Errc::CameraNotFound, "no camera '" + device.toStdString() + "'; cameras present: "
                                        + present.join(QStringLiteral(", ")).toStdString());
}

} // namespace imhere::hardware
