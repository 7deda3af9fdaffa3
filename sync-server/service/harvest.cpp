#include "harvest.h"

#include "milestones.h"
#include "records.h"
#include "reports.h"

#include "sync-server/serverlimits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>

namespace imhere::server {

namespace {

constexpr std::int64_t k_dayMs = 24LL * 3'600'000;
// A 429 that says neither how long nor until when: wait this long.
constexpr std::int64_t k_defaultBackoffMs = 60'000;
// At most this many pages of a person's completed katas (200 a page).
constexpr int k_maxCodewarsPages = 25;

std::optional<std::int64_t> headerNumber(const FetchReply& reply, const std::string& name)
{
    const auto it = reply.headers.find(name);
    if (it == reply.headers.end())
        return std::nullopt;
    std::int64_t v = 0;
    const std::string& t = it->second;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size())
        return std::nullopt;
    return v;
}

std::string sourceName(const std::string& source)
{
    return source == "github" ? "GitHub" : "Codewars";
}

// The milestones that apply to a person: their own and their courses'.
struct Wanted {
    std::set<std::string> orgs;      // GitHub organisations
    std::set<std::string> languages; // Codewars languages
};

} // namespace

struct Harvester::Asked {
    enum class Kind { Answered, Waiting, UnknownUser, Failed } kind = Kind::Failed;
    std::string body;
    std::string error;
};

Harvester::Harvester(Services& services, HarvestSettings settings, Fetch fetch)
    : m_services(services), m_settings(std::move(settings)), m_fetch(std::move(fetch))
{
    for (std::string* base : {&m_settings.githubApiUrl, &m_settings.codewarsApiUrl})
        while (!base->empty() && base->back() == '/')
            base->pop_back();
}

Harvester::Asked Harvester::get(const std::string& source, const std::string& url, bool github)
{
    const std::int64_t now = m_services.clock.nowMs();
    if (m_waitUntil[source] > now || (m_settings.stop && m_settings.stop->load()))
        return {Asked::Kind::Waiting, {}, {}};
    FetchRequest request{url, {"User-Agent: " + m_settings.userAgent}};
    if (github) {
        request.headers.emplace_back("Accept: application/vnd.github+json");
        request.headers.emplace_back("X-GitHub-Api-Version: 2022-11-28");
        if (!m_settings.githubToken.empty())
            request.headers.emplace_back("Authorization: Bearer " + m_settings.githubToken);
    } else {
        request.headers.emplace_back("Accept: application/json");
    }
    auto cached = m_services.store.milestones().cachedReply(url);
    if (cached && *cached)
        request.headers.emplace_back("If-None-Match: " + (*cached)->etag);
    const FetchReply reply = m_fetch(request);
    ++m_requests;

    // Rate limits: never ask again before the source says so.
    const auto remaining = headerNumber(reply, "x-ratelimit-remaining");
    const auto reset = headerNumber(reply, "x-ratelimit-reset");
    if (remaining && *remaining <= 0 && reset)
        m_waitUntil[source] = std::max(m_waitUntil[source], *reset * 1000);
    if (reply.status == 403 || reply.status == 429) {
        std::optional<std::int64_t> until;
        if (const auto after = headerNumber(reply, "retry-after"))
            until = now + std::max<std::int64_t>(*after, 1) * 1000;
        else if (remaining && *remaining <= 0 && reset)
            until = *reset * 1000;
        else if (reply.status == 429)
            until = now + k_defaultBackoffMs;
        if (until) {
            m_waitUntil[source] = std::max(m_waitUntil[source], *until);
            return {Asked::Kind::Waiting, {}, {}};
        }
    }
    if (reply.status == 304 && cached && *cached) {
        ++m_notModified;
        return {Asked::Kind::Answered, (*cached)->body, {}};
    }
    if (reply.status == 200) {
        if (const auto etag = reply.headers.find("etag"); etag != reply.headers.end() && !etag->second.empty())
            (void)m_services.store.milestones().storeReply(url, {etag->second, reply.body}, now);
        return {Asked::Kind::Answered, reply.body, {}};
    }
    if (reply.status == 404 || reply.status == 422)
        return {Asked::Kind::UnknownUser, {}, {}};
    if (reply.status == 0)
        return {Asked::Kind::Failed, {}, "could not reach " + sourceName(source) + ": " + reply.error};
    return {Asked::Kind::Failed, {}, sourceName(source) + " answered HTTP " + std::to_string(reply.status)};
}

