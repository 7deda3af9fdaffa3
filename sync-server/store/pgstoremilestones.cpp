// PgStore: milestones, their confirmations, the harvester's snapshots,
// errors and kept replies (milestonerepository.h).

#include "pgstore.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_milestoneColumns =
    "SELECT id, course, owner, title, description, metric, scope, target, due_at, starts_at, created_by"
    " FROM milestone ";

Milestone milestoneFrom(const PgStatement& s)
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

MetricSnapshot snapshotFrom(const PgStatement& s)
{
    return {s.textAt(0), s.doubleAt(1), s.int64At(2)};
}

// Counts a change to milestones for the public API's ETag, inside a write.
Result<void> bumpMilestoneMark(PgConnection& db)
{
    TRY_ASSIGN(s, db.query("UPDATE milestone_mark SET seq = seq + 1 WHERE id = 1"));
    return s->run();
}

} // namespace

Result<Milestone> PgStore::createMilestone(const Milestone& milestone)
{
    Milestone created = milestone;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO milestone(course, owner, title, description, metric, scope, target, due_at,"
                               " starts_at, created_by) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"));
        const MilestoneFields& f = milestone.fields;
        TRY(s->bindAll(milestone.course, milestone.owner, f.title, f.description, tokenOf(f.metric), f.scope, f.target,
                       f.dueAt, milestone.startsAt, milestone.createdBy)
                .step());
        created.id = s->int64At(0);
        return bumpMilestoneMark(db);
    }));
    return created;
}

Result<Milestone> PgStore::milestone(std::int64_t id)
{
    std::optional<Milestone> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query(std::string(k_milestoneColumns) + "WHERE id = $1 AND removed_at IS NULL"));
        TRY_ASSIGN(row, s->bind(1, id).step());
        if (row)
            found = milestoneFrom(*s);
        return {};
    }));
    if (!found)
        return fail(Errc::NotFound, "no such milestone");
    return *found;
}

Result<void> PgStore::updateMilestone(std::int64_t id, const MilestoneFields& f)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE milestone SET title = $1, description = $2, metric = $3, scope = $4,"
                               " target = $5, due_at = $6 WHERE id = $7 AND removed_at IS NULL"));
        TRY(s->bindAll(f.title, f.description, tokenOf(f.metric), f.scope, f.target, f.dueAt, id).run());
        if (s->affected() == 0)
            return fail(Errc::NotFound, "no such milestone");
        return bumpMilestoneMark(db);
    });
}

Result<void> PgStore::removeMilestone(std::int64_t id, std::int64_t at)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE milestone SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL"));
        TRY(s->bindAll(at, id).run());
        if (s->affected() == 0)
            return fail(Errc::NotFound, "no such milestone");
        return bumpMilestoneMark(db);
    });
}

Result<std::vector<Milestone>> PgStore::milestonesWhere(std::string_view where,
                                                        const std::function<void(PgStatement&)>& bind)
{
    std::vector<Milestone> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query(std::string(k_milestoneColumns) + std::string(where)));
        bind(*s);
        TRY_ASSIGN(all, s->collect(milestoneFrom));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<std::vector<Milestone>> PgStore::courseMilestones(std::string_view course)
{
    return milestonesWhere("WHERE course = $1 AND removed_at IS NULL ORDER BY due_at, id",
                           [&](PgStatement& s) { s.bind(1, course); });
}

Result<std::vector<Milestone>> PgStore::personalMilestones(PersonId owner)
{
    return milestonesWhere("WHERE owner = $1 AND removed_at IS NULL ORDER BY due_at, id",
                           [&](PgStatement& s) { s.bind(1, owner); });
}

Result<void> PgStore::confirmMilestone(const MilestoneConfirmation& c)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO milestone_confirmation(milestone, person, note, actor, at)"
                               " VALUES($1, $2, $3, $4, $5) ON CONFLICT(milestone, person) DO UPDATE SET"
                               " note = excluded.note, actor = excluded.actor, at = excluded.at"));
        TRY(s->bindAll(c.milestone, c.person, c.note, c.actor, c.at).run());
        return bumpMilestoneMark(db);
    });
}

