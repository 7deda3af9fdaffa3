// PgStore: people, badges, and the admin and lead flags.

#include "pgstore.h"

#include "core/random.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_personColumns = "SELECT id, public_id, display_name, email, github, codewars, pin_hash,"
                                             " password_hash, is_admin, is_lead FROM person ";

Person personFrom(const PgStatement& s)
{
    return Person{s.int64At(0),        s.textAt(1),         s.textAt(2),         s.optionalTextAt(3),
                  s.optionalTextAt(4), s.optionalTextAt(5), s.optionalTextAt(6), s.optionalTextAt(7),
                  s.boolAt(8),         s.boolAt(9)};
}

// The badge uid hashes an UPDATE ... RETURNING uid_hash touched, each logged
// for kiosks' pulls.
Result<void> logBadges(PgConnection& db, PgStatement& returning,
                       const std::function<Result<void>(PgConnection&, const std::string&)>& log)
{
    TRY_ASSIGN(hashes, returning.collect([](PgStatement& row) { return row.textAt(0); }));
    for (const auto& hash : hashes)
        TRY(log(db, hash));
    return {};
}

} // namespace

Result<Person> PgStore::createPerson(const NewPerson& p)
{
    Person created;
    TRY(write([&](PgConnection& db) -> Result<void> {
        // DO NOTHING rather than an error: an error would end the whole
        // transaction, which a caller inside inTransaction may go on with.
        TRY_ASSIGN(s, db.query("INSERT INTO person(public_id, display_name, email, github, codewars, password_hash,"
                               " pin_hash, is_admin, created_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                               " ON CONFLICT DO NOTHING RETURNING id"));
        const std::string publicId = newPublicId();
        s->bindAll(publicId, p.displayName, p.email, p.github, p.codewars, p.passwordHash, p.pinHash,
                   p.isAdmin ? 1 : 0, m_clock.nowMs());
        TRY_ASSIGN(row, s->step());
        if (!row)
            return fail(Errc::AlreadyExists, "a person with this email already exists");
        created = Person{s->int64At(0), publicId,   p.displayName, p.email,    p.github,
                         p.codewars,    p.pinHash, p.passwordHash, p.isAdmin, false};
        return logChange(db, "person", std::to_string(created.id), std::nullopt);
    }));
    return created;
}

Result<std::optional<Person>> PgStore::personWhere(std::string_view where,
                                                   const std::function<void(PgStatement&)>& bind)
{
    std::optional<Person> found;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query(std::string(k_personColumns) + std::string(where)));
        bind(*s);
        TRY_ASSIGN(row, s->step());
        if (row)
            found = personFrom(*s);
        return {};
    }));
    return found;
}

Result<std::optional<Person>> PgStore::personById(PersonId id)
{
    return personWhere("WHERE id = $1", [&](PgStatement& s) { s.bind(1, id); });
}

Result<std::optional<Person>> PgStore::personByPublicId(std::string_view publicId)
{
    return personWhere("WHERE public_id = $1", [&](PgStatement& s) { s.bind(1, publicId); });
}

Result<std::optional<Person>> PgStore::personByEmail(std::string_view email)
{
    // The person_email index is on lower(email): SQLite's COLLATE NOCASE.
    return personWhere("WHERE lower(email) = lower($1)", [&](PgStatement& s) { s.bind(1, email); });
}

Result<std::vector<Person>> PgStore::listPeople()
{
    std::vector<Person> people;
    TRY(read([&](PgConnection& db) -> Result<void> {
        // COLLATE "C": byte order, as SQLite's BINARY sorts the names.
        TRY_ASSIGN(s, db.query(std::string(k_personColumns) + "ORDER BY display_name COLLATE \"C\", id LIMIT 10000"));
        TRY_ASSIGN(all, s->collect(personFrom));
        people = std::move(all);
        return {};
    }));
    return people;
}

