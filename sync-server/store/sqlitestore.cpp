// SqliteStore: connection, transactions, people, badges and credentials.
// Courses and windows are in sqlitestorecourses.cpp, events and records in
// sqlitestorerecords.cpp, kiosk sync in sqlitestoresync.cpp.

#include "sqlitestore.h"

#include "sqliterows.h"
#include "sqliteschema.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/limits.h"
#include "core/random.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace imhere::server {

namespace {
constexpr std::size_t k_masterKeyBytes = 32;
} // namespace

using rows::k_personColumns;
using rows::personFrom;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, const Clock& clock)
{
    TRY_ASSIGN(db, Database::open(path, {.migrations = sqliteMigrations(), .cacheKiB = limits::k_storeCacheKiB}));
    // Opened after the first has migrated the file, so it needs no migrations.
    TRY_ASSIGN(groupDb, Database::open(path, {.cacheKiB = limits::k_storeCacheKiB}));
    std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db), std::move(groupDb), clock));
    if (struct stat opened {}; ::stat(path.c_str(), &opened) == 0) {
        store->m_fileDevice = opened.st_dev;
        store->m_fileInode = opened.st_ino;
    }
    TRY(store->write([&]() -> Result<void> {
        TRY_ASSIGN(insert, store->query("INSERT INTO org(id, badge_key) VALUES(1, ?) ON CONFLICT DO NOTHING"));
        insert->bindBlob(1, randomBytes(imhere::limits::k_kioskKeyBytes));
        TRY(insert->run());
        TRY_ASSIGN(master, store->query("UPDATE org SET master_key = ? WHERE id = 1 AND master_key IS NULL"));
        master->bindBlob(1, randomBytes(k_masterKeyBytes));
        return master->run();
    }));
    return store;
}

Result<SqliteStore::Lease> SqliteStore::prepared(Database& db, StatementCache& cache, std::string_view sql)
{
    auto it = cache.find(sql);
    if (it == cache.end()) {
        TRY_ASSIGN(statement, db.prepare(sql));
        it = cache.emplace(std::string(sql), std::move(statement)).first;
    }
    return Lease(it->second);
}

Result<void> SqliteStore::write(const std::function<Result<void>()>& work)
{
    std::lock_guard lock(m_mutex);
    if (m_transactionDepth > 0)
        return work();
    std::lock_guard writing(m_writeMutex);
    TRY_ASSIGN(txn, Transaction::begin(m_db));
    ++m_transactionDepth;
    auto result = work();
    --m_transactionDepth;
    if (!result)
        return result; // the Transaction rolls back
    return txn.commit();
}

Result<void> SqliteStore::inTransaction(const std::function<Result<void>()>& work)
{
    return write(work);
}

Result<void> SqliteStore::logChange(std::string_view kind, std::string_view ref,
                                    std::optional<std::string_view> course, std::optional<std::uint32_t> origin)
{
    TRY_ASSIGN(s, query("INSERT INTO change_log(kind, ref, course, kiosk) VALUES(?, ?, ?, ?)"));
    s->bind(1, kind).bind(2, ref);
    course ? s->bind(3, *course) : s->bind(3, nullptr);
    origin ? s->bind(4, std::int64_t{*origin}) : s->bind(4, nullptr);
    return s->run();
}

Result<void> SqliteStore::logCheckIns(std::int64_t firstRow, std::int64_t lastRow, std::string_view course,
                                      std::uint32_t origin)
{
    TRY_ASSIGN(s, query("INSERT INTO change_log(kind, ref, course, kiosk, ref_last) VALUES('check_ins', ?, ?, ?, ?)"));
    return s->bindAll(std::to_string(firstRow), course, std::int64_t{origin}, lastRow).run();
}

Result<Bytes> SqliteStore::badgeKey()
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT badge_key FROM org WHERE id = 1"));
    TRY_ASSIGN(row, s->step());
    if (!row)
        return fail(Errc::Internal, "the organisation settings are missing");
    return s->blobAt(0);
}

Result<Bytes> SqliteStore::masterKey()
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT master_key FROM org WHERE id = 1 AND master_key IS NOT NULL"));
    TRY_ASSIGN(row, s->step());
    if (!row)
        return fail(Errc::Internal, "the organisation's master key is missing");
    return s->blobAt(0);
}

// ---- people -------------------------------------------------------------------

