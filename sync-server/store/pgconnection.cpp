#include "pgconnection.h"

#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdlib>

namespace imhere::server {

namespace {

// What each class of SQLSTATE means to the callers (see the header).
Errc codeOf(std::string_view state)
{
    if (state.starts_with("23"))
        return Errc::Constraint; // integrity: unique_violation 23505, foreign key, check
    if (state == "40001" || state == "40P01")
        return Errc::Busy; // serialization failure, deadlock: try the transaction again
    if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" || state == "53300")
        return Errc::Unavailable; // no connection, shutting down, starting up, too many connections
    if (state == "53100")
        return Errc::DiskFull;
    if (state == "54000" || state == "22001" || state == "22003")
        return Errc::TooLarge;
    return Errc::Internal;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 0;
}

} // namespace

Error pgError(pg_conn* conn, const pg_result* result, std::string_view context)
{
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = result ? PQresultErrorMessage(result) : "";
    if (message.empty() && conn)
        message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    Errc code = state ? codeOf(state) : Errc::Internal;
    // No SQLSTATE and a dead connection: the server went away mid-call.
    if (!state && conn && PQstatus(conn) == CONNECTION_BAD)
        code = Errc::Unavailable;
    return Error{code, std::string(context) + ": " + message};
}

// ---- PgStatement -------------------------------------------------------------

PgStatement::~PgStatement()
{
    if (m_result)
        PQclear(m_result);
}

PgStatement& PgStatement::set(int index, std::optional<std::string> value, bool binary)
{
    if (index < 1 || index > static_cast<int>(m_values.size())) {
        if (!m_bindError)
            m_bindError = Error{Errc::BindRange, "no parameter $" + std::to_string(index)};
        return *this;
    }
    const auto at = static_cast<std::size_t>(index - 1);
    m_values[at] = std::move(value);
    m_binary[at] = binary ? 1 : 0;
    return *this;
}

PgStatement& PgStatement::bind(int index, std::int64_t value)
{
    return set(index, std::to_string(value), false);
}

PgStatement& PgStatement::bind(int index, double value)
{
    char text[64];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    return set(index, std::string(text, end), false);
}

PgStatement& PgStatement::bind(int index, std::string_view text)
{
    return set(index, std::string(text), false);
}

PgStatement& PgStatement::bind(int index, std::nullptr_t)
{
    return set(index, std::nullopt, false);
}

PgStatement& PgStatement::bindBlob(int index, std::span<const std::uint8_t> bytes)
{
    return set(index, std::string(bytes.begin(), bytes.end()), true);
}

void PgStatement::reset()
{
    if (m_result)
        PQclear(m_result);
    m_result = nullptr;
    m_row = -1;
    m_rows = 0;
    m_affected = 0;
    m_bindError.reset();
    for (auto& value : m_values)
        value.reset();
}

Result<bool> PgStatement::step()
{
    if (m_bindError)
        return std::unexpected(*m_bindError);
    if (!m_result) {
        std::vector<const char*> values(m_values.size());
        std::vector<int> lengths(m_values.size());
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            values[i] = m_values[i] ? m_values[i]->data() : nullptr;
            lengths[i] = m_values[i] ? static_cast<int>(m_values[i]->size()) : 0;
        }
        pg_conn* conn = m_connection.handle();
        m_result = PQexecPrepared(conn, m_name.c_str(), static_cast<int>(values.size()), values.data(),
                                  lengths.data(), m_binary.data(), 0);
        const auto status = m_result ? PQresultStatus(m_result) : PGRES_FATAL_ERROR;
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            Error error = pgError(conn, m_result, "statement");
            if (m_result)
                PQclear(m_result);
            m_result = nullptr;
            return std::unexpected(std::move(error));
        }
        m_rows = PQntuples(m_result);
        const char* affected = PQcmdTuples(m_result);
        m_affected = affected && *affected ? std::strtoll(affected, nullptr, 10) : 0;
        m_row = -1;
    }
    if (m_row + 1 >= m_rows) {
        m_row = m_rows;
        return false;
    }
    ++m_row;
    return true;
}

Result<void> PgStatement::run()
{
    auto stepped = step();
    if (!stepped)
        return std::unexpected(std::move(stepped.error()));
    return {};
}

const char* PgStatement::cell(int column) const
{
    return PQgetvalue(m_result, m_row, column);
}

std::size_t PgStatement::length(int column) const
{
    return static_cast<std::size_t>(PQgetlength(m_result, m_row, column));
}

bool PgStatement::isNullAt(int column) const
{
    return PQgetisnull(m_result, m_row, column) != 0;
}

