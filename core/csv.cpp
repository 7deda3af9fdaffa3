#include "csv.h"

namespace imhere::csv {

std::vector<Record> split(std::string_view text)
{
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    std::vector<Record> out;
    Record current{1, {""}, false};
    int line = 1;
    bool quoted = false;
    bool any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                current.fields.back().push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n')
                    ++line;
                current.fields.back().push_back(c);
            }
            continue;
        }
        if (c == '"' && current.fields.back().empty()) {
            quoted = true;
            any = true;
        } else if (c == ',') {
            current.fields.emplace_back();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            if (any)
                out.push_back(std::move(current));
            current = Record{++line, {""}, false};
            any = false;
        } else {
            current.fields.back().push_back(c);
            any = true;
        }
    }
    current.unterminatedQuote = quoted;
    if (any)
        out.push_back(std::move(current));
    return out;
}

std::string field(std::string_view value)
{
    std::string v;
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@'
                           || value[0] == '\t' || value[0] == '\r'))
        v = "'";
    v += value;
    if (v.find_first_of(",\"\r\n") == std::string::npos)
        return v;
    std::string quoted = "\"";
    for (const char c : v) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string row(const std::vector<std::string>& values)
{
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        out += field(values[i]);
    }
    return out + "\r\n";
}

} // namespace imhere::csv
