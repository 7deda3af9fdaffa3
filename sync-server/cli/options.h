#pragma once
// Command-line, INI configuration and IMHERE_ environment settings for the
// imhere-server commands (DESIGN §7). A setting is looked up on the command
// line first, then in IMHERE_<NAME> (upper case, '-' as '_'), then in the
// config file's [server] section, then a default. The config file is
// --config FILE (or IMHERE_CONFIG), else /etc/imhere/server.conf when it
// exists; it is read with libinih. Every key it may hold is in
// serverSettingKeys(), documented in docs/OPERATIONS.md, and checked when the
// settings are loaded: a bad value stops the command with the key, the value
// and the reason.

#include "core/result.h"

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
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

inline constexpr std::string_view k_defaultConfigPath = "/etc/imhere/server.conf";

// A key of the [server] section, and what is wrong with a value of it (empty
// when the value is good).
struct SettingKey {
    std::string_view name;
    std::string (*problem)(const std::string& value);
};
[[nodiscard]] std::span<const SettingKey> serverSettingKeys();

class Settings {
public:
    // Reads --config FILE when given (a missing or bad file is an error).
    [[nodiscard]] static Result<Settings> load(const CommandLine& line);

    [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
    [[nodiscard]] Result<std::string> require(const std::string& name) const;
    // Where the value of `name` comes from: "--name", "IMHERE_NAME" or the
    // config file's path; empty when it has none.
    [[nodiscard]] std::string sourceOf(const std::string& name) const;
    // "SOURCE: name=value: reason", the form every bad setting is reported in.
    [[nodiscard]] std::string describeProblem(const std::string& name, const std::string& reason) const;
    // The config file read, if any.
    [[nodiscard]] const std::string& configPath() const { return m_configPath; }

private:
    CommandLine m_line;
    std::map<std::string, std::string> m_file;
    std::string m_configPath;
};

} // namespace imhere::server::cli
