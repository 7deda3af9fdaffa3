#pragma once
// Row readers shared by the SqliteStore source files: the column lists and
// the functions that turn a row of them into a model value.

#include "model.h"

#include "core/database.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace imhere::server::rows {

// Builds the JSON array of strings that `json_each(?)` reads. The ids come
// from kiosks, so they are escaped, not trusted.
class JsonStrings {
public:
    void add(std::string_view text)
    {
        m_json += m_json.empty() ? "[\"" : ",\"";
        for (const char c : text) {
            if (c == '"' || c == '\\') {
                m_json += '\\';
                m_json += c;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                m_json += escaped;
            } else {
                m_json += c;
            }
        }
        m_json += '"';
    }
    [[nodiscard]] std::string done() const { return m_json.empty() ? "[]" : m_json + "]"; }

private:
    std::string m_json;
};

inline constexpr std::string_view k_personColumns =
    "SELECT id, public_id, display_name, email, github, codewars, pin_hash, password_hash, is_admin, is_lead FROM person ";

inline Person personFrom(Statement& s)
{
    return Person{s.int64At(0),         s.textAt(1),         s.textAt(2),         s.optionalTextAt(3),
                  s.optionalTextAt(4),  s.optionalTextAt(5), s.optionalTextAt(6), s.optionalTextAt(7),
                  s.intAt(8) != 0,      s.intAt(9) != 0};
}

inline constexpr std::string_view k_windowColumns =
    "SELECT w.id, w.course, w.title, w.scheduled_start, w.opened_at, w.closed_at, p.public_id, w.scheduled_end"
    " FROM attendance_window w LEFT JOIN person p ON p.id = w.opened_by ";

inline Window windowFrom(Statement& s)
{
    return Window{s.textAt(0),          s.textAt(1),          s.textAt(2),         s.optionalInt64At(3),
                  s.optionalInt64At(4), s.optionalInt64At(5), s.optionalTextAt(6), s.optionalInt64At(7)};
}

} // namespace imhere::server::rows
