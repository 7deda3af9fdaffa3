// A small mutation driver so the fuzz targets run under g++ in every test run,
// bounded in iterations and seconds. For long coverage-guided runs build the
// same target with clang's libFuzzer: scripts/fuzz.sh.
//
//   fuzzdriver CORPUS_DIR [--iterations N] [--seconds S] [--seed K]

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

const char* const k_tokens[] = {
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "false", "-1", "0",
    "1e308", "18446744073709551616", "9007199254740993", "\"check_in\"", "\"correction\"", "\"flag\"",
    "\"window_open\"", "\"events\"", "\"changes\"", "\"kiosk\"", "\xff", "\xc0\xaf", "\xed\xa0\x80",
};

std::string mutate(std::string s, const std::vector<std::string>& corpus, std::mt19937_64& rng)
{
    const int edits = std::uniform_int_distribution<int>(1, 6)(rng);
    for (int i = 0; i < edits; ++i) {
        const std::size_t pos = s.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, s.size() - 1)(rng);
        switch (rng() % 6) {
        case 0:
            if (!s.empty())
                s[pos] = static_cast<char>(rng());
            break;
        case 1:
            if (!s.empty())
                s.erase(pos, std::uniform_int_distribution<std::size_t>(1, 16)(rng));
            break;
        case 2: s.insert(pos, k_tokens[rng() % std::size(k_tokens)]); break;
        case 3: { // splice a piece of another seed
            const auto& other = corpus[rng() % corpus.size()];
            if (!other.empty()) {
                const std::size_t from = rng() % other.size();
                s.insert(pos, other.substr(from, rng() % 64));
            }
            break;
        }
        case 4: // duplicate a span (grows arrays and nesting)
            if (!s.empty())
                s.insert(pos, s.substr(pos, rng() % 128));
            break;
        default:
            if (!s.empty())
                s[pos] = static_cast<char>(s[pos] ^ (1 << (rng() % 8)));
            break;
        }
    }
    return s;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [--iterations N] [--seconds S] [--seed K]\n", argv[0]);
        return 2;
    }
    long iterations = 20'000;
    double seconds = 20;
    std::uint64_t seed = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string opt = argv[i];
        if (opt == "--iterations")
            iterations = std::atol(argv[i + 1]);
        else if (opt == "--seconds")
            seconds = std::atof(argv[i + 1]);
        else if (opt == "--seed")
            seed = std::strtoull(argv[i + 1], nullptr, 10);
    }
    std::vector<std::string> corpus;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
        std::ifstream in(entry.path(), std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (corpus.empty()) {
        std::fprintf(stderr, "no seeds in %s\n", argv[1]);
        return 2;
    }
    for (const auto& s : corpus)
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());

    std::mt19937_64 rng(seed);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    long done = 0;
    for (; done < iterations && std::chrono::steady_clock::now() < deadline; ++done) {
        const std::string input = mutate(corpus[rng() % corpus.size()], corpus, rng);
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    }
    std::printf("fuzz: %ld inputs from %zu seeds, no failure\n", done, corpus.size());
    return 0;
}
