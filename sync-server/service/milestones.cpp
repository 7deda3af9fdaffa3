#include "milestones.h"

#include "records.h"
#include "reports.h"
#include "reportviews.h"
#include "sheetcells.h"

#include "sync-server/serverlimits.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace imhere::server {

namespace {

constexpr std::int64_t k_dayMs = 24LL * 3'600'000;
constexpr std::size_t k_maxTitleBytes = 120;
constexpr std::size_t k_maxDescriptionBytes = 1000;
constexpr std::size_t k_maxScopeBytes = 39; // a GitHub organisation name
constexpr double k_onTrackScore = 0.8;
constexpr double k_behindScore = 0.5;
constexpr double k_graceShare = 0.1;   // nothing is expected in the first tenth of the time
constexpr double k_rateBehindShare = 0.9;

bool isScopeName(std::string_view s)
{
    return !s.empty() && s.size() <= k_maxScopeBytes && std::ranges::all_of(s, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '+' || c == '#' || c == '.';
    });
}

bool isHandle(std::string_view u)
{
    return !u.empty() && u.size() <= limits::k_maxUsernameBytes && std::ranges::all_of(u, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.';
    });
}

std::optional<double> parseNumber(std::string_view text)
{
    const std::string t = trimmed(text);
    double v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

// "5 kyu", "5kyu", "1 dan" or a Codewars rank number.
std::optional<int> parseRank(std::string_view text)
{
    std::string t = trimmed(text);
    std::ranges::transform(t, t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (const auto n = parseNumber(t); n && *n == std::floor(*n) && *n >= -8 && *n <= 8 && *n != 0)
        return static_cast<int>(*n);
    for (const auto& [suffix, sign] : {std::pair{std::string_view("kyu"), -1}, std::pair{std::string_view("dan"), 1}}) {
        if (!t.ends_with(suffix))
            continue;
        const auto n = parseNumber(trimmed(std::string_view(t).substr(0, t.size() - suffix.size())));
        if (n && *n == std::floor(*n) && *n >= 1 && *n <= 8)
            return sign * static_cast<int>(*n);
    }
    return std::nullopt;
}

int rankStep(double rank)
{
    return rank < 0 ? static_cast<int>(rank) + 9 : static_cast<int>(rank) + 8;
}

// The end of the day, UTC.
std::optional<std::int64_t> dueOf(std::string_view text)
{
    const auto day = parseIsoDate(trimmed(text));
    if (!day)
        return std::nullopt;
    return (daysFromCivil(day->y, day->m, day->d) + 1) * k_dayMs - 1;
}

MilestoneFields fieldsOf(const MilestoneInput& in, const std::optional<std::string>& course)
{
    MilestoneFields f;
    f.title = trimmed(in.title);
    f.description = trimmed(in.description);
    f.metric = milestoneMetricFrom(in.metric).value_or(MilestoneMetric::Manual);
    f.scope = trimmed(in.scope);
    if (f.metric == MilestoneMetric::CodewarsKatas)
        std::ranges::transform(f.scope, f.scope.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (f.metric == MilestoneMetric::AttendancePercent || f.metric == MilestoneMetric::OnTimePercent) {
        if (course)
            f.scope = *course;
    } else if (f.metric != MilestoneMetric::CodewarsKatas && f.metric != MilestoneMetric::GithubPrsMerged) {
        f.scope.clear();
    }
    if (f.metric == MilestoneMetric::CodewarsRank)
        f.target = parseRank(in.target).value_or(-8);
    else if (f.metric == MilestoneMetric::Manual)
        f.target = 1;
    else
        f.target = parseNumber(in.target).value_or(1);
    f.dueAt = dueOf(in.due).value_or(0);
    return f;
}

Result<void> failIfProblems(const std::vector<std::pair<std::string, std::string>>& problems)
{
    if (problems.empty())
        return {};
    return std::unexpected(invalid(problems.front().first + ": " + problems.front().second));
}

// The people a course's team looks after there: its students.
Result<std::vector<Member>> traineesOf(Services& services, std::string_view course)
{
    TRY_ASSIGN(roster, services.store.courses().roster(course));
    std::erase_if(roster, [](const Member& m) { return m.role != Role::Student; });
    return roster;
}

// Attendance tallies of a course's people, worked out once per course.
class Measures {
public:
    explicit Measures(Services& services) : m_services(services) {}

    Result<const std::map<std::string, Tally>*> talliesOf(const std::string& course)
    {
        auto it = m_tallies.find(course);
        if (it == m_tallies.end()) {
            std::map<std::string, Tally> tallies;
            auto c = m_services.store.courses().course(course);
            if (c && *c) {
                TRY_ASSIGN(windows, m_services.store.attendance().windowsOf(course));
                TRY_ASSIGN(records, recordsOfCourse(m_services, course));
                const CourseFigures figures = courseFigures(**c, windows, records, {});
                for (const PersonFigures& p : figures.people)
                    tallies.emplace(p.member.publicId, p.tally);
            }
            it = m_tallies.emplace(course, std::move(tallies)).first;
        }
        return &it->second;
    }

    // Progress of each milestone for one person.
    Result<std::vector<MilestoneProgress>> progressOf(const Person& person, const std::vector<Milestone>& milestones,
                                                      const std::vector<MetricSnapshot>& latest,
                                                      const std::vector<MilestoneConfirmation>& confirmations)
    {
        std::vector<MilestoneProgress> out;
        const std::int64_t now = m_services.clock.nowMs();
        for (const Milestone& m : milestones) {
            MilestoneProgress p{m, std::nullopt, std::nullopt, std::nullopt, 0, false, MilestoneState::OnTrack, {}};
            const MilestoneMetric metric = m.fields.metric;
            if (metric == MilestoneMetric::Manual) {
                for (const MilestoneConfirmation& c : confirmations)
                    if (c.milestone == m.id)
                        p.confirmation = c;
                p.value = p.confirmation ? 1 : 0;
                if (p.confirmation)
                    p.measuredAt = p.confirmation->at;
            } else if (isRate(metric)) {
                TRY_ASSIGN(tallies, talliesOf(m.fields.scope));
                if (const auto it = tallies->find(person.publicId); it != tallies->end()) {
                    p.value = metric == MilestoneMetric::AttendancePercent ? it->second.attendancePercent()
                                                                           : it->second.onTimePercent();
                    if (p.value)
                        p.measuredAt = now;
                }
            } else {
                const std::string key = metricKey(m.fields);
                for (const MetricSnapshot& s : latest)
                    if (s.metric == key) {
                        p.value = s.value;
                        p.measuredAt = s.at;
                    }
            }
            p.percent = p.value ? progressPercent(metric, *p.value, m.fields.target) : 0;
            p.reached = p.percent >= 100;
            p.state = milestoneState(metric, p.percent, m.startsAt, m.fields.dueAt, now);
            out.push_back(std::move(p));
        }
        return out;
    }

private:
    Services& m_services;
    std::map<std::string, std::map<std::string, Tally>> m_tallies;
};

// The courses a person is a trainee of.
Result<std::vector<Course>> traineeCourses(Services& services, PersonId person)
{
    TRY_ASSIGN(courses, services.store.courses().listCourses(person));
    std::vector<Course> out;
    for (const CourseWithRole& c : courses)
        if (!c.course.removed && c.role == Role::Student)
            out.push_back(c.course);
    return out;
}

// Whether the caller runs a class in a course the person is a trainee of.
Result<bool> mentors(Services& services, const Caller& caller, const std::vector<Course>& personCourses)
{
    if (caller.person.isAdmin)
        return true;
    for (const Course& c : personCourses) {
        TRY_ASSIGN(access, services.access(caller, c.id));
        if (access.runsClass())
            return true;
    }
    return false;
}

Result<TraineeMilestones> milestonesOf(Services& services, const Person& person, bool mayConfirm)
{
    TraineeMilestones out;
    out.person = person;
    out.mayConfirm = mayConfirm;
    TRY_ASSIGN(courses, traineeCourses(services, person.id));
    out.courses = courses;
    TRY_ASSIGN(latest, services.store.milestones().latestSnapshots(person.id));
    TRY_ASSIGN(confirmations, services.store.milestones().confirmationsOf(person.id));
    TRY_ASSIGN(personal, services.store.milestones().personalMilestones(person.id));
    Measures measures(services);
    TRY_ASSIGN(mine, measures.progressOf(person, personal, latest, confirmations));
    out.personal = std::move(mine);
    for (const Course& c : courses) {
        TRY_ASSIGN(ofCourse, services.store.milestones().courseMilestones(c.id));
        TRY_ASSIGN(progress, measures.progressOf(person, ofCourse, latest, confirmations));
        for (MilestoneProgress& p : progress) {
            p.courseName = c.name;
            out.course.push_back(std::move(p));
        }
    }
    TRY_ASSIGN(history, services.store.milestones().snapshots(person.id, ""));
    for (MetricSnapshot& s : history)
        out.history[s.metric].push_back(std::move(s));
    TRY_ASSIGN(errors, services.store.milestones().harvestErrors(person.id));
    out.errors = std::move(errors);
    return out;
}

// The milestone if the caller may change it.
Result<Milestone> changeable(Services& services, const Caller& caller, std::int64_t id)
{
    TRY_ASSIGN(m, services.store.milestones().milestone(id));
    if (m.owner) {
        if (*m.owner != caller.person.id)
            return fail(Errc::NotFound, "no such milestone"); // another's own milestones are not shown
        return m;
    }
    TRY_ASSIGN(access, services.access(caller, *m.course));
    if (!access.member())
        return fail(Errc::NotFound, "no such milestone");
    TRY(allow(access.teaches(), "only the course's teachers set its milestones"));
    return m;
}

} // namespace

std::string_view tokenOf(MilestoneState state)
{
    switch (state) {
    case MilestoneState::OnTrack: return "on_track";
    case MilestoneState::Behind: return "behind";
    case MilestoneState::AtRisk: return "at_risk";
    }
    return "on_track";
}

std::string_view labelOf(MilestoneState state)
{
    switch (state) {
    case MilestoneState::OnTrack: return "On track";
    case MilestoneState::Behind: return "Behind";
    case MilestoneState::AtRisk: return "At risk";
    }
    return "On track";
}

std::string_view labelOf(MilestoneMetric metric)
{
    switch (metric) {
    case MilestoneMetric::CodewarsHonor: return "Codewars honor";
    case MilestoneMetric::CodewarsRank: return "Codewars rank";
    case MilestoneMetric::CodewarsKatas: return "Codewars katas completed";
    case MilestoneMetric::GithubPrsMerged: return "GitHub pull requests merged";
    case MilestoneMetric::AttendancePercent: return "Attendance %";
    case MilestoneMetric::OnTimePercent: return "On time %";
    case MilestoneMetric::Manual: return "A mentor confirms it";
    }
    return "";
}

std::string metricKey(const MilestoneFields& f)
{
    if (f.metric == MilestoneMetric::Manual)
        return {};
    std::string key(tokenOf(f.metric));
    if (!f.scope.empty())
        key += ":" + f.scope;
    return key;
}

bool isRate(MilestoneMetric metric)
{
    return metric == MilestoneMetric::AttendancePercent || metric == MilestoneMetric::OnTimePercent;
}

double progressPercent(MilestoneMetric metric, double value, double target)
{
    double share = 0;
    if (metric == MilestoneMetric::CodewarsRank)
        share = value == 0 ? 0 : static_cast<double>(rankStep(value)) / rankStep(target);
    else if (target > 0)
        share = value / target;
    return std::clamp(share * 100, 0.0, 100.0);
}

MilestoneState milestoneState(MilestoneMetric metric, double percent, std::int64_t startsAt, std::int64_t dueAt,
                              std::int64_t nowMs)
{
    if (percent >= 100)
        return MilestoneState::OnTrack;
    if (isRate(metric))
        return percent >= 100 * k_rateBehindShare ? MilestoneState::Behind : MilestoneState::AtRisk;
    if (nowMs > dueAt)
        return MilestoneState::AtRisk;
    const double span = static_cast<double>(std::max<std::int64_t>(dueAt - startsAt, 1));
    const double gone = std::clamp(static_cast<double>(nowMs - startsAt) / span, 0.0, 1.0);
    if (gone < k_graceShare)
        return MilestoneState::OnTrack;
    const double score = percent / (100 * gone);
    if (score >= k_onTrackScore)
        return MilestoneState::OnTrack;
    return score >= k_behindScore ? MilestoneState::Behind : MilestoneState::AtRisk;
}

std::string rankName(int rank)
{
    return rank < 0 ? std::to_string(-rank) + " kyu" : std::to_string(rank) + " dan";
}

std::vector<std::pair<std::string, std::string>> milestoneProblems(Services& services, const Caller& caller,
                                                                   const MilestoneInput& in,
                                                                   const std::optional<std::string>& course)
{
    std::vector<std::pair<std::string, std::string>> problems;
    const std::string title = trimmed(in.title);
    if (title.empty() || !isPlainText(title, k_maxTitleBytes))
        problems.emplace_back("title", "enter a title of at most 120 characters");
    if (!in.description.empty() && !isPlainText(trimmed(in.description), k_maxDescriptionBytes)) {
        // Line breaks are fine in a description.
        std::string flat = in.description;
        std::ranges::replace(flat, '\n', ' ');
        std::ranges::replace(flat, '\r', ' ');
        if (!isPlainText(flat, k_maxDescriptionBytes))
            problems.emplace_back("description", "keep the description under 1000 characters of plain text");
    }
    const auto metric = milestoneMetricFrom(in.metric);
    if (!metric) {
        problems.emplace_back("metric", "choose what the milestone measures");
        return problems;
    }
    const std::string scope = trimmed(in.scope);
    if (*metric == MilestoneMetric::CodewarsKatas && !scope.empty() && !isScopeName(scope))
        problems.emplace_back("scope", "enter a language as Codewars names it, e.g. python, or leave it empty");
    if (*metric == MilestoneMetric::GithubPrsMerged && !scope.empty() && !isHandle(scope))
        problems.emplace_back("scope", "enter a GitHub organisation, e.g. CodeYourFuture, or leave it empty");
    if (isRate(*metric) && !course) {
        // A personal attendance milestone names one of the owner's courses.
        auto courses = traineeCourses(services, caller.person.id);
        const bool theirs = courses && std::ranges::any_of(*courses, [&](const Course& c) { return c.id == scope; });
        if (!theirs)
            problems.emplace_back("scope", "choose one of your courses");
    }
    if (*metric == MilestoneMetric::CodewarsRank) {
        if (!parseRank(in.target))
            problems.emplace_back("target", "enter a rank from 8 kyu to 1 kyu or 1 dan to 8 dan, e.g. 5 kyu");
    } else if (*metric != MilestoneMetric::Manual) {
        const auto target = parseNumber(in.target);
        if (!target || *target <= 0 || *target > 1e9)
            problems.emplace_back("target", "enter a number above 0");
        else if (isRate(*metric) && *target > 100)
            problems.emplace_back("target", "enter a percentage from 1 to 100");
    }
    if (!dueOf(in.due))
        problems.emplace_back("due", "enter the due date as YYYY-MM-DD");
    return problems;
}

Result<TraineeMilestones> myMilestones(Services& services, const Caller& caller)
{
    return milestonesOf(services, caller.person, false);
}

Result<TraineeMilestones> traineeMilestones(Services& services, const Caller& caller, std::string_view personPublicId)
{
    TRY_ASSIGN(person, services.personById(personPublicId));
    if (person.id == caller.person.id)
        return milestonesOf(services, person, false);
    TRY_ASSIGN(courses, traineeCourses(services, person.id));
    TRY_ASSIGN(isMentor, mentors(services, caller, courses));
    TRY(allow(isMentor || caller.person.isLead, "only a trainee's teachers and TAs see their milestones"));
    return milestonesOf(services, person, isMentor);
}

Result<Milestone> addPersonalMilestone(Services& services, const Caller& caller, const MilestoneInput& input)
{
    TRY(failIfProblems(milestoneProblems(services, caller, input, std::nullopt)));
    Milestone m;
    m.owner = caller.person.id;
    m.fields = fieldsOf(input, std::nullopt);
    m.startsAt = services.clock.nowMs();
    m.createdBy = caller.person.id;
    return services.store.milestones().createMilestone(m);
}

Result<Milestone> addCourseMilestone(Services& services, const Caller& caller, std::string_view course,
                                     const MilestoneInput& input)
{
    TRY_ASSIGN(c, services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, c.id));
    TRY(allow(access.teaches(), "only the course's teachers set its milestones"));
    TRY(failIfProblems(milestoneProblems(services, caller, input, c.id)));
    Milestone m;
    m.course = c.id;
    m.fields = fieldsOf(input, c.id);
    m.startsAt = services.clock.nowMs();
    m.createdBy = caller.person.id;
    return services.store.milestones().createMilestone(m);
}

Result<Milestone> editMilestone(Services& services, const Caller& caller, std::int64_t id, const MilestoneInput& input)
{
    TRY_ASSIGN(m, changeable(services, caller, id));
    TRY(failIfProblems(milestoneProblems(services, caller, input, m.course)));
    m.fields = fieldsOf(input, m.course);
    TRY(services.store.milestones().updateMilestone(id, m.fields));
    return m;
}

Result<void> deleteMilestone(Services& services, const Caller& caller, std::int64_t id)
{
    TRY(changeable(services, caller, id));
    return services.store.milestones().removeMilestone(id, services.clock.nowMs());
}

Result<void> confirmManualMilestone(Services& services, const Caller& caller, std::int64_t id,
                                    std::string_view personPublicId, const std::string& note)
{
    TRY_ASSIGN(m, services.store.milestones().milestone(id));
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(courses, traineeCourses(services, person.id));
    TRY_ASSIGN(isMentor, mentors(services, caller, courses));
    TRY(allow(isMentor, "only a trainee's teachers and TAs confirm their milestones"));
    const bool applies = m.owner ? *m.owner == person.id
                                 : std::ranges::any_of(courses, [&](const Course& c) { return c.id == *m.course; });
    if (!applies)
        return fail(Errc::NotFound, "no such milestone for this trainee");
    if (m.fields.metric != MilestoneMetric::Manual)
        return std::unexpected(invalid("milestone: only a manual milestone is confirmed by hand"));
    const std::string text = trimmed(note);
    if (text.empty() || !isPlainText(text, k_maxDescriptionBytes))
        return std::unexpected(invalid("note: say what was seen, in at most 1000 characters"));
    return services.store.milestones().confirmMilestone({m.id, person.id, text, caller.person.id, {},
                                                         services.clock.nowMs()});
}

Result<Person> setMyUsernames(Services& services, const Caller& caller, std::string github, std::string codewars)
{
    for (std::string* name : {&github, &codewars}) {
        *name = trimmed(*name);
        if (name->starts_with('@'))
            name->erase(0, 1);
    }
    if (!github.empty() && !isHandle(github))
        return std::unexpected(invalid("github: enter a GitHub username: letters, digits and hyphens"));
    if (!codewars.empty() && !isHandle(codewars))
        return std::unexpected(invalid("codewars: enter a Codewars username: letters, digits, hyphens and underscores"));
    auto orNone = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional(s); };
    TRY(services.store.milestones().setUsernames(caller.person.id, orNone(github), orNone(codewars)));
    Person p = caller.person;
    p.github = orNone(github);
    p.codewars = orNone(codewars);
    return p;
}