Result<void> PgStore::setPasswordHash(PersonId id, const std::string& hash)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE person SET password_hash = $1 WHERE id = $2"));
        return s->bindAll(hash, id).run();
    });
}

Result<void> PgStore::setPinHash(PersonId id, const std::string& hash)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE person SET pin_hash = $1 WHERE id = $2"));
        TRY(s->bindAll(hash, id).run());
        return logChange(db, "person", std::to_string(id), std::nullopt);
    });
}

Result<void> PgStore::addBadge(PersonId id, const std::string& uidHash)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(owner, db.query("SELECT person, revoked FROM badge WHERE uid_hash = $1"));
        owner->bind(1, uidHash);
        TRY_ASSIGN(row, owner->step());
        if (row && owner->int64At(0) == id && owner->intAt(1) == 0)
            return {};
        if (row && owner->intAt(1) == 0)
            return fail(Errc::AlreadyExists, "this badge belongs to someone else");
        TRY_ASSIGN(s, db.query("INSERT INTO badge(uid_hash, person, revoked, created_at) VALUES($1, $2, 0, $3)"
                               " ON CONFLICT(uid_hash) DO UPDATE SET person = excluded.person, revoked = 0"));
        TRY(s->bindAll(uidHash, id, m_clock.nowMs()).run());
        return logChange(db, "badge", uidHash, std::nullopt);
    });
}

Result<std::size_t> PgStore::badgeCount(PersonId id)
{
    std::size_t count = 0;
    TRY(read([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("SELECT count(*) FROM badge WHERE person = $1 AND revoked = 0"));
        TRY(s->bind(1, id).step());
        count = static_cast<std::size_t>(s->int64At(0));
        return {};
    }));
    return count;
}

Result<void> PgStore::replaceQrBadge(PersonId person, const std::string& uidHash)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY(revokeQrBadges(person));
        TRY_ASSIGN(s, db.query("INSERT INTO badge(uid_hash, person, revoked, created_at, kind)"
                               " VALUES($1, $2, 0, $3, 'qr')"));
        TRY(s->bindAll(uidHash, person, m_clock.nowMs()).run());
        return logChange(db, "badge", uidHash, std::nullopt);
    });
}

Result<void> PgStore::revokeQrBadges(PersonId person)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE badge SET revoked = 1 WHERE person = $1 AND kind = 'qr' AND revoked = 0"
                               " RETURNING uid_hash"));
        s->bind(1, person);
        return logBadges(db, *s, [](PgConnection& c, const std::string& hash) {
            return logChange(c, "badge", hash, std::nullopt);
        });
    });
}

Result<void> PgStore::setAdmin(PersonId person, bool admin, PersonId actor)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE person SET is_admin = $1 WHERE id = $2 AND is_admin <> $1"));
        TRY(s->bindAll(admin ? 1 : 0, person).run());
        if (s->affected() == 0)
            return {};
        TRY_ASSIGN(h, db.query("INSERT INTO admin_history(person, is_admin, actor, at) VALUES($1, $2, $3, $4)"));
        // Actor 0: from the command line, not a person.
        return h->bindAll(person, admin ? 1 : 0, actor ? std::optional(actor) : std::nullopt, m_clock.nowMs()).run();
    });
}

Result<void> PgStore::setLead(PersonId person, bool lead, PersonId actor)
{
    return write([&](PgConnection& db) -> Result<void> {
        TRY_ASSIGN(s, db.query("UPDATE person SET is_lead = $1 WHERE id = $2 AND is_lead <> $1"));
        TRY(s->bindAll(lead ? 1 : 0, person).run());
        if (s->affected() == 0)
            return {};
        TRY_ASSIGN(h, db.query("INSERT INTO lead_history(person, is_lead, actor, at) VALUES($1, $2, $3, $4)"));
        return h->bindAll(person, lead ? 1 : 0, actor ? std::optional(actor) : std::nullopt, m_clock.nowMs()).run();
    });
}

} // namespace imhere::server
