#pragma once
// The server's log: to the systemd journal with structured fields when
// stderr is the journal (started by systemd), else one line on stderr.
// Messages and fields never carry secrets (tokens, passwords, keys, cookies):
// callers pass ids and counts only.
//
// Thread rules: any thread; each call writes one whole entry.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace imhere::server::observe {

enum class LogLevel { Debug, Info, Warning, Error };

// A field: its name in upper case (letters, digits, '_'), sent to the
// journal as IMHERE_<NAME>.
using LogField = std::pair<std::string_view, std::string>;

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

// Whether log() writes to the journal (stderr is the journal stream).
[[nodiscard]] bool logsToJournal();

} // namespace imhere::server::observe
