#pragma once
// Set-up that fails is a broken test, not a finding: it stops with the
// reason (std::runtime_error, which Qt Test reports as the failure of the
// test function it reaches).

#include "core/result.h"

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace imhere::test {

// The value of `r`, or std::runtime_error naming `what`, the error's code and why.
template <class T>
T must(Result<T> r, const char* what)
{
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + std::string(errorCodeName(r.error().code)) + ": "
                                 + r.error().message);
    if constexpr (!std::is_void_v<T>)
        return std::move(*r);
}

} // namespace imhere::test
