#pragma once
// The imhere-server commands (DESIGN §7). Each returns the process exit
// status: 0 success, 1 failure, 2 usage error. main.cpp only dispatches.

#include "options.h"

#include "sync-server/store/store.h"

#include "core/clock.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>
#include <span>
#include <string_view>

namespace imhere::server::cli {

struct Command {
    std::string_view name; // "serve", "user add", ...
    std::string_view summary;
    std::string_view help; // full --help text
    int (*run)(const CommandLine& line, const Settings& settings);
};

[[nodiscard]] std::span<const Command> commands();
[[nodiscard]] std::string_view commonHelp();

int serveCommand(const CommandLine& line, const Settings& settings);
int initCommand(const CommandLine& line, const Settings& settings);
int userAddCommand(const CommandLine& line, const Settings& settings);
int kioskAddCommand(const CommandLine& line, const Settings& settings);
int backupCommand(const CommandLine& line, const Settings& settings);
int restoreCommand(const CommandLine& line, const Settings& settings);
int importRosterCommand(const CommandLine& line, const Settings& settings);
int importRegisterCommand(const CommandLine& line, const Settings& settings);
int demoDataCommand(const CommandLine& line, const Settings& settings);
int personEraseCommand(const CommandLine& line, const Settings& settings);
int migrateCommand(const CommandLine& line, const Settings& settings);

// Opens the store named by --db (or IMHERE_DB / config), printing why not:
// a SQLite file, or a PostgreSQL database named by a postgresql:// URL with
// `connections` pooled connections.
[[nodiscard]] std::unique_ptr<Store> openStore(const Settings& settings, const Clock& clock,
                                               std::size_t connections = 2);
// Whether a `db` setting names a PostgreSQL database rather than a file.
[[nodiscard]] bool isPostgresUrl(std::string_view db);
// `db` fit for a log line: a URL's password is left out.
[[nodiscard]] std::string describeDb(std::string_view db);
// imhere-YYYYMMDDTHHMMSSZ.db, for a backup taken at `at`.
[[nodiscard]] std::string backupFileName(std::chrono::system_clock::time_point at);
// The backups in `dir` (named as above) beyond the newest `keep`, oldest first.
[[nodiscard]] std::vector<std::filesystem::path> backupsToDelete(const std::filesystem::path& dir, std::size_t keep);

// Prints "imhere-server: <message>" to stderr and returns 1.
int failWith(std::string_view message);

} // namespace imhere::server::cli