std::int64_t PgStatement::int64At(int column) const
{
    if (isNullAt(column))
        return 0;
    const char* text = cell(column);
    if (*text == 't')
        return 1; // a boolean expression
    if (*text == 'f')
        return 0;
    return std::strtoll(text, nullptr, 10);
}

bool PgStatement::boolAt(int column) const
{
    return int64At(column) != 0;
}

double PgStatement::doubleAt(int column) const
{
    return isNullAt(column) ? 0.0 : std::strtod(cell(column), nullptr);
}

std::string PgStatement::textAt(int column) const
{
    return isNullAt(column) ? std::string() : std::string(cell(column), length(column));
}

std::optional<std::string> PgStatement::optionalTextAt(int column) const
{
    if (isNullAt(column))
        return std::nullopt;
    return textAt(column);
}

std::optional<std::int64_t> PgStatement::optionalInt64At(int column) const
{
    if (isNullAt(column))
        return std::nullopt;
    return int64At(column);
}

std::vector<std::uint8_t> PgStatement::blobAt(int column) const
{
    // bytea in text results: "\x" and two hex digits a byte.
    std::vector<std::uint8_t> bytes;
    if (isNullAt(column))
        return bytes;
    const std::string_view hex(cell(column), length(column));
    if (!hex.starts_with("\\x"))
        return bytes;
    bytes.reserve((hex.size() - 2) / 2);
    for (std::size_t i = 2; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<std::uint8_t>(hexValue(hex[i]) << 4 | hexValue(hex[i + 1])));
    return bytes;
}

// ---- PgConnection -------------------------------------------------------------

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& url)
{
    // Defaults first: what the URL says wins (expand_dbname).
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "imhere-server", url.c_str(), nullptr};
    pg_conn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn)
        return fail(Errc::OutOfMemory, "libpq could not allocate a connection");
    if (PQstatus(conn) != CONNECTION_OK) {
        Error error = pgError(conn, nullptr, "connect");
        error.code = Errc::Unavailable;
        PQfinish(conn);
        return std::unexpected(std::move(error));
    }
    // NOTICEs ("relation already exists, skipping") are not for the log.
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

bool PgConnection::inTransaction() const
{
    const auto status = PQtransactionStatus(m_conn);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

PgConnection::~PgConnection()
{
    m_statements.clear();
    PQfinish(m_conn);
}

bool PgConnection::broken() const
{
    return PQstatus(m_conn) != CONNECTION_OK;
}

Result<void> PgConnection::reconnect()
{
    m_statements.clear(); // prepared statements die with the session
    PQreset(m_conn);
    if (PQstatus(m_conn) != CONNECTION_OK) {
        Error error = pgError(m_conn, nullptr, "reconnect");
        error.code = Errc::Unavailable;
        return std::unexpected(std::move(error));
    }
    return {};
}

Result<void> PgConnection::exec(std::string_view sql)
{
    pg_result* result = PQexec(m_conn, std::string(sql).c_str());
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        Error error = pgError(m_conn, result, "exec");
        if (result)
            PQclear(result);
        return std::unexpected(std::move(error));
    }
    PQclear(result);
    return {};
}

Result<PgStatement*> PgConnection::query(std::string_view sql)
{
    if (auto it = m_statements.find(sql); it != m_statements.end()) {
        it->second->reset();
        return it->second.get();
    }
    const std::string name = "s" + std::to_string(m_nextName++);
    const std::string text(sql);
    pg_result* prepared = PQprepare(m_conn, name.c_str(), text.c_str(), 0, nullptr);
    if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK) {
        Error error = pgError(m_conn, prepared, "prepare");
        error.message += " in: " + text;
        if (prepared)
            PQclear(prepared);
        return std::unexpected(std::move(error));
    }
    PQclear(prepared);
    pg_result* described = PQdescribePrepared(m_conn, name.c_str());
    if (!described || PQresultStatus(described) != PGRES_COMMAND_OK) {
        Error error = pgError(m_conn, described, "describe");
        if (described)
            PQclear(described);
        return std::unexpected(std::move(error));
    }
    const auto parameters = static_cast<std::size_t>(PQnparams(described));
    PQclear(described);
    std::unique_ptr<PgStatement> statement(new PgStatement(*this, name, parameters));
    PgStatement* raw = statement.get();
    m_statements.emplace(text, std::move(statement));
    return raw;
}

namespace {

template <typename Text>
std::string jsonArrayOf(const std::vector<Text>& values)
{
    nlohmann::json array = nlohmann::json::array();
    for (const auto& value : values)
        array.push_back(std::string_view(value));
    return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string jsonStringArray(const std::vector<std::string_view>& values)
{
    return jsonArrayOf(values);
}

std::string jsonStringArray(const std::vector<std::string>& values)
{
    return jsonArrayOf(values);
}

} // namespace imhere::server
