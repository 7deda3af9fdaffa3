// SqliteStore: milestones, their confirmations, the harvester's snapshots,
// errors and kept replies (milestonerepository.h, migration 14).

#include "sqlitestore.h"

#include "core/result.h"

#include <array>
#include <utility>

namespace imhere::server {

namespace {

constexpr std::array<std::pair<MilestoneMetric, std::string_view>, 7> k_metricTokens{{
    {MilestoneMetric::CodewarsHonor, "codewars_honor"},
    {MilestoneMetric::CodewarsRank, "codewars_rank"},
    {MilestoneMetric::CodewarsKatas, "codewars_katas"},
    {MilestoneMetric::GithubPrsMerged, "github_prs_merged"},
    {MilestoneMetric::AttendancePercent, "attendance_percent"},
    {MilestoneMetric::OnTimePercent, "on_time_percent"},
    {MilestoneMetric::Manual, "manual"},
}};

constexpr std::string_view k_milestoneColumns =
    "SELECT id, course, owner, title, description, metric, scope, target, due_at, starts_at, created_by"
    " FROM milestone ";

Milestone milestoneFrom(Statement& s)
{
    Milestone m;
    m.id = s.int64At(0);
    m.course = s.optionalTextAt(1);
    m.owner = s.optionalInt64At(2);
    m.fields = {s.textAt(3), s.textAt(4), milestoneMetricFrom(s.textAt(5)).value_or(MilestoneMetric::Manual),
                s.textAt(6), s.doubleAt(7), s.int64At(8)};
    m.startsAt = s.int64At(9);
    m.createdBy = s.int64At(10);
    return m;
}

} // namespace

Result<void> SqliteStore::bumpMilestoneMark()
{
    TRY_ASSIGN(s, query("UPDATE milestone_mark SET seq = seq + 1 WHERE id = 1"));
    return s->run();
}

std::string_view tokenOf(MilestoneMetric metric)
{
    for (const auto& [m, token] : k_metricTokens)
        if (m == metric)
            return token;
    return "manual";
}

std::optional<MilestoneMetric> milestoneMetricFrom(std::string_view token)
{
    for (const auto& [m, t] : k_metricTokens)
        if (t == token)
            return m;
    return std::nullopt;
}

Result<Milestone> SqliteStore::createMilestone(const Milestone& milestone)
{
    Milestone created = milestone;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO milestone(course, owner, title, description, metric, scope, target, due_at,"
                            " starts_at, created_by) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const MilestoneFields& f = milestone.fields;
        TRY(s->bindAll(milestone.course, milestone.owner, f.title, f.description, tokenOf(f.metric), f.scope, f.target,
                       f.dueAt, milestone.startsAt, milestone.createdBy)
                .run());
        created.id = m_db.lastInsertRowId();
        return bumpMilestoneMark();
    }));
    return created;
}

Result<Milestone> SqliteStore::milestone(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string(k_milestoneColumns) + "WHERE id = ? AND removed_at IS NULL"));
    s->bind(1, id);
    TRY_ASSIGN(found, s->first(milestoneFrom));
    if (!found)
        return fail(Errc::NotFound, "no such milestone");
    return *found;
}

Result<void> SqliteStore::updateMilestone(std::int64_t id, const MilestoneFields& f)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE milestone SET title = ?, description = ?, metric = ?, scope = ?, target = ?,"
                            " due_at = ? WHERE id = ? AND removed_at IS NULL"));
        TRY(s->bindAll(f.title, f.description, tokenOf(f.metric), f.scope, f.target, f.dueAt, id).run());
        if (m_db.changes() == 0)
            return fail(Errc::NotFound, "no such milestone");
        return bumpMilestoneMark();
    });
}

Result<void> SqliteStore::removeMilestone(std::int64_t id, std::int64_t at)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE milestone SET removed_at = ? WHERE id = ? AND removed_at IS NULL"));
        TRY(s->bindAll(at, id).run());
        if (m_db.changes() == 0)
            return fail(Errc::NotFound, "no such milestone");
        return bumpMilestoneMark();
    });
}

namespace {
template <class Lease>
Result<std::vector<Milestone>> allMilestones(Lease& s)
{
    std::vector<Milestone> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            return out;
        out.push_back(milestoneFrom(*s));
    }
}
} // namespace

Result<std::vector<Milestone>> SqliteStore::courseMilestones(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string(k_milestoneColumns) +
                        "WHERE course = ? AND removed_at IS NULL ORDER BY due_at, id"));
    s->bind(1, course);
    return allMilestones(s);
}

Result<std::vector<Milestone>> SqliteStore::personalMilestones(PersonId owner)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string(k_milestoneColumns) + "WHERE owner = ? AND removed_at IS NULL ORDER BY due_at, id"));
    s->bind(1, owner);
    return allMilestones(s);
}

