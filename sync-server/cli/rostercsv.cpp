#include "rostercsv.h"

#include "sync-server/serverlimits.h"

#include "core/csv.h"
#include "core/encoding.h"
#include "core/limits.h"

#include <algorithm>
#include <map>
#include <set>

namespace imhere::server::cli {

namespace {

bool isPlainText(const std::string& s)
{
    return isValidUtf8(s) && std::ranges::none_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

bool isUsername(const std::string& s)
{
    return !s.empty() && s.size() <= limits::k_maxUsernameBytes && std::ranges::all_of(s, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.';
    });
}

std::string trimmed(std::string s)
{
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

} // namespace

Roster parseRoster(const std::string& text)
{
    Roster roster;
    if (text.size() > limits::k_maxRosterBytes) {
        roster.problems.push_back({0, "file larger than " + std::to_string(limits::k_maxRosterBytes) + " bytes"});
        return roster;
    }
    const auto lines = csv::split(text);
    if (lines.empty()) {
        roster.problems.push_back({1, "empty file: expected a header line display_name,email,role"});
        return roster;
    }
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < lines[0].fields.size(); ++i)
        column[trimmed(lines[0].fields[i])] = i;
    for (const char* required : {"display_name", "email", "role"}) {
        if (!column.contains(required))
            roster.problems.push_back({lines[0].line, std::string("header has no '") + required + "' column"});
    }
    for (const auto& [name, index] : column) {
        if (name != "display_name" && name != "email" && name != "role" && name != "github" && name != "codewars")
            roster.problems.push_back({lines[0].line, "unknown column '" + name + "'"});
    }
    if (!roster.problems.empty())
        return roster;
    if (lines.size() - 1 > limits::k_maxRosterRows) {
        roster.problems.push_back({0, "more than " + std::to_string(limits::k_maxRosterRows) + " rows"});
        return roster;
    }

    std::set<std::string> emails;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const csv::Record& l = lines[i];
        auto problem = [&](std::string message) { roster.problems.push_back({l.line, std::move(message)}); };
        if (l.unterminatedQuote) {
            problem("unterminated quoted field");
            continue;
        }
        if (l.fields.size() != lines[0].fields.size()) {
            problem("expected " + std::to_string(lines[0].fields.size()) + " fields, found "
                    + std::to_string(l.fields.size()));
            continue;
        }
        auto field = [&](const char* name) -> std::optional<std::string> {
            const auto it = column.find(name);
            if (it == column.end())
                return std::nullopt;
            std::string v = trimmed(l.fields[it->second]);
            return v.empty() ? std::nullopt : std::optional(v);
        };
        RosterRow row{l.line, field("display_name").value_or(""), field("email").value_or(""), Role::Student,
                      field("github"), field("codewars")};
        const std::string lowered = asciiLowercase(row.email);
        const auto role = sync::roleFromString(field("role").value_or(""));
        if (row.displayName.empty() || row.displayName.size() > imhere::limits::k_maxNameBytes
            || !isPlainText(row.displayName))
            problem("display_name must be 1-200 bytes of text");
        else if (row.email.size() > limits::k_maxEmailBytes || row.email.find('@') == std::string::npos
                 || row.email.find(' ') != std::string::npos || !isPlainText(row.email))
            problem("email '" + row.email.substr(0, 80) + "' is not an email address");
        else if (!emails.insert(lowered).second)
            problem("email " + row.email + " appears twice");
        else if (!role)
            problem("role must be student, ta or teacher");
        else if ((row.github && !isUsername(*row.github)) || (row.codewars && !isUsername(*row.codewars)))
            problem("github and codewars must be usernames (letters, digits, '-', '_', '.')");
        else {
            row.role = *role;
            roster.rows.push_back(std::move(row));
        }
    }
    return roster;
}

} // namespace imhere::server::cli
