// `migrate`: a SQLite deployment copied into an empty PostgreSQL database
// (sync-server/store/sqlitetopg.h), with its progress and the verification
// printed.

#include "commands.h"

#include "databaselock.h"
#include "sync-server/observe/log.h"
#include "sync-server/store/sqlitetopg.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>

namespace imhere::server::cli {

namespace {

constexpr std::string_view k_sqliteScheme = "sqlite:";

std::string perSecond(std::int64_t rows, double seconds)
{
    return seconds > 0 ? std::to_string(static_cast<std::int64_t>(static_cast<double>(rows) / seconds)) : "-";
}

void printProgress(const TableCount& table, bool done)
{
    if (done)
        std::printf("  %-24s %10" PRId64 " rows %8.1f s\n", table.table.c_str(), table.sqliteRows, table.seconds);
    else
        std::printf("  %-24s %10" PRId64 " rows so far\n", table.table.c_str(), table.sqliteRows);
    std::fflush(stdout);
}

int usage(std::string_view message)
{
    std::fprintf(stderr, "imhere-server: %.*s (see imhere-server migrate --help)\n", static_cast<int>(message.size()),
                 message.data());
    return 2;
}

} // namespace

int migrateCommand(const CommandLine&, const Settings& settings)
{
    const auto from = settings.get("from");
    const auto to = settings.get("to");
    if (!from || !from->starts_with(k_sqliteScheme) || from->size() == k_sqliteScheme.size())
        return usage("--from sqlite:PATH is required: the SQLite database to copy");
    if (!to || !isPostgresUrl(*to))
        return usage("--to postgresql://... is required: the empty PostgreSQL database to copy into");
    const std::string path = from->substr(k_sqliteScheme.size());
    if (std::error_code ignored; !std::filesystem::is_regular_file(path, ignored))
        return failWith(path + ": no such database file");
    // No server writes to the file while it is copied.
    auto lock = DatabaseLock::acquire(path);
    if (!lock)
        return failWith("not migrating: " + lock.error().message + "; stop imhere-server first");

    // Printed without a password, in the URL or its parameters.
    const std::string target = describeDb(to->substr(0, to->find('?')));
    std::printf("copying %s into %s\n", path.c_str(), target.c_str());
    std::fflush(stdout);
    auto report = copySqliteToPg(path, *to, printProgress);
    if (!report)
        return failWith("migrate: " + report.error().message);

    std::printf("\nverified, rows in each table:\n  %-24s %10s %10s\n", "table", "SQLite", "PostgreSQL");
    for (const auto& table : report->tables)
        std::printf("  %-24s %10" PRId64 " %10" PRId64 "\n", table.table.c_str(), table.sqliteRows, table.pgRows);
    std::string events;
    for (const auto table : eventLogTables())
        events += (events.empty() ? "" : ", ") + std::string(table);
    std::printf("event log SHA-256 (%s):\n  SQLite      %s\n  PostgreSQL  %s\n", events.c_str(),
                report->sqliteChecksum.c_str(), report->pgChecksum.c_str());
    std::printf("migrated %" PRId64 " rows in %.1f s (copying %.1f s, %s rows/s); schema %d in SQLite, %d in "
                "PostgreSQL\n",
                report->rows, report->seconds, report->copySeconds, perSecond(report->rows, report->copySeconds).c_str(),
                report->sqliteSchema, report->pgSchema);
    observe::log(observe::LogLevel::Info, "database migrated to PostgreSQL",
                 {{"DB", path},
                  {"TARGET", target},
                  {"ROWS", std::to_string(report->rows)},
                  {"DURATION_MS", std::to_string(static_cast<std::int64_t>(report->seconds * 1000))}});
    return 0;
}

} // namespace imhere::server::cli
