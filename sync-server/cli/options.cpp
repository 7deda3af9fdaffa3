#include "options.h"

#include "sync-server/http/httpserver.h"
#include "sync-server/serverlimits.h"

#include "core/result.h"

#include <ini.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <filesystem>
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
    struct Parsed {
        std::map<std::string, std::string> values;
        std::string problem;
    } parsed;
    const auto handler = [](void* user, const char* section, const char* name, const char* value) -> int {
        auto& out = *static_cast<Parsed*>(user);
        const std::string key = trim(name ? name : "");
        if (key.empty()) {
            out.problem = "empty key";
            return 0;
        }
        const std::string prefix = section && *section ? std::string(section) + "." : std::string();
        // libinih reads an indented line as the continuation of the value
        // above, and hands it over as the same key again.
        if (!out.values.emplace(prefix + key, trim(value ? value : "")).second) {
            out.problem = "'" + key + "' again (a key is set once; an indented line continues the one above)";
            return 0;
        }
        return 1;
    };
    const int line = ini_parse_string(text.c_str(), handler, &parsed);
    if (line > 0)
        return fail(Errc::BadConfig, "line " + std::to_string(line) + ": "
                                         + (parsed.problem.empty() ? "expected [section] or key = value" : parsed.problem));
    if (line < 0)
        return fail(Errc::BadConfig, "cannot be read");
    return parsed.values;
}

namespace {

std::string wholeNumberProblem(const std::string& value, unsigned long low, unsigned long high)
{
    const std::string range = "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high);
    unsigned long n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || n < low || n > high)
        return range;
    return {};
}

std::string oneOf(const std::string& value, std::initializer_list<std::string_view> choices)
{
    std::string list;
    for (const auto choice : choices) {
        if (value == choice)
            return {};
        list += (list.empty() ? "" : " | ") + std::string(choice);
    }
    return "must be one of " + list;
}

std::string absolutePathProblem(const std::string& v)
{
    return v.empty() || v.front() != '/' ? std::string("must be an absolute path") : std::string();
}

// Printable ASCII without spaces, so it cannot break a URL or a header.
bool plainText(const std::string& v)
{
    return !v.empty() && v.size() <= 253
        && std::ranges::all_of(v, [](char c) { return c > ' ' && c < 0x7f && c != '<' && c != '>' && c != '"'; });
}

