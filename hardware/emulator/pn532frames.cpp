#include "pn532frames.h"

namespace imhere::hardware::emulator {

namespace {

std::uint8_t checksumOf(const std::vector<std::uint8_t>& bytes)
{
    std::uint8_t sum = 0;
    for (const auto b : bytes)
        sum = static_cast<std::uint8_t>(sum + b);
    return static_cast<std::uint8_t>(0x100 - sum);
}

} // namespace

void Pn532FrameReader::append(const std::uint8_t* data, std::size_t size)
{
    m_rx.insert(m_rx.end(), data, data + size);
}

std::optional<Pn532Frame> Pn532FrameReader::next()
{
    while (true) {
        std::size_t start = 0;
        while (start + 1 < m_rx.size() && !(m_rx[start] == 0x00 && m_rx[start + 1] == 0xFF))
            ++start;
        m_rx.erase(m_rx.begin(), m_rx.begin() + static_cast<std::ptrdiff_t>(start));
        if (m_rx.size() < 4)
            return std::nullopt;
        const std::uint8_t a = m_rx[2];
        const std::uint8_t b = m_rx[3];
        if (a == 0x00 && b == 0xFF) {
            m_rx.erase(m_rx.begin(), m_rx.begin() + 4);
            return Pn532Frame{Pn532Frame::Kind::Ack, {}};
        }
        if (a == 0xFF && b == 0x00) {
            m_rx.erase(m_rx.begin(), m_rx.begin() + 4);
            return Pn532Frame{Pn532Frame::Kind::Nack, {}};
        }
        std::size_t len = 0;
        std::size_t header = 0;
        if (a == 0xFF && b == 0xFF) {
            if (m_rx.size() < 7)
                return std::nullopt;
            len = static_cast<std::size_t>(m_rx[4] << 8 | m_rx[5]);
            if (static_cast<std::uint8_t>(m_rx[4] + m_rx[5] + m_rx[6]) != 0) {
                m_rx.erase(m_rx.begin(), m_rx.begin() + 2);
                continue;
            }
            header = 7;
        } else {
            len = a;
            if (static_cast<std::uint8_t>(a + b) != 0) {
                m_rx.erase(m_rx.begin(), m_rx.begin() + 2);
                continue;
            }
            header = 4;
        }
        if (m_rx.size() < header + len + 2)
            return std::nullopt;
        std::vector<std::uint8_t> payload(m_rx.begin() + static_cast<std::ptrdiff_t>(header),
                                          m_rx.begin() + static_cast<std::ptrdiff_t>(header + len));
        std::uint8_t sum = m_rx[header + len];
        for (const auto byte : payload)
            sum = static_cast<std::uint8_t>(sum + byte);
        m_rx.erase(m_rx.begin(), m_rx.begin() + static_cast<std::ptrdiff_t>(header + len + 2));
        if (sum == 0)
            return Pn532Frame{Pn532Frame::Kind::Information, std::move(payload)};
    }
}

std::vector<std::uint8_t> encodePn532Frame(const std::vector<std::uint8_t>& payload)
{
    std::vector<std::uint8_t> frame{0x00, 0x00, 0xFF};
    if (payload.size() <= 0xFF) {
        const auto len = static_cast<std::uint8_t>(payload.size());
        frame.push_back(len);
        frame.push_back(static_cast<std::uint8_t>(0x100 - len));
    } else {
        const auto high = static_cast<std::uint8_t>(payload.size() >> 8);
        const auto low = static_cast<std::uint8_t>(payload.size() & 0xFF);
        frame.insert(frame.end(), {0xFF, 0xFF, high, low, static_cast<std::uint8_t>(0x100 - ((high + low) & 0xFF))});
    }
    frame.insert(frame.end(), payload.begin(), payload.end());
    frame.push_back(checksumOf(payload));
    frame.push_back(0x00);
    return frame;
}

} // namespace imhere::hardware::emulator
