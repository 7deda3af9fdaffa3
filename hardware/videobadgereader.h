#pragma once
// Reads personal QR badges from whatever feeds its QVideoSink: the camera
// (CameraReader), or frames made by a test or a benchmark. Each frame goes
// straight from the sink to a QrDecodePipeline, so decoding never runs on
// the thread that delivers frames, and frames are dropped, not queued, while
// the decoder is busy.
//
// Thread rules: create, start, stop and destroy on the GUI thread. Frames may
// arrive on any thread (Qt Multimedia delivers them on its video thread);
// decoding runs on the pipeline's worker; signals are emitted on the reader's
// thread.

#include "badgereader.h"
#include "qrdecodepipeline.h"

#include <QVideoSink>

namespace imhere::hardware {

class VideoBadgeReader : public BadgeReader {
    Q_OBJECT
public:
    explicit VideoBadgeReader(QObject* parent = nullptr);
    ~VideoBadgeReader() override;

    void start() override;
    void stop() override;
    [[nodiscard]] QString description() const override;

    // Frames set on this sink are decoded while the reader runs.
    [[nodiscard]] QVideoSink* videoSink() { return &m_sink; }
    [[nodiscard]] QrDecodePipeline::Counters counters() const { return m_pipeline.counters(); }

protected:
    // Starts and stops decoding without claiming the source is ready (a
    // camera is ready only once it streams).
    void startDecoding() { m_pipeline.start(); }
    void stopDecoding() { m_pipeline.stop(); }

private:
    QVideoSink m_sink;
    QrDecodePipeline m_pipeline; // declared after the sink: stopped before it goes
};

} // namespace imhere::hardware
