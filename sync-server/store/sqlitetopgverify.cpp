// Counting and checksumming both sides of the SQLite-to-PostgreSQL copy
// (sqlitetopgparts.h).

#include "sqlitetopgparts.h"

#include "core/crypto.h"

#include <libpq-fe.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>

namespace imhere::server::sqlitetopg {

namespace {

// Rows read back from PostgreSQL at a time, for the checksum.
constexpr int k_fetchRows = 10'000;

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

} // namespace

Result<std::string> sqliteChecksum(Database& sqlite, const std::vector<TablePlan>& plans)
{
    EventLogDigest digest;
    std::string text;
    for (const auto name : eventLogTables()) {
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
    for (const auto name : eventLogTables()) {
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

} // namespace imhere::server::sqlitetopg
