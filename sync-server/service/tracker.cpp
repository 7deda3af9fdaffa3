#include "tracker.h"

#include "attendancefold.h"
#include "courseviews.h"

#include "core/csv.h"
#include "core/crypto.h"
#include "core/encoding.h"
#include "core/random.h"
#include "core/timezone.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

namespace imhere::server {

namespace {

constexpr std::int64_t k_dayMs = 86'400'000;
constexpr int k_trackerLateAfterMin = 10;
constexpr int k_maxSprint = 20;
constexpr std::size_t k_maxRegisterBytes = 2 << 20;
constexpr std::size_t k_maxRegisterRows = 20'000;
constexpr std::size_t k_maxRegionBytes = 100;

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t daysFromCivil(int y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
    int y = 1970;
    int m = 1;
    int d = 1;
};

CivilDate civilFromDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0)), static_cast<int>(m),
            static_cast<int>(d)};
}

bool validDate(int y, int m, int d)
{
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    const auto back = civilFromDays(daysFromCivil(y, m, d));
    return back.y == y && back.m == m && back.d == d;
}

// Reads exactly `n` digits at `pos`.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n)
{
    if (pos + n > s.size())
        return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

std::string twoDigits(int v)
{
    return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}

std::string isoDate(const CivilDate& c)
{
    return std::to_string(c.y) + "-" + twoDigits(c.m) + "-" + twoDigits(c.d);
}

std::optional<CivilDate> parseIsoDate(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    const auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (!y || !m || !d || !validDate(*y, *m, *d))
        return std::nullopt;
    return CivilDate{*y, *m, *d};
}

// A date as sheets keep it: 2026-10-06 or 06/10/2026 (day first).
std::optional<CivilDate> parseSheetDate(std::string_view s)
{
    if (auto iso = parseIsoDate(s))
        return iso;
    if (s.size() == 10 && s[2] == '/' && s[5] == '/') {
        const auto d = digits(s, 0, 2), m = digits(s, 3, 2), y = digits(s, 6, 4);
        if (d && m && y && validDate(*y, *m, *d))
            return CivilDate{*y, *m, *d};
    }
    return std::nullopt;
}

// HH:MM or HH:MM:SS → seconds after midnight.
std::optional<int> parseClock(std::string_view s)
{
    if (s.size() != 5 && s.size() != 8)
        return std::nullopt;
    const auto h = digits(s, 0, 2), m = digits(s, 3, 2);
    if (!h || !m || s[2] != ':' || *h > 23 || *m > 59)
        return std::nullopt;
    int sec = 0;
    if (s.size() == 8) {
        const auto ss = digits(s, 6, 2);
        if (s[5] != ':' || !ss || *ss > 59)
            return std::nullopt;
        sec = *ss;
    }
    return *h * 3600 + *m * 60 + sec;
}

std::optional<LocalDateTime> localOf(const CivilDate& date, int secondOfDay)
{
    return LocalDateTime{date.y, date.m, date.d, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60};
}

// A sheet's timestamp: RFC 3339, or a local "date time" in the course's zone.
std::optional<std::int64_t> parseSheetTimestamp(std::string_view s, std::string_view zone)
{
    if (auto utc = parseRfc3339(s))
        return utc;
    const auto space = s.find_first_of(" T");
    if (space == std::string_view::npos)
        return std::nullopt;
    const auto date = parseSheetDate(s.substr(0, space));
    const auto clock = parseClock(s.substr(space + 1));
    if (!date || !clock)
        return std::nullopt;
    auto utc = utcFromLocal(zone, *localOf(*date, *clock));
    return utc ? std::optional(*utc) : std::nullopt;
}

std::string trimmed(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

bool isPlainText(std::string_view s, std::size_t maxBytes)
{
    return s.size() <= maxBytes && isValidUtf8(s)
        && std::ranges::none_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

bool looksLikeEmail(std::string_view s)
{
    const auto at = s.find('@');
    return s.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < s.size()
        && s.find_first_of(" ,;<>") == std::string_view::npos && isPlainText(s, 254);
}

std::string sha256Hex(std::string_view text)
{
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return hexEncode(std::span<const std::uint8_t>(digest.data(), digest.size()));
}

// The same trainee, sprint and course always give the same check-in id, so
// that an import run twice, or twice at once, stores one check-in.
std::string importedCheckInId(std::string_view course, std::string_view person, int sprint)
{
    const std::string key = "imhere register import\n" + std::string(course) + "\n" + std::string(person) + "\n"
        + std::to_string(sprint);
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x80); // version 8: custom (RFC 9562)
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80); // the RFC's variant
    return uuidFromBytes(std::span<const std::uint8_t>(digest.data(), 16));
}

std::optional<CivilDate> localDate(std::string_view zone, std::int64_t utcMs)
{
    auto local = localFromUtc(zone, utcMs);
    if (!local)
        return std::nullopt;
    return CivilDate{local->year, local->month, local->day};
}

// Whether the person was at this window as the register sees it: their
// latest correction when there is one, else any check-in; and when.
std::optional<std::int64_t> signedInAt(const Window& window, const RecordEvents* events)
{
    if (!events)
        return std::nullopt;
    std::optional<std::int64_t> first;
    for (const auto& c : events->checkIns)
        first = first ? std::min(*first, c.at) : c.at;
    if (!events->corrections.empty()) {
        auto corrections = events->corrections;
        std::ranges::stable_sort(corrections, {}, &CorrectionFact::at);
        if (!corrections.back().present)
            return std::nullopt;
        return first ? first : window.startMs();
    }
    return first;
}

} // namespace

