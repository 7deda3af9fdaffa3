// The SQLite-to-PostgreSQL copy (sqlitetopg.h).

#include "sqlitetopg.h"

#include "pgschema.h"
#include "sqliteschema.h"
#include "sqlitetopgparts.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

namespace imhere::server {

namespace {

using namespace sqlitetopg;

// pgschemav1.cpp's order, in which every table follows those it refers to.
constexpr std::string_view k_tables[] = {
    "org", "person", "badge", "course", "enrollment", "enrollment_history", "attendance_window",
    "window_event", "check_in", "correction", "flag_event", "remote_confirm", "api_key", "session",
    "kiosk", "kiosk_course", "sync_receipt", "change_log", "admin_history", "remote_device", "link_code",
    "remote_check_in", "course_tracker", "person_region", "window_sprint", "register_import",
    "imported_check_in", "lead_history", "alert_follow_up", "account_link", "mail_outbox",
    "public_opt_out", "privacy_log", "slack_outbox", "milestone", "milestone_confirmation",
    "metric_snapshot", "harvest_error", "harvest_reply", "milestone_mark",
};

// PostgreSQL's own, with nothing in SQLite to copy: the rate limits' attempts,
// which a server on one file counts in memory (attemptlog.h).
constexpr std::string_view k_postgresOnly[] = {"attempt"};

constexpr std::string_view k_eventLog[] = {"window_event", "check_in", "correction", "flag_event", "remote_confirm",
                                           "change_log"};

// How long to wait for a server still using the target to let go of a table.
constexpr std::string_view k_lockTimeout = "SET LOCAL lock_timeout = '10s'";

using Steady = std::chrono::steady_clock;

double secondsSince(Steady::time_point start)
{
    return std::chrono::duration<double>(Steady::now() - start).count();
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
        if (!known.contains(table) && std::ranges::find(k_postgresOnly, table) == std::end(k_postgresOnly))
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
    std::vector<std::string_view> all(std::begin(k_tables), std::end(k_tables));
    all.insert(all.end(), std::begin(k_postgresOnly), std::end(k_postgresOnly));
    for (const auto table : all) {
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

// ---- the copy ------------------------------------------------------------------

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

std::span<const std::string_view> postgresOnlyTables()
{
    return k_postgresOnly;
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
    // The planner's statistics for the rows just loaded, which autovacuum
    // would gather only later: without them the first reports scan whole
    // tables where an index serves.
    TRY(pg->exec("ANALYZE"));
    report.seconds = secondsSince(started);
    return report;
}

} // namespace imhere::server
