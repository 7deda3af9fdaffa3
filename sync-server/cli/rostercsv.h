#pragma once
// Reading a roster CSV (RFC 4180 quoting): a header naming the columns
// display_name, email, role and optionally github, codewars, in any order;
// then one person per line. Every bad row is reported with its line number.

#include "sync-server/store/model.h"

#include <string>
#include <vector>

namespace imhere::server::cli {

struct RosterRow {
    int line = 0;
    std::string displayName;
    std::string email;
    Role role = Role::Student;
    std::optional<std::string> github;
    std::optional<std::string> codewars;
};

struct RosterProblem {
    int line = 0;
    std::string message;
};

struct Roster {
    std::vector<RosterRow> rows;
    std::vector<RosterProblem> problems; // empty when every row is good
};

[[nodiscard]] Roster parseRoster(const std::string& text);

} // namespace imhere::server::cli
