#include "sqlitebackup.h"

#include "sqliteschema.h"

#include "core/database.h"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace imhere::server {

namespace {

using Connection = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Result<Connection> connect(const std::string& path, int flags)
{
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    Connection owner(db, &sqlite3_close);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(db, rc, "open " + path));
    sqlite3_busy_timeout(db, 5'000);
    return owner;
}

// Every page of `from` into `to`, in one step: one read snapshot of the
// source, whatever other connections commit meanwhile.
Result<void> copyPages(sqlite3* from, sqlite3* to, const std::string& what)
{
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (!backup)
        return std::unexpected(sqliteError(to, sqlite3_errcode(to), what));
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        return std::unexpected(sqliteError(to, rc, what));
    return {};
}

} // namespace

Result<std::string> integrityCheck(const std::string& path)
{
    TRY_ASSIGN(db, connect(path, SQLITE_OPEN_READONLY));
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db.get(), "PRAGMA integrity_check", -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(db.get(), rc, "integrity_check " + path));
    std::string verdict;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        if (!verdict.empty())
            verdict += "; ";
        verdict += reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    }
    if (rc != SQLITE_DONE)
        return std::unexpected(sqliteError(db.get(), rc, "integrity_check " + path));
    return verdict;
}

Result<int> schemaVersionOf(const std::string& path)
{
    TRY_ASSIGN(db, Database::open(path, {.readOnly = true}));
    return db.userVersion();
}

int latestSchemaVersion()
{
    const auto migrations = sqliteMigrations();
    return migrations.empty() ? 0 : migrations.back().version;
}

Result<void> backupDatabase(const std::string& from, const std::string& to)
{
    if (!std::filesystem::exists(from))
        return fail(Errc::CannotOpen, from + ": no such database");
    const std::string partial = to + ".partial";
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    {
        TRY_ASSIGN(source, connect(from, SQLITE_OPEN_READONLY));
        TRY_ASSIGN(target, connect(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
        if (auto copied = copyPages(source.get(), target.get(), "backup " + from + " to " + partial); !copied) {
            std::filesystem::remove(partial, ignored);
            return copied;
        }
        // One self-contained file: the copy leaves WAL mode, so it has no
        // -wal or -shm beside it (the server puts a restored file back in WAL).
        if (const int rc = sqlite3_exec(target.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
            rc != SQLITE_OK) {
            std::filesystem::remove(partial, ignored);
            return std::unexpected(sqliteError(target.get(), rc, "backup to " + partial));
        }
    }
    TRY_ASSIGN(verdict, integrityCheck(partial));
    if (verdict != "ok") {
        std::filesystem::remove(partial, ignored);
        return fail(Errc::Corrupt, "the copy of " + from + " fails integrity_check: " + verdict);
    }
    std::error_code renamed;
    std::filesystem::rename(partial, to, renamed);
    if (renamed)
        return fail(Errc::CannotOpen, "rename " + partial + " to " + to + ": " + renamed.message());
    return {};
}

Result<void> restoreDatabase(const std::string& from, const std::string& to)
{
    if (!std::filesystem::exists(from))
        return fail(Errc::CannotOpen, from + ": no such backup");
    TRY_ASSIGN(verdict, integrityCheck(from));
    if (verdict != "ok")
        return fail(Errc::Corrupt, from + " fails integrity_check: " + verdict);
    TRY_ASSIGN(version, schemaVersionOf(from));
    if (version > latestSchemaVersion())
        return fail(Errc::SchemaTooNew, from + " has schema version " + std::to_string(version)
                                            + ", newer than this imhere-server knows ("
                                            + std::to_string(latestSchemaVersion()) + ")");
    TRY_ASSIGN(source, connect(from, SQLITE_OPEN_READONLY));
    TRY_ASSIGN(target, connect(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    return copyPages(source.get(), target.get(), "restore " + from + " into " + to);
}

} // namespace imhere::server
