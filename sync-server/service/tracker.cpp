#include "tracker.h"

#include "attendancefold.h"
#include "courseviews.h"
#include "sheetcells.h"

#include "core/csv.h"
#include "core/timezone.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace imhere::server {

namespace {

constexpr std::int64_t k_dayMs = 86'400'000;
constexpr int k_trackerLateAfterMin = 10;

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
                const auto spans = inputs.enrolment.find(p.publicId);
                if (spans != inputs.enrolment.end() && !enrolledIn(w, spans->second, events ? *events : RecordEvents{}))
                    continue; // not enrolled then
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
            if (!at) {
                // A sprint whose classes were all before they joined (or after they left) is not theirs.
                const auto spans = inputs.enrolment.find(p.publicId);
                if (spans != inputs.enrolment.end()
                    && std::ranges::none_of(cls.windows, [&](const std::string& id) {
                           const auto* events = eventsOf(p.publicId, id);
                           return enrolledIn(*windowById[id], spans->second, events ? *events : RecordEvents{});
                       }))
                    continue;
            }
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

} // namespace imhere::server
