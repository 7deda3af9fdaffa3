#pragma once
// Command-line, INI configuration and IMHERE_ environment settings for the
// imhere-server commands (DESIGN §7). A setting is looked up on the command
// line first, then in IMHERE_<NAME> (upper case, '-' as '_'), then in the
// config file's [server] section, then a default.

#include "core/result.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace imhere::server::cli {

struct CommandLine {
    std::vector<std::string> words; // the command, e.g. {"user", "add"}, then positional arguments
    std::multimap<std::string, std::string> options; // --name value
    std::set<std::string> flags;                     // --name

    [[nodiscard]] bool has(const std::string& flag) const { return flags.contains(flag); }
    [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
};

// `flagNames` are the options that take no value.
[[nodiscard]] Result<CommandLine> parseCommandLine(const std::vector<std::string>& args,
                                                   const std::set<std::string>& flagNames);

// "section.key" → value. Errors name the line.
[[nodiscard]] Result<std::map<std::string, std::string>> parseIni(const std::string& text);

class Settings {
public:
    // Reads --config FILE when given (a missing or bad file is an error).
    [[nodiscard]] static Result<Settings> load(const CommandLine& line);

    [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
    [[nodiscard]] Result<std::string> require(const std::string& name) const;

private:
    CommandLine m_line;
    std::map<std::string, std::string> m_file;
};

} // namespace imhere::server::cli
