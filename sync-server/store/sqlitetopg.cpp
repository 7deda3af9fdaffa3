// The SQLite-to-PostgreSQL copy (sqlitetopg.h).

#include "sqlitetopg.h"

#include "pgconnection.h"
#include "pgschema.h"
#include "sqliteschema.h"

#include "core/crypto.h"
#include "core/database.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace imhere::server {

namespace {

// pgschemav1.cpp's order, in which every table follows those it refers to.
constexpr std::string_view k_tables[] = {
    "org",           "person",          "badge",          "course",          "enrollment",
    "enrollment_history", "attendance_window", "window_event", "check_in",    "correction",
    "flag_event",    "remote_confirm",  "api_key",        "session",         "kiosk",
    "kiosk_course",  "sync_receipt",    "change_log",     "admin_history",   "remote_device",
    "link_code",     "remote_check_in", "course_tracker", "person_region",   "window_sprint",
    "register_import", "imported_check_in", "lead_history", "alert_follow_up", "account_link",
    "mail_outbox",   "public_opt_out",  "privacy_log",    "slack_outbox",    "milestone",
    "milestone_confirmation", "metric_snapshot", "harvest_error", "harvest_reply", "milestone_mark",
};

constexpr std::string_view k_eventLog[] = {"window_event", "check_in",       "correction",
                                           "flag_event",   "remote_confirm", "change_log"};

// COPY data is sent in pieces of about this size.
constexpr std::size_t k_copyChunkBytes = std::size_t{1} << 20;
// Rows in one COPY statement, so that PostgreSQL's queue of foreign-key
// checks (run when the statement ends) stays small.
constexpr std::int64_t k_rowsPerCopy = 100'000;
// Rows read back from PostgreSQL at a time, for the checksum.
constexpr int k_fetchRows = 10'000;
// How long to wait for a server still using the target to let go of a table.
constexpr std::string_view k_lockTimeout = "SET LOCAL lock_timeout = '10s'";

using Steady = std::chrono::steady_clock;

double secondsSince(Steady::time_point start)
{
    return std::chrono::duration<double>(Steady::now() - start).count();
}

std::string identifier(std::string_view name)
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

Result<SqliteRows> prepareRows(Database& db, const std::string& sql)
{
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
    SqliteRows rows(raw);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(db.handle(), rc, sql));
    return rows;
}

// SQLITE_ROW: true; SQLITE_DONE: false.
Result<bool> nextRow(Database& db, sqlite3_stmt* rows)
{
    const int rc = sqlite3_step(rows);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return std::unexpected(sqliteError(db.handle(), rc, "read"));
}

std::string join(const std::vector<std::string>& parts)
{
    std::string out;
    for (const auto& part : parts)
        out += (out.empty() ? "" : ", ") + part;
    return out;
}

void appendHex(std::string& out, const std::uint8_t* bytes, std::size_t size)
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

// ---- the two schemas -----------------------------------------------------------

Result<std::set<std::string>> sqliteTables(Database& db)
{
    TRY_ASSIGN(s, db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"));
    TRY_ASSIGN(names, s.collect([](Statement& row) { return row.textAt(0); }));
    return std::set<std::string>(names.begin(), names.end());
}

Result<std::set<std::string>> pgTables(PgConnection& pg)
{
    TRY_ASSIGN(s, pg.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                           " AND table_type = 'BASE TABLE' AND table_name <> 'schema_version'"));
    TRY_ASSIGN(names, s->collect([](PgStatement& row) { return row.textAt(0); }));
    return std::set<std::string>(names.begin(), names.end());
}

// Both databases have exactly the tables the copy knows.
Result<void> sameTables(Database& sqlite, PgConnection& pg)
{
    const std::set<std::string> known(std::begin(k_tables), std::end(k_tables));
    TRY_ASSIGN(fromTables, sqliteTables(sqlite));
    TRY_ASSIGN(toTables, pgTables(pg));
    for (const auto& table : fromTables) {
        if (!known.contains(table))
            return fail(Errc::Conflict, "the SQLite table " + table + " is not one this build can copy");
    }
    for (const auto& table : toTables) {
        if (!known.contains(table))
            return fail(Errc::Conflict, "the PostgreSQL database has a table " + table
                                            + " that is not imhere's: migrate into a new, empty database");
    }
    for (const auto& table : known) {
        if (!fromTables.contains(table))
            return fail(Errc::Conflict, "the SQLite database has no table " + table);
        if (!toTables.contains(table))
            return fail(Errc::Conflict, "the PostgreSQL database has no table " + table);
    }
    return {};
}