Result<Person> SqliteStore::createPerson(const NewPerson& p)
{
    Person created;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO person(public_id, display_name, email, github, codewars, password_hash,"
                            " pin_hash, is_admin, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const std::string publicId = newPublicId();
        s->bindAll(publicId, p.displayName, p.email, p.github, p.codewars, p.passwordHash, p.pinHash,
                   p.isAdmin ? 1 : 0, m_clock.nowMs());
        if (auto r = s->run(); !r) {
            if (r.error().code == Errc::Constraint)
                return fail(Errc::AlreadyExists, "a person with this email already exists");
            return r;
        }
        created = Person{m_db.lastInsertRowId(), publicId, p.displayName, p.email, p.github, p.codewars,
                         p.pinHash, p.passwordHash, p.isAdmin};
        return logChange("person", std::to_string(created.id), std::nullopt);
    }));
    return created;
}

Result<std::optional<Person>> SqliteStore::personWhere(std::string_view where,
                                                       const std::function<void(Statement&)>& bind)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string(k_personColumns) + std::string(where)));
    bind(*s);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<Person>();
    return std::optional(personFrom(*s));
}

Result<std::optional<Person>> SqliteStore::personById(PersonId id)
{
    return personWhere("WHERE id = ?", [&](Statement& s) { s.bind(1, id); });
}

Result<std::optional<Person>> SqliteStore::personByPublicId(std::string_view publicId)
{
    return personWhere("WHERE public_id = ?", [&](Statement& s) { s.bind(1, publicId); });
}

Result<std::optional<Person>> SqliteStore::personByEmail(std::string_view email)
{
    return personWhere("WHERE email = ?", [&](Statement& s) { s.bind(1, email); });
}

Result<std::vector<Person>> SqliteStore::listPeople()
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query(std::string(k_personColumns) + "ORDER BY display_name, id LIMIT 10000"));
    std::vector<Person> people;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        people.push_back(personFrom(*s));
    }
    return people;
}

Result<void> SqliteStore::setPasswordHash(PersonId id, const std::string& hash)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE person SET password_hash = ? WHERE id = ?"));
        return s->bindAll(hash, id).run();
    });
}

Result<void> SqliteStore::setPinHash(PersonId id, const std::string& hash)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("UPDATE person SET pin_hash = ? WHERE id = ?"));
        TRY(s->bindAll(hash, id).run());
        return logChange("person", std::to_string(id), std::nullopt);
    });
}

Result<void> SqliteStore::addBadge(PersonId id, const std::string& uidHash)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(owner, query("SELECT person, revoked FROM badge WHERE uid_hash = ?"));
        owner->bind(1, uidHash);
        TRY_ASSIGN(row, owner->step());
        if (row && owner->int64At(0) == id && owner->intAt(1) == 0)
            return {};
        if (row && owner->intAt(1) == 0)
            return fail(Errc::AlreadyExists, "this badge belongs to someone else");
        TRY_ASSIGN(s, query("INSERT INTO badge(uid_hash, person, revoked, created_at) VALUES(?, ?, 0, ?)"
                            " ON CONFLICT(uid_hash) DO UPDATE SET person = excluded.person, revoked = 0"));
        TRY(s->bindAll(uidHash, id, m_clock.nowMs()).run());
        return logChange("badge", uidHash, std::nullopt);
    });
}

Result<std::size_t> SqliteStore::badgeCount(PersonId id)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT count(*) FROM badge WHERE person = ? AND revoked = 0"));
    s->bind(1, id);
    TRY(s->step());
    return static_cast<std::size_t>(s->int64At(0));
}

// ---- credentials ----------------------------------------------------------------

Result<void> SqliteStore::createSession(const Bytes& tokenHash, const Session& session)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(purge, query("DELETE FROM session WHERE expires_at < ?"));
        TRY(purge->bind(1, m_clock.nowMs()).run());
        TRY_ASSIGN(s, query("INSERT INTO session(token_hash, person, csrf, expires_at, last_used_at)"
                            " VALUES(?, ?, ?, ?, ?)"));
        s->bindBlob(1, tokenHash);
        return s->bind(2, session.person).bind(3, session.csrfToken).bind(4, session.expiresAt)
            .bind(5, session.lastUsedAt != 0 ? session.lastUsedAt : m_clock.nowMs()).run();
    });
}