Result<void> Harvester::snapshot(const Person& person, const std::string& key, double value, HarvestRound& round)
{
    const std::int64_t now = m_services.clock.nowMs();
    const std::int64_t today = now - (now % k_dayMs);
    TRY_ASSIGN(stored, m_services.store.milestones().addSnapshot(person.id, {key, value, now}, today));
    round.stored += stored;
    return {};
}

Result<void> Harvester::harvestGithub(const Person& person, const std::vector<std::string>& orgs, HarvestRound& round)
{
    std::optional<std::string> failure;
    bool waited = false;
    std::vector<std::string> scopes{""};
    scopes.insert(scopes.end(), orgs.begin(), orgs.end());
    for (const std::string& org : scopes) {
        const std::string url = m_settings.githubApiUrl + "/search/issues?q=is%3Apr+is%3Amerged+author%3A"
                              + *person.github + (org.empty() ? "" : "+org%3A" + org) + "&per_page=1";
        const Asked asked = get("github", url, true);
        if (asked.kind == Asked::Kind::Waiting) {
            waited = true;
            break;
        }
        if (asked.kind == Asked::Kind::UnknownUser) {
            failure = "GitHub has no user \"" + *person.github + "\"";
            break;
        }
        if (asked.kind == Asked::Kind::Failed) {
            failure = asked.error;
            break;
        }
        const auto json = nlohmann::json::parse(asked.body, nullptr, false);
        if (!json.is_object() || !json.contains("total_count") || !json["total_count"].is_number_integer()) {
            failure = "GitHub's reply could not be read (no total_count)";
            break;
        }
        TRY(snapshot(person, org.empty() ? "github_prs_merged" : "github_prs_merged:" + org,
                     json["total_count"].get<double>(), round));
    }
    if (waited) {
        ++round.waiting;
        return {};
    }
    round.failed += failure.has_value();
    return m_services.store.milestones().setHarvestError(person.id, "github", failure, m_services.clock.nowMs());
}

Result<void> Harvester::harvestCodewars(const Person& person, const std::vector<std::string>& languages,
                                        HarvestRound& round)
{
    const std::string user = m_settings.codewarsApiUrl + "/api/v1/users/" + *person.codewars;
    std::optional<std::string> failure;
    const Asked asked = get("codewars", user, false);
    if (asked.kind == Asked::Kind::Waiting) {
        ++round.waiting;
        return {};
    }
    if (asked.kind == Asked::Kind::UnknownUser)
        failure = "Codewars has no user \"" + *person.codewars + "\"";
    else if (asked.kind == Asked::Kind::Failed)
        failure = asked.error;
    if (!failure) {
        const auto json = nlohmann::json::parse(asked.body, nullptr, false);
        const bool readable = json.is_object() && json.contains("honor") && json["honor"].is_number()
                           && json.contains("ranks") && json["ranks"].is_object()
                           && json["ranks"].contains("overall") && json["ranks"]["overall"].is_object()
                           && json["ranks"]["overall"].contains("rank")
                           && json["ranks"]["overall"]["rank"].is_number_integer()
                           && json.contains("codeChallenges") && json["codeChallenges"].is_object()
                           && json["codeChallenges"].contains("totalCompleted")
                           && json["codeChallenges"]["totalCompleted"].is_number_integer();
        if (!readable) {
            failure = "Codewars' reply could not be read (no honor, rank or katas completed)";
        } else {
            TRY(snapshot(person, "codewars_honor", json["honor"].get<double>(), round));
            TRY(snapshot(person, "codewars_rank", json["ranks"]["overall"]["rank"].get<double>(), round));
            TRY(snapshot(person, "codewars_katas", json["codeChallenges"]["totalCompleted"].get<double>(), round));
        }
    }
    if (!failure && !languages.empty()) {
        std::map<std::string, int> counts;
        for (const std::string& l : languages)
            counts[l] = 0;
        bool complete = true;
        for (int page = 0, pages = 1; page < pages && page < k_maxCodewarsPages; ++page) {
            const Asked list = get("codewars", user + "/code-challenges/completed?page=" + std::to_string(page), false);
            if (list.kind == Asked::Kind::Waiting) {
                complete = false;
                break;
            }
            if (list.kind != Asked::Kind::Answered) {
                failure = list.kind == Asked::Kind::Failed ? list.error
                                                           : "Codewars has no completed katas for \"" + *person.codewars + "\"";
                break;
            }
            const auto json = nlohmann::json::parse(list.body, nullptr, false);
            if (!json.is_object() || !json.contains("totalPages") || !json["totalPages"].is_number_integer()
                || !json.contains("data") || !json["data"].is_array()) {
                failure = "Codewars' list of completed katas could not be read";
                break;
            }
            pages = json["totalPages"].get<int>();
            for (const auto& kata : json["data"]) {
                if (!kata.is_object() || !kata.contains("completedLanguages") || !kata["completedLanguages"].is_array())
                    continue;
                for (const auto& l : kata["completedLanguages"])
                    if (l.is_string())
                        if (auto it = counts.find(l.get<std::string>()); it != counts.end())
                            ++it->second;
            }
        }
        if (!failure && complete)
            for (const auto& [language, count] : counts)
                TRY(snapshot(person, "codewars_katas:" + language, count, round));
    }
    round.failed += failure.has_value();
    return m_services.store.milestones().setHarvestError(person.id, "codewars", failure, m_services.clock.nowMs());
}

