// imhere-server: finds the command and runs it.

#include "sync-server/cli/commands.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace imhere::server::cli;

namespace {

void printUsage(std::FILE* to)
{
    std::fputs("usage: imhere-server COMMAND [options]   (COMMAND --help for details)\n\ncommands:\n", to);
    for (const Command& c : commands())
        std::fprintf(to, "  %-14.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                     static_cast<int>(c.summary.size()), c.summary.data());
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto line = parseCommandLine(args, {"help", "version", "admin", "with-pin", "password-stdin", "dry-run"});
    if (!line) {
        std::fprintf(stderr, "imhere-server: %s\n", line.error().message.c_str());
        return 2;
    }
    if (line->has("version")) {
        std::printf("imhere-server %s\n", IMHERE_VERSION);
        return 0;
    }
    if (line->words.empty()) {
        printUsage(line->has("help") ? stdout : stderr);
        return line->has("help") ? 0 : 2;
    }
    const std::string first = line->words[0];
    const std::string two = line->words.size() > 1 ? first + " " + line->words[1] : first;
    for (const Command& c : commands()) {
        const bool matchesTwo = c.name == two;
        if (!matchesTwo && c.name != first)
            continue;
        if (line->has("help")) {
            std::fputs(std::string(c.help).c_str(), stdout);
            std::fputs(std::string(commonHelp()).c_str(), stdout);
            return 0;
        }
        if (matchesTwo && two != first)
            line->words.erase(line->words.begin());
        auto settings = Settings::load(*line);
        if (!settings) {
            std::fprintf(stderr, "imhere-server: %s\n", settings.error().message.c_str());
            return 2;
        }
        return c.run(*line, *settings);
    }
    std::fprintf(stderr, "imhere-server: unknown command '%s'\n", two.c_str());
    printUsage(stderr);
    return 2;
}
