#pragma once
// Expected failures (bad input, busy database, unknown badge) travel as values.

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

} // namespace imhere
