// The register import (tracker.h): a sheet read cell by cell
// (sheetcells.h), planned against the course's tracker view, and stored in
// one transaction with the line each check-in came from.

#include "tracker.h"

#include "courseviews.h"
#include "sheetcells.h"

#include "core/csv.h"
#include "core/encoding.h"
#include "core/random.h"
#include "core/timezone.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>

namespace imhere::server {

namespace {

constexpr std::size_t k_maxRegisterBytes = 2 << 20;
constexpr std::size_t k_maxRegisterRows = 20'000;

std::array<unsigned char, crypto_hash_sha256_BYTES> sha256Of(std::string_view text)
{
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return digest;
}

std::string sha256Hex(std::string_view text)
{
    const auto digest = sha256Of(text);
    return hexEncode(std::span<const std::uint8_t>(digest.data(), digest.size()));
}

// The same trainee, sprint and course always give the same check-in id, so
// that an import run twice, or twice at once, stores one check-in.
std::string importedCheckInId(std::string_view course, std::string_view person, int sprint)
{
    auto digest = sha256Of("imhere register import\n" + std::string(course) + "\n" + std::string(person) + "\n"
                           + std::to_string(sprint));
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x80); // version 8: custom (RFC 9562)
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80); // the RFC's variant
    return uuidFromBytes(std::span<const std::uint8_t>(digest.data(), 16));
}

} // namespace

RegisterSheet parseRegister(std::string_view text, std::string_view timezone)
{
    RegisterSheet sheet;
    auto problem = [&](int line, std::string message) { sheet.problems.push_back({line, std::move(message)}); };
    if (text.size() > k_maxRegisterBytes) {
        problem(0, "file larger than " + std::to_string(k_maxRegisterBytes) + " bytes");
        return sheet;
    }
    if (!isValidUtf8(text)) {
        problem(0, "the file is not UTF-8 text");
        return sheet;
    }
    const auto records = csv::split(text);
    if (records.empty()) {
        problem(1, "empty file: expected the headings Name, Email, Timestamp, Course, Module, Day, Location");
        return sheet;
    }
    if (records.size() - 1 > k_maxRegisterRows) {
        problem(0, "more than " + std::to_string(k_maxRegisterRows) + " rows");
        return sheet;
    }
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < records[0].fields.size(); ++i) {
        const auto name = trimmed(records[0].fields[i]);
        if (!name.empty() && !column.emplace(name, i).second)
            problem(records[0].line, "the heading '" + name + "' appears twice");
    }
    const bool split = !column.contains("Timestamp") && column.contains("Date") && column.contains("Time");
    for (const char* required : {"Name", "Email", "Course", "Module", "Day", "Location"}) {
        if (!column.contains(required))
            problem(records[0].line, std::string("no '") + required + "' heading");
    }
    if (!column.contains("Timestamp") && !split)
        problem(records[0].line, "no 'Timestamp' heading (or 'Date' and 'Time')");
    if (!sheet.problems.empty())
        return sheet;

    for (std::size_t i = 1; i < records.size(); ++i) {
        const csv::Record& r = records[i];
        if (r.unterminatedQuote) {
            problem(r.line, "unterminated quoted field");
            continue;
        }
        auto cell = [&](const char* name) {
            const auto at = column.at(name);
            return at < r.fields.size() ? trimmed(r.fields[at]) : std::string();
        };
        if (std::ranges::all_of(r.fields, [](const std::string& f) { return trimmed(f).empty(); }))
            continue;
        RegisterLine line{r.line, cell("Name"), cell("Email"), 0, 0, cell("Location")};
        const std::string stamp = split ? cell("Date") + " " + cell("Time") : cell("Timestamp");
        const auto at = parseSheetTimestamp(stamp, timezone);
        const auto sprint = sprintFromDay(cell("Day"));
        if (line.name.empty() || !isPlainText(line.name, imhere::limits::k_maxNameBytes))
            problem(r.line, "Name must be 1-200 bytes of text");
        else if (!looksLikeEmail(line.email))
            problem(r.line, "Email '" + line.email.substr(0, 80) + "' is not an email address");
        else if (!at)
            problem(r.line, "time '" + stamp.substr(0, 40)
                                + "' is not RFC 3339 (2026-10-06T18:03:00Z) or a date and time such as "
                                  "2026-10-06 18:03");
        else if (!sprint)
            problem(r.line, "Day '" + cell("Day").substr(0, 40) + "' is not sprint-1 to sprint-20");
        else if (!isPlainText(line.location, k_maxRegionBytes))
            problem(r.line, "Location must be at most 100 bytes of text");
        else {
            line.signedIn = *at;
            line.sprint = *sprint;
            sheet.lines.push_back(std::move(line));
        }
    }
    return sheet;
}

