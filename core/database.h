#pragma once
// A small RAII wrapper over the sqlite3 C API (DESIGN §9): WAL, synchronous=FULL,
// foreign keys, a busy timeout, BEGIN IMMEDIATE transactions and numbered
// migrations tracked in PRAGMA user_version.
//
// Thread rules: a Database and its Statements belong to one thread at a time.

#include "result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace imhere {

class Database;

// A prepared statement. Binding failures are remembered and reported by the
// next step(), so call sites read as one chain.
class Statement {
public:
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;
    ~Statement() = default;

    // Parameters are 1-based, as in SQL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::nullptr_t);
    Statement& bindBlob(int index, std::span<const std::uint8_t> bytes);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    // Binds each argument to the next parameter, starting at 1.
    template <class... Args>
    Statement& bindAll(const Args&... args)
    {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // true: a row is available; false: the statement is done.
    [[nodiscard]] Result<bool> step();
    // Steps to completion, ignoring rows.
    [[nodiscard]] Result<void> run();
    // Every remaining row, each made into a value by `read(statement)`.
    // (Header code spells out the early return: TRY's hidden names come from
    // __COUNTER__, which differs between the files that include a header.)
    template <class Read>
    [[nodiscard]] auto collect(Read read) -> Result<std::vector<std::invoke_result_t<Read&, Statement&>>>
    {
        std::vector<std::invoke_result_t<Read&, Statement&>> rows;
        for (;;) {
            auto more = step();
            if (!more)
                return std::unexpected(std::move(more.error()));
            if (!*more)
                return rows;
            rows.push_back(read(*this));
        }
    }
    // The next row made into a value by `read`, or nullopt when there is none.
    template <class Read>
    [[nodiscard]] auto first(Read read) -> Result<std::optional<std::invoke_result_t<Read&, Statement&>>>
    {
        auto found = step();
        if (!found)
            return std::unexpected(std::move(found.error()));
        if (!*found)
            return std::optional<std::invoke_result_t<Read&, Statement&>>{};
        return read(*this);
    }
    // Resets for re-execution and clears bindings.
    void reset();

    [[nodiscard]] std::int64_t int64At(int column) const;
    [[nodiscard]] int intAt(int column) const;
    [[nodiscard]] double doubleAt(int column) const;
    [[nodiscard]] std::string textAt(int column) const;
    [[nodiscard]] std::optional<std::string> optionalTextAt(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInt64At(int column) const;
    [[nodiscard]] std::vector<std::uint8_t> blobAt(int column) const;
    [[nodiscard]] bool isNullAt(int column) const;

private:
    friend class Database;
    struct Finalizer {
        void operator()(sqlite3_stmt* s) const;
    };
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    void noteBind(int rc, int index);

    sqlite3* m_db = nullptr;
    std::unique_ptr<sqlite3_stmt, Finalizer> m_stmt;
    std::optional<Error> m_bindError;
};

// One schema step. Versions start at 1 and increase by one.
struct Migration {
    int version;
    std::string_view sql;
};

struct OpenOptions {
    bool readOnly = false;
    std::span<const Migration> migrations{};
    int busyTimeoutMs = 0; // 0: limits::k_sqliteBusyTimeoutMs
    int cacheKiB = 0;      // page cache per connection; 0: SQLite's default (2 MiB)
};

class Database {
public:
    // Opens (creating if needed), configures and migrates. Refuses a file whose
    // schema is newer than the newest migration this build knows.
    [[nodiscard]] static Result<Database> open(const std::string& path, const OpenOptions& options = {});

    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;
    ~Database() = default;

    [[nodiscard]] Result<void> exec(std::string_view sql);
    [[nodiscard]] Result<Statement> prepare(std::string_view sql);

    [[nodiscard]] std::int64_t lastInsertRowId() const;
    [[nodiscard]] int changes() const;
    [[nodiscard]] Result<int> userVersion();
    [[nodiscard]] sqlite3* handle() const { return m_db.get(); }

    // Applies the migrations above the current user_version, each in its own
    // IMMEDIATE transaction together with its user_version bump.
    [[nodiscard]] Result<void> migrate(std::span<const Migration> migrations);

private:
    struct Closer {
        void operator()(sqlite3* db) const;
    };
    explicit Database(sqlite3* db) : m_db(db) {}

    std::unique_ptr<sqlite3, Closer> m_db;
};

// BEGIN IMMEDIATE on construction (through begin()), ROLLBACK on destruction
// unless committed. IMMEDIATE takes the write lock up front, so a writer never
// fails half-way with SQLITE_BUSY on lock upgrade.
class Transaction {
public:
    enum class Kind { Immediate, Deferred };
    [[nodiscard]] static Result<Transaction> begin(Database& db, Kind kind = Kind::Immediate);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    [[nodiscard]] Result<void> commit();

private:
    explicit Transaction(Database& db) : m_db(&db) {}
    Database* m_db;
    bool m_active = true;
};

// Error from the last failing call on `db` ("busy", "constraint", "sqlite", ...).
[[nodiscard]] Error sqliteError(sqlite3* db, int rc, std::string_view context);

} // namespace imhere
