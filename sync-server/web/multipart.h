#pragma once
// multipart/form-data bodies (RFC 7578) from the dashboard's file uploads,
// parsed strictly: the boundary from the Content-Type, a bounded number of
// parts, each with a Content-Disposition naming it. A bad body is an error
// value, never a partial result.

#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::web {

struct Part {
    std::string name;
    std::optional<std::string> filename;
    std::string contentType; // "text/plain" when the part names none
    std::string body;
};

class Multipart {
public:
    static constexpr std::size_t k_maxParts = 20;

    // `contentType` is the request's header value (with its boundary).
    [[nodiscard]] static Result<Multipart> parse(std::string_view contentType, std::string_view body);

    [[nodiscard]] const Part* part(std::string_view name) const;
    // A text field's value, "" when absent.
    [[nodiscard]] std::string text(std::string_view name) const;

private:
    std::vector<Part> m_parts;
};

} // namespace imhere::web
