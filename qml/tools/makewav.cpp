// Writes a short 16-bit mono WAV: "success" (two rising notes) or "failure"
// (two low falling notes), with soft edges so they do not click.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

namespace {

constexpr int k_rate = 22'050;

void tone(std::vector<std::int16_t>& out, double hz, double seconds, double volume)
{
    const int n = static_cast<int>(seconds * k_rate);
    const int fade = k_rate / 100;
    for (int i = 0; i < n; ++i) {
        double envelope = 1.0;
        if (i < fade)
            envelope = i / double(fade);
        else if (n - i < fade)
            envelope = (n - i) / double(fade);
        const double s = std::sin(2.0 * std::numbers::pi * hz * i / k_rate) * volume * envelope;
        out.push_back(static_cast<std::int16_t>(s * 32'000.0));
    }
}

template <class T>
void put(std::ofstream& f, T value)
{
    f.write(reinterpret_cast<const char*>(&value), sizeof value); // little-endian hosts only
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: makewav success|failure OUT.wav\n");
        return 2;
    }
    const std::string kind = argv[1];
    std::vector<std::int16_t> samples;
    if (kind == "success") {
        tone(samples, 880.0, 0.09, 0.5);
        tone(samples, 1318.5, 0.14, 0.5);
    } else {
        tone(samples, 330.0, 0.14, 0.6);
        tone(samples, 247.0, 0.22, 0.6);
    }
    std::ofstream f(argv[2], std::ios::binary);
    const auto bytes = static_cast<std::uint32_t>(samples.size() * 2);
    f.write("RIFF", 4);
    put<std::uint32_t>(f, 36 + bytes);
    f.write("WAVEfmt ", 8);
    put<std::uint32_t>(f, 16);
    put<std::uint16_t>(f, 1);
    put<std::uint16_t>(f, 1);
    put<std::uint32_t>(f, k_rate);
    put<std::uint32_t>(f, k_rate * 2);
    put<std::uint16_t>(f, 2);
    put<std::uint16_t>(f, 16);
    f.write("data", 4);
    put<std::uint32_t>(f, bytes);
    f.write(reinterpret_cast<const char*>(samples.data()), bytes);
    return f ? 0 : 1;
}
