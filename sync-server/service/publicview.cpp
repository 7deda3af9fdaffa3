#include "publicview.h"

#include "attendancefold.h"
#include "records.h"
#include "windowrules.h"

#include "sync-server/serverlimits.h"

#include <algorithm>
#include <map>
#include <set>

namespace imhere::server {

namespace {

bool isTrainee(const AttendanceRecord& r)
{
    return r.role == Role::Student;
}

Result<std::set<std::string>> optedOut(Services& services)
{
    TRY_ASSIGN(ids, services.store.people().publicOptOuts());
    return std::set<std::string>(ids.begin(), ids.end());
}

WindowPhase phaseOf(const Window& w, std::int64_t now)
{
    if (w.closedAt)
        return WindowPhase::Closed;
    return isOpenAt(w, now) || w.openedAt ? WindowPhase::Open : WindowPhase::Scheduled;
}

} // namespace

Result<std::vector<PublicCourse>> publicCourses(Services& services)
{
    TRY_ASSIGN(courses, services.store.courses().listCourses(std::nullopt));
    std::vector<PublicCourse> out;
    for (auto& c : courses) {
        if (c.course.removed)
            continue;
        TRY_ASSIGN(roster, services.store.courses().roster(c.course.id));
        TRY_ASSIGN(windows, services.store.attendance().windowsOf(c.course.id));
        const int trainees = static_cast<int>(std::ranges::count(roster, Role::Student, &Member::role));
        out.push_back({std::move(c.course), trainees >= limits::k_publicMinGroup ? std::optional(trainees) : std::nullopt,
                       static_cast<int>(windows.size())});
    }
    return out;
}

Result<PublicPage<PublicWindow>> publicWindows(Services& services, std::string_view course, PageSpan span)
{
    TRY(services.liveCourse(course));
    TRY_ASSIGN(windows, services.store.attendance().windowsOf(course));
    const auto now = services.clock.nowMs();
    PublicPage<PublicWindow> page{{}, windows.size()};
    for (std::size_t i = span.offset; i < windows.size() && i < span.offset + span.limit; ++i) {
        Window& w = windows[i];
        TRY_ASSIGN(records, recordsOfWindow(services, w.id));
        std::erase_if(records, [](const AttendanceRecord& r) { return !isTrainee(r); });
        const Tally tally = tallyOf(records);
        const bool shown = tally.people >= limits::k_publicMinGroup;
        const WindowPhase phase = phaseOf(w, now);
        page.items.push_back({std::move(w), phase, shown ? std::optional(tally) : std::nullopt});
    }
    return page;
}

Result<PublicPage<AttendanceRecord>> publicAttendance(Services& services, std::string_view course,
                                                      std::optional<std::int64_t> fromMs,
                                                      std::optional<std::int64_t> toMs, PageSpan span)
{
    TRY(services.liveCourse(course));
    TRY_ASSIGN(out, optedOut(services));
    // Which trainee has a record in which window (records.h: a window they
    // were enrolled for, or one they checked in to or were corrected in
    // anyway), from the roster and when each joined and left, and the events
    // only of those not enrolled all along: a page is then found without
    // reading the events of the windows before it.
    TRY_ASSIGN(roster, services.store.attendance().rosterInputs(course));
    std::vector<Window>& windows = roster.windows;
    if (fromMs || toMs) {
        std::erase_if(windows, [&](const Window& w) {
            const auto start = w.startMs();
            return !start || (fromMs && *start < *fromMs) || (toMs && *start >= *toMs);
        });
    }
    // has[t][w]: trainee t has a record in window w, from their spans alone;
    // for those out of the course at some window, from their events too.
    std::vector<std::vector<char>> has;
    std::map<std::string_view, std::size_t> outAtTimes; // public id → its row in `has`
    for (const Member& m : roster.members) {
        if (m.role != Role::Student || out.contains(m.publicId))
            continue;
        const auto found = roster.enrolment.find(m.publicId);
        std::vector<char>& row = has.emplace_back(windows.size(), 1);
        if (found == roster.enrolment.end())
            continue; // no history kept: always enrolled
        bool outOnce = false;
        for (std::size_t w = 0; w < windows.size(); ++w)
            if (!enrolledIn(windows[w], found->second, false)) {
                row[w] = 0;
                outOnce = true;
            }
        if (outOnce)
            outAtTimes.emplace(m.publicId, has.size() - 1);
    }
    if (!outAtTimes.empty()) {
        std::vector<std::string> ids(outAtTimes.size());
        std::ranges::transform(outAtTimes, ids.begin(), [](const auto& e) { return std::string(e.first); });
        TRY_ASSIGN(attended, services.store.attendance().attendedWindows(course, ids));
        std::map<std::string_view, std::size_t> windowAt;
        for (std::size_t w = 0; w < windows.size(); ++w)
            windowAt.emplace(windows[w].id, w);
        for (const auto& [person, window] : attended)
            if (const auto w = windowAt.find(window); w != windowAt.end())
                has[outAtTimes.at(person)][w->second] = 1;
    }
    std::vector<std::size_t> counts(windows.size(), 0);
    std::size_t total = 0;
    for (const std::vector<char>& row : has)
        for (std::size_t w = 0; w < windows.size(); ++w)
            counts[w] += static_cast<std::size_t>(row[w]);
    for (const std::size_t n : counts)
        total += n;

    // Records in order of window, then of trainee's public id; the page's
    // windows alone are folded.
    PublicPage<AttendanceRecord> page{{}, total};
    std::size_t before = 0;
    for (std::size_t i = 0; i < windows.size() && page.items.size() < span.limit; ++i) {
        if (before + counts[i] <= span.offset) {
            before += counts[i];
            continue;
        }
        TRY_ASSIGN(records, recordsOfWindow(services, windows[i].id));
        std::erase_if(records, [&](const AttendanceRecord& r) { return !isTrainee(r) || out.contains(r.person); });
        std::ranges::sort(records, {}, &AttendanceRecord::person);
        const std::size_t skip = span.offset > before ? span.offset - before : 0;
        for (std::size_t k = skip; k < records.size() && page.items.size() < span.limit; ++k)
            page.items.push_back(std::move(records[k]));
        before += counts[i];
    }
    return page;
}

Result<PublicTrainee> publicTrainee(Services& services, std::string_view publicId)
{
    auto notFound = [] { return fail(Errc::NotFound, "no such trainee"); };
    TRY_ASSIGN(person, services.store.people().personByPublicId(publicId));
    if (!person)
        return notFound();
    TRY_ASSIGN(optOut, services.store.people().publicOptOut(person->id));
    if (optOut)
        return notFound();
    TRY_ASSIGN(courses, services.store.courses().listCourses(person->id));
    PublicTrainee out{person->publicId, {}};
    for (auto& c : courses) {
        if (c.course.removed || c.role != Role::Student)
            continue;
        TRY_ASSIGN(records, recordsOfPerson(services, c.course.id, person->id));
        const Tally tally = tallyOf(records);
        out.courses.push_back({std::move(c.course), tally, std::move(records)});
    }
    if (out.courses.empty())
        return notFound();
    return out;
}

Result<std::vector<PublicWeek>> publicSummary(Services& services, std::string_view course)
{
    TRY_ASSIGN(c, services.liveCourse(course));
    TRY_ASSIGN(windows, services.store.attendance().windowsOf(course));
    TRY_ASSIGN(records, recordsOfCourse(services, course));
    const CourseFigures figures = courseFigures(c, windows, records, DateRange{});
    std::map<std::int64_t, int> windowsOfWeek; // days of the Monday
    for (const auto& w : figures.windows)
        if (const auto monday = weekOf(c.timezone, *w.window.startMs()))
            ++windowsOfWeek[daysFromCivil(monday->y, monday->m, monday->d)];
    std::vector<PublicWeek> out;
    for (const auto& week : figures.weeks) {
        const bool shown = week.trainees.people >= limits::k_publicMinGroup;
        out.push_back({week.monday, windowsOfWeek[daysFromCivil(week.monday.y, week.monday.m, week.monday.d)],
                       shown ? std::optional(week.trainees) : std::nullopt});
    }
    return out;
}

std::string_view toString(WindowPhase phase)
{
    switch (phase) {
    case WindowPhase::Scheduled: return "scheduled";
    case WindowPhase::Open: return "open";
    case WindowPhase::Closed: return "closed";
    }
    return "scheduled";
}

Result<bool> publicOptOutOf(Services& services, const Caller& caller)
{
    return services.store.people().publicOptOut(caller.person.id);
}

Result<void> setPublicOptOut(Services& services, const Caller& caller, bool optOut)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "choose this while signed in"));
    return services.store.people().setPublicOptOut(caller.person.id, optOut, caller.person.publicId);
}

Result<Person> erasePersonalData(Services& services, std::string_view publicId, std::string_view actor)
{
    TRY_ASSIGN(person, services.store.people().personByPublicId(publicId));
    if (!person)
        return fail(Errc::NotFound, "nobody has the public id " + std::string(publicId));
    TRY(services.store.people().erasePerson(person->id, "Erased person", actor));
    TRY_ASSIGN(erased, services.store.people().personById(person->id));
    return std::move(*erased);
}

Result<std::string> publicDataMark(Services& services)
{
    return services.store.people().publicDataMark();
}

} // namespace imhere::server