Result<TablePlan> planTable(Database& sqlite, PgConnection& pg, std::string_view table)
{
    TRY_ASSIGN(info, sqlite.prepare("SELECT name FROM pragma_table_info(?)"));
    TRY_ASSIGN(fromColumns, info.bind(1, table).collect([](Statement& row) { return row.textAt(0); }));
    // A WITHOUT ROWID table has no rowid to read.
    const bool hasRowid = static_cast<bool>(sqlite.prepare("SELECT rowid FROM " + identifier(table) + " LIMIT 0"));

    TRY_ASSIGN(s, pg.query("SELECT column_name, data_type FROM information_schema.columns"
                           " WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"));
    TRY_ASSIGN(toColumns, s->bind(1, table).collect([](PgStatement& row) {
        return std::pair(row.textAt(0), row.textAt(1));
    }));
    TablePlan plan{table, {}, {}};
    for (auto& [name, type] : toColumns) {
        std::string source;
        if (std::ranges::find(fromColumns, name) != fromColumns.end())
            source = identifier(name);
        else if (name == "seq" && hasRowid)
            source = "rowid";
        else
            return fail(Errc::Conflict, "PostgreSQL's " + std::string(table) + "." + name
                                            + " has no column to come from in SQLite");
        if (name == "seq")
            plan.sqliteOrder = source;
        plan.columns.push_back(Column{std::move(name), std::move(type), std::move(source)});
    }
    for (const auto& name : fromColumns) {
        if (std::ranges::none_of(plan.columns, [&](const Column& c) { return c.name == name; }))
            return fail(Errc::Conflict, "SQLite's " + std::string(table) + "." + name + " has no column in PostgreSQL");
    }
    return plan;
}

// The tables of the target that hold rows, listed for the error; empty when
// there are none. The schema starts milestone_mark with its one (1, 0) row.
Result<std::string> tablesWithRows(PgConnection& pg)
{
    std::string found;
    for (const auto table : k_tables) {
        TRY_ASSIGN(exists, pg.query("SELECT to_regclass($1) IS NOT NULL"));
        TRY(exists->bind(1, identifier(table)).step());
        if (!exists->boolAt(0))
            continue;
        const std::string sql = table == "milestone_mark"
            ? "SELECT count(*) FROM milestone_mark WHERE NOT (id = 1 AND seq = 0)"
            : "SELECT count(*) FROM " + identifier(table);
        TRY_ASSIGN(count, pg.query(sql));
        TRY(count->step());
        if (const auto rows = count->int64At(0); rows > 0)
            found += (found.empty() ? "" : ", ") + std::string(table) + " " + std::to_string(rows);
    }
    return found;
}

Result<void> refuseUnlessEmpty(PgConnection& pg)
{
    TRY_ASSIGN(found, tablesWithRows(pg));
    if (!found.empty())
        return fail(Errc::Conflict, "the PostgreSQL database is not empty (rows in " + found
                                        + "): migrate only into a new, empty database; nothing was changed");
    return {};
}

// ---- copying -------------------------------------------------------------------

// One COPY FROM STDIN (text format) in progress on `pg`.
class CopyIn {
public:
    static Result<CopyIn> begin(PgConnection& pg, const std::string& sql)
    {
        pg_result* result = PQexec(pg.handle(), sql.c_str());
        if (!result || PQresultStatus(result) != PGRES_COPY_IN) {
            Error error = pgError(pg.handle(), result, sql);
            if (result)
                PQclear(result);
            return std::unexpected(std::move(error));
        }
        PQclear(result);
        return CopyIn(pg);
    }
    CopyIn(CopyIn&& other) noexcept : m_pg(other.m_pg), m_open(std::exchange(other.m_open, false)) {}
    CopyIn& operator=(CopyIn&&) = delete;
    // A copy not ended is abandoned: the server discards it.
    ~CopyIn()
    {
        if (m_open)
            (void)finish("the copy was abandoned");
    }

