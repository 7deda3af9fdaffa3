#pragma once
// Moves a deployment from SQLite to PostgreSQL (`imhere-server migrate`,
// docs/OPERATIONS.md "Moving to PostgreSQL"): every row of every table of
// the SQLite schema, copied into an empty PostgreSQL database made with
// PgStore's migrations, in one PostgreSQL transaction that commits only
// once the copy is verified.
//
// - The SQLite file is opened read-only and read in one snapshot; it must
//   have the newest schema this build knows (an older one is migrated first
//   by `init` or `serve`).
// - A target holding any row (besides the one milestone_mark row its schema
//   starts with) is refused before anything is written.
// - Ids and sequence numbers are kept: a SQLite rowid that PostgreSQL keeps
//   as a column (the `seq` of the event tables and lead_history) is copied
//   into it, and every identity then continues after the largest value
//   copied (and after SQLite's AUTOINCREMENT counter), so the change-log
//   cursor a kiosk holds stays valid and new rows never reuse a number.
// - Columns are matched by name and checked both ways: a column or table
//   on one side only stops the copy, so a migration added to one schema and
//   not the other cannot lose data silently.
// - Rows are streamed (COPY FROM STDIN on PostgreSQL, a cursor to read
//   back), never held in memory.
// - Verified before commit: the row count of every table on both sides, and
//   a SHA-256 over the event log (eventLogTables(), in seq order, every
//   column) computed the same way from each side. Any difference rolls the
//   transaction back and leaves the target empty.
//
// Thread rules: one thread; the call has connections of its own.

#include "core/result.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

// Every table copied, in the order copied: each after the tables it refers to.
[[nodiscard]] std::span<const std::string_view> copiedTables();
// PostgreSQL's tables with nothing in SQLite to copy (the rate limits'
// attempts); they must be empty too.
[[nodiscard]] std::span<const std::string_view> postgresOnlyTables();
// The tables the checksum covers: the events, and the change log kiosks pull.
[[nodiscard]] std::span<const std::string_view> eventLogTables();

struct TableCount {
    std::string table;
    std::int64_t sqliteRows = 0;
    std::int64_t pgRows = 0;
    double seconds = 0; // copying it
};

struct CopyReport {
    int sqliteSchema = 0;
    int pgSchema = 0;
    std::vector<TableCount> tables; // in copiedTables() order
    std::string sqliteChecksum;     // hex SHA-256 of the event log as read from SQLite
    std::string pgChecksum;         // and as read back from PostgreSQL, before commit
    std::int64_t rows = 0;          // copied, all tables
    double copySeconds = 0;         // copying, without verifying
    double seconds = 0;             // everything
};

// Told how a table's copy goes: every k_progressRows rows (done false),
// and once when the table is copied (done true).
using CopyProgress = std::function<void(const TableCount& table, bool done)>;
inline constexpr std::int64_t k_progressRows = 250'000;

// Copies the SQLite database at `sqlitePath` into the PostgreSQL database
// at `pgUrl`. On failure the target holds no rows (its schema may have been
// made). Conflict: the target is not empty, or the source's schema is older
// than this build's; Corrupt: the verification found a difference.
[[nodiscard]] Result<CopyReport> copySqliteToPg(const std::string& sqlitePath, const std::string& pgUrl,
                                                const CopyProgress& progress);

} // namespace imhere::server
