// Streaming a table's rows from SQLite into PostgreSQL with COPY, and the
// identities continued after them (sqlitetopgparts.h).

#include "sqlitetopgparts.h"

#include <libpq-fe.h>

#include <map>
#include <optional>
#include <utility>

namespace imhere::server::sqlitetopg {

namespace {

// COPY data is sent in pieces of about this size.
constexpr std::size_t k_copyChunkBytes = std::size_t{1} << 20;
// Rows in one COPY statement, so that PostgreSQL's queue of foreign-key
// checks (run when the statement ends) stays small.
constexpr std::int64_t k_rowsPerCopy = 100'000;

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

} // namespace

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

} // namespace imhere::server::sqlitetopg
