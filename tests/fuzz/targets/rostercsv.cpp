// Fuzz target: the CSV roster importer (sync-server/cli/rostercsv.h) and the
// RFC 4180 reader and writer under it (core/csv.h).
//
// Properties: every accepted row has a display name and an email and its
// line lies within the file; the file is either wholly good or has problems;
// a record written back with csv::row splits into the same fields.

#include "core/csv.h"
#include "sync-server/cli/rostercsv.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace imhere;

namespace {

// csv::field marks these as text with a leading apostrophe, on purpose.
bool writtenAsIs(const std::string& value)
{
    return value.empty() || std::string_view("=+-@\t\r").find(value.front()) == std::string_view::npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    // A lone CR ends a line too.
    const int lineCount = 1 + static_cast<int>(std::ranges::count(text, '\n') + std::ranges::count(text, '\r'));

    const auto roster = server::cli::parseRoster(text);
    for (const auto& row : roster.rows) {
        if (row.displayName.empty() || row.email.empty() || row.line < 2 || row.line > lineCount)
            std::abort();
    }
    for (const auto& problem : roster.problems) {
        if (problem.line < 0 || problem.line > lineCount || problem.message.empty())
            std::abort();
    }

    for (const auto& record : csv::split(text)) {
        if (record.unterminatedQuote || record.fields.empty())
            continue;
        if (!std::ranges::all_of(record.fields, writtenAsIs))
            continue;
        if (record.fields.size() == 1 && record.fields.front().empty())
            continue; // a blank line, skipped by split
        if (record.fields.front().starts_with("\xEF\xBB\xBF"))
            continue; // a byte order mark at the start is dropped
        const auto again = csv::split(csv::row(record.fields));
        if (again.size() != 1 || again.front().fields != record.fields)
            std::abort();
    }
    return 0;
}
