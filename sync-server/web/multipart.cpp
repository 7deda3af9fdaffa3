#include "multipart.h"

#include "core/encoding.h"

#include <algorithm>

namespace imhere::web {

namespace {

// The value of `key` among the ;-separated parameters of a header value,
// quoted or not.
std::optional<std::string> parameter(std::string_view value, std::string_view key)
{
    std::size_t pos = value.find(';');
    while (pos != std::string_view::npos) {
        const auto rest = value.substr(pos + 1);
        const auto eq = rest.find('=');
        if (eq == std::string_view::npos)
            return std::nullopt;
        const auto name = asciiLowercase(trimBlanks(rest.substr(0, eq)));
        auto v = rest.substr(eq + 1);
        v = trimBlanks(v);
        std::string out;
        std::size_t consumed = 0;
        if (!v.empty() && v[0] == '"') {
            std::size_t i = 1;
            for (; i < v.size() && v[i] != '"'; ++i) {
                if (v[i] == '\\' && i + 1 < v.size())
                    ++i;
                out += v[i];
            }
            if (i >= v.size())
                return std::nullopt;
            consumed = i + 1;
        } else {
            consumed = std::min(v.find(';'), v.size());
            out = std::string(trimBlanks(v.substr(0, consumed)));
        }
        if (name == key)
            return out;
        const auto next = v.substr(consumed).find(';');
        if (next == std::string_view::npos)
            return std::nullopt;
        pos = static_cast<std::size_t>(v.data() + consumed + next - value.data());
    }
    return std::nullopt;
}

} // namespace

Result<Multipart> Multipart::parse(std::string_view contentType, std::string_view body)
{
    if (asciiLowercase(trimBlanks(contentType.substr(0, contentType.find(';')))) != "multipart/form-data")
        return fail(Errc::UnsupportedMediaType, "expected multipart/form-data");
    const auto boundary = parameter(contentType, "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 70)
        return fail(Errc::InvalidForm, "the form's boundary is missing or longer than 70 characters");
    const std::string delimiter = "--" + *boundary;

    Multipart out;
    if (!body.starts_with(delimiter))
        return fail(Errc::InvalidForm, "the form does not start with its boundary");
    std::size_t pos = delimiter.size();
    for (;;) {
        if (body.substr(pos).starts_with("--"))
            return out; // the closing delimiter; what follows is an epilogue
        if (!body.substr(pos).starts_with("\r\n"))
            return fail(Errc::InvalidForm, "a boundary is not followed by a line end");
        pos += 2;
        if (out.m_parts.size() == k_maxParts)
            return fail(Errc::InvalidForm, "more than " + std::to_string(k_maxParts) + " form parts");
        const auto headersEnd = body.find("\r\n\r\n", pos);
        if (headersEnd == std::string_view::npos)
            return fail(Errc::InvalidForm, "a form part has no end to its headers");
        Part part{{}, std::nullopt, "text/plain", {}};
        bool named = false;
        for (std::size_t line = pos; line < headersEnd;) {
            const auto end = std::min(body.find("\r\n", line), headersEnd);
            const auto header = body.substr(line, end - line);
            const auto colon = header.find(':');
            if (colon == std::string_view::npos)
                return fail(Errc::InvalidForm, "a form part has a malformed header");
            const auto name = asciiLowercase(trimBlanks(header.substr(0, colon)));
            const auto value = trimBlanks(header.substr(colon + 1));
            if (name == "content-disposition") {
                if (asciiLowercase(trimBlanks(value.substr(0, value.find(';')))) != "form-data")
                    return fail(Errc::InvalidForm, "a form part is not form-data");
                const auto fieldName = parameter(value, "name");
                if (!fieldName || fieldName->empty())
                    return fail(Errc::InvalidForm, "a form part has no name");
                part.name = *fieldName;
                part.filename = parameter(value, "filename");
                named = true;
            } else if (name == "content-type") {
                part.contentType = asciiLowercase(trimBlanks(value.substr(0, value.find(';'))));
            }
            line = end + 2;
        }
        if (!named)
            return fail(Errc::InvalidForm, "a form part has no Content-Disposition");
        const auto bodyStart = headersEnd + 4;
        const auto next = body.find("\r\n" + delimiter, bodyStart);
        if (next == std::string_view::npos)
            return fail(Errc::InvalidForm, "the form ends before its closing boundary");
        part.body = std::string(body.substr(bodyStart, next - bodyStart));
        if (!isValidUtf8(part.name) || (part.filename && !isValidUtf8(*part.filename)))
            return fail(Errc::InvalidForm, "a form part's name is not UTF-8");
        out.m_parts.push_back(std::move(part));
        pos = next + 2 + delimiter.size();
    }
}

const Part* Multipart::part(std::string_view name) const
{
    const auto it = std::ranges::find(m_parts, name, &Part::name);
    return it == m_parts.end() ? nullptr : &*it;
}

std::string Multipart::text(std::string_view name) const
{
    const Part* p = part(name);
    return p ? std::string(trimBlanks(p->body)) : std::string();
}

} // namespace imhere::web