Result<RegisterImportReport> importRegister(Services& services, const Course& course, std::string_view text,
                                            bool dryRun, std::optional<PersonId> actor,
                                            std::optional<int> classStartMinute)
{
    const RegisterSheet sheet = parseRegister(text, course.timezone);
    if (!sheet.problems.empty()) {
        std::string message = "the register has " + std::to_string(sheet.problems.size())
            + " bad row(s) and nothing was imported: ";
        for (std::size_t i = 0; i < sheet.problems.size() && i < 5; ++i) {
            const auto& p = sheet.problems[i];
            message += (i ? "; " : "") + (p.line ? "line " + std::to_string(p.line) + ": " : std::string()) + p.message;
        }
        return fail(Errc::InvalidRequest, message);
    }
    TRY_ASSIGN(view, trackerView(services, course));

    RegisterImportReport report;
    report.dryRun = dryRun;
    report.rows = static_cast<int>(sheet.lines.size());
    std::map<std::string, const TrackerPerson*> byEmail;
    for (const auto& p : view.people) {
        if (p.email)
            byEmail[asciiLowercase(*p.email)] = &p;
    }
    std::map<int, const SprintClass*> classes;
    for (const auto& cls : view.sprints)
        classes[cls.sprint] = &cls;
    std::set<std::pair<std::string, int>> attended; // (public id, sprint) as the register sees it
    for (const auto& row : view.rows)
        attended.insert({row.personPublicId, row.sprint});

    // A sprint with no window gets one; its day is the one most of its rows
    // fall on, at the class's usual time.
    std::optional<int> startMinute = classStartMinute;
    if (!startMinute) {
        for (auto it = view.windows.rbegin(); it != view.windows.rend(); ++it) {
            if (!it->startMs())
                continue;
            if (auto local = localFromUtc(course.timezone, *it->startMs())) {
                startMinute = local->hour * 60 + local->minute;
                break;
            }
        }
    }
    struct Pending {
        const RegisterLine* line;
        const TrackerPerson* person;
    };
    std::map<int, std::vector<Pending>> bySprint;
    std::map<std::pair<std::string, int>, int> firstLine;
    for (const RegisterLine& line : sheet.lines) {
        const auto email = asciiLowercase(line.email);
        const auto who = byEmail.find(email);
        if (who == byEmail.end()) {
            report.skipped.push_back({line.line, "no one in imhere has the email " + line.email});
            continue;
        }
        if (who->second->role != Role::Student) {
            report.skipped.push_back({line.line, line.email + " is not a trainee (student) of this course"});
            continue;
        }
        if (const auto [it, fresh] = firstLine.emplace(std::pair(email, line.sprint), line.line); !fresh) {
            report.skipped.push_back({line.line, "a second row for " + line.email + " in sprint "
                                                     + std::to_string(line.sprint) + " (the row on line "
                                                     + std::to_string(it->second) + " counts)"});
            continue;
        }
        if (attended.contains({who->second->publicId, line.sprint})) {
            ++report.alreadyRecorded;
            continue;
        }
        bySprint[line.sprint].push_back({&line, who->second});
    }

    struct NewClass {
        NewWindow window;
        int sprint = 0;
    };
    std::vector<NewClass> windows;
    std::vector<std::pair<CheckInEvent, int>> checkIns;
    const auto now = services.clock.nowMs();
    for (const auto& [sprint, rows] : bySprint) {
        std::string windowId;
        if (const auto it = classes.find(sprint); it != classes.end()) {
            windowId = it->second->windows.front();
        } else {
            std::map<std::int64_t, int> days; // local day → rows
            for (const auto& p : rows) {
                if (const auto d = localDate(course.timezone, p.line->signedIn))
                    ++days[daysFromCivil(d->y, d->m, d->d)];
            }
            const auto mode = std::ranges::max_element(days, [](const auto& a, const auto& b) {
                return a.second < b.second || (a.second == b.second && a.first > b.first);
            });
            if (!startMinute)
                return fail(Errc::InvalidRequest,
                            "sprint " + std::to_string(sprint)
                                + " needs a window and the course has none to take the class's time from: give the "
                                  "class start time (HH:MM)");
            const auto day = civilFromDays(mode->first);
            TRY_ASSIGN(start, utcFromLocal(course.timezone, *localOf(day, *startMinute * 60)));
            if (start > now)
                return fail(Errc::InvalidRequest, "sprint " + std::to_string(sprint)
                                                      + " has no window yet and its rows are in the future: open its "
                                                        "window first");
            windowId = newUuidV4();
            windows.push_back({NewWindow{windowId, course.id, "Sprint " + std::to_string(sprint), start, start, actor,
                                         start + std::int64_t{course.absentAfterMin} * 60'000},
                               sprint});
            report.newWindows.push_back(sprint);
        }
        for (const auto& p : rows) {
            checkIns.push_back({CheckInEvent{importedCheckInId(course.id, p.person->publicId, sprint), p.person->id,
                                             windowId, p.line->signedIn, CheckInSource::Manual, p.person->id,
                                             std::nullopt},
                                p.line->line});
        }
    }
    report.recorded = static_cast<int>(checkIns.size());
    if (dryRun)
        return report;

    RegisterImportRecord record{course.id, actor, now, report.rows, sha256Hex(text), {}};
    const RegisterImportReport counted = report;
    TRY(services.store.inTransaction([&]() -> Result<void> {
        // The store may run this again (store.h): count from the start.
        report = counted;
        record.checkIns.clear();
        for (const auto& w : windows) {
            TRY(services.store.attendance().createWindow(w.window));
            TRY(services.store.tracker().setWindowSprint(w.window.id, w.sprint));
        }
        int stored = 0;
        for (const auto& [event, line] : checkIns) {
            TRY_ASSIGN(added, services.store.attendance().addCheckIn(event));
            if (added) {
                ++stored;
                record.checkIns.emplace_back(event.id, line);
            }
        }
        report.alreadyRecorded += report.recorded - stored;
        report.recorded = stored;
        TRY(services.store.tracker().recordRegisterImport(record));
        return {};
    }));
    return report;
}

Result<RegisterImportReport> importRegisterAs(Services& services, const Caller& caller, std::string_view course,
                                              std::string_view text, bool dryRun, std::optional<int> classStartMinute)
{
    TRY_ASSIGN(view, courseAs(services, caller, course, Standing::Teaches,
                              "only the course's teachers import a register"));
    return importRegister(services, view.course, text, dryRun, caller.person.id, classStartMinute);
}

std::vector<std::string> describeImport(const RegisterImportReport& report)
{
    std::vector<std::string> lines;
    lines.push_back("Read " + std::to_string(report.rows) + " row(s).");
    lines.push_back(std::to_string(report.recorded) + " check-in(s) " + (report.dryRun ? "would be recorded" : "recorded")
                    + "; " + std::to_string(report.alreadyRecorded) + " already recorded.");
    if (!report.newWindows.empty()) {
        std::string sprints;
        for (const int s : report.newWindows)
            sprints += (sprints.empty() ? "" : ", ") + std::to_string(s);
        lines.push_back("Windows " + (report.dryRun ? std::string("would be created") : std::string("created"))
                        + " for sprint(s) " + sprints + ".");
    }
    for (const auto& s : report.skipped)
        lines.push_back("Line " + std::to_string(s.line) + " skipped: " + s.message + ".");
    return lines;
}

} // namespace imhere::server
