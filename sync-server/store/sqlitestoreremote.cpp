// Remote check-in from phones (DESIGN §4) and personal QR badges: link codes,
// linked phones, qr_remote check-ins with where they came from, and the
// review of several people checked in from one phone or one network.

#include "sqlitestore.h"

#include "core/result.h"

#include <map>

namespace imhere::server {

Result<void> SqliteStore::createLinkCode(const Bytes& codeHash, PersonId person, PersonId issuedBy,
                                         std::int64_t expiresAt, const std::optional<std::string>& course)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO link_code(code_hash, person, issued_by, issued_at, expires_at, course)"
                            " VALUES(?, ?, ?, ?, ?, ?)"));
        s->bindBlob(1, codeHash);
        return s->bind(2, person).bind(3, issuedBy).bind(4, m_clock.nowMs()).bind(5, expiresAt).bind(6, course).run();
    });
}

Result<std::optional<RemoteDevice>> SqliteStore::linkDevice(const Bytes& codeHash, const Bytes& deviceTokenHash,
                                                            std::int64_t nowMs)
{
    std::optional<RemoteDevice> linked;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(code, query("SELECT person, course FROM link_code WHERE code_hash = ? AND used_at IS NULL"
                               " AND expires_at > ?"));
        code->bindBlob(1, codeHash).bind(2, nowMs);
        TRY_ASSIGN(live, code->step());
        if (!live)
            return {};
        const PersonId person = code->int64At(0);
        const std::optional<std::string> course = code->optionalTextAt(1);
        TRY_ASSIGN(device, query("INSERT INTO remote_device(token_hash, person, linked_at, course) VALUES(?, ?, ?, ?)"
                                 " ON CONFLICT(token_hash) DO UPDATE SET person = excluded.person,"
                                 " linked_at = excluded.linked_at, course = excluded.course, unlinked_at = NULL"
                                 " RETURNING id"));
        device->bindBlob(1, deviceTokenHash).bind(2, person).bind(3, nowMs).bind(4, course);
        TRY(device->step());
        const std::int64_t deviceId = device->int64At(0);
        TRY_ASSIGN(spend, query("UPDATE link_code SET used_at = ?, device = ? WHERE code_hash = ?"));
        TRY(spend->bind(1, nowMs).bind(2, deviceId).bindBlob(3, codeHash).run());
        linked = RemoteDevice{deviceId, person, course, nowMs};
        return {};
    }));
    return linked;
}

Result<std::optional<RemoteDevice>> SqliteStore::deviceByToken(const Bytes& deviceTokenHash, std::int64_t linkedAfter)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT id, person, course, linked_at FROM remote_device WHERE token_hash = ?"
                        " AND unlinked_at IS NULL AND linked_at > ?"));
    s->bindBlob(1, deviceTokenHash).bind(2, linkedAfter);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<RemoteDevice>();
    return std::optional(RemoteDevice{s->int64At(0), s->int64At(1), s->optionalTextAt(2), s->int64At(3)});
}

Result<std::vector<LinkedPhone>> SqliteStore::phonesOf(PersonId person, std::int64_t linkedAfter)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT d.id, d.course, d.linked_at, c.name,"
                        " (SELECT MAX(ci.at) FROM remote_check_in r JOIN check_in ci ON ci.id = r.check_in"
                        "   WHERE r.device = d.id)"
                        " FROM remote_device d LEFT JOIN course c ON c.id = d.course"
                        " WHERE d.person = ? AND d.unlinked_at IS NULL AND d.linked_at > ?"
                        " ORDER BY d.linked_at DESC, d.id DESC"));
    s->bind(1, person).bind(2, linkedAfter);
    std::vector<LinkedPhone> phones;
    while (true) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        phones.push_back(LinkedPhone{RemoteDevice{s->int64At(0), person, s->optionalTextAt(1), s->int64At(2)},
                                     s->optionalTextAt(3), s->optionalInt64At(4)});
    }
    return phones;
}

Result<bool> SqliteStore::unlinkPhone(PersonId person, std::int64_t device, std::int64_t nowMs)
{
    bool unlinked = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE remote_device SET unlinked_at = ? WHERE id = ? AND person = ?"
                            " AND unlinked_at IS NULL"));
        TRY(s->bind(1, nowMs).bind(2, device).bind(3, person).run());
        unlinked = m_db.changes() > 0;
        return {};
    }));
    return unlinked;
}

