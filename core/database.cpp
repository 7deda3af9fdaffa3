#include "database.h"

#include "limits.h"

#include <sqlite3.h>

#include <algorithm>

namespace imhere {

namespace {

Errc codeFor(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Errc::Busy;
    case SQLITE_CONSTRAINT: return Errc::Constraint;
    case SQLITE_FULL: return Errc::DiskFull;
    case SQLITE_IOERR: return Errc::IoError;
    case SQLITE_READONLY: return Errc::ReadOnly;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Errc::Corrupt;
    case SQLITE_CANTOPEN: return Errc::CannotOpen;
    case SQLITE_RANGE: return Errc::BindRange;
    case SQLITE_MISMATCH: return Errc::TypeMismatch;
    default: return Errc::Sqlite;
    }
}

} // namespace

Error sqliteError(sqlite3* db, int rc, std::string_view context)
{
    std::string message(context);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return Error{codeFor(rc), std::move(message)};
}

// ---- Statement -------------------------------------------------------------

void Statement::Finalizer::operator()(sqlite3_stmt* s) const
{
    sqlite3_finalize(s);
}

void Statement::noteBind(int rc, int index)
{
    if (rc != SQLITE_OK && !m_bindError)
        m_bindError = sqliteError(m_db, rc, "bind parameter " + std::to_string(index));
}

Statement& Statement::bind(int index, std::int64_t value)
{
    noteBind(sqlite3_bind_int64(m_stmt.get(), index, value), index);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    noteBind(sqlite3_bind_double(m_stmt.get(), index, value), index);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    noteBind(sqlite3_bind_text64(m_stmt.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
             index);
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t)
{
    noteBind(sqlite3_bind_null(m_stmt.get(), index), index);
    return *this;
}

Statement& Statement::bindBlob(int index, std::span<const std::uint8_t> bytes)
{
    noteBind(sqlite3_bind_blob64(m_stmt.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), index);
    return *this;
}

Result<bool> Statement::step()
{
    if (m_bindError)
        return std::unexpected(*m_bindError);
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return std::unexpected(sqliteError(m_db, rc, sqlite3_sql(m_stmt.get())));
}

Result<void> Statement::run()
{
    for (;;) {
        TRY_ASSIGN(more, step());
        if (!more)
            return {};
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
    m_bindError.reset();
}

std::int64_t Statement::int64At(int column) const
{
    return sqlite3_column_int64(m_stmt.get(), column);
}

int Statement::intAt(int column) const
{
    return sqlite3_column_int(m_stmt.get(), column);
}

double Statement::doubleAt(int column) const
{
    return sqlite3_column_double(m_stmt.get(), column);
}

std::string Statement::textAt(int column) const
{
    const auto* text = sqlite3_column_text(m_stmt.get(), column);
    const int size = sqlite3_column_bytes(m_stmt.get(), column);
    if (!text)
        return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::optionalTextAt(int column) const
{
    if (isNullAt(column))
        return std::nullopt;
    return textAt(column);
}

std::optional<std::int64_t> Statement::optionalInt64At(int column) const
{
    if (isNullAt(column))
        return std::nullopt;
    return int64At(column);
}

std::vector<std::uint8_t> Statement::blobAt(int column) const
{
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt.get(), column));
    const int size = sqlite3_column_bytes(m_stmt.get(), column);
    if (!data)
        return {};
    return {data, data + size};
}

bool Statement::isNullAt(int column) const
{
    return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}

// ---- Database --------------------------------------------------------------

void Database::Closer::operator()(sqlite3* db) const
{
    // Statements are finalised by their owners first; close_v2 defers the
    // close until the last one goes, so a leaked statement cannot crash here.
    sqlite3_close_v2(db);
}

Result<Database> Database::open(const std::string& path, const OpenOptions& options)
{
    sqlite3* raw = nullptr;
    const int flags = options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOFOLLOW, nullptr);
    Database db(raw);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(raw, rc, "open " + path));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, options.busyTimeoutMs > 0 ? options.busyTimeoutMs : limits::k_sqliteBusyTimeoutMs);

    if (!options.readOnly) {
        TRY_ASSIGN(mode, db.prepare("PRAGMA journal_mode=WAL"));
        TRY_ASSIGN(row, mode.step());
        if (!row || mode.textAt(0) != "wal")
            return fail(Errc::Sqlite, "open " + path + ": could not switch to WAL journal mode");
    }
    for (const char* pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
        TRY(db.exec(pragma));
    if (options.cacheKiB > 0)
        TRY(db.exec("PRAGMA cache_size=-" + std::to_string(options.cacheKiB)));

    const int newest = options.migrations.empty()
        ? 0
        : std::ranges::max(options.migrations, {}, &Migration::version).version;
    TRY_ASSIGN(current, db.userVersion());
    if (current > newest && !options.migrations.empty())
        return fail(Errc::SchemaTooNew, path + " has schema version " + std::to_string(current)
                                          + " but this build knows up to " + std::to_string(newest)
                                          + "; use a newer imhere");
    if (!options.readOnly && !options.migrations.empty())
        TRY(db.migrate(options.migrations));
    return db;
}

Result<void> Database::exec(std::string_view sql)
{
    char* message = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string detail = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return fail(codeFor(rc), detail);
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql)
{
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db.get(), sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return std::unexpected(sqliteError(m_db.get(), rc, "prepare"));
    }
    return Statement(m_db.get(), stmt);
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db.get());
}

int Database::changes() const
{
    return sqlite3_changes(m_db.get());
}

Result<int> Database::userVersion()
{
    TRY_ASSIGN(stmt, prepare("PRAGMA user_version"));
    TRY_ASSIGN(row, stmt.step());
    return row ? stmt.intAt(0) : 0;
}

Result<void> Database::migrate(std::span<const Migration> migrations)
{
    std::vector<Migration> ordered(migrations.begin(), migrations.end());
    std::ranges::sort(ordered, {}, &Migration::version);
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        if (ordered[i].version != static_cast<int>(i) + 1)
            return fail(Errc::BadMigrations, "migrations must be numbered 1, 2, 3, ... without gaps");
    }
    for (const Migration& m : ordered) {
        TRY_ASSIGN(txn, Transaction::begin(*this));
        // Read the version inside the write lock: two processes opening a new
        // file at once must not both apply the same step.
        TRY_ASSIGN(current, userVersion());
        if (current >= m.version)
            continue;
        if (auto r = exec(m.sql); !r)
            return fail(Errc::MigrationFailed, "migration " + std::to_string(m.version) + ": " + r.error().message);
        TRY(exec("PRAGMA user_version=" + std::to_string(m.version)));
        TRY(txn.commit());
    }
    return {};
}

// ---- Transaction -----------------------------------------------------------

Result<Transaction> Transaction::begin(Database& db, Kind kind)
{
    TRY(db.exec(kind == Kind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
    return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(other.m_db), m_active(other.m_active)
{
    other.m_active = false;
}

Transaction::~Transaction()
{
    if (m_active)
        (void)m_db->exec("ROLLBACK");
}

Result<void> Transaction::commit()
{
    m_active = false;
    if (auto r = m_db->exec("COMMIT"); !r) {
        (void)m_db->exec("ROLLBACK");
        return r;
    }
    return {};
}

} // namespace imhere