Result<CourseMilestoneOverview> courseMilestonesOf(Services& services, const Course& course)
{
    CourseMilestoneOverview out;
    out.course = course;
    TRY_ASSIGN(milestones, services.store.milestones().courseMilestones(course.id));
    out.milestones = milestones;
    TRY_ASSIGN(trainees, traineesOf(services, course.id));
    Measures measures(services);
    for (const Member& member : trainees) {
        TRY_ASSIGN(person, services.personById(member.publicId));
        TRY_ASSIGN(latest, services.store.milestones().latestSnapshots(person.id));
        TRY_ASSIGN(confirmations, services.store.milestones().confirmationsOf(person.id));
        TRY_ASSIGN(personal, services.store.milestones().personalMilestones(person.id));
        MilestoneRow row{member, {}, 0, 0, 0, 0, 0, 0};
        TRY_ASSIGN(progress, measures.progressOf(person, milestones, latest, confirmations));
        TRY_ASSIGN(own, measures.progressOf(person, personal, latest, confirmations));
        row.progress = std::move(progress);
        row.personalCount = static_cast<int>(own.size());
        for (const auto* list : {&row.progress, &own})
            for (const MilestoneProgress& p : *list) {
                row.atRisk += p.state == MilestoneState::AtRisk;
                row.behind += p.state == MilestoneState::Behind;
                if (list == &own) {
                    row.personalOnTrack += p.state == MilestoneState::OnTrack;
                    row.personalBehind += p.state == MilestoneState::Behind;
                    row.personalAtRisk += p.state == MilestoneState::AtRisk;
                }
            }
        out.rows.push_back(std::move(row));
    }
    return out;
}