// ---- the tracker's rules ----

std::string_view toString(TrackerAttendance a)
{
    switch (a) {
    case TrackerAttendance::OnTime: return "on time";
    case TrackerAttendance::Late: return "late";
    case TrackerAttendance::WrongDay: return "wrong day";
    case TrackerAttendance::Absent: return "absent";
    }
    return "absent";
}

std::string_view toString(TrackerLabel l)
{
    switch (l) {
    case TrackerLabel::OnTrack: return "on track";
    case TrackerLabel::Behind: return "behind";
    case TrackerLabel::AtRisk: return "at risk";
    }
    return "at risk";
}

std::string_view tokenOf(TrackerAttendance a)
{
    switch (a) {
    case TrackerAttendance::OnTime: return "on_time";
    case TrackerAttendance::Late: return "late";
    case TrackerAttendance::WrongDay: return "wrong_day";
    case TrackerAttendance::Absent: return "absent";
    }
    return "absent";
}

std::string_view tokenOf(TrackerLabel l)
{
    switch (l) {
    case TrackerLabel::OnTrack: return "on_track";
    case TrackerLabel::Behind: return "behind";
    case TrackerLabel::AtRisk: return "at_risk";
    }
    return "at_risk";
}

TrackerAttendance trackerAttendance(std::int64_t signedInMs, std::int64_t classStartMs)
{
    if (floorDiv(signedInMs, k_dayMs) != floorDiv(classStartMs, k_dayMs))
        return TrackerAttendance::WrongDay;
    // Whole minutes, truncated toward zero as the tracker counts them.
    const std::int64_t lateBy = (signedInMs - classStartMs) / 60'000;
    return lateBy > k_trackerLateAfterMin ? TrackerAttendance::Late : TrackerAttendance::OnTime;
}

