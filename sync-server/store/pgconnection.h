#pragma once
// A small layer over libpq for PgStore, shaped like core/database.h's
// Statement so that the PostgreSQL repositories read like the SQLite ones:
// a connection keeps its statements prepared once (named, on first use), a
// statement binds its parameters by position ($1, $2, ...) and steps
// through the rows of its result.
//
// Values travel as text, except bytea, which is bound in binary; results are
// read as text (bytea in its hex form). Errors carry the project's codes
// (pgError): a unique or other integrity violation is Constraint, a
// serialization failure or deadlock Busy (the transaction is tried again),
// and a lost connection or a server shutting down Unavailable, which the
// HTTP layer answers with 503 and Retry-After.
//
// Thread rules: a PgConnection and its statements belong to one thread at a
// time (PgPool hands them out).

#include "core/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

struct pg_conn;
struct pg_result;

namespace imhere::server {

class PgConnection;

class PgStatement {
public:
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;
    ~PgStatement();

    // Parameters are 1-based, as $1 in the SQL.
    PgStatement& bind(int index, std::int64_t value);
    PgStatement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    PgStatement& bind(int index, double value);
    PgStatement& bind(int index, std::string_view text);
    PgStatement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    PgStatement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    PgStatement& bind(int index, std::nullptr_t);
    PgStatement& bindBlob(int index, std::span<const std::uint8_t> bytes);
    template <class T>
    PgStatement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    template <class... Args>
    PgStatement& bindAll(const Args&... args)
    {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // Runs the statement on the first call; true while a row is available.
    [[nodiscard]] Result<bool> step();
    // Runs it, ignoring rows.
    [[nodiscard]] Result<void> run();
    // Rows the last run inserted, updated or deleted.
    [[nodiscard]] std::int64_t affected() const { return m_affected; }
    template <class Read>
    [[nodiscard]] auto collect(Read read) -> Result<std::vector<std::invoke_result_t<Read&, PgStatement&>>>
    {
        std::vector<std::invoke_result_t<Read&, PgStatement&>> rows;
        for (;;) {
            auto more = step();
            if (!more)
                return std::unexpected(std::move(more.error()));
            if (!*more)
                return rows;
            rows.push_back(read(*this));
        }
    }
    // Forgets the result and the bindings.
    void reset();

    [[nodiscard]] std::int64_t int64At(int column) const;
    [[nodiscard]] int intAt(int column) const { return static_cast<int>(int64At(column)); }
    [[nodiscard]] double doubleAt(int column) const;
    [[nodiscard]] bool boolAt(int column) const;
    [[nodiscard]] std::string textAt(int column) const;
    [[nodiscard]] std::optional<std::string> optionalTextAt(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInt64At(int column) const;
    [[nodiscard]] std::vector<std::uint8_t> blobAt(int column) const;
    [[nodiscard]] bool isNullAt(int column) const;

private:
    friend class PgConnection;
    PgStatement(PgConnection& connection, std::string name, std::size_t parameters)
        : m_connection(connection), m_name(std::move(name)), m_values(parameters), m_binary(parameters, 0)
    {
    }
    PgStatement& set(int index, std::optional<std::string> value, bool binary);
    const char* cell(int column) const;
    std::size_t length(int column) const;

    PgConnection& m_connection;
    std::string m_name;
    std::vector<std::optional<std::string>> m_values;
    std::vector<int> m_binary;
    std::optional<Error> m_bindError;
    pg_result* m_result = nullptr;
    int m_row = -1;
    int m_rows = 0;
    std::int64_t m_affected = 0;
};

class PgConnection {
public:
    // Connects to `url` (postgresql://...); Unavailable when the server
    // does not answer.
    [[nodiscard]] static Result<std::unique_ptr<PgConnection>> connect(const std::string& url);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // The statement for `sql`, prepared on this connection on first use. It
    // stays valid (and is reset) until the next query() of the same SQL.
    [[nodiscard]] Result<PgStatement*> query(std::string_view sql);
    // Runs SQL with no parameters (several statements allowed).
    [[nodiscard]] Result<void> exec(std::string_view sql);

    // Whether a transaction is open (a failed COMMIT has ended its own).
    [[nodiscard]] bool inTransaction() const;
    // Whether the connection is known to be lost.
    [[nodiscard]] bool broken() const;
    // Connects again after the connection was lost (the server restarted);
    // every statement is prepared again on next use.
    [[nodiscard]] Result<void> reconnect();

    [[nodiscard]] pg_conn* handle() const { return m_conn; }

private:
    explicit PgConnection(pg_conn* conn) : m_conn(conn) {}

    pg_conn* m_conn;
    // By SQL text; the name of each is "s<number>".
    std::map<std::string, std::unique_ptr<PgStatement>, std::less<>> m_statements;
    int m_nextName = 0;
};

// The error of a failed libpq call: `result` may be null (no answer at all).
[[nodiscard]] Error pgError(pg_conn* conn, const pg_result* result, std::string_view context);

// A JSON array of strings, for `jsonb_array_elements_text($n::jsonb)`: a
// list travels as one value, never in the SQL.
std::string jsonStringArray(const std::vector<std::string_view>& values);
std::string jsonStringArray(const std::vector<std::string>& values);

} // namespace imhere::server
