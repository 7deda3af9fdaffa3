#pragma once
// application/x-www-form-urlencoded bodies from the dashboard's forms, parsed
// strictly: bounded field count and sizes, percent-escapes checked, UTF-8
// validated. A bad body is an error value, never a partial result.

#include "core/result.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::web {

class FormData {
public:
    static constexpr std::size_t k_maxFields = 200;
    static constexpr std::size_t k_maxValueBytes = 10'000;

    [[nodiscard]] static Result<FormData> parse(std::string_view body);

    // The first value of `name`, or nullopt.
    [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
    // Trimmed value, "" when absent.
    [[nodiscard]] std::string text(std::string_view name) const;
    // Every value of `name` (checkbox groups, multi-selects), in order.
    [[nodiscard]] std::vector<std::string> all(std::string_view name) const;

private:
    std::multimap<std::string, std::string, std::less<>> m_fields;
};

// Decodes one percent-encoded component ('+' is a space); nullopt when malformed.
[[nodiscard]] std::optional<std::string> percentDecode(std::string_view text);

} // namespace imhere::web
