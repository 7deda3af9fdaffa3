#include "videobadgereader.h"

namespace imhere::hardware {

VideoBadgeReader::VideoBadgeReader(QObject* parent)
    : BadgeReader(parent),
      m_pipeline([this](std::string token) {
          postRead(BadgeRead{QByteArray::fromStdString(token), BadgeSource::QrBadge});
      })
{
    // Direct: the frame is handed over on the thread that delivers it; the
    // hand-over only swaps a shared frame handle into the mailbox.
    connect(
        &m_sink, &QVideoSink::videoFrameChanged, this,
        [this](const QVideoFrame& frame) {
            if (frame.isValid()) {
                m_pipeline.submit(frame);
            }
        },
        Qt::DirectConnection);
}

VideoBadgeReader::~VideoBadgeReader()
{
    m_pipeline.stop();
}

void VideoBadgeReader::start()
{
    startDecoding();
    postReady(true);
}

void VideoBadgeReader::stop()
{
    stopDecoding();
    postReady(false);
}

QString VideoBadgeReader::description() const
{
    return QStringLiteral("QR badges from video frames");
}

} // namespace imhere::hardware
