#include "pn532emulator.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <termios.h>
#include <unistd.h>

namespace imhere::hardware::emulator {

namespace {

constexpr std::uint8_t k_hostToChip = 0xD4;
constexpr std::uint8_t k_chipToHost = 0xD5;
const std::vector<std::uint8_t> k_ack{0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00};
const std::vector<std::uint8_t> k_syntaxError{0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00};
// PN532 firmware 1.6, supporting ISO14443A, ISO14443B and ISO18092.
const std::vector<std::uint8_t> k_firmware{0x32, 0x01, 0x06, 0x07};
// InAutoPoll's Period counts units of 150 ms.
constexpr auto k_pollUnit = std::chrono::milliseconds(150);

enum Command : std::uint8_t {
    Diagnose = 0x00,
    GetFirmwareVersion = 0x02,
    GetGeneralStatus = 0x04,
    ReadRegister = 0x06,
    WriteRegister = 0x08,
    SetParameters = 0x12,
    SAMConfiguration = 0x14,
    PowerDown = 0x16,
    RFConfiguration = 0x32,
    InDeselect = 0x44,
    InListPassiveTarget = 0x4A,
    InRelease = 0x52,
    InSelect = 0x54,
    InAutoPoll = 0x60,
};

// InAutoPoll target types that find an ISO14443A card at 106 kbps.
bool findsTypeA(std::uint8_t type)
{
    return type == 0x00 || type == 0x10 || type == 0x20 || type == 0x40;
}

} // namespace

Result<std::unique_ptr<Pn532Emulator>> Pn532Emulator::start()
{
    std::unique_ptr<Pn532Emulator> emulator(new Pn532Emulator());
    emulator->m_master = UniqueFd(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!emulator->m_master.valid() || ::grantpt(emulator->m_master.get()) != 0
        || ::unlockpt(emulator->m_master.get()) != 0) {
        return fail(Errc::PtyFailed, std::string("pseudo-terminal: ") + std::strerror(errno));
    }
    std::array<char, 128> name{};
    if (::ptsname_r(emulator->m_master.get(), name.data(), name.size()) != 0) {
        return fail(Errc::PtyFailed, std::string("ptsname: ") + std::strerror(errno));
    }
    emulator->m_slavePath = name.data();
    // Raw mode from the start (no echo, no line editing), as a UART is; and an
    // open slave keeps the master readable while the host reopens the port.
    emulator->m_slaveKeepAlive = UniqueFd(::open(name.data(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    termios raw{};
    if (!emulator->m_slaveKeepAlive.valid() || ::tcgetattr(emulator->m_slaveKeepAlive.get(), &raw) != 0) {
        return fail(Errc::PtyFailed, std::string("pty slave: ") + std::strerror(errno));
    }
    ::cfmakeraw(&raw);
    ::tcsetattr(emulator->m_slaveKeepAlive.get(), TCSANOW, &raw);
    emulator->m_thread = std::thread([e = emulator.get()] { e->run(); });
    return emulator;
}

Pn532Emulator::~Pn532Emulator()
{
    m_stop.notify();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void Pn532Emulator::presentCard(std::vector<std::uint8_t> uid)
{
    {
        std::lock_guard lock(m_mutex);
        m_card = std::move(uid);
    }
    m_wake.notify();
}

void Pn532Emulator::removeCard()
{
    std::lock_guard lock(m_mutex);
    m_card.reset();
}

void Pn532Emulator::setFault(Fault fault)
{
    std::lock_guard lock(m_mutex);
    m_fault = fault;
}

void Pn532Emulator::unplug()
{
    m_unplugged = true;
    m_stop.notify();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    m_master.reset();
    m_slaveKeepAlive.reset();
}

std::vector<std::uint8_t> Pn532Emulator::commandsSeen() const
{
    std::lock_guard lock(m_mutex);
    return m_commands;
}

std::optional<std::chrono::steady_clock::time_point> Pn532Emulator::lastCardAnswerAt() const
{
    std::lock_guard lock(m_mutex);
    return m_lastCardAnswer;
}

void Pn532Emulator::run()
{
    std::array<std::uint8_t, 512> buffer{};
    while (true) {
        int timeoutMs = -1;
        if (m_pendingPoll && !m_pendingPoll->forever) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(m_pendingPoll->deadline
                                                                           - std::chrono::steady_clock::now());
            timeoutMs = static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
        }
        std::array<pollfd, 3> fds{{{m_stop.fd(), POLLIN, 0}, {m_wake.fd(), POLLIN, 0}, {m_master.get(), POLLIN, 0}}};
        const int rc = ::poll(fds.data(), fds.size(), timeoutMs);
        if (rc < 0 && errno != EINTR) {
            return;
        }
        if (fds[0].revents != 0) {
            return;
        }
        if (fds[1].revents != 0) {
            m_wake.clear();
            if (m_pendingPoll) {
                answerPendingPoll(false);
            }
        }
        if (fds[2].revents & POLLIN) {
            const auto n = ::read(m_master.get(), buffer.data(), buffer.size());
            if (n > 0) {
                onBytes(buffer.data(), static_cast<std::size_t>(n));
            }
        }
        if (m_pendingPoll && !m_pendingPoll->forever && std::chrono::steady_clock::now() >= m_pendingPoll->deadline) {
            answerPendingPoll(true);
        }
    }
}

void Pn532Emulator::writeRaw(const std::vector<std::uint8_t>& bytes)
{
    writeAll(m_master.get(), bytes.data(), bytes.size());
}

void Pn532Emulator::answer(std::uint8_t command, const std::vector<std::uint8_t>& data)
{
    std::vector<std::uint8_t> payload{k_chipToHost, static_cast<std::uint8_t>(command + 1)};
    payload.insert(payload.end(), data.begin(), data.end());
    auto frame = encodePn532Frame(payload);
    Fault fault;
    {
        std::lock_guard lock(m_mutex);
        fault = m_fault;
    }
    if (fault == Fault::BadChecksum) {
        frame[frame.size() - 2] ^= 0x5A;
    }
    m_lastAnswer = frame;
    writeRaw(frame);
}

void Pn532Emulator::onBytes(const std::uint8_t* data, std::size_t size)
{
    Fault fault;
    {
        std::lock_guard lock(m_mutex);
        fault = m_fault;
    }
    if (fault == Fault::Silence) {
        return;
    }
    if (fault == Fault::Garbage) {
        std::minstd_rand random(static_cast<unsigned>(size));
        std::vector<std::uint8_t> noise(16);
        std::ranges::generate(noise, [&] { return static_cast<std::uint8_t>(random()); });
        noise[0] = 0x17; // never a valid preamble
        writeRaw(noise);
        return;
    }
    m_rx.append(data, size);
    while (auto frame = m_rx.next()) {
        switch (frame->kind) {
        case Pn532Frame::Kind::Ack: // from the host: abort the running command
            m_pendingPoll.reset();
            break;
        case Pn532Frame::Kind::Nack: // send the last answer again
            if (!m_lastAnswer.empty()) {
                writeRaw(m_lastAnswer);
            }
            break;
        case Pn532Frame::Kind::Information:
            // A frame the wrong way round is ignored, as the chip does.
            if (frame->payload.size() >= 2 && frame->payload[0] == k_hostToChip) {
                onCommand(frame->payload);
            }
            break;
        }
    }
}

std::vector<std::uint8_t> Pn532Emulator::targetData() const
{
    const auto& uid = *m_card;
    // SENS_RES (ATQA) by UID size; SEL_RES 0x00 = a card without ISO14443-4.
    const std::uint8_t atqa0 = uid.size() == 4 ? 0x04 : (uid.size() == 7 ? 0x44 : 0x84);
    std::vector<std::uint8_t> data{0x01, 0x00, atqa0, 0x00, static_cast<std::uint8_t>(uid.size())};
    data.insert(data.end(), uid.begin(), uid.end());
    return data;
}

void Pn532Emulator::answerPendingPoll(bool timedOut)
{
    std::vector<std::uint8_t> data;
    bool withCard = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_card) {
            const auto target = targetData();
            data = {0x01, m_pendingPoll->type, static_cast<std::uint8_t>(target.size())};
            data.insert(data.end(), target.begin(), target.end());
            withCard = true;
        } else if (!timedOut) {
            return; // woken, but the card is gone again
        } else {
            data = {0x00};
        }
    }
    m_pendingPoll.reset();
    answer(InAutoPoll, data);
    if (withCard) {
        std::lock_guard lock(m_mutex);
        m_lastCardAnswer = std::chrono::steady_clock::now();
    }
}

void Pn532Emulator::onCommand(const std::vector<std::uint8_t>& payload)
{
    const std::uint8_t command = payload[1];
    const std::vector<std::uint8_t> args(payload.begin() + 2, payload.end());
    {
        std::lock_guard lock(m_mutex);
        m_commands.push_back(command);
    }
    m_pendingPoll.reset(); // a new command ends any running one
    writeRaw(k_ack);
    switch (command) {
    case Diagnose:
        answer(command, args); // communication line test: echo
        return;
    case GetFirmwareVersion:
        answer(command, k_firmware);
        return;
    case GetGeneralStatus:
        answer(command, {0x00, 0x00, 0x00, 0x80});
        return;
    case ReadRegister: {
        std::vector<std::uint8_t> values;
        for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
            values.push_back(m_registers[args[i] << 8 | args[i + 1]]);
        }
        answer(command, values);
        return;
    }
    case WriteRegister:
        for (std::size_t i = 0; i + 2 < args.size(); i += 3) {
            m_registers[args[i] << 8 | args[i + 1]] = args[i + 2];
        }
        answer(command, {});
        return;
    case SetParameters:
    case SAMConfiguration:
    case RFConfiguration:
        answer(command, {});
        return;
    case PowerDown:
    case InDeselect:
    case InRelease:
    case InSelect:
        answer(command, {0x00});
        return;
    case InListPassiveTarget: {
        std::lock_guard lock(m_mutex);
        if (args.size() >= 2 && args[1] == 0x00 && m_card) {
            auto data = targetData();
            data.insert(data.begin(), 0x01); // NbTg
            answer(command, data);
            m_lastCardAnswer = std::chrono::steady_clock::now();
        } else {
            answer(command, {0x00});
        }
        return;
    }
    case InAutoPoll: {
        if (args.size() < 3) {
            writeRaw(k_syntaxError);
            return;
        }
        PendingPoll poll;
        poll.forever = args[0] == 0xFF;
        poll.deadline = std::chrono::steady_clock::now() + args[0] * args[1] * k_pollUnit;
        const auto typeA = std::find_if(args.begin() + 2, args.end(), findsTypeA);
        if (typeA == args.end()) {
            m_pendingPoll = poll; // no card type we emulate: polls until the deadline
            return;
        }
        poll.type = *typeA == 0x20 ? 0x10 : *typeA; // a card without ISO14443-4 answers as Mifare
        m_pendingPoll = poll;
        answerPendingPoll(false);
        return;
    }
    default:
        writeRaw(k_syntaxError);
        return;
    }
}

} // namespace imhere::hardware::emulator
