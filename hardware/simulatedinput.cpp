#include "simulatedinput.h"

#include "credentialformat.h"

namespace imhere::hardware {

namespace {

std::string_view trimmed(std::string_view text)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && isSpace(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

QByteArray toQByteArray(std::string_view text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

std::optional<Result<BadgeRead>> parseSimulatedLine(std::string_view line)
{
    line = trimmed(line);
    if (line.empty() || line.front() == '#') {
        return std::nullopt;
    }
    if (line.starts_with("qr:")) {
        const auto token = line.substr(3);
        if (!isQrBadgeToken(token)) {
            return fail(Errc::BadQrToken, "a QR badge token is imhere:b1:<base64url of 10-64 bytes>");
        }
        return BadgeRead{toQByteArray(token), BadgeSource::QrBadge};
    }
    if (line.starts_with("wedge:")) {
        const auto uid = line.substr(6);
        if (!isWedgeUid(uid)) {
            return fail(Errc::BadWedgeUid, "a wedge UID is 4-20 characters of 0-9a-f");
        }
        return BadgeRead{toQByteArray(uid), BadgeSource::Wedge};
    }
    const auto uid = parseNfcUidHex(line);
    if (!uid) {
        return fail(Errc::BadLine, "expected a hex UID of 4, 7 or 10 bytes, qr:TOKEN or wedge:UID");
    }
    return BadgeRead{QByteArray(reinterpret_cast<const char*>(uid->data()), static_cast<qsizetype>(uid->size())),
                     BadgeSource::Nfc};
}

std::vector<std::optional<std::string>> LineSplitter::feed(std::string_view bytes)
{
    std::vector<std::optional<std::string>> lines;
    for (const char c : bytes) {
        if (c == '\n') {
            if (m_overflowing) {
                lines.emplace_back(std::nullopt);
            } else {
                lines.emplace_back(std::move(m_pending));
            }
            m_pending.clear();
            m_overflowing = false;
        } else if (!m_overflowing) {
            if (m_pending.size() >= m_maxLineBytes) {
                m_overflowing = true;
                m_pending.clear();
            } else {
                m_pending.push_back(c);
            }
        }
    }
    return lines;
}

} // namespace imhere::hardware
