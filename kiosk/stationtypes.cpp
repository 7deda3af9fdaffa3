#include "stationtypes.h"

#include <QStringList>

namespace imhere::kiosk {

namespace {
const int k_feedbackType = qRegisterMetaType<TapFeedback>();
const int k_statusType = qRegisterMetaType<StationStatus>();
} // namespace

QString shortName(const QString& displayName)
{
    const QStringList parts = displayName.simplified().split(u' ', Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return {};
    if (parts.size() == 1)
        return parts.front();
    return parts.front() + u' ' + parts.back().front().toUpper() + u'.';
}

} // namespace imhere::kiosk
