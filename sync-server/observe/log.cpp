#include "log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#ifdef IMHERE_HAVE_SYSTEMD
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#endif

namespace imhere::server::observe {

namespace {

constexpr std::string_view k_identifier = "imhere-server";

[[maybe_unused]] int syslogPriority(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug: return 7;
    case LogLevel::Info: return 6;
    case LogLevel::Warning: return 4;
    case LogLevel::Error: return 3;
    }
    return 6;
}

std::string_view levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    }
    return "info";
}

// systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it connected
// to stderr; a stderr redirected elsewhere since then does not match.
[[maybe_unused]] bool stderrIsJournal()
{
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (!stream)
        return false;
    struct stat st {};
    if (fstat(STDERR_FILENO, &st) != 0)
        return false;
    unsigned long long device = 0;
    unsigned long long inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2)
        return false;
    return device == st.st_dev && inode == st.st_ino;
}

} // namespace

bool logsToJournal()
{
#ifdef IMHERE_HAVE_SYSTEMD
    static const bool journal = stderrIsJournal();
    return journal;
#else
    return false;
#endif
}

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields)
{
#ifdef IMHERE_HAVE_SYSTEMD
    if (logsToJournal()) {
        std::vector<std::string> lines;
        lines.reserve(fields.size() + 3);
        lines.push_back("MESSAGE=" + std::string(message));
        lines.push_back("PRIORITY=" + std::to_string(syslogPriority(level)));
        lines.push_back("SYSLOG_IDENTIFIER=" + std::string(k_identifier));
        for (const auto& [name, value] : fields)
            lines.push_back("IMHERE_" + std::string(name) + "=" + value);
        std::vector<iovec> parts;
        parts.reserve(lines.size());
        for (auto& line : lines)
            parts.push_back(iovec{line.data(), line.size()});
        sd_journal_sendv(parts.data(), static_cast<int>(parts.size()));
        return;
    }
#endif
    std::string line(k_identifier);
    line += ": ";
    if (level != LogLevel::Info) {
        line += levelName(level);
        line += ": ";
    }
    line += message;
    bool first = true;
    for (const auto& [name, value] : fields) {
        line += first ? " (" : ", ";
        first = false;
        for (const char c : name)
            line.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        line += '=';
        line += value;
    }
    if (!first)
        line += ')';
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace imhere::server::observe
