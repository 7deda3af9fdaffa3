#pragma once
// Expected failures (bad input, busy database, unknown badge) travel as values.
// TRY(expr) returns early on a failed Result, so a chain of fallible steps reads
// as a list of steps; TRY_ASSIGN(name, expr) binds `name` to the value.

#include <expected>
#include <string>
#include <utility>

namespace imhere {

// A failure with a stable snake_case code for programs and a message for people.
struct Error {
    std::string code;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string code, std::string message)
{
    return std::unexpected<Error>(Error{std::move(code), std::move(message)});
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
