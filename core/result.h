#pragma once
// Expected failures (bad input, busy database, unknown badge) travel as values.
// TRY(expr) returns early on a failed Result, so a chain of fallible steps reads
// as a list of steps; TRY_ASSIGN(name, expr) binds `name` to the value.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace imhere {

// What went wrong, for programs: each value has a stable snake_case name
// (errorCodeName) that the JSON API, the logs and the kiosk show. The HTTP
// status of each is in one table in sync-server/http/response.cpp.
enum class Errc : std::uint8_t {
    // Requests that cannot be read
    MalformedJson,
    InvalidId,
    InvalidCode,
    InvalidForm,
    InvalidEvent,
    UnsupportedProtocol,
    UnsupportedMediaType,
    TooLarge,
    // Who is asking, and what they may do
    Unauthenticated,
    BadCredentials,
    Forbidden,
    CsrfRequired,
    InsufficientScope,
    RateLimited,
    // What was asked for
    NotFound,
    MethodNotAllowed,
    Conflict,
    AlreadyExists,
    WindowClosed,
    AlreadyCheckedIn,
    CodeExpired,
    InvalidRequest,
    InvalidTime,
    UnknownTimezone,
    // Storage (SQLite result codes)
    Busy,
    Constraint,
    DiskFull,
    IoError, // the disk would not write (or read): a remount read-only, a failing device
    ReadOnly,
    Corrupt,
    CannotOpen,
    BindRange,
    TypeMismatch,
    Sqlite,
    SchemaTooNew,
    MigrationFailed,
    BadMigrations,
    OutOfMemory,
    Unavailable,
    Internal,
    // Starting up: command lines, configuration, provisioning
    Usage,
    BadConfig,
    BadLine,
    InvalidListen,
    Provisioning,
    // Network
    Network,
    Timeout,
    RequestFailed,
    ReplyTooLarge,
    InvalidResponse,
    ListenFailed,
    SocketFailed,
    SocketBindFailed,
    SocketPathTooLong,
    SocketPathTaken,
    // Devices and badges
    BadReaderSpec,
    OpenFailed,
    PtyFailed,
    PipeFailed,
    ClockFailed,
    NotEvdev,
    GrabFailed,
    NoCamera,
    CameraNotFound,
    BadWedgeUid,
    BadQrToken,
    QrEmpty,
    QrUnencodable,
};

// The snake_case name of `code`, e.g. "not_found".
[[nodiscard]] std::string_view errorCodeName(Errc code);

// A failure with a code for programs and a message for people.
struct Error {
    Errc code = Errc::Internal;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Errc code, std::string message)
{
    return std::unexpected<Error>(Error{code, std::move(message)});
}

// The outcome of `result` without its value (g++ 12 has no expected::transform).
template <class T>
[[nodiscard]] Result<void> withoutValue(Result<T>&& result)
{
    if (!result)
        return std::unexpected(std::move(result.error()));
    return {};
}
} // namespace imhere

#define IMHERE_CONCAT_INNER(a, b) a##b
#define IMHERE_CONCAT(a, b) IMHERE_CONCAT_INNER(a, b)

#define TRY(expr) TRY_IMPL(expr, IMHERE_CONCAT(imhere_try_, __COUNTER__))
#define TRY_IMPL(expr, tmp)                                                                                       \
    do {                                                                                                          \
        if (auto tmp = (expr); !tmp)                                                                              \
            return std::unexpected(std::move(tmp.error()));                                                       \
    } while (false)

#define TRY_ASSIGN(name, expr) TRY_ASSIGN_IMPL(name, expr, IMHERE_CONCAT(imhere_try_, __COUNTER__))
#define TRY_ASSIGN_IMPL(name, expr, tmp)                                                                          \
    auto tmp = (expr);                                                                                            \
    if (!tmp)                                                                                                     \
        return std::unexpected(std::move(tmp.error()));                                                           \
    auto name = std::move(*tmp)