Result<std::optional<Session>> SqliteStore::session(const Bytes& tokenHash, std::int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT person, csrf, expires_at, last_used_at FROM session"
                        " WHERE token_hash = ? AND expires_at > ?"));
    s->bindBlob(1, tokenHash).bind(2, nowMs);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<Session>();
    return std::optional(Session{s->int64At(0), s->textAt(1), s->int64At(2), s->int64At(3)});
}

Result<void> SqliteStore::deleteSession(const Bytes& tokenHash)
{
    return write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("DELETE FROM session WHERE token_hash = ?"));
        s->bindBlob(1, tokenHash);
        return s->run();
    });
}

Result<Kiosk> SqliteStore::createKiosk(const NewKiosk& k)
{
    Kiosk created;
    TRY(write([&]() -> Result<void> {
        TRY_ASSIGN(s, query("INSERT INTO kiosk(name, token_prefix, token_hash, secret, created_at, created_by)"
                            " VALUES(?, ?, ?, ?, ?, ?)"));
        s->bind(1, k.name).bind(2, k.tokenPrefix).bindBlob(3, k.tokenHash).bindBlob(4, k.secret);
        TRY(s->bind(5, m_clock.nowMs()).bind(6, k.createdBy).run());
        created = Kiosk{static_cast<std::uint32_t>(m_db.lastInsertRowId()), k.name, k.tokenHash, k.secret, false,
                        k.courses};
        for (const auto& course : k.courses) {
            TRY_ASSIGN(link, query("INSERT INTO kiosk_course(kiosk, course)"
                                   " SELECT ?, id FROM course WHERE id = ? AND removed = 0"));
            TRY(link->bind(1, std::int64_t{created.id}).bind(2, course).run());
            if (m_db.changes() == 0)
                return fail(Errc::NotFound, "no course " + course);
        }
        return {};
    }));
    return created;
}

Result<std::optional<Kiosk>> SqliteStore::kioskByPrefix(std::string_view prefix)
{
    return kioskWhere("token_prefix", [&](Statement& s) { s.bind(1, prefix); });
}

Result<std::optional<Kiosk>> SqliteStore::kioskById(std::uint32_t id)
{
    return kioskWhere("id", [&](Statement& s) { s.bind(1, std::int64_t{id}); });
}

Result<std::optional<Kiosk>> SqliteStore::kioskWhere(std::string_view column,
                                                     const std::function<void(Statement&)>& bind)
{
    std::lock_guard lock(m_mutex);
    TRY_ASSIGN(s, query("SELECT id, name, token_hash, secret, revoked FROM kiosk WHERE " + std::string(column)
                        + " = ?"));
    bind(*s);
    TRY_ASSIGN(row, s->step());
    if (!row)
        return std::optional<Kiosk>();
    Kiosk k{static_cast<std::uint32_t>(s->int64At(0)), s->textAt(1), s->blobAt(2), s->blobAt(3), s->intAt(4) != 0,
            {}};
    TRY_ASSIGN(courses, query("SELECT course FROM kiosk_course WHERE kiosk = ? ORDER BY course"));
    courses->bind(1, std::int64_t{k.id});
    for (;;) {
        TRY_ASSIGN(more, courses->step());
        if (!more)
            break;
        k.courses.push_back(courses->textAt(0));
    }
    return std::optional(std::move(k));
}

// ---- operations -------------------------------------------------------------------

Result<JobLease> SqliteStore::holdLease(std::string_view job)
{
    std::lock_guard lock(m_mutex);
    return m_leases.emplace(job).second ? JobLease::Taken : JobLease::Held;
}

Result<void> SqliteStore::checkHealth()
{
    std::lock_guard lock(m_mutex);
    // Files the store has open keep working after they are deleted, replaced
    // or their directory is made unreadable, but nothing written then
    // survives a restart: that counts as unavailable.
    const char* file = sqlite3_db_filename(m_db.handle(), "main");
    if (file && *file) {
        struct stat now {};
        if (::stat(file, &now) != 0)
            return fail(Errc::CannotOpen, std::string(file) + ": " + std::strerror(errno));
        if (now.st_dev != m_fileDevice || now.st_ino != m_fileInode)
            return fail(Errc::CannotOpen, std::string(file) + ": not the file the server opened (replaced or moved)");
    }
    TRY_ASSIGN(s, query("SELECT count(*) FROM org"));
    TRY_ASSIGN(row, s->step());
    if (!row || s->int64At(0) != 1)
        return fail(Errc::Corrupt, "the org row is missing");
    return {};
}

} // namespace imhere::server
