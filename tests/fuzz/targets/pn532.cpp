// Fuzz target: the PN532 UART frame reader and writer
// (hardware/emulator/pn532frames.h). The first byte picks the size of the
// chunks the line delivers.
//
// Properties: the frames read do not depend on how the bytes were chunked;
// every information frame re-encodes to bytes that read back as that frame
// alone; the reader never holds more than one frame's worth past a start code.

#include "hardware/emulator/pn532frames.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace imhere::hardware::emulator;

namespace {

std::vector<Pn532Frame> readAll(const std::uint8_t* data, std::size_t size, std::size_t chunk)
{
    Pn532FrameReader reader;
    std::vector<Pn532Frame> frames;
    for (std::size_t at = 0; at < size; at += chunk) {
        reader.append(data + at, std::min(chunk, size - at));
        while (auto frame = reader.next())
            frames.push_back(std::move(*frame));
        // Past the start code: at most an extended header, a whole payload and its tail.
        if (reader.buffered() > 7 + k_pn532MaxPayload + 2)
            std::abort();
    }
    return frames;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::size_t chunk = 1 + data[0] % 16;
    ++data;
    --size;

    const auto whole = readAll(data, size, size == 0 ? 1 : size);
    if (readAll(data, size, chunk) != whole)
        std::abort();
    for (const auto& frame : whole) {
        if (frame.kind != Pn532Frame::Kind::Information)
            continue;
        const auto bytes = encodePn532Frame(frame.payload);
        const auto again = readAll(bytes.data(), bytes.size(), bytes.size());
        if (again.size() != 1 || again.front() != frame)
            std::abort();
    }
    return 0;
}
