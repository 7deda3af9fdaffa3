#pragma once
// The rotating remote check-in code on the kiosk's screen (DESIGN §4): its
// URL on server-corrected time, and its modules for the QML item to paint
// (encoded by core's encodeQr; each module a rectangle at any size).
//
// Thread rules: plain values; both functions are reentrant.

#include "core/qrmatrix.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace imhere::kiosk {

// `text` as the screen shows it; an empty matrix (the screen shows no code)
// when there is no text or it is too long for a QR code.
[[nodiscard]] QrMatrix screenQr(const QString& text);

// <server>/q/<code> for the window's current step on server-corrected time.
[[nodiscard]] QString remoteCheckInUrl(const QString& serverUrl, const QByteArray& kioskSecret,
                                       const QString& windowId, std::uint32_t kioskId, std::int64_t nowMs);

} // namespace imhere::kiosk
