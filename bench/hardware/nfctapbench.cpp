// Emulated NFC tap → NfcReader's badgeRead signal on the GUI thread, through
// libnfc's real pn532_uart driver and the PN532 emulator on a pseudo-terminal,
// next to the floor it stands on: the emulator's own frame round trip (one
// GetFirmwareVersion command written to the line, its ACK and answer read
// back, no libnfc), measured in the same run.
//
// Each tap: the card is removed, the reader is left waiting in a poll, then a
// new card (a new UID, so it is a new read) is presented and the clock runs
// until the signal arrives. An ideal reader answers one pending poll, so the
// ratio shows what libnfc, the worker hand-over and the event loop add.

#include "bench/benchtable.h"
#include "benchstats.h"

#include "hardware/emulator/pn532emulator.h"
#include "hardware/nfcreader.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

using namespace imhere::hardware;
using emulator::Pn532Emulator;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr int k_defaultTaps = 50;
constexpr int k_roundTrips = 200;
// Long enough for the reader to see the card gone and sit in a fresh poll.
constexpr auto k_settle = 400ms;
constexpr auto k_readyWait = 10s;
constexpr int k_ioTimeoutMs = 2000;

// 00 00 FF LEN LCS D4 02 DCS 00: GetFirmwareVersion.
constexpr std::array<std::uint8_t, 9> k_getFirmwareVersion{0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00};
constexpr std::size_t k_ackBytes = 6;
constexpr std::size_t k_frameOverhead = 7; // 00 00 FF LEN LCS ... DCS 00

double microsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// Reads exactly `size` bytes or gives up after k_ioTimeoutMs of silence.
bool readExactly(int fd, std::uint8_t* out, std::size_t size)
{
    std::size_t got = 0;
    while (got < size) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, k_ioTimeoutMs) <= 0) {
            return false;
        }
        const auto n = ::read(fd, out + got, size - got);
        if (n <= 0) {
            return false;
        }
        got += static_cast<std::size_t>(n);
    }
    return true;
}

// One command frame out, ACK and answer frame back; nullopt on a broken line.
std::optional<double> roundTrip(int fd)
{
    std::array<std::uint8_t, 64> in{};
    const auto start = Clock::now();
    if (!writeAll(fd, k_getFirmwareVersion.data(), k_getFirmwareVersion.size())
        || !readExactly(fd, in.data(), k_ackBytes + 4)) {
        return std::nullopt;
    }
    const std::size_t length = in[k_ackBytes + 3];
    if (!readExactly(fd, in.data() + k_ackBytes + 4, length + k_frameOverhead - 4)) {
        return std::nullopt;
    }
    return microsSince(start);
}

std::optional<std::vector<double>> emulatorRoundTrips()
{
    auto chip = Pn532Emulator::start();
    if (!chip) {
        return std::nullopt;
    }
    const UniqueFd line(::open((*chip)->devicePath().c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    termios raw{};
    if (!line.valid() || ::tcgetattr(line.get(), &raw) != 0) {
        return std::nullopt;
    }
    ::cfmakeraw(&raw);
    ::tcsetattr(line.get(), TCSANOW, &raw);
    std::vector<double> times;
    for (int i = 0; i < k_roundTrips; ++i) {
        const auto t = roundTrip(line.get());
        if (!t) {
            return std::nullopt;
        }
        times.push_back(*t);
    }
    return times;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int taps = argc > 1 ? std::atoi(argv[1]) : k_defaultTaps;

    const auto trips = emulatorRoundTrips();
    if (!trips) {
        std::fprintf(stderr, "emulator round trip failed\n");
        return 1;
    }

    auto chip = Pn532Emulator::start();
    if (!chip) {
        std::fprintf(stderr, "emulator: %s\n", chip.error().message.c_str());
        return 1;
    }
    NfcReader reader(QString::fromStdString((*chip)->connstring()));
    QEventLoop loop;
    QObject::connect(&reader, &BadgeReader::readyChanged, &loop, &QEventLoop::quit);
    QObject::connect(&reader, &BadgeReader::badgeRead, &loop, &QEventLoop::quit);
    QTimer::singleShot(k_readyWait, &loop, &QEventLoop::quit);
    reader.start();
    loop.exec();
    if (!reader.isReady()) {
        std::fprintf(stderr, "reader not ready\n");
        return 1;
    }

    std::vector<double> latencies;
    for (int i = 0; i < taps; ++i) {
        (*chip)->removeCard();
        std::this_thread::sleep_for(k_settle);
        const std::vector<std::uint8_t> uid{0x04, 0x10, 0x20, 0x30, static_cast<std::uint8_t>(i >> 8),
                                            static_cast<std::uint8_t>(i), 0x80};
        const auto start = Clock::now();
        (*chip)->presentCard(uid);
        loop.exec();
        latencies.push_back(microsSince(start));
    }
    reader.stop();

    const auto r = imhere::bench::spreadOf(*trips);
    const auto t = imhere::bench::spreadOf(latencies);
    std::printf("PN532 emulator on a pty, libnfc pn532_uart driver, %d taps\n", taps);
    std::printf("emulator frame round trip    median %8.0f us   p95 %8.0f us\n", r.median, r.p95);
    std::printf("tap -> badgeRead signal      median %8.0f us   p95 %8.0f us\n", t.median, t.p95);
    std::printf("ratio (median)               %.2f\n", t.median / r.median);
    imhere::bench::tableRow("NFC tap -> badgeRead, median", t.median, "PN532 frame round trip, median", r.median, "us");
    return 0;
}
