// PgStore: kiosks, their tokens and courses, and the time of each one's
// last sync.

#include "pgstore.h"

#include <cstdlib>
#include <map>

namespace imhere::server {

Result<Kiosk> PgStore::createKiosk(const NewKiosk& k)
{
    Kiosk created;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO kiosk(name, token_prefix, token_hash, secret, created_at, created_by)"
                               " VALUES($1, $2, $3, $4, $5, $6) RETURNING id"));
        s->bind(1, k.name).bind(2, k.tokenPrefix).bindBlob(3, k.tokenHash).bindBlob(4, k.secret);
        TRY(s->bind(5, m_clock.nowMs()).bind(6, k.createdBy).step());
        created = Kiosk{static_cast<std::uint32_t>(s->int64At(0)), k.name, k.tokenHash, k.secret, false, k.courses};
        TRY_ASSIGN(link, db.query("INSERT INTO kiosk_course(kiosk, course)"
                                  " SELECT $1, id FROM course WHERE id = $2 AND removed = 0"));
        for (const auto& course : k.courses) {
            link->reset();
            TRY(link->bind(1, std::int64_t{created.id}).bind(2, course).run());
            if (link->affected() == 0)
                return fail(Errc::NotFound, "no course " + course);
        }
        return {};
    }));
    return created;
}

Result<std::optional<Kiosk>> PgStore::kioskWhere(std::string_view column, const std::function<void(PgStatement&)>& bind)
{
    std::optional<Kiosk> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT id, name, token_hash, secret, revoked FROM kiosk WHERE " + std::string(column)
                               + " = $1"));
        bind(*s);
        TRY_ASSIGN(row, s->step());
        if (!row)
            return {};
        Kiosk k{static_cast<std::uint32_t>(s->int64At(0)), s->textAt(1), s->blobAt(2), s->blobAt(3), s->boolAt(4), {}};
        TRY_ASSIGN(courses, db.query("SELECT course FROM kiosk_course WHERE kiosk = $1 ORDER BY course COLLATE \"C\""));
        courses->bind(1, std::int64_t{k.id});
        TRY_ASSIGN(ids, courses->collect([](PgStatement& c) { return c.textAt(0); }));
        k.courses = std::move(ids);
        found = std::move(k);
        return {};
    }));
    return found;
}

Result<std::optional<Kiosk>> PgStore::kioskByPrefix(std::string_view prefix)
{
    return kioskWhere("token_prefix", [&](PgStatement& s) { s.bind(1, prefix); });
}

Result<std::optional<Kiosk>> PgStore::kioskById(std::uint32_t id)
{
    return kioskWhere("id", [&](PgStatement& s) { s.bind(1, std::int64_t{id}); });
}

Result<std::vector<KioskInfo>> PgStore::listKiosks()
{
    std::vector<KioskInfo> out;
    TRY(snapshot([&](PgConnection& db) -> Result<void> {
        out.clear();
        std::map<std::uint32_t, std::size_t> at;
        TRY_ASSIGN(s, db.query("SELECT id, name, created_at, revoked, revoked_at, last_sync_at, clock_skew_ms FROM kiosk"
                               " ORDER BY id"));
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            const auto id = static_cast<std::uint32_t>(s->int64At(0));
            at[id] = out.size();
            out.push_back({id, s->textAt(1), {}, s->int64At(2), s->boolAt(3), s->optionalInt64At(4),
                           s->optionalInt64At(5), s->optionalInt64At(6)});
        }
        TRY_ASSIGN(links, db.query("SELECT kc.kiosk, kc.course FROM kiosk_course kc JOIN course c ON c.id = kc.course"
                                   " ORDER BY kc.kiosk, c.name COLLATE \"C\", c.id COLLATE \"C\""));
        for (;;) {
            TRY_ASSIGN(row, links->step());
            if (!row)
                break;
            if (const auto it = at.find(static_cast<std::uint32_t>(links->int64At(0))); it != at.end())
                out[it->second].courses.push_back(links->textAt(1));
        }
        return {};
    }));
    return out;
}

Result<bool> PgStore::revokeKiosk(std::uint32_t id, PersonId actor)
{
    bool revoked = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE kiosk SET revoked = 1, revoked_at = $1, revoked_by = $2"
                               " WHERE id = $3 AND revoked = 0"));
        TRY(s->bindAll(m_clock.nowMs(), actor, std::int64_t{id}).run());
        revoked = s->affected() > 0;
        if (revoked)
            return {};
        TRY_ASSIGN(exists, db.query("SELECT 1 FROM kiosk WHERE id = $1"));
        TRY_ASSIGN(row, exists->bind(1, std::int64_t{id}).step());
        return row ? Result<void>() : fail(Errc::NotFound, "no such kiosk");
    }));
    return revoked;
}

Result<void> PgStore::noteKioskSync(std::uint32_t id, std::int64_t at, std::int64_t skewMs,
                                    std::int64_t resolutionMs, std::int64_t skewResolutionMs)
{
    // Read first: most syncs fall within the resolution and write nothing.
    bool due = false;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT last_sync_at, clock_skew_ms FROM kiosk WHERE id = $1"));
        TRY_ASSIGN(row, s->bind(1, std::int64_t{id}).step());
        if (!row)
            return {};
        const auto last = s->optionalInt64At(0);
        const auto skew = s->optionalInt64At(1);
        const bool recent = last && *last <= at && at - *last < resolutionMs;
        const bool sameSkew = skew && std::abs(*skew - skewMs) < skewResolutionMs;
        due = !(recent && sameSkew);
        return {};
    }));
    if (!due)
        return {};
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE kiosk SET last_sync_at = $1, clock_skew_ms = $3 WHERE id = $2"
                               " AND (last_sync_at IS NULL OR last_sync_at <= $1)"));
        return s->bindAll(at, std::int64_t{id}, skewMs).run();
    });
}

} // namespace imhere::server