Result<CourseMilestoneOverview> courseMilestoneOverview(Services& services, const Caller& caller,
                                                        std::string_view course, bool byName)
{
    TRY_ASSIGN(c, services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, c.id));
    TRY(allow(access.runsClass(), "only the course's teachers and TAs see its milestone overview"));
    TRY_ASSIGN(out, courseMilestonesOf(services, c));
    out.mayEdit = access.teaches();
    if (!byName)
        std::ranges::stable_sort(out.rows, [](const MilestoneRow& a, const MilestoneRow& b) {
            return std::pair(a.atRisk, a.behind) > std::pair(b.atRisk, b.behind);
        });
    return out;
}

Result<std::vector<ProgrammeMilestoneRow>> programmeMilestones(Services& services, const Caller& caller)
{
    TRY_ASSIGN(allowed, mayReadOverview(services, caller));
    TRY(allow(allowed, "only org admins and leads read the overview across courses"));
    TRY_ASSIGN(courses, services.store.courses().listCourses(std::nullopt));
    std::vector<ProgrammeMilestoneRow> out;
    for (const CourseWithRole& c : courses) {
        if (c.course.removed)
            continue;
        TRY_ASSIGN(overview, courseMilestonesOf(services, c.course));
        ProgrammeMilestoneRow row;
        row.course = c.course;
        row.trainees = static_cast<int>(overview.rows.size());
        row.courseMilestones = static_cast<int>(overview.milestones.size());
        for (const MilestoneRow& r : overview.rows) {
            for (const MilestoneProgress& p : r.progress) {
                row.ofCourse.onTrack += p.state == MilestoneState::OnTrack;
                row.ofCourse.behind += p.state == MilestoneState::Behind;
                row.ofCourse.atRisk += p.state == MilestoneState::AtRisk;
            }
            row.traineesWithOwn += r.personalCount > 0;
            row.own.onTrack += r.personalOnTrack;
            row.own.behind += r.personalBehind;
            row.own.atRisk += r.personalAtRisk;
        }
        out.push_back(std::move(row));
    }
    return out;
}