    Result<void> send(std::string& data)
    {
        if (data.empty())
            return {};
        if (PQputCopyData(m_pg.handle(), data.data(), static_cast<int>(data.size())) != 1)
            return std::unexpected(pgError(m_pg.handle(), nullptr, "copy"));
        data.clear();
        return {};
    }
    // Ends the copy; with `abandon`, the server fails it with that message.
    Result<void> finish(const char* abandon = nullptr)
    {
        m_open = false;
        std::optional<Error> error;
        if (PQputCopyEnd(m_pg.handle(), abandon) != 1)
            error = pgError(m_pg.handle(), nullptr, "copy");
        while (pg_result* result = PQgetResult(m_pg.handle())) {
            if (PQresultStatus(result) != PGRES_COMMAND_OK && !error)
                error = pgError(m_pg.handle(), result, "copy");
            PQclear(result);
        }
        if (error)
            return std::unexpected(std::move(*error));
        return {};
    }

private:
    explicit CopyIn(PgConnection& pg) : m_pg(pg) {}
    PgConnection& m_pg;
    bool m_open = true;
};

// COPY's text format: tab between columns, \N for NULL, backslash escapes.
void appendCopyText(std::string& out, const unsigned char* text, int size)
{
    for (int i = 0; i < size; ++i) {
        const char c = static_cast<char>(text[i]);
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out.push_back(c);
        }
    }
}

Result<void> appendCopyValue(std::string& out, sqlite3_stmt* row, int index, const Column& column,
                             std::string_view table)
{
    const int type = sqlite3_column_type(row, index);
    if (type == SQLITE_NULL) {
        out += "\\N";
        return {};
    }
    // STRICT tables keep BLOB columns for blobs only: bytea on PostgreSQL.
    if ((type == SQLITE_BLOB) != (column.pgType == "bytea"))
        return fail(Errc::TypeMismatch, std::string(table) + "." + column.name + ": a "
                                            + (type == SQLITE_BLOB ? "blob" : "non-blob value") + " for a "
                                            + column.pgType + " column");
    switch (type) {
    case SQLITE_INTEGER: appendNumber(out, sqlite3_column_int64(row, index)); break;
    case SQLITE_FLOAT: appendNumber(out, sqlite3_column_double(row, index)); break;
    case SQLITE_BLOB:
        out += "\\\\x"; // bytea's hex input, its backslash escaped for COPY
        appendHex(out, static_cast<const std::uint8_t*>(sqlite3_column_blob(row, index)),
                  static_cast<std::size_t>(sqlite3_column_bytes(row, index)));
        break;
    default: appendCopyText(out, sqlite3_column_text(row, index), sqlite3_column_bytes(row, index));
    }
    return {};
}

Result<std::int64_t> copyTable(Database& sqlite, PgConnection& pg, const TablePlan& plan, TableCount& count,
                               const CopyProgress& progress)
{
    std::vector<std::string> sources;
    std::vector<std::string> names;
    for (const auto& column : plan.columns) {
        sources.push_back(column.source);
        names.push_back(identifier(column.name));
    }
    TRY_ASSIGN(rows, prepareRows(sqlite, "SELECT " + join(sources) + " FROM " + identifier(plan.name)));
    const std::string copySql = "COPY " + identifier(plan.name) + " (" + join(names) + ") FROM STDIN";
    std::optional<CopyIn> copy;
    std::string data;
    std::int64_t copied = 0;
    // Each COPY ends its statement: foreign keys are checked, and their
    // queued checks freed, every k_rowsPerCopy rows.
    auto endCopy = [&]() -> Result<void> {
        if (!copy)
            return {};
        TRY(copy->send(data));
        auto ended = copy->finish();
        copy.reset();
        return ended;
    };
    auto sendRows = [&]() -> Result<void> {
        for (;;) {
            TRY_ASSIGN(more, nextRow(sqlite, rows.get()));
            if (!more)
                return endCopy();
            if (!copy) {
                TRY_ASSIGN(begun, CopyIn::begin(pg, copySql));
                copy.emplace(std::move(begun));
            }
            for (std::size_t i = 0; i < plan.columns.size(); ++i) {
                if (i > 0)
                    data.push_back('\t');
                TRY(appendCopyValue(data, rows.get(), static_cast<int>(i), plan.columns[i], plan.name));
            }
            data.push_back('\n');
            if (data.size() >= k_copyChunkBytes)
                TRY(copy->send(data));
            if (++copied % k_rowsPerCopy == 0)
                TRY(endCopy());
            if (copied % k_progressRows == 0 && progress) {
                count.sqliteRows = copied;
                progress(count, false);
            }
        }
    };
    if (auto sent = sendRows(); !sent) {
        if (copy)
            (void)copy->finish(sent.error().message.c_str());
        return std::unexpected(std::move(sent.error()));
    }
    return copied;
}

