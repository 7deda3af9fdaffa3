#pragma once
// Comma-separated values as RFC 4180 writes them: reading records whose
// quoted fields may span lines, and writing fields that a spreadsheet shows
// as text and never runs as a formula.

#include <string>
#include <string_view>
#include <vector>

namespace imhere::csv {

struct Record {
    int line = 0; // the line the record starts on, from 1
    std::vector<std::string> fields;
    bool unterminatedQuote = false;
};

// Splits text into records; blank lines are skipped. A UTF-8 byte order mark
// at the start is dropped.
[[nodiscard]] std::vector<Record> split(std::string_view text);

// One field as written: quoted when it holds a comma, quote or line break;
// a value starting with '=', '+', '-', '@', a tab or a carriage return gets a
// leading apostrophe first, so that a spreadsheet shows it as text.
[[nodiscard]] std::string field(std::string_view value);

// A record of fields and its CRLF line end.
[[nodiscard]] std::string row(const std::vector<std::string>& values);

} // namespace imhere::csv
