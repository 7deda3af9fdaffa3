#pragma once
// Row readers shared by the SqliteStore source files: the column lists and
// the functions that turn a row of them into a model value.

#include "model.h"

#include "core/database.h"

#include <string_view>

namespace imhere::server::rows {

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