// Every identity continues after the largest value copied and after what
// SQLite's AUTOINCREMENT had handed out (a number is never used twice).
Result<void> continueIdentities(Database& sqlite, PgConnection& pg)
{
    std::map<std::string, std::int64_t, std::less<>> handedOut;
    TRY_ASSIGN(counters, sqlite.prepare("SELECT name, seq FROM sqlite_sequence"));
    for (;;) {
        TRY_ASSIGN(row, counters.step());
        if (!row)
            break;
        handedOut[counters.textAt(0)] = counters.int64At(1);
    }
    TRY_ASSIGN(s, pg.query("SELECT table_name, column_name FROM information_schema.columns"
                           " WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name"));
    TRY_ASSIGN(identities, s->collect([](PgStatement& row) { return std::pair(row.textAt(0), row.textAt(1)); }));
    for (const auto& [table, column] : identities) {
        const auto counter = handedOut.find(table);
        TRY_ASSIGN(set, pg.query("SELECT setval(pg_get_serial_sequence($1, $2), greatest(top, 1), top > 0) FROM"
                                 " (SELECT greatest(coalesce(max(" + identifier(column) + "), 0), $3::bigint) AS top FROM "
                                 + identifier(table) + ") AS copied"));
        TRY(set->bindAll(identifier(table), column, counter == handedOut.end() ? std::int64_t{0} : counter->second).run());
    }
    return {};
}

// ---- verifying -----------------------------------------------------------------

// SHA-256 over tables of values, each value in one canonical form whichever
// database it was read from: integers in decimal, doubles in their shortest
// exact form, text as is, bytea as \x and lowercase hex; each value
// length-prefixed, NULL marked apart from the empty string.
class EventLogDigest {
public:
    EventLogDigest()
    {
        ensureSodium();
        crypto_hash_sha256_init(&m_state);
    }

    void table(std::string_view name)
    {
        add("T", 1);
        value(name);
    }
    void null() { add("N", 1); }
    void value(std::string_view bytes)
    {
        const std::uint64_t size = bytes.size();
        std::uint8_t prefix[9] = {'V'};
        for (int i = 0; i < 8; ++i)
            prefix[1 + i] = static_cast<std::uint8_t>(size >> (8 * i));
        add(prefix, sizeof prefix);
        add(bytes.data(), bytes.size());
    }
    std::string hex()
    {
        std::uint8_t digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&m_state, digest);
        std::string out;
        appendHex(out, digest, sizeof digest);
        return out;
    }

private:
    void add(const void* bytes, std::size_t size)
    {
        crypto_hash_sha256_update(&m_state, static_cast<const unsigned char*>(bytes), size);
    }
    crypto_hash_sha256_state m_state{};
};

std::string canonicalDouble(double value)
{
    std::string out;
    appendNumber(out, value);
    return out;
}

Result<std::string> sqliteChecksum(Database& sqlite, const std::vector<TablePlan>& plans)
{
    EventLogDigest digest;
    std::string text;
    for (const auto name : k_eventLog) {
        const auto& plan = *std::ranges::find(plans, name, &TablePlan::name);
        if (plan.sqliteOrder.empty())
            return fail(Errc::Internal, std::string(name) + " has no seq to order its events by");
        std::vector<std::string> sources;
        for (const auto& column : plan.columns)
            sources.push_back(column.source);
        TRY_ASSIGN(rows, prepareRows(sqlite, "SELECT " + join(sources) + " FROM " + identifier(name) + " ORDER BY "
                                                 + plan.sqliteOrder));
        digest.table(name);
        for (;;) {
            TRY_ASSIGN(more, nextRow(sqlite, rows.get()));
            if (!more)
                break;
            for (int i = 0; i < static_cast<int>(plan.columns.size()); ++i) {
                switch (sqlite3_column_type(rows.get(), i)) {
                case SQLITE_NULL: digest.null(); break;
                case SQLITE_FLOAT: digest.value(canonicalDouble(sqlite3_column_double(rows.get(), i))); break;
                case SQLITE_BLOB: {
                    text = "\\x";
                    appendHex(text, static_cast<const std::uint8_t*>(sqlite3_column_blob(rows.get(), i)),
                              static_cast<std::size_t>(sqlite3_column_bytes(rows.get(), i)));
                    digest.value(text);
                    break;
                }
                default: {
                    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), i));
                    digest.value(std::string_view(bytes, static_cast<std::size_t>(sqlite3_column_bytes(rows.get(), i))));
                }
                }
            }
        }
    }
    return digest.hex();
}