Result<void> Harvester::harvestRates(HarvestRound& round)
{
    TRY_ASSIGN(courses, m_services.store.courses().listCourses(std::nullopt));
    for (const CourseWithRole& c : courses) {
        if (c.course.removed)
            continue;
        TRY_ASSIGN(milestones, m_services.store.milestones().courseMilestones(c.course.id));
        TRY_ASSIGN(roster, m_services.store.courses().roster(c.course.id));
        bool wanted = std::ranges::any_of(milestones, [](const Milestone& m) { return isRate(m.fields.metric); });
        std::vector<Person> trainees;
        for (const Member& member : roster) {
            if (member.role != Role::Student)
                continue;
            TRY_ASSIGN(person, m_services.personById(member.publicId));
            TRY_ASSIGN(personal, m_services.store.milestones().personalMilestones(person.id));
            wanted = wanted || std::ranges::any_of(personal, [&](const Milestone& m) {
                         return isRate(m.fields.metric) && m.fields.scope == c.course.id;
                     });
            trainees.push_back(std::move(person));
        }
        if (!wanted)
            continue;
        TRY_ASSIGN(windows, m_services.store.attendance().windowsOf(c.course.id));
        TRY_ASSIGN(records, recordsOfCourse(m_services, c.course.id));
        const CourseFigures figures = courseFigures(c.course, windows, records, {});
        for (const PersonFigures& p : figures.people) {
            const auto person = std::ranges::find(trainees, p.member.publicId, &Person::publicId);
            if (person == trainees.end())
                continue;
            if (const auto v = p.tally.attendancePercent())
                TRY(snapshot(*person, "attendance_percent:" + c.course.id, *v, round));
            if (const auto v = p.tally.onTimePercent())
                TRY(snapshot(*person, "on_time_percent:" + c.course.id, *v, round));
        }
    }
    return {};
}

Result<HarvestRound> Harvester::runOnce()
{
    HarvestRound round;
    m_requests = 0;
    m_notModified = 0;
    TRY_ASSIGN(people, m_services.store.people().listPeople());
    for (const Person& person : people) {
        if (!person.github && !person.codewars)
            continue;
        ++round.people;
        Wanted wanted;
        TRY_ASSIGN(personal, m_services.store.milestones().personalMilestones(person.id));
        TRY_ASSIGN(courses, m_services.store.courses().listCourses(person.id));
        std::vector<Milestone> all = personal;
        for (const CourseWithRole& c : courses) {
            if (c.course.removed || c.role != Role::Student)
                continue;
            TRY_ASSIGN(ofCourse, m_services.store.milestones().courseMilestones(c.course.id));
            all.insert(all.end(), ofCourse.begin(), ofCourse.end());
        }
        for (const Milestone& m : all) {
            if (m.fields.metric == MilestoneMetric::GithubPrsMerged && !m.fields.scope.empty())
                wanted.orgs.insert(m.fields.scope);
            if (m.fields.metric == MilestoneMetric::CodewarsKatas && !m.fields.scope.empty())
                wanted.languages.insert(m.fields.scope);
        }
        if (person.github)
            TRY(harvestGithub(person, {wanted.orgs.begin(), wanted.orgs.end()}, round));
        if (person.codewars)
            TRY(harvestCodewars(person, {wanted.languages.begin(), wanted.languages.end()}, round));
    }
    TRY(harvestRates(round));
    round.requests = m_requests;
    round.notModified = m_notModified;
    return round;
}

} // namespace imhere::server
