// PgStore: remote check-in from phones (DESIGN §4): link codes, linked
// phones, qr_remote check-ins with where they came from, and the review of
// several people checked in from one phone or one network.

#include "pgstore.h"

#include <map>

namespace imhere::server {

Result<void> PgStore::createLinkCode(const Bytes& codeHash, PersonId person, PersonId issuedBy, std::int64_t expiresAt,
                                     const std::optional<std::string>& course)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("INSERT INTO link_code(code_hash, person, issued_by, issued_at, expires_at, course)"
                               " VALUES($1, $2, $3, $4, $5, $6)"));
        s->bindBlob(1, codeHash);
        return s->bind(2, person).bind(3, issuedBy).bind(4, m_clock.nowMs()).bind(5, expiresAt).bind(6, course).run();
    });
}

Result<std::optional<RemoteDevice>> PgStore::linkDevice(const Bytes& codeHash, const Bytes& deviceTokenHash,
                                                        std::int64_t nowMs)
{
    std::optional<RemoteDevice> linked;
    TRY(write([&](PgConnection& db) -> Result<void> {
        linked.reset();
        // Spent first: of two phones using one code at once, one links.
        TRY_ASSIGN(code, db.query("UPDATE link_code SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL"
                                  " AND expires_at > $2 RETURNING person, course"));
        TRY_ASSIGN(live, code->bindBlob(1, codeHash).bind(2, nowMs).step());
        if (!live)
            return {};
        const PersonId person = code->int64At(0);
        const std::optional<std::string> course = code->optionalTextAt(1);
        TRY_ASSIGN(device, db.query("INSERT INTO remote_device(token_hash, person, linked_at, course)"
                                    " VALUES($1, $2, $3, $4) ON CONFLICT(token_hash) DO UPDATE SET"
                                    " person = excluded.person, linked_at = excluded.linked_at,"
                                    " course = excluded.course, unlinked_at = NULL RETURNING id"));
        TRY(device->bindBlob(1, deviceTokenHash).bind(2, person).bind(3, nowMs).bind(4, course).step());
        const std::int64_t deviceId = device->int64At(0);
        TRY_ASSIGN(spend, db.query("UPDATE link_code SET device = $1 WHERE code_hash = $2"));
        TRY(spend->bind(1, deviceId).bindBlob(2, codeHash).run());
        linked = RemoteDevice{deviceId, person, course, nowMs};
        return {};
    }));
    return linked;
}

Result<std::optional<RemoteDevice>> PgStore::deviceByToken(const Bytes& deviceTokenHash, std::int64_t linkedAfter)
{
    std::optional<RemoteDevice> device;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT id, person, course, linked_at FROM remote_device WHERE token_hash = $1"
                               " AND unlinked_at IS NULL AND linked_at > $2"));
        TRY_ASSIGN(row, s->bindBlob(1, deviceTokenHash).bind(2, linkedAfter).step());
        if (row)
            device = RemoteDevice{s->int64At(0), s->int64At(1), s->optionalTextAt(2), s->int64At(3)};
        return {};
    }));
    return device;
}

Result<std::vector<LinkedPhone>> PgStore::phonesOf(PersonId person, std::int64_t linkedAfter)
{
    std::vector<LinkedPhone> phones;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT d.id, d.course, d.linked_at, c.name,"
                               " (SELECT max(ci.at) FROM remote_check_in r JOIN check_in ci ON ci.id = r.check_in"
                               "   WHERE r.device = d.id)"
                               " FROM remote_device d LEFT JOIN course c ON c.id = d.course"
                               " WHERE d.person = $1 AND d.unlinked_at IS NULL AND d.linked_at > $2"
                               " ORDER BY d.linked_at DESC, d.id DESC"));
        s->bindAll(person, linkedAfter);
        TRY_ASSIGN(all, s->collect([&](PgStatement& row) {
            return LinkedPhone{RemoteDevice{row.int64At(0), person, row.optionalTextAt(1), row.int64At(2)},
                               row.optionalTextAt(3), row.optionalInt64At(4)};
        }));
        phones = std::move(all);
        return {};
    }));
    return phones;
}

Result<bool> PgStore::unlinkPhone(PersonId person, std::int64_t device, std::int64_t nowMs)
{
    bool unlinked = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE remote_device SET unlinked_at = $1 WHERE id = $2 AND person = $3"
                               " AND unlinked_at IS NULL"));
        TRY(s->bindAll(nowMs, device, person).run());
        unlinked = s->affected() > 0;
        return {};
    }));
    return unlinked;
}