// Read back through a cursor, k_fetchRows at a time, inside the copy's transaction.
Result<std::string> pgChecksum(PgConnection& pg, const std::vector<TablePlan>& plans)
{
    EventLogDigest digest;
    TRY(pg.exec("SET LOCAL bytea_output = 'hex'"));
    const std::string fetch = "FETCH " + std::to_string(k_fetchRows) + " FROM event_log";
    for (const auto name : k_eventLog) {
        const auto& plan = *std::ranges::find(plans, name, &TablePlan::name);
        std::vector<std::string> names;
        for (const auto& column : plan.columns)
            names.push_back(identifier(column.name));
        TRY(pg.exec("DECLARE event_log NO SCROLL CURSOR FOR SELECT " + join(names) + " FROM " + identifier(name)
                    + " ORDER BY seq"));
        digest.table(name);
        for (;;) {
            std::unique_ptr<pg_result, decltype(&PQclear)> batch(PQexec(pg.handle(), fetch.c_str()), &PQclear);
            if (!batch || PQresultStatus(batch.get()) != PGRES_TUPLES_OK)
                return std::unexpected(pgError(pg.handle(), batch.get(), fetch));
            const int rows = PQntuples(batch.get());
            if (rows == 0)
                break;
            for (int r = 0; r < rows; ++r) {
                for (int i = 0; i < static_cast<int>(plan.columns.size()); ++i) {
                    if (PQgetisnull(batch.get(), r, i)) {
                        digest.null();
                        continue;
                    }
                    const std::string_view text(PQgetvalue(batch.get(), r, i),
                                                static_cast<std::size_t>(PQgetlength(batch.get(), r, i)));
                    if (plan.columns[static_cast<std::size_t>(i)].pgType == "double precision")
                        digest.value(canonicalDouble(std::strtod(std::string(text).c_str(), nullptr)));
                    else
                        digest.value(text);
                }
            }
        }
        TRY(pg.exec("CLOSE event_log"));
    }
    return digest.hex();
}

Result<std::int64_t> sqliteCount(Database& sqlite, std::string_view table)
{
    TRY_ASSIGN(s, sqlite.prepare("SELECT count(*) FROM " + identifier(table)));
    TRY(s.step());
    return s.int64At(0);
}

Result<std::int64_t> pgCount(PgConnection& pg, std::string_view table)
{
    TRY_ASSIGN(s, pg.query("SELECT count(*) FROM " + identifier(table)));
    TRY(s->step());
    return s->int64At(0);
}

