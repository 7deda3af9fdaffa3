#pragma once
// A bench has no one to report a failed step to: it stops with the reason.

#include "core/result.h"

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace imhere::bench {

// The value of `r`, or std::runtime_error naming `what` and why it failed.
template <class T>
T must(Result<T> r, const char* what)
{
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + r.error().message);
    if constexpr (!std::is_void_v<T>)
        return std::move(*r);
}

} // namespace imhere::bench
