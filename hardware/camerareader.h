#pragma once
// Personal QR badges shown to a camera (a UVC webcam by the door): Qt
// Multimedia's QCamera streams into the VideoBadgeReader's sink, which
// decodes on its worker. The camera is ready while it streams; when it is
// unplugged the reader reports an error and starts it again as soon as Qt
// lists the same device again.
//
// Thread rules: create, start, stop and destroy on the GUI thread (QCamera
// and QMediaDevices live there). Decoding runs on the pipeline's worker;
// signals are emitted on the reader's thread.

#include "videobadgereader.h"

#include "core/result.h"

#include <QCameraDevice>
#include <QMediaCaptureSession>
#include <QMediaDevices>

#include <memory>

class QCamera;

namespace imhere::hardware {

class CameraReader final : public VideoBadgeReader {
    Q_OBJECT
public:
    explicit CameraReader(QCameraDevice device, QObject* parent = nullptr);
    ~CameraReader() override;

    void start() override;
    void stop() override;
    [[nodiscard]] QString description() const override;

private:
    void openCamera();
    void closeCamera();
    void onVideoInputsChanged();

    QCameraDevice m_device;
    QMediaDevices m_devices; // tells when cameras come and go
    QMediaCaptureSession m_session;
    std::unique_ptr<QCamera> m_camera; // while started and the device is present
    bool m_started = false;
};

// The camera a `camera[:DEVICE]` spec names: the default camera when
// `device` is empty, else the one whose id or description equals it.
// Errors: "no_camera" when Qt lists no camera, "camera_not_found" when none
// matches (the message lists the cameras present).
[[nodiscard]] Result<QCameraDevice> findCamera(const QString& device);

} // namespace imhere::hardware