Result<bool> PgStore::addRemoteCheckIn(const RemoteCheckIn& c)
{
    bool stored = false;
    TRY(write([&](PgConnection& db) -> Result<void> {
        stored = false;
        TRY_ASSIGN(already, db.query("SELECT 1 FROM check_in WHERE person = $1 AND window_id = $2 LIMIT 1"));
        TRY_ASSIGN(found, already->bindAll(c.event.person, c.event.window).step());
        if (found)
            return {};
        TRY_ASSIGN(added, insertCheckIn(db, c.event));
        if (!added)
            return {};
        TRY_ASSIGN(s, db.query("INSERT INTO remote_check_in(check_in, window_id, device, address_hash, kiosk)"
                               " VALUES($1, $2, $3, $4, $5)"));
        TRY(s->bindAll(c.event.id, c.event.window, c.device, c.addressHash, std::int64_t{c.scannedKiosk}).run());
        stored = true;
        return {};
    }));
    return stored;
}

Result<std::map<std::string, std::size_t>> PgStore::remoteReviewCounts(std::string_view course)
{
    std::map<std::string, std::size_t> counts;
    TRY(read([&](PgConnection& db) -> Result<void> {
        // The people of remoteReviews(), counted per window of the course: a
        // remote check-in is to review when its phone or its network also
        // checked in someone else in the same window.
        TRY_ASSIGN(s, db.query("SELECT r.window_id, count(DISTINCT c.person)"
                               " FROM attendance_window w JOIN remote_check_in r ON r.window_id = w.id"
                               " JOIN check_in c ON c.id = r.check_in"
                               " WHERE w.course = $1 AND EXISTS (SELECT 1 FROM remote_check_in r2"
                               "   JOIN check_in c2 ON c2.id = r2.check_in WHERE r2.window_id = r.window_id"
                               "   AND (r2.device = r.device OR r2.address_hash = r.address_hash)"
                               "   AND c2.person <> c.person)"
                               " GROUP BY r.window_id"));
        s->bind(1, course);
        counts.clear();
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            counts[s->textAt(0)] = static_cast<std::size_t>(s->int64At(1));
        }
        return {};
    }));
    return counts;
}

Result<std::vector<RemoteReview>> PgStore::remoteReviews(std::string_view window)
{
    std::vector<RemoteReview> out;
    TRY(read([&](PgConnection& db) -> Result<void> {
        // Every remote check-in of the window whose phone or network also
        // checked in someone else, oldest first.
        TRY_ASSIGN(s, db.query("SELECT 'device', r.device::text, p.display_name, c.at"
                               " FROM remote_check_in r JOIN check_in c ON c.id = r.check_in"
                               " JOIN person p ON p.id = c.person"
                               " WHERE r.window_id = $1 AND r.device IN (SELECT r2.device FROM remote_check_in r2"
                               "   JOIN check_in c2 ON c2.id = r2.check_in WHERE r2.window_id = $1"
                               "   GROUP BY r2.device HAVING count(DISTINCT c2.person) > 1)"
                               " UNION ALL"
                               " SELECT 'address', r.address_hash, p.display_name, c.at"
                               " FROM remote_check_in r JOIN check_in c ON c.id = r.check_in"
                               " JOIN person p ON p.id = c.person"
                               " WHERE r.window_id = $1 AND r.address_hash IN (SELECT r2.address_hash"
                               "   FROM remote_check_in r2 JOIN check_in c2 ON c2.id = r2.check_in"
                               "   WHERE r2.window_id = $1 GROUP BY r2.address_hash HAVING count(DISTINCT c2.person) > 1)"
                               " ORDER BY 1, 2, 4"));
        s->bind(1, window);
        std::map<std::pair<std::string, std::string>, RemoteReview> groups;
        std::vector<std::pair<std::string, std::string>> order;
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            const auto key = std::make_pair(s->textAt(0), s->textAt(1));
            auto [it, isNew] = groups.try_emplace(key);
            RemoteReview& review = it->second;
            const std::int64_t at = s->int64At(3);
            if (isNew) {
                order.push_back(key);
                review.source = key.first == "device" ? RemoteReview::Source::Device : RemoteReview::Source::Address;
                review.firstAt = at;
            }
            review.people.push_back(s->textAt(2));
            review.lastAt = at;
        }
        out.clear();
        for (const auto& key : order)
            out.push_back(std::move(groups[key]));
        return {};
    }));
    return out;
}

} // namespace imhere::server