Result<bool> SqliteStore::addRemoteCheckIn(const RemoteCheckIn& c)
{
    bool stored = false;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(already, hasCheckIn(c.event.person, c.event.window));
        if (already)
            return {};
        TRY_ASSIGN(course, courseOfWindow(c.event.window));
        TRY_ASSIGN(added, insertCheckIn(c.event, course));
        if (!added)
            return {};
        TRY_ASSIGN(s, query("INSERT INTO remote_check_in(check_in, window_id, device, address_hash, kiosk)"
                            " VALUES(?, ?, ?, ?, ?)"));
        TRY(s->bindAll(c.event.id, c.event.window, c.device, c.addressHash, std::int64_t{c.scannedKiosk}).run());
        stored = true;
        return {};
    }));
    return stored;
}

Result<std::map<std::string, std::size_t>> SqliteStore::remoteReviewCounts(std::string_view course)
{
    std::lock_guard lock(m_mutex);
    // The people of remoteReviews(), counted per window of the course in one
    // query: a remote check-in is to review when its phone or its network
    // also checked in someone else in the same window.
    TRY_ASSIGN(s, query("SELECT r.window_id, count(DISTINCT c.person)"
                        " FROM attendance_window w JOIN remote_check_in r ON r.window_id = w.id"
                        " JOIN check_in c ON c.id = r.check_in"
                        " WHERE w.course = ?1 AND EXISTS (SELECT 1 FROM remote_check_in r2"
                        "   JOIN check_in c2 ON c2.id = r2.check_in WHERE r2.window_id = r.window_id"
                        "   AND (r2.device = r.device OR r2.address_hash = r.address_hash) AND c2.person <> c.person)"
                        " GROUP BY r.window_id"));
    s->bind(1, course);
    std::map<std::string, std::size_t> counts;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        counts[s->textAt(0)] = static_cast<std::size_t>(s->int64At(1));
    }
    return counts;
}

Result<std::vector<RemoteReview>> SqliteStore::remoteReviews(std::string_view window)
{
    std::lock_guard lock(m_mutex);
    // Every remote check-in of the window whose phone or network also
    // checked in someone else, oldest first.
    TRY_ASSIGN(s, query("SELECT 'device', CAST(r.device AS TEXT), p.display_name, c.at"
                        " FROM remote_check_in r JOIN check_in c ON c.id = r.check_in JOIN person p ON p.id = c.person"
                        " WHERE r.window_id = ?1 AND r.device IN (SELECT r2.device FROM remote_check_in r2"
                        "   JOIN check_in c2 ON c2.id = r2.check_in WHERE r2.window_id = ?1"
                        "   GROUP BY r2.device HAVING count(DISTINCT c2.person) > 1)"
                        " UNION ALL"
                        " SELECT 'address', r.address_hash, p.display_name, c.at"
                        " FROM remote_check_in r JOIN check_in c ON c.id = r.check_in JOIN person p ON p.id = c.person"
                        " WHERE r.window_id = ?1 AND r.address_hash IN (SELECT r2.address_hash FROM remote_check_in r2"
                        "   JOIN check_in c2 ON c2.id = r2.check_in WHERE r2.window_id = ?1"
                        "   GROUP BY r2.address_hash HAVING count(DISTINCT c2.person) > 1)"
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
    std::vector<RemoteReview> out;
    for (const auto& key : order)
        out.push_back(std::move(groups[key]));
    return out;
}

Result<void> SqliteStore::replaceQrBadge(PersonId person, const std::string& uidHash)
{
    return write([&]() -> Result<void> {
        TRY(revokeQrBadges(person));
        TRY_ASSIGN(s, query("INSERT INTO badge(uid_hash, person, revoked, created_at, kind) VALUES(?, ?, 0, ?, 'qr')"));
        TRY(s->bindAll(uidHash, person, m_clock.nowMs()).run());
        return logChange("badge", uidHash, std::nullopt);
    });
}

Result<void> SqliteStore::revokeQrBadges(PersonId person)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE badge SET revoked = 1 WHERE person = ? AND kind = 'qr' AND revoked = 0"
                            " RETURNING uid_hash"));
        s->bind(1, person);
        std::vector<std::string> revoked;
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            revoked.push_back(s->textAt(0));
        }
        for (const auto& hash : revoked)
            TRY(logChange("badge", hash, std::nullopt));
        return {};
    });
}

} // namespace imhere::server
