#include "options.h"

#include "core/result.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace imhere::server::cli {

namespace {

std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r");
    if (begin == std::string::npos)
        return {};
    const auto end = s.find_last_not_of(" \t\r");
    return s.substr(begin, end - begin + 1);
}

} // namespace

std::vector<std::string> CommandLine::all(const std::string& name) const
{
    std::vector<std::string> out;
    const auto [begin, end] = options.equal_range(name);
    for (auto it = begin; it != end; ++it)
        out.push_back(it->second);
    return out;
}

Result<CommandLine> parseCommandLine(const std::vector<std::string>& args, const std::set<std::string>& flagNames)
{
    CommandLine line;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (!arg.starts_with("--")) {
            line.words.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        if (const auto eq = name.find('='); eq != std::string::npos) {
            line.options.emplace(name.substr(0, eq), name.substr(eq + 1));
        } else if (flagNames.contains(name)) {
            line.flags.insert(name);
        } else if (i + 1 < args.size()) {
            line.options.emplace(name, args[++i]);
        } else {
            return fail(Errc::Usage, "--" + name + " needs a value");
        }
    }
    return line;
}

Result<std::map<std::string, std::string>> parseIni(const std::string& text)
{
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string raw;
    std::string section;
    for (int number = 1; std::getline(in, raw); ++number) {
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                return fail(Errc::BadConfig, "line " + std::to_string(number) + ": unclosed section header");
            section = trim(line.substr(1, line.size() - 2));
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            return fail(Errc::BadConfig, "line " + std::to_string(number) + ": expected key = value");
        const std::string key = trim(line.substr(0, eq));
        if (key.empty())
            return fail(Errc::BadConfig, "line " + std::to_string(number) + ": empty key");
        out[(section.empty() ? "" : section + ".") + key] = trim(line.substr(eq + 1));
    }
    return out;
}

Result<Settings> Settings::load(const CommandLine& line)
{
    Settings settings;
    settings.m_line = line;
    const auto config = line.all("config");
    if (!config.empty()) {
        std::ifstream file(config.back());
        if (!file)
            return fail(Errc::BadConfig, "cannot read " + config.back());
        std::stringstream text;
        text << file.rdbuf();
        auto parsed = parseIni(text.str());
        if (!parsed)
            return fail(Errc::BadConfig, config.back() + ": " + parsed.error().message);
        settings.m_file = std::move(*parsed);
    }
    return settings;
}

std::optional<std::string> Settings::get(const std::string& name) const
{
    if (const auto values = m_line.all(name); !values.empty())
        return values.back();
    std::string env = "IMHERE_";
    for (const char c : name)
        env.push_back(c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
    if (const char* value = std::getenv(env.c_str()); value && *value)
        return std::string(value);
    if (const auto it = m_file.find("server." + name); it != m_file.end())
        return it->second;
    return std::nullopt;
}

Result<std::string> Settings::require(const std::string& name) const
{
    if (auto value = get(name))
        return *value;
    return fail(Errc::Usage, "--" + name + " is required (or IMHERE_ environment / config file)");
}

} // namespace imhere::server::cli
