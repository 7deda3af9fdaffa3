#include "badgereader.h"

#include <QMetaObject>

namespace imhere::hardware {

void BadgeReader::postRead(BadgeRead read)
{
    QMetaObject::invokeMethod(
        this, [this, read = std::move(read)] { Q_EMIT badgeRead(read); }, Qt::QueuedConnection);
}

void BadgeReader::postReady(bool ready)
{
    QMetaObject::invokeMethod(
        this,
        [this, ready] {
            if (m_ready != ready) {
                m_ready = ready;
                Q_EMIT readyChanged(ready);
            }
        },
        Qt::QueuedConnection);
}

void BadgeReader::postError(QString message)
{
    QMetaObject::invokeMethod(
        this, [this, message = std::move(message)] { Q_EMIT errorOccurred(message); }, Qt::QueuedConnection);
}

QString badgeSourceName(BadgeSource source)
{
    switch (source) {
    case BadgeSource::Nfc:
        return QStringLiteral("nfc");
    case BadgeSource::Wedge:
        return QStringLiteral("wedge");
    case BadgeSource::QrBadge:
        return QStringLiteral("qr_badge");
    }
    return QStringLiteral("unknown");
}

QString describeBadgeRead(const BadgeRead& read)
{
    const QString credential = read.source == BadgeSource::Nfc ? QString::fromLatin1(read.credential.toHex())
                                                               : QString::fromUtf8(read.credential);
    return badgeSourceName(read.source) + QLatin1Char(' ') + credential;
}

} // namespace imhere::hardware

namespace {
// Lets BadgeRead travel through queued connections.
const int k_badgeReadType = qRegisterMetaType<imhere::hardware::BadgeRead>();
} // namespace