Result<std::vector<MilestoneConfirmation>> PgStore::confirmationsOf(PersonId person)
{
    std::vector<MilestoneConfirmation> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT c.milestone, c.person, c.note, p.display_name, c.at, c.actor"
                               " FROM milestone_confirmation c JOIN person p ON p.id = c.actor"
                               " WHERE c.person = $1 ORDER BY c.at"));
        s->bind(1, person);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return MilestoneConfirmation{row.int64At(0), row.int64At(1), row.textAt(2),
                                         row.int64At(5), row.textAt(3), row.int64At(4)};
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<void> PgStore::setUsernames(PersonId person, const std::optional<std::string>& github,
                                   const std::optional<std::string>& codewars)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE person SET github = $1, codewars = $2 WHERE id = $3"));
        TRY(s->bindAll(github, codewars, person).run());
        if (s->affected() == 0)
            return fail(Errc::NotFound, "no such person");
        return {};
    });
}

Result<bool> PgStore::addSnapshot(PersonId person, const MetricSnapshot& snapshot, std::int64_t sameDayFrom)
{
    bool stored = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        stored = false;
        TRY_ASSIGN(last, db.query("SELECT value, at FROM metric_snapshot WHERE person = $1 AND metric = $2"
                                  " ORDER BY at DESC LIMIT 1"));
        TRY_ASSIGN(row, last->bindAll(person, snapshot.metric).step());
        if (row && last->doubleAt(0) == snapshot.value && last->int64At(1) >= sameDayFrom)
            return {};
        if (row && last->int64At(1) >= snapshot.at)
            return {}; // never before or at the latest one
        TRY_ASSIGN(s, db.query("INSERT INTO metric_snapshot(person, metric, value, at) VALUES($1, $2, $3, $4)"));
        TRY(s->bindAll(person, snapshot.metric, snapshot.value, snapshot.at).run());
        stored = true;
        return bumpMilestoneMark(db);
    }));
    return stored;
}

Result<std::vector<MetricSnapshot>> PgStore::snapshots(PersonId person, std::string_view metric)
{
    std::vector<MetricSnapshot> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT metric, value, at FROM metric_snapshot"
                               " WHERE person = $1 AND ($2::text = '' OR metric = $2) ORDER BY metric COLLATE \"C\", at"));
        s->bindAll(person, metric);
        TRY_ASSIGN(all, s->collect(snapshotFrom));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<std::vector<MetricSnapshot>> PgStore::latestSnapshots(PersonId person)
{
    std::vector<MetricSnapshot> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        // SQLite's `value, max(at) ... GROUP BY metric` takes the value of
        // the latest row; DISTINCT ON says so.
        TRY_ASSIGN(s, db.query("SELECT DISTINCT ON (metric) metric, value, at FROM metric_snapshot"
                               " WHERE person = $1 ORDER BY metric, at DESC"));
        s->bind(1, person);
        TRY_ASSIGN(all, s->collect(snapshotFrom));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<void> PgStore::setHarvestError(PersonId person, std::string_view source,
                                      const std::optional<std::string>& message, std::int64_t at)
{
    return write([&](PgConnection& db) -> Result<void> {
        if (!message) {
            TRY_ASSIGN(s, db.query("DELETE FROM harvest_error WHERE person = $1 AND source = $2"));
            return s->bindAll(person, source).run();
        }
        TRY_ASSIGN(s, db.query("INSERT INTO harvest_error(person, source, message, at) VALUES($1, $2, $3, $4)"
                               " ON CONFLICT(person, source) DO UPDATE SET message = excluded.message,"
                               " at = excluded.at"));
        return s->bindAll(person, source, *message, at).run();
    });
}

Result<std::vector<HarvestError>> PgStore::harvestErrors(std::optional<PersonId> person)
{
    std::vector<HarvestError> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT person, source, message, at FROM harvest_error"
                               " WHERE $1::bigint IS NULL OR person = $1 ORDER BY person, source COLLATE \"C\""));
        s->bind(1, person);
        TRY_ASSIGN(all, s->collect([](PgStatement& row) {
            return HarvestError{row.int64At(0), row.textAt(1), row.textAt(2), row.int64At(3)};
        }));
        out = std::move(all);
        return {};
    }));
    return out;
}

Result<std::optional<CachedReply>> PgStore::cachedReply(std::string_view url)
{
    std::optional<CachedReply> reply;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT etag, body FROM harvest_reply WHERE url = $1"));
        TRY_ASSIGN(row, s->bind(1, url).step());
        if (row)
            reply = CachedReply{s->textAt(0), s->textAt(1)};
        return {};
    }));
    return reply;
}

Result<void> PgStore::storeReply(std::string_view url, const CachedReply& reply, std::int64_t at)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO harvest_reply(url, etag, body, at) VALUES($1, $2, $3, $4)"
                               " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, body = excluded.body,"
                               " at = excluded.at"));
        return s->bindAll(url, reply.etag, reply.body, at).run();
    });
}

} // namespace imhere::server