// Inside the open PostgreSQL transaction: refuses a target with rows, copies,
// continues the identities and verifies.
Result<void> copyAndVerify(Database& sqlite, PgConnection& pg, CopyReport& report, const CopyProgress& progress)
{
    TRY(pg.exec(k_lockTimeout));
    std::string tables;
    for (const auto table : k_tables)
        tables += (tables.empty() ? "" : ", ") + identifier(table);
    // No server writes to the target while it fills.
    TRY(pg.exec("LOCK TABLE " + tables + " IN EXCLUSIVE MODE"));
    TRY(refuseUnlessEmpty(pg));
    TRY(sameTables(sqlite, pg));
    std::vector<TablePlan> plans;
    for (const auto table : k_tables) {
        TRY_ASSIGN(plan, planTable(sqlite, pg, table));
        plans.push_back(std::move(plan));
    }

    TRY(pg.exec("DELETE FROM milestone_mark")); // the schema's first row; SQLite's comes instead
    const auto copying = Steady::now();
    for (const auto& plan : plans) {
        TableCount count{std::string(plan.name), 0, 0, 0};
        const auto started = Steady::now();
        TRY_ASSIGN(copied, copyTable(sqlite, pg, plan, count, progress));
        count.sqliteRows = copied;
        count.seconds = secondsSince(started);
        report.rows += copied;
        if (progress)
            progress(count, true);
        report.tables.push_back(std::move(count));
    }
    TRY(continueIdentities(sqlite, pg));
    report.copySeconds = secondsSince(copying);

    std::string differences;
    for (auto& count : report.tables) {
        TRY_ASSIGN(fromRows, sqliteCount(sqlite, count.table));
        TRY_ASSIGN(toRows, pgCount(pg, count.table));
        count.sqliteRows = fromRows;
        count.pgRows = toRows;
        if (fromRows != toRows)
            differences += " " + count.table + " (" + std::to_string(fromRows) + " in SQLite, "
                + std::to_string(toRows) + " in PostgreSQL)";
    }
    TRY_ASSIGN(fromSum, sqliteChecksum(sqlite, plans));
    TRY_ASSIGN(toSum, pgChecksum(pg, plans));
    report.sqliteChecksum = fromSum;
    report.pgChecksum = toSum;
    if (fromSum != toSum)
        differences += " the event log's checksum";
    if (!differences.empty())
        return fail(Errc::Corrupt, "the copy differs from the SQLite database in" + differences
                                       + "; rolled back, the PostgreSQL database is left empty");
    return {};
}

} // namespace

std::span<const std::string_view> copiedTables()
{
    return k_tables;
}

std::span<const std::string_view> eventLogTables()
{
    return k_eventLog;
}

Result<CopyReport> copySqliteToPg(const std::string& sqlitePath, const std::string& pgUrl, const CopyProgress& progress)
{
    const auto started = Steady::now();
    CopyReport report;

    // The source: read-only, with the newest schema, read in one snapshot.
    if (std::error_code ignored; !std::filesystem::is_regular_file(sqlitePath, ignored))
        return fail(Errc::CannotOpen, sqlitePath + ": no such database file");
    TRY_ASSIGN(sqlite, Database::open(sqlitePath, {.readOnly = true, .migrations = sqliteMigrations()}));
    TRY_ASSIGN(version, sqlite.userVersion());
    const int latest = static_cast<int>(sqliteMigrations().size());
    if (version == 0)
        return fail(Errc::Conflict, sqlitePath + " is not an imhere database (its schema version is 0)");
    if (version < latest)
        return fail(Errc::Conflict, sqlitePath + " has schema version " + std::to_string(version)
                                        + ", older than this build's " + std::to_string(latest)
                                        + ": bring it up to date first with `imhere-server init --db "
                                        + sqlitePath + "`, then migrate again");
    report.sqliteSchema = version;
    TRY(sqlite.exec("BEGIN"));

    // The target: refused with rows before its schema is touched, then given
    // the newest schema.
    TRY_ASSIGN(pg, PgConnection::connect(pgUrl));
    TRY_ASSIGN(before, pgSchemaVersion(*pg));
    if (before > 0)
        TRY(refuseUnlessEmpty(*pg));
    TRY_ASSIGN(others, pgTables(*pg));
    if (before == 0 && !others.empty())
        return fail(Errc::Conflict, "the PostgreSQL database already has tables (" + *others.begin()
                                        + ", ...) and no imhere schema: migrate only into a new, empty database;"
                                          " nothing was changed");
    TRY(migratePg(*pg, pgMigrations()));
    TRY_ASSIGN(after, pgSchemaVersion(*pg));
    report.pgSchema = after;

    TRY(pg->exec("BEGIN"));
    if (auto copied = copyAndVerify(sqlite, *pg, report, progress); !copied) {
        (void)pg->exec("ROLLBACK");
        (void)sqlite.exec("ROLLBACK");
        return std::unexpected(std::move(copied.error()));
    }
    TRY(pg->exec("COMMIT"));
    (void)sqlite.exec("ROLLBACK"); // the read snapshot ends; nothing was written
    report.seconds = secondsSince(started);
    return report;
}

} // namespace imhere::server