Result<TraineeMilestones> publicTraineeMilestones(Services& services, std::string_view publicId)
{
    TRY_ASSIGN(person, services.store.people().personByPublicId(publicId));
    if (!person)
        return fail(Errc::NotFound, "no such trainee");
    TRY_ASSIGN(optOut, services.store.people().publicOptOut(person->id));
    if (optOut)
        return fail(Errc::NotFound, "no such trainee");
    TRY_ASSIGN(out, milestonesOf(services, *person, false));
    if (out.courses.empty())
        return fail(Errc::NotFound, "no such trainee");
    out.person.github.reset();
    out.person.codewars.reset();
    out.person.email.reset();
    out.history.clear();
    out.errors.clear();
    for (auto* list : {&out.personal, &out.course})
        for (MilestoneProgress& p : *list)
            if (p.confirmation)
                p.confirmation->note.clear();
    return out;
}

Result<PublicCourseMilestones> publicCourseMilestones(Services& services, std::string_view course)
{
    TRY_ASSIGN(c, services.liveCourse(course));
    TRY_ASSIGN(overview, courseMilestonesOf(services, c));
    TRY_ASSIGN(optOuts, services.store.people().publicOptOuts());
    const bool shown = static_cast<int>(overview.rows.size()) >= limits::k_publicMinGroup;
    PublicCourseMilestones out;
    out.course = c;
    for (std::size_t i = 0; i < overview.milestones.size(); ++i) {
        PublicMilestoneCounts counts;
        for (const MilestoneRow& row : overview.rows) {
            const MilestoneProgress& p = row.progress[i];
            ++counts.trainees;
            counts.onTrack += p.state == MilestoneState::OnTrack;
            counts.behind += p.state == MilestoneState::Behind;
            counts.atRisk += p.state == MilestoneState::AtRisk;
            counts.reached += p.reached;
        }
        out.milestones.push_back({overview.milestones[i], shown ? std::optional(counts) : std::nullopt});
    }
    PublicPersonalCounts personal;
    for (const MilestoneRow& row : overview.rows) {
        personal.trainees += row.personalCount > 0;
        personal.milestones += row.personalCount;
        personal.onTrack += row.personalOnTrack;
    }
    if (personal.trainees >= limits::k_publicMinGroup)
        out.personal = personal;
    for (const MilestoneRow& row : overview.rows) {
        if (std::ranges::find(optOuts, row.member.publicId) != optOuts.end())
            continue;
        out.trainees.push_back({row.member.publicId, row.progress});
    }
    std::ranges::sort(out.trainees, {}, &PublicTraineeProgress::publicId);
    return out;
}

} // namespace imhere::server
