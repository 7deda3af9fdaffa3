#pragma once
// PN532 UART (HSU) frames, both ways, as plain bytes: no line, no thread, so
// the emulator and the fuzzer share one reader.
//
// Normal frame:   00 00 FF LEN LCS TFI data DCS 00   (LEN + LCS = 0 mod 256)
// Extended frame: 00 00 FF FF FF LENM LENL LCS TFI data DCS 00
// ACK 00 00 FF 00 FF 00 and NACK 00 00 FF FF 00 00. LEN counts TFI and data;
// TFI + data + DCS = 0 mod 256. Bytes before the start code 00 FF (the HSU
// wake-up preamble 55 55 00 00 ..., noise) are skipped; a header whose length
// checksum is wrong is skipped past its start code and reading resyncs.
//
// Thread rules: one reader per line; not shared.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace imhere::hardware::emulator {

struct Pn532Frame {
    enum class Kind { Ack, Nack, Information };
    Kind kind = Kind::Information;
    std::vector<std::uint8_t> payload; // TFI and data; Information frames only

    friend bool operator==(const Pn532Frame&, const Pn532Frame&) = default;
};

class Pn532FrameReader {
public:
    void append(const std::uint8_t* data, std::size_t size);
    // The next whole frame, or nullopt when more bytes are needed. An
    // information frame with a wrong data checksum is consumed and skipped,
    // as the chip does (the host times out waiting for its ACK).
    std::optional<Pn532Frame> next();
    [[nodiscard]] std::size_t buffered() const { return m_rx.size(); }

private:
    std::vector<std::uint8_t> m_rx;
};

// The longest payload (TFI + data) an extended frame carries.
inline constexpr std::size_t k_pn532MaxPayload = 0xFFFF;

// An information frame carrying `payload` (TFI and data, at most
// k_pn532MaxPayload bytes): a normal frame up to 255 bytes, extended beyond.
[[nodiscard]] std::vector<std::uint8_t> encodePn532Frame(const std::vector<std::uint8_t>& payload);

} // namespace imhere::hardware::emulator
