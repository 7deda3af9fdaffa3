#pragma once
// Runs the imhere-server binary of the build (IMHERE_SERVER_BIN, defined by
// the test's CMake target) with arguments, and collects what it printed.

#include "tests/support/tempdir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace imhere::test {

struct CommandOutcome {
    int exitCode;
    std::string out;
    std::string err;
};

inline std::string fileText(const std::filesystem::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// `args` go through the shell; stdout and stderr land in files of `dir`.
inline CommandOutcome runServerCommand(const TempDir& dir, const std::string& args)
{
    const auto out = dir.path() / "stdout.txt";
    const auto err = dir.path() / "stderr.txt";
    const std::string command = std::string(IMHERE_SERVER_BIN) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(command.c_str());
    return CommandOutcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, fileText(out), fileText(err)};
}

} // namespace imhere::test
