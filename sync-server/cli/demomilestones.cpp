#include "demomilestones.h"

#include <cmath>
#include <fstream>
#include <random>

namespace imhere::server::cli {

namespace {

constexpr std::int64_t k_dayMs = 24LL * 3'600'000;
constexpr int k_historyDays = 42;
constexpr int k_snapshotEveryDays = 3;
constexpr std::uint32_t k_seed = 20'261'014;

// A login from a display name: "Amina Haddad" → "amina-haddad".
std::string loginOf(const std::string& name, char separator)
{
    std::string out;
    for (const char c : name) {
        if (c >= 'A' && c <= 'Z')
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out.push_back(c);
        else if (c == ' ' && !out.empty() && out.back() != separator)
            out.push_back(separator);
    }
    return out;
}

// Where a coder stands today and where they stood six weeks ago.
struct Pace {
    double prs, prsCyf, honor, katas, katasJs;
    int rankNow, rankThen;
};

Milestone milestone(std::optional<std::string> course, std::optional<PersonId> owner, MilestoneFields f,
                    std::int64_t startsAt, PersonId by)
{
    Milestone m;
    m.course = std::move(course);
    m.owner = owner;
    m.fields = std::move(f);
    m.startsAt = startsAt;
    m.createdBy = by;
    return m;
}

} // namespace

Result<void> addDemoMilestones(Store& store, std::int64_t nowMs, const std::vector<Course>& courses,
                               const std::string& coderFile)
{
    std::mt19937 rng(k_seed);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    std::ofstream coders(coderFile);
    coders << "# github\tcodewars\tprs\tprs_codeyourfuture\thonor\trank\tkatas\tkatas_javascript\n";
    const std::int64_t started = nowMs - k_historyDays * k_dayMs;
    const std::int64_t today = nowMs - nowMs % k_dayMs;
    for (const Course& course : courses) {
        TRY_ASSIGN(roster, store.courses().roster(course.id));
        PersonId teacher = 0;
        std::vector<Person> trainees;
        for (const Member& m : roster) {
            TRY_ASSIGN(p, store.people().personByPublicId(m.publicId));
            if (!p)
                continue;
            if (m.role == Role::Teacher)
                teacher = p->id;
            if (m.role == Role::Student)
                trainees.push_back(*p);
        }
        // The course's milestones: set when the course began.
        const auto due = [&](int days) { return today + days * k_dayMs + k_dayMs - 1; };
        std::vector<Milestone> set{
            milestone(course.id, std::nullopt,
                      {"Reach 6 kyu on Codewars", "The level the course expects before the React module.",
                       MilestoneMetric::CodewarsRank, "", -6, due(28)},
                      started, teacher),
            milestone(course.id, std::nullopt,
                      {"10 pull requests merged", "Coursework merged in the CodeYourFuture organisation.",
                       MilestoneMetric::GithubPrsMerged, "CodeYourFuture", 10, due(14)},
                      started, teacher),
            milestone(course.id, std::nullopt,
                      {"Attend 80 % of classes", "", MilestoneMetric::AttendancePercent, course.id, 80, due(42)},
                      started, teacher),
            milestone(course.id, std::nullopt,
                      {"Mock interview", "A mentor runs a mock technical interview and confirms it.",
                       MilestoneMetric::Manual, "", 1, due(21)},
                      started, teacher),
        };
        std::int64_t interview = 0;
        for (const Milestone& m : set) {
            TRY_ASSIGN(created, store.milestones().createMilestone(m));
            if (m.fields.metric == MilestoneMetric::Manual)
                interview = created.id;
        }
        for (std::size_t i = 0; i < trainees.size(); ++i) {
            const Person& t = trainees[i];
            // The last trainees of each course drift away (as in the
            // attendance story); one has no usernames yet, one a GitHub
            // name that does not exist.
            const bool drifting = i + 3 >= trainees.size();
            if (i == 4)
                continue;
            std::string github = loginOf(t.displayName, '-') + std::to_string(i);
            const std::string codewars = loginOf(t.displayName, '_') + std::to_string(i);
            if (i == 5)
                github += "-renamed";
            TRY(store.milestones().setUsernames(t.id, github, codewars));
            const double pace = drifting ? uniform(0.1, 0.35) : uniform(0.55, 1.3);
            Pace p{};
            p.prs = std::round(14 * pace + uniform(0, 3));
            p.prsCyf = std::round(p.prs * 0.7);
            p.honor = std::round(40 + 300 * pace + uniform(0, 40));
            p.katas = std::round(5 + 40 * pace);
            p.katasJs = std::round(p.katas * 0.8);
            p.rankThen = -8;
            p.rankNow = std::max(-8, std::min(-3, -8 + static_cast<int>(std::round(3.2 * pace))));
            if (i != 5)
                coders << github << '\t' << codewars << '\t' << p.prs << '\t' << p.prsCyf << '\t' << p.honor << '\t'
                       << p.rankNow << '\t' << p.katas << '\t' << p.katasJs << '\n';
            // Six weeks of history, growing to today's values; the start of
            // the history is low for everyone.
            for (int day = k_historyDays; day >= 1; day -= k_snapshotEveryDays) {
                const double share = std::pow(1.0 - static_cast<double>(day) / k_historyDays, drifting ? 0.5 : 1.0);
                const std::int64_t at = nowMs - day * k_dayMs;
                const auto add = [&](const std::string& key, double value) {
                    return store.milestones().addSnapshot(t.id, {key, value, at}, at - at % k_dayMs);
                };
                if (i != 5) {
                    TRY(add("github_prs_merged", std::round(p.prs * share)));
                    TRY(add("github_prs_merged:CodeYourFuture", std::round(p.prsCyf * share)));
                }
                TRY(add("codewars_honor", std::round(2 + p.honor * share)));
                TRY(add("codewars_katas", std::round(p.katas * share)));
                TRY(add("codewars_katas:javascript", std::round(p.katasJs * share)));
                TRY(add("codewars_rank", std::round(p.rankThen + (p.rankNow - p.rankThen) * share)));
            }
            // Some trainees set their own milestones.
            if (i % 3 == 0)
                TRY(store.milestones().createMilestone(milestone(
                    std::nullopt, t.id,
                    {"300 honor on Codewars", "", MilestoneMetric::CodewarsHonor, "", 300, due(35)}, started + 7 * k_dayMs,
                    t.id)));
            if (i % 3 == 1)
                TRY(store.milestones().createMilestone(milestone(
                    std::nullopt, t.id,
                    {"30 JavaScript katas", "Practice for the JS2 module.", MilestoneMetric::CodewarsKatas, "javascript",
                     30, due(20)},
                    started + 14 * k_dayMs, t.id)));
            if (i % 4 == 2)
                TRY(store.milestones().createMilestone(milestone(
                    std::nullopt, t.id,
                    {"On time to 90 % of classes", "", MilestoneMetric::OnTimePercent, course.id, 90, due(30)},
                    started + 10 * k_dayMs, t.id)));
            if (i % 5 == 3)
                TRY(store.milestones().createMilestone(milestone(
                    std::nullopt, t.id,
                    {"Publish my portfolio site", "A mentor checks it is live.", MilestoneMetric::Manual, "", 1, due(25)},
                    started + 20 * k_dayMs, t.id)));
            if (i < 3 && interview != 0 && teacher != 0)
                TRY(store.milestones().confirmMilestone({interview, t.id, "Explained closures and walked through a "
                                                                          "pull request clearly.",
                                                         teacher, {}, nowMs - (5 + static_cast<std::int64_t>(i)) * k_dayMs}));
        }
    }
    if (!coders)
        return fail(Errc::Internal, "could not write " + coderFile);
    return {};
}

} // namespace imhere::server::cli
