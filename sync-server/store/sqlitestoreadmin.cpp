// SqliteStore: what only the org admin pages need — kiosks listed and
// revoked, the time of each kiosk's last sync, the admin flag, and every
// enrollment at once.

#include "sqlitestore.h"

#include "core/result.h"

#include <cstdlib>
#include <map>

namespace imhere::server {

Result<std::vector<KioskInfo>> SqliteStore::listKiosks()
{
    std::lock_guard lock(m_mutex);
    std::vector<KioskInfo> out;
    std::map<std::uint32_t, std::size_t> at;
    {
        TRY_ASSIGN(s, query("SELECT id, name, created_at, revoked, revoked_at, last_sync_at, clock_skew_ms FROM kiosk"
                            " ORDER BY id"));
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            const auto id = static_cast<std::uint32_t>(s->int64At(0));
            at[id] = out.size();
            out.push_back({id, s->textAt(1), {}, s->int64At(2), s->intAt(3) != 0, s->optionalInt64At(4),
                           s->optionalInt64At(5), s->optionalInt64At(6)});
        }
    }
    TRY_ASSIGN(links, query("SELECT kc.kiosk, kc.course FROM kiosk_course kc JOIN course c ON c.id = kc.course"
                            " ORDER BY kc.kiosk, c.name, c.id"));
    for (;;) {
        TRY_ASSIGN(row, links->step());
        if (!row)
            break;
        if (const auto it = at.find(static_cast<std::uint32_t>(links->int64At(0))); it != at.end())
            out[it->second].courses.push_back(links->textAt(1));
    }
    return out;
}

Result<bool> SqliteStore::revokeKiosk(std::uint32_t id, PersonId actor)
{
    bool revoked = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE kiosk SET revoked = 1, revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked = 0"));
        TRY(s->bind(1, m_clock.nowMs()).bind(2, actor).bind(3, std::int64_t{id}).run());
        revoked = m_db.changes() > 0;
        if (revoked)
            return {};
        TRY_ASSIGN(exists, query("SELECT 1 FROM kiosk WHERE id = ?"));
        exists->bind(1, std::int64_t{id});
        TRY_ASSIGN(row, exists->step());
        return row ? Result<void>() : fail(Errc::NotFound, "no such kiosk");
    }));
    return revoked;
}

Result<void> SqliteStore::noteKioskSync(std::uint32_t id, std::int64_t at, std::int64_t skewMs,
                                        std::int64_t resolutionMs, std::int64_t skewResolutionMs)
{
    // Read first: most syncs fall within the resolution and write nothing.
    {
        std::lock_guard lock(m_mutex);
        TRY_ASSIGN(s, query("SELECT last_sync_at, clock_skew_ms FROM kiosk WHERE id = ?"));
        s->bind(1, std::int64_t{id});
        TRY_ASSIGN(row, s->step());
        if (!row)
            return {};
        const auto last = s->optionalInt64At(0);
        const auto skew = s->optionalInt64At(1);
        const bool recent = last && *last <= at && at - *last < resolutionMs;
        const bool sameSkew = skew && std::abs(*skew - skewMs) < skewResolutionMs;
        if (recent && sameSkew)
            return {};
    }
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE kiosk SET last_sync_at = ?1, clock_skew_ms = ?3 WHERE id = ?2"
                            " AND (last_sync_at IS NULL OR last_sync_at <= ?1)"));
        return s->bind(1, at).bind(2, std::int64_t{id}).bind(3, skewMs).run();
    });
}

Result<void> SqliteStore::setAdmin(PersonId person, bool admin, PersonId actor)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE person SET is_admin = ? WHERE id = ? AND is_admin <> ?"));
        TRY(s->bindAll(admin ? 1 : 0, person, admin ? 1 : 0).run());
        if (m_db.changes() == 0)
            return {};
        TRY_ASSIGN(h, query("INSERT INTO admin_history(person, is_admin, actor, at) VALUES(?, ?, ?, ?)"));
        h->bindAll(person, admin ? 1 : 0, actor, m_clock.nowMs());
        if (actor == 0)
            h->bind(3, nullptr); // from the command line, not a person
        return h->run();
    });
}

Result<void> SqliteStore::setLead(PersonId person, bool lead, PersonId actor)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE person SET is_lead = ? WHERE id = ? AND is_lead <> ?"));
        TRY(s->bindAll(lead ? 1 : 0, person, lead ? 1 : 0).run());
        if (m_db.changes() == 0)
            return {};
        TRY_ASSIGN(h, query("INSERT INTO lead_history(person, is_lead, actor, at) VALUES(?, ?, ?, ?)"));
        h->bindAll(person, lead ? 1 : 0, actor, m_clock.nowMs());
        if (actor == 0)
            h->bind(3, nullptr); // from the command line, not a person
        return h->run();
    });
}

Result<std::vector<Enrollment>> SqliteStore::listEnrollments()
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT e.person, e.course, e.role FROM enrollment e JOIN course c ON c.id = e.course"
                        " WHERE c.removed = 0 ORDER BY e.person, c.name, c.id"));
    std::vector<Enrollment> out;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        out.push_back({s->int64At(0), s->textAt(1), sync::roleFromString(s->textAt(2)).value_or(Role::Student)});
    }
    return out;
}

} // namespace imhere::server