const std::array<SettingKey, 29> k_serverKeys{{
    {"db", [](const std::string& v) { return v.empty() ? std::string("must name the database file or a postgresql:// URL") : std::string(); }},
    {"listen",
     [](const std::string& v) {
         auto parsed = parseListen(v);
         return parsed ? std::string() : parsed.error().message;
     }},
    {"threads", [](const std::string& v) { return wholeNumberProblem(v, 1, limits::k_maxThreads); }},
    {"connection-timeout", [](const std::string& v) { return wholeNumberProblem(v, 1, 3'600); }},
    {"metrics", [](const std::string& v) { return oneOf(v, {"off", "loopback", "token"}); }},
    {"metrics-token-file",
     [](const std::string& v) {
         return v.empty() || v.front() != '/' ? std::string("must be an absolute path") : std::string();
     }},
    {"backup-dir",
     [](const std::string& v) {
         return v.empty() || v.front() != '/' ? std::string("must be an absolute path") : std::string();
     }},
    {"backup-keep", [](const std::string& v) { return wholeNumberProblem(v, 1, 10'000); }},
    {"trusted-proxies",
     [](const std::string& v) {
         auto parsed = TrustedProxies::parse(v);
         return parsed ? std::string() : parsed.error().message;
     }},
    {"tls-cert", absolutePathProblem},
    {"tls-key", absolutePathProblem},
    {"tls-proxy", [](const std::string& v) { return oneOf(v, {"yes", "no"}); }},
    {"phone-link-days", [](const std::string& v) { return wholeNumberProblem(v, 1, limits::k_maxPhoneLinkDays); }},
    {"session-idle-timeout", [](const std::string& v) { return wholeNumberProblem(v, 5, 720); }},
    {"public-url",
     [](const std::string& v) {
         const bool scheme = v.starts_with("https://") || v.starts_with("http://");
         return scheme && plainText(v) && !v.ends_with("/") && v.find('?') == std::string::npos
                 && v.find('#') == std::string::npos
             ? std::string()
             : std::string("must be the address people open, like https://attendance.example.org (no trailing /)");
     }},
    {"smtp-host",
     [](const std::string& v) { return plainText(v) ? std::string() : std::string("must be a host name or address"); }},
    {"smtp-port", [](const std::string& v) { return wholeNumberProblem(v, 1, 65'535); }},
    {"smtp-starttls", [](const std::string& v) { return oneOf(v, {"yes", "no"}); }},
    {"smtp-user",
     [](const std::string& v) { return plainText(v) ? std::string() : std::string("must be a user name without spaces"); }},
    {"smtp-password-file", absolutePathProblem},
    {"mail-from",
     [](const std::string& v) {
         const auto at = v.find('@');
         return plainText(v) && at != std::string::npos && at > 0 && at + 1 < v.size()
             ? std::string()
             : std::string("must be an email address like attendance@example.org");
     }},
    // The public API (docs/PUBLIC-API.md): open to anyone, or only to API keys.
    {"public-api", [](const std::string& v) { return oneOf(v, {"open", "key"}); }},
    {"public-rate-limit", [](const std::string& v) { return wholeNumberProblem(v, 1, 1'000'000); }},
    // Slack webhooks on loopback (http://127.0.0.1:PORT/…), for tests and the demo.
    {"slack-loopback", [](const std::string& v) { return oneOf(v, {"yes", "no"}); }},
    // The milestone harvester (docs/MILESTONES.md): minutes between rounds
    // (0: off), where GitHub's and Codewars' APIs are, and a GitHub token.
    {"harvest-interval", [](const std::string& v) { return wholeNumberProblem(v, 0, 10'080); }},
    {"harvest-timeout", [](const std::string& v) { return wholeNumberProblem(v, 1, 300); }},
    {"github-api-url", [](const std::string& v) {
         return (v.starts_with("https://") || v.starts_with("http://")) && plainText(v)
             ? std::string() : std::string("must be an http:// or https:// address");
     }},
    {"codewars-api-url", [](const std::string& v) {
         return (v.starts_with("https://") || v.starts_with("http://")) && plainText(v)
             ? std::string() : std::string("must be an http:// or https:// address");
     }},
    {"github-token", [](const std::string& v) {
         return plainText(v) ? std::string() : std::string("must be a token without spaces");
     }},
}};

std::string environmentName(const std::string& name)
{
    std::string env = "IMHERE_";
    for (const char c : name)
        env.push_back(c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
    return env;
}

} // namespace

std::span<const SettingKey> serverSettingKeys()
{
    return k_serverKeys;
}

Result<Settings> Settings::load(const CommandLine& line)
{
    Settings settings;
    settings.m_line = line;
    std::string path;
    bool named = true;
    if (const auto config = line.all("config"); !config.empty())
        path = config.back();
    else if (const char* env = std::getenv("IMHERE_CONFIG"); env && *env)
        path = env;
    else {
        path = std::string(k_defaultConfigPath);
        named = false;
    }
    std::ifstream file(path);
    // A default file that is there but cannot be read is an error too: its
    // settings would be silently missing.
    std::error_code ignored;
    if (!file && (named || std::filesystem::exists(path, ignored)))
        return fail(Errc::BadConfig, "cannot read " + path + ": " + std::strerror(errno)
                                         + (named ? "" : " (run as the imhere account, or give --config)"));
    if (file) {
        std::stringstream text;
        text << file.rdbuf();
        auto parsed = parseIni(text.str());
        if (!parsed)
            return fail(Errc::BadConfig, path + ": " + parsed.error().message);
        settings.m_configPath = path;
        for (const auto& [key, value] : *parsed) {
            if (!key.starts_with("server."))
                return fail(Errc::BadConfig, path + ": " + key + "=" + value + ": not in the [server] section");
            const std::string name = key.substr(7);
            const bool known = std::ranges::any_of(k_serverKeys, [&](const SettingKey& k) { return k.name == name; });
            if (!known)
                return fail(Errc::BadConfig, path + ": " + name + "=" + value + ": unknown key");
        }
        settings.m_file = std::move(*parsed);
    }
    for (const SettingKey& key : k_serverKeys) {
        const std::string name(key.name);
        if (const auto value = settings.get(name))
            if (const std::string problem = key.problem(*value); !problem.empty())
                return fail(Errc::BadConfig, settings.describeProblem(name, problem));
    }
    return settings;
}

std::string Settings::sourceOf(const std::string& name) const
{
    if (!m_line.all(name).empty())
        return "--" + name;
    const std::string env = environmentName(name);
    if (const char* value = std::getenv(env.c_str()); value && *value)
        return env;
    if (m_file.contains("server." + name))
        return m_configPath;
    return {};
}

std::string Settings::describeProblem(const std::string& name, const std::string& reason) const
{
    const std::string source = sourceOf(name);
    const std::string value = get(name).value_or("");
    if (source.starts_with("--") || source.starts_with("IMHERE_"))
        return source + "=" + value + ": " + reason;
    return (source.empty() ? std::string() : source + ": ") + name + "=" + value + ": " + reason;
}

std::optional<std::string> Settings::get(const std::string& name) const
{
    if (const auto values = m_line.all(name); !values.empty())
        return values.back();
    const std::string env = environmentName(name);
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
