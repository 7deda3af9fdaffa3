// imhere-demo-code-sites: the demo's stand-in for GitHub's and Codewars' APIs
// (fakecodesites.h) on loopback, since the demo has no internet. It answers
// for the coders `imhere-server demo-data` wrote, and every minute some of
// them solve a kata or get a pull request merged, so that each harvest of
// the demo server finds something new.
//
//   imhere-demo-code-sites --coders FILE [--port N]

#include "fakecodesites.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace {

volatile std::sig_atomic_t g_stop = 0;

void onSignal(int)
{
    g_stop = 1;
}

} // namespace

int main(int argc, char** argv)
{
    std::string file;
    std::uint16_t port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--coders") == 0)
            file = argv[i + 1];
        else if (std::strcmp(argv[i], "--port") == 0)
            port = static_cast<std::uint16_t>(std::atoi(argv[i + 1]));
    }
    if (file.empty()) {
        std::fprintf(stderr, "usage: imhere-demo-code-sites --coders FILE [--port N]\n");
        return 2;
    }
    std::ifstream in(file);
    if (!in) {
        std::fprintf(stderr, "imhere-demo-code-sites: cannot read %s\n", file.c_str());
        return 1;
    }
    imhere::demo::FakeCodeSites sites(port);
    if (!sites.listening()) {
        std::fprintf(stderr, "imhere-demo-code-sites: cannot listen on port %u\n", unsigned{port});
        return 1;
    }
    std::vector<std::pair<std::string, std::string>> names; // (github, codewars)
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.front() == '#')
            continue;
        std::istringstream fields(line);
        std::string github, codewars;
        int prs = 0, prsCyf = 0, honor = 0, rank = -8, katas = 0, katasJs = 0;
        if (!(fields >> github >> codewars >> prs >> prsCyf >> honor >> rank >> katas >> katasJs))
            continue;
        imhere::demo::FakeCoder gh;
        gh.prsMerged = prs;
        gh.prsByOrg["CodeYourFuture"] = prsCyf;
        sites.setCoder(github, gh);
        imhere::demo::FakeCoder cw;
        cw.honor = honor;
        cw.rank = rank;
        for (int k = 0; k < katas; ++k)
            cw.katas.push_back({"kata-" + std::to_string(k), "Kata " + std::to_string(k + 1),
                                k < katasJs ? std::vector<std::string>{"javascript"} : std::vector<std::string>{"python"},
                                "2026-01-01T10:00:00.000Z"});
        sites.setCoder(codewars, cw);
        names.emplace_back(github, codewars);
    }
    std::printf("imhere-demo-code-sites: %zu coders on %s\n", names.size(), sites.url().c_str());
    std::fflush(stdout);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    std::mt19937 rng(7);
    int tick = 0;
    while (!g_stop) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        if (++tick % 240 != 0 || names.empty())
            continue;
        // A minute has passed: a few coders make progress.
        for (int n = 0; n < 4; ++n) {
            const auto& [github, codewars] = names[std::uniform_int_distribution<std::size_t>(0, names.size() - 1)(rng)];
            sites.update(codewars, [&](imhere::demo::FakeCoder& c) {
                c.honor += 2 + static_cast<int>(rng() % 6);
                c.katas.push_back({"kata-new-" + std::to_string(tick) + "-" + std::to_string(n), "New kata",
                                   {"javascript"}, "2026-01-01T10:00:00.000Z"});
            });
            if (n == 0)
                sites.update(github, [&](imhere::demo::FakeCoder& c) {
                    ++c.prsMerged;
                    ++c.prsByOrg["CodeYourFuture"];
                });
        }
    }
    return 0;
}
