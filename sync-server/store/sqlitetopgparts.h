#pragma once
// What the parts of the SQLite-to-PostgreSQL copy (sqlitetopg.h) share:
// sqlitetopg.cpp checks the two schemas and runs the copy in its
// transaction, sqlitetopgcopy.cpp streams the rows in and continues the
// identities, sqlitetopgverify.cpp counts and checksums both sides. Only
// they include it.

#include "pgconnection.h"
#include "sqlitetopg.h"

#include "core/database.h"

#include <sqlite3.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server::sqlitetopg {

inline std::string identifier(std::string_view name)
{
    return "\"" + std::string(name) + "\"";
}

// A column of the PostgreSQL table, and the SQLite expression its values
// come from: the column of the same name, or the rowid that PostgreSQL keeps
// as `seq`.
struct Column {
    std::string name;
    std::string pgType; // information_schema's data_type
    std::string source;
};

struct TablePlan {
    std::string_view name;
    std::vector<Column> columns;
    std::string sqliteOrder; // the source of `seq`, when the table has one
};

struct StatementFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqliteRows = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

inline Result<SqliteRows> prepareRows(Database& db, const std::string& sql)
{
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
    SqliteRows rows(raw);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(db.handle(), rc, sql));
    return rows;
}

// SQLITE_ROW: true; SQLITE_DONE: false.
inline Result<bool> nextRow(Database& db, sqlite3_stmt* rows)
{
    const int rc = sqlite3_step(rows);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return std::unexpected(sqliteError(db.handle(), rc, "read"));
}

inline std::string join(const std::vector<std::string>& parts)
{
    std::string out;
    for (const auto& part : parts)
        out += (out.empty() ? "" : ", ") + part;
    return out;
}

inline void appendHex(std::string& out, const std::uint8_t* bytes, std::size_t size)
{
    static constexpr char k_digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(k_digits[bytes[i] >> 4]);
        out.push_back(k_digits[bytes[i] & 0xf]);
    }
}

template <class Number>
void appendNumber(std::string& out, Number value)
{
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    out.append(text, end);
}

// ---- sqlitetopgcopy.cpp ---------------------------------------------------------

// Streams the table's rows from SQLite into PostgreSQL; the rows copied.
[[nodiscard]] Result<std::int64_t> copyTable(Database& sqlite, PgConnection& pg, const TablePlan& plan,
                                             TableCount& count, const CopyProgress& progress);
// Every identity continues after the largest value copied and after what
// SQLite's AUTOINCREMENT had handed out (a number is never used twice).
[[nodiscard]] Result<void> continueIdentities(Database& sqlite, PgConnection& pg);

// ---- sqlitetopgverify.cpp -------------------------------------------------------

// The event log's SHA-256 (eventLogTables()), as hex, read from each side.
[[nodiscard]] Result<std::string> sqliteChecksum(Database& sqlite, const std::vector<TablePlan>& plans);
[[nodiscard]] Result<std::string> pgChecksum(PgConnection& pg, const std::vector<TablePlan>& plans);
[[nodiscard]] Result<std::int64_t> sqliteCount(Database& sqlite, std::string_view table);
[[nodiscard]] Result<std::int64_t> pgCount(PgConnection& pg, std::string_view table);

} // namespace imhere::server::sqlitetopg
