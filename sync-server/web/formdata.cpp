#include "formdata.h"

#include "core/encoding.h"

namespace imhere::web {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string_view trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

} // namespace

std::optional<std::string> percentDecode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= text.size())
                return std::nullopt;
            const int hi = hexValue(text[i + 1]);
            const int lo = hexValue(text[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            out += static_cast<char>(hi << 4 | lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

Result<FormData> FormData::parse(std::string_view body)
{
    FormData form;
    std::size_t start = 0;
    while (start <= body.size()) {
        const auto end = std::min(body.find('&', start), body.size());
        const auto pair = body.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) {
            if (end == body.size())
                break;
            continue;
        }
        if (form.m_fields.size() >= k_maxFields)
            return fail(Errc::InvalidForm, "the form has too many fields");
        const auto eq = pair.find('=');
        auto name = percentDecode(pair.substr(0, eq));
        auto value = percentDecode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (!name || !value)
            return fail(Errc::InvalidForm, "the form data is not correctly encoded");
        if (name->empty() || name->size() > 100 || value->size() > k_maxValueBytes)
            return fail(Errc::InvalidForm, "a form field is too long");
        if (!isValidUtf8(*name) || !isValidUtf8(*value))
            return fail(Errc::InvalidForm, "the form data is not valid UTF-8");
        form.m_fields.emplace(std::move(*name), std::move(*value));
    }
    return form;
}

std::optional<std::string> FormData::get(std::string_view name) const
{
    const auto it = m_fields.find(name);
    if (it == m_fields.end())
        return std::nullopt;
    return it->second;
}

std::string FormData::text(std::string_view name) const
{
    const auto v = get(name);
    return v ? std::string(trim(*v)) : std::string();
}

std::vector<std::string> FormData::all(std::string_view name) const
{
    std::vector<std::string> out;
    const auto [first, last] = m_fields.equal_range(name);
    for (auto it = first; it != last; ++it)
        out.push_back(it->second);
    return out;
}

} // namespace imhere::web
