#include "screenqr.h"

#include "core/random.h"
#include "core/rotatingcode.h"

#include <algorithm>

namespace imhere::kiosk {

namespace {

// M: the code is read off this screen by a phone, often a remote trainee's
// phone pointed at a video call, where the picture arrives downscaled and
// compressed and the call's own overlays (a cursor, a name tag, a strip of
// faces) may cover part of it. M restores about 15 % of the symbol, enough
// for those. A 70 to 100 character URL takes version 5 or 6 at M but 6 to 8
// at Q and 8 or 9 at H, and smaller modules are what a downscaled video loses
// first. A screen never wears and a missed read costs only a second try, so
// the Q of printed badges (sync-server/web/qrsvg.cpp) would cost more here
// than it brings.
constexpr QrErrorCorrection k_screenLevel = QrErrorCorrection::Medium;

} // namespace

QrMatrix screenQr(const QString& text)
{
    return encodeQr(text.toStdString(), k_screenLevel).value_or(QrMatrix{});
}

QString remoteCheckInUrl(const QString& serverUrl, const QByteArray& kioskSecret, const QString& windowId,
                         std::uint32_t kioskId, std::int64_t nowMs)
{
    auto windowBytes = uuidBytes(windowId.toStdString());
    if (!windowBytes || kioskSecret.isEmpty() || serverUrl.isEmpty())
        return {};
    WindowId window{};
    std::copy_n(windowBytes->begin(), window.size(), window.begin());
    const auto* key = reinterpret_cast<const std::uint8_t*>(kioskSecret.constData());
    const std::string code =
        RotatingCode::generateAt({key, static_cast<std::size_t>(kioskSecret.size())}, window, kioskId, nowMs);
    QString base = serverUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + QStringLiteral("/q/") + QString::fromStdString(code);
}

} // namespace imhere::kiosk