Result<void> SqliteStore::confirmMilestone(const MilestoneConfirmation& c)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO milestone_confirmation(milestone, person, note, actor, at) VALUES(?, ?, ?, ?, ?)"
                            " ON CONFLICT(milestone, person) DO UPDATE SET note = excluded.note,"
                            " actor = excluded.actor, at = excluded.at"));
        TRY(s->bindAll(c.milestone, c.person, c.note, c.actor, c.at).run());
        return bumpMilestoneMark();
    });
}

Result<std::vector<MilestoneConfirmation>> SqliteStore::confirmationsOf(PersonId person)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT c.milestone, c.person, c.note, p.display_name, c.at, c.actor FROM milestone_confirmation c"
                        " JOIN person p ON p.id = c.actor WHERE c.person = ? ORDER BY c.at"));
    s->bind(1, person);
    std::vector<MilestoneConfirmation> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            return out;
        out.push_back({s->int64At(0), s->int64At(1), s->textAt(2), s->int64At(5), s->textAt(3), s->int64At(4)});
    }
}

Result<void> SqliteStore::setUsernames(PersonId person, const std::optional<std::string>& github,
                                       const std::optional<std::string>& codewars)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE person SET github = ?, codewars = ? WHERE id = ?"));
        TRY(s->bindAll(github, codewars, person).run());
        if (m_db.changes() == 0)
            return fail(Errc::NotFound, "no such person");
        return {};
    });
}

Result<bool> SqliteStore::addSnapshot(PersonId person, const MetricSnapshot& snapshot, std::int64_t sameDayFrom)
{
    bool stored = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(last, query("SELECT value, at FROM metric_snapshot WHERE person = ? AND metric = ?"
                               " ORDER BY at DESC LIMIT 1"));
        last->bindAll(person, snapshot.metric);
        TRY_ASSIGN(row, last->step());
        if (row && last->doubleAt(0) == snapshot.value && last->int64At(1) >= sameDayFrom)
            return {};
        if (row && last->int64At(1) >= snapshot.at)
            return {}; // never before or at the latest one
        TRY_ASSIGN(s, query("INSERT INTO metric_snapshot(person, metric, value, at) VALUES(?, ?, ?, ?)"));
        TRY(s->bindAll(person, snapshot.metric, snapshot.value, snapshot.at).run());
        stored = true;
        return bumpMilestoneMark();
    }));
    return stored;
}

Result<std::vector<MetricSnapshot>> SqliteStore::snapshots(PersonId person, std::string_view metric)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT metric, value, at FROM metric_snapshot WHERE person = ?1 AND (?2 = '' OR metric = ?2)"
                        " ORDER BY metric, at"));
    s->bindAll(person, metric);
    std::vector<MetricSnapshot> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            return out;
        out.push_back({s->textAt(0), s->doubleAt(1), s->int64At(2)});
    }
}

Result<std::vector<MetricSnapshot>> SqliteStore::latestSnapshots(PersonId person)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT metric, value, MAX(at) FROM metric_snapshot WHERE person = ? GROUP BY metric"));
    s->bind(1, person);
    std::vector<MetricSnapshot> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            return out;
        out.push_back({s->textAt(0), s->doubleAt(1), s->int64At(2)});
    }
}

Result<void> SqliteStore::setHarvestError(PersonId person, std::string_view source,
                                          const std::optional<std::string>& message, std::int64_t at)
{
    return write([&]() -> Result<void> {
        if (!message) {
            TRY_ASSIGN(s, query("DELETE FROM harvest_error WHERE person = ? AND source = ?"));
            return s->bindAll(person, source).run();
        }
        TRY_ASSIGN(s, query("INSERT INTO harvest_error(person, source, message, at) VALUES(?, ?, ?, ?)"
                            " ON CONFLICT(person, source) DO UPDATE SET message = excluded.message, at = excluded.at"));
        return s->bindAll(person, source, *message, at).run();
    });
}

Result<std::vector<HarvestError>> SqliteStore::harvestErrors(std::optional<PersonId> person)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT person, source, message, at FROM harvest_error WHERE ?1 IS NULL OR person = ?1"
                        " ORDER BY person, source"));
    s->bind(1, person);
    std::vector<HarvestError> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            return out;
        out.push_back({s->int64At(0), s->textAt(1), s->textAt(2), s->int64At(3)});
    }
}

Result<std::optional<CachedReply>> SqliteStore::cachedReply(std::string_view url)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT etag, body FROM harvest_reply WHERE url = ?"));
    s->bind(1, url);
    return s->first([](Statement& r) { return CachedReply{r.textAt(0), r.textAt(1)}; });
}

Result<void> SqliteStore::storeReply(std::string_view url, const CachedReply& reply, std::int64_t at)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO harvest_reply(url, etag, body, at) VALUES(?, ?, ?, ?) ON CONFLICT(url)"
                            " DO UPDATE SET etag = excluded.etag, body = excluded.body, at = excluded.at"));
        return s->bindAll(url, reply.etag, reply.body, at).run();
    });
}

} // namespace imhere::server
