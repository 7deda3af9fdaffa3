#pragma once
// Qt Test for plain C++ code: QCOMPARE prints std::string values (and
// optionals of them) and error codes by name when they differ, instead of
// "<not printable>" or a number.
// Include it in a test instead of <QTest>.

#include "core/result.h"

#include <QTest>

#include <optional>
#include <string>
#include <string_view>

namespace QTest {

template <>
inline char* toString(const std::string& value)
{
    return toPrettyCString(value.data(), static_cast<qsizetype>(value.size()));
}

template <>
inline char* toString(const std::string_view& value)
{
    return toPrettyCString(value.data(), static_cast<qsizetype>(value.size()));
}

template <>
inline char* toString(const std::optional<std::string>& value)
{
    return value ? toString(*value) : qstrdup("nullopt");
}

template <>
inline char* toString(const imhere::Errc& code)
{
    return qstrdup(imhere::errorCodeName(code).data());
}

} // namespace QTest