TrackerScore trackerScore(const std::vector<TrackerAttendance>& sprints)
{
    TrackerScore score;
    for (const auto a : sprints) {
        score.denominator += 10;
        score.numerator += a == TrackerAttendance::OnTime ? 10
            : a == TrackerAttendance::Late                ? 8
            : a == TrackerAttendance::WrongDay            ? 3
                                                          : 0;
    }
    if (score.denominator == 0)
        return score;
    score.basisPoints = static_cast<int>(10'000LL * score.numerator / score.denominator);
    score.label = *score.basisPoints >= 5000 ? TrackerLabel::OnTrack
        : *score.basisPoints >= 2500         ? TrackerLabel::Behind
                                             : TrackerLabel::AtRisk;
    return score;
}

std::optional<int> sprintFromDay(std::string_view day)
{
    if (day == "welcome-to-code-your-future")
        return 1;
    if (!day.starts_with("sprint-"))
        return std::nullopt;
    day.remove_prefix(7);
    int n = 0;
    const auto [end, ec] = std::from_chars(day.data(), day.data() + day.size(), n);
    if (ec != std::errc{} || end != day.data() + day.size() || day.empty() || day[0] == '+' || n < 1
        || n > k_maxSprint)
        return std::nullopt;
    return n;
}

std::optional<std::int64_t> parseRfc3339(std::string_view s)
{
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
    if (s.size() < 20)
        return std::nullopt;
    const auto date = parseIsoDate(s.substr(0, 10));
    if (!date || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return std::nullopt;
    const auto clock = parseClock(s.substr(11, 8));
    if (!clock)
        return std::nullopt;
    std::size_t pos = 19;
    int millis = 0;
    if (s[pos] == '.') {
        std::size_t n = 0;
        for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n) {
            if (n < 3)
                millis = millis * 10 + (s[pos] - '0');
        }
        if (n == 0)
            return std::nullopt;
        for (; n < 3; ++n)
            millis *= 10;
    }
    std::int64_t offsetSec = 0;
    const auto zone = s.substr(pos);
    if (zone == "Z" || zone == "z") {
        offsetSec = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        const auto h = digits(zone, 1, 2), m = digits(zone, 4, 2);
        if (!h || !m || *h > 23 || *m > 59)
            return std::nullopt;
        offsetSec = (*h * 3600 + *m * 60) * (zone[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const std::int64_t local = daysFromCivil(date->y, date->m, date->d) * 86'400 + *clock;
    return (local - offsetSec) * 1000 + millis;
}

std::string formatRfc3339(std::int64_t utcMs)
{
    const std::int64_t sec = floorDiv(utcMs, 1000);
    const auto date = civilFromDays(floorDiv(sec, 86'400));
    const auto s = static_cast<int>(sec - floorDiv(sec, 86'400) * 86'400);
    return isoDate(date) + "T" + twoDigits(s / 3600) + ":" + twoDigits(s / 60 % 60) + ":" + twoDigits(s % 60) + "Z";
}

// ---- the course as the tracker sees it ----

Result<TrackerView> trackerView(Services& services, const Course& course)
{
    TrackerView view;
    view.course = course;
    TRY_ASSIGN(identity, services.store.tracker().trackerIdentity(course.id));
    view.identity = std::move(identity);
    TRY_ASSIGN(inputs, services.store.attendance().recordInputs(course.id, std::nullopt, std::nullopt));
    TRY_ASSIGN(explicitSprints, services.store.tracker().windowSprints(course.id));
    view.explicitSprint = std::move(explicitSprints);
    TRY_ASSIGN(people, services.store.tracker().trackerPeople(course.id));
    view.people = std::move(people);

    // Windows in start order; one never opened and unscheduled has no day.
    view.windows = inputs.windows;
    std::ranges::stable_sort(view.windows, {}, [](const Window& w) { return w.startMs().value_or(INT64_MAX); });
    if (view.identity && view.identity->firstSprintDay) {
        view.firstSprintDay = *view.identity->firstSprintDay;
    } else if (!view.windows.empty() && view.windows.front().startMs()) {
        if (const auto first = localDate(course.timezone, *view.windows.front().startMs()))
            view.firstSprintDay = isoDate(*first);
    }
    const auto firstDay = parseIsoDate(view.firstSprintDay);
    std::map<int, SprintClass> sprints;
    for (const Window& w : view.windows) {
        std::optional<int> sprint;
        if (const auto it = view.explicitSprint.find(w.id); it != view.explicitSprint.end()) {
            sprint = it->second;
        } else if (firstDay && w.startMs()) {
            if (const auto day = localDate(course.timezone, *w.startMs())) {
                const auto week = floorDiv(daysFromCivil(day->y, day->m, day->d)
                                               - daysFromCivil(firstDay->y, firstDay->m, firstDay->d),
                                           7)
                    + 1;
                if (week >= 1 && week <= k_maxSprint)
                    sprint = static_cast<int>(week);
            }
        }
        if (!sprint || !w.startMs())
            continue;
        view.windowSprint[w.id] = *sprint;
        auto& cls = sprints[*sprint];
        if (cls.windows.empty()) {
            cls.sprint = *sprint;
            cls.classStart = *w.startMs();
            cls.counted = true;
        }
        cls.windows.push_back(w.id);
        cls.counted = cls.counted && w.closedAt.has_value();
    }
    for (auto& [n, cls] : sprints)
        view.sprints.push_back(std::move(cls));

    std::map<std::string, const Member*> members;
    for (const auto& m : inputs.members)
        members[m.publicId] = &m;
    auto eventsOf = [&](const std::string& person, const std::string& window) -> const RecordEvents* {
        const auto it = inputs.events.find({person, window});
        return it == inputs.events.end() ? nullptr : &it->second;
    };
    std::map<std::string, const Window*> windowById;
    for (const auto& w : view.windows)
        windowById[w.id] = &w;

    for (const TrackerPerson& p : view.people) {
        if (p.role != Role::Student)
            continue;
        TraineeTracking t{p, 0, 0, 0, {}, {}};
        if (const auto m = members.find(p.publicId); m != members.end()) {
            for (const Window& w : view.windows) {
                const auto* events = eventsOf(p.publicId, w.id);
                const auto r = foldRecord(course, w, *m->second, events ? *events : RecordEvents{});
                // An excused absence counts apart: in neither figure.
                if (!r.status || r.status == AttendanceStatus::Excused)
                    continue;
                ++t.counted;
                t.present += r.present ? 1 : 0;
                t.onTime += r.status == AttendanceStatus::OnTime && r.present ? 1 : 0;
            }
        }
        std::vector<TrackerAttendance> counted;
        for (const SprintClass& cls : view.sprints) {
            // A sprint with several classes counts the first one attended,
            // against that class's own start.
            std::optional<std::int64_t> at;
            std::int64_t classStart = cls.classStart;
            for (const auto& id : cls.windows) {
                const Window& w = *windowById[id];
                at = signedInAt(w, eventsOf(p.publicId, id));
                if (at) {
                    classStart = w.startMs().value_or(classStart);
                    break;
                }
            }
            if (at && p.email) {
                view.rows.push_back(
                    {cls.sprint, p.publicId, p.displayName, *p.email, *at, classStart, p.region.value_or("")});
            }
            if (!cls.counted)
                continue;
            const auto a = at ? trackerAttendance(*at, classStart) : TrackerAttendance::Absent;
            t.sprints[cls.sprint] = a;
            counted.push_back(a);
        }
        t.score = trackerScore(counted);
        if (!p.email)
            view.withoutEmail.push_back(p.displayName);
        view.trainees.push_back(std::move(t));
    }
    std::ranges::stable_sort(view.rows, [](const RegisterRow& a, const RegisterRow& b) {
        return std::tie(a.sprint, a.signedIn, a.email) < std::tie(b.sprint, b.signedIn, b.email);
    });
    return view;
}

Result<TrackerView> trackerViewOf(Services& services, const Caller& caller, std::string_view course)
{
    TRY_ASSIGN(view, courseAs(services, caller, course, Standing::RunsClass,
                              "only the course's teachers and TAs see its register"));
    return trackerView(services, view.course);
}

std::string registerCsv(const TrackerView& view)
{
    std::string out = csv::row({"Name", "Email", "Timestamp", "Course", "Module", "Day", "Location"});
    const std::string course = view.identity ? view.identity->course : view.course.name;
    const std::string module = view.identity ? view.identity->module : std::string();
    for (const RegisterRow& r : view.rows) {
        out += csv::row({r.name, r.email, formatRfc3339(r.signedIn), course, module, "sprint-" + std::to_string(r.sprint),
                         r.region});
    }
    return out;
}

Result<void> changeTracker(Services& services, const Caller& caller, std::string_view courseId,
                           const TrackerChange& change)
{
    TRY_ASSIGN(view, courseAs(services, caller, courseId, Standing::Teaches,
                              "only the course's teachers change its tracker names"));
    if (change.identity) {
        const auto& id = *change.identity;
        if (id.course.empty() || !isPlainText(id.course, imhere::limits::k_maxNameBytes))
            return std::unexpected(invalid("tracker_course: 1-200 bytes of text"));
        if (id.module.empty() || !isPlainText(id.module, imhere::limits::k_maxNameBytes))
            return std::unexpected(invalid("module: 1-200 bytes of text"));
        if (id.firstSprintDay && !parseIsoDate(*id.firstSprintDay))
            return std::unexpected(invalid("first_sprint_day: a date YYYY-MM-DD"));
    }
    TRY_ASSIGN(people, services.store.tracker().trackerPeople(courseId));
    std::map<std::string, PersonId> participants;
    for (const auto& p : people) {
        if (p.role != Role::Teacher)
            participants[p.publicId] = p.id;
    }
    for (const auto& [person, region] : change.regions) {
        if (!participants.contains(person))
            return std::unexpected(invalid("regions." + person + ": not a student or TA of this course"));
        if (region && (region->empty() || !isPlainText(*region, k_maxRegionBytes)))
            return std::unexpected(invalid("regions." + person + ": 1-100 bytes of text"));
    }
    TRY_ASSIGN(windows, services.store.attendance().windowsOf(courseId));
    std::set<std::string> ids;
    for (const auto& w : windows)
        ids.insert(w.id);
    for (const auto& [window, sprint] : change.sprints) {
        if (!ids.contains(window))
            return std::unexpected(invalid("sprints." + window + ": not a window of this course"));
        if (sprint && (*sprint < 1 || *sprint > k_maxSprint))
            return std::unexpected(invalid("sprints." + window + ": a sprint from 1 to 20"));
    }
    return services.store.inTransaction([&]() -> Result<void> {
        if (change.identity || change.clearIdentity)
            TRY(services.store.tracker().setTrackerIdentity(view.course.id, change.identity));
        for (const auto& [person, region] : change.regions)
            TRY(services.store.tracker().setRegion(participants.at(person), region));
        for (const auto& [window, sprint] : change.sprints)
            TRY(services.store.tracker().setWindowSprint(window, sprint));
        return {};
    });
}

// ---- register import ----

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
    TRY(services.store.inTransaction([&]() -> Result<void> {
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

std::optional<int> parseClassStart(std::string_view text)
{
    const auto seconds = parseClock(text);
    if (!seconds || text.size() != 5)
        return std::nullopt;
    return *seconds / 60;
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
