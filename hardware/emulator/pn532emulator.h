#pragma once
// A PN532 NFC controller on a pseudo-terminal, speaking the PN532 UART (HSU)
// frame protocol, so libnfc's real pn532_uart driver can be tested without a
// reader: point it at connstring() and "present" cards. Also models a broken
// reader (bad checksums, silence, garbage) and unplugging.
//
// Frames: 00 00 FF LEN LCS D4 CMD data DCS 00 (host), answered by the ACK
// 00 00 FF 00 FF 00 and 00 00 FF LEN LCS D5 CMD+1 data DCS 00. Extended
// frames, NACK (resend), ACK from the host (abort) and the HSU wake-up
// preamble (55 55 00 00 ...) are handled. Commands: Diagnose,
// GetFirmwareVersion, GetGeneralStatus, Read/WriteRegister, SetParameters,
// SAMConfiguration, PowerDown, RFConfiguration, InListPassiveTarget,
// InAutoPoll, InDeselect, InRelease, InSelect; others get the PN532's
// syntax-error frame.
//
// Thread rules: the emulator runs its own thread; every public member is
// safe to call from any thread.

#include "hardware/emulator/pn532frames.h"
#include "hardware/uniquefd.h"

#include "core/result.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace imhere::hardware::emulator {

class Pn532Emulator {
public:
    enum class Fault {
        None,
        BadChecksum, // answers carry a wrong data checksum
        Silence,     // nothing comes back, not even an ACK
        Garbage,     // random bytes instead of frames
    };

    static Result<std::unique_ptr<Pn532Emulator>> start();
    ~Pn532Emulator();
    Pn532Emulator(const Pn532Emulator&) = delete;
    Pn532Emulator& operator=(const Pn532Emulator&) = delete;

    [[nodiscard]] std::string devicePath() const { return m_slavePath; }
    [[nodiscard]] std::string connstring() const { return "pn532_uart:" + m_slavePath; }

    // An ISO14443A card with this UID (4, 7 or 10 bytes) enters the field.
    void presentCard(std::vector<std::uint8_t> uid);
    void removeCard();
    void setFault(Fault fault);
    // The reader disappears: the terminal closes; the emulator stays unusable.
    void unplug();

    // Command codes received, in order (for tests).
    [[nodiscard]] std::vector<std::uint8_t> commandsSeen() const;
    // When the last poll answer carrying a card was written to the line.
    [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> lastCardAnswerAt() const;

private:
    Pn532Emulator() = default;
    void run();
    void onBytes(const std::uint8_t* data, std::size_t size);
    void onCommand(const std::vector<std::uint8_t>& payload);
    void answer(std::uint8_t command, const std::vector<std::uint8_t>& data);
    void writeRaw(const std::vector<std::uint8_t>& bytes);
    void answerPendingPoll(bool timedOut);
    [[nodiscard]] std::vector<std::uint8_t> targetData() const; // needs m_mutex

    UniqueFd m_master;
    UniqueFd m_slaveKeepAlive; // keeps the line up between host opens
    std::string m_slavePath;
    StopSignal m_stop;
    StopSignal m_wake; // a card was presented: answer a pending poll now
    std::thread m_thread;

    mutable std::mutex m_mutex;
    std::optional<std::vector<std::uint8_t>> m_card;
    Fault m_fault = Fault::None;
    std::vector<std::uint8_t> m_commands;
    std::optional<std::chrono::steady_clock::time_point> m_lastCardAnswer;

    // Emulator thread only.
    Pn532FrameReader m_rx;
    std::vector<std::uint8_t> m_lastAnswer;
    std::uint8_t m_registers[0x10000] = {};
    struct PendingPoll {
        std::chrono::steady_clock::time_point deadline;
        bool forever = false;
        std::uint8_t type = 0x10;
    };
    std::optional<PendingPoll> m_pendingPoll;
    std::atomic<bool> m_unplugged{false};
};

} // namespace imhere::hardware::emulator
