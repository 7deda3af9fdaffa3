// The sqlite3 wrapper on real files: configuration, binds, transactions and
// migrations.

#include "core/database.h"
#include "tests/support/tempdir.h"
#include "core/encoding.h"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <unistd.h>

using namespace imhere;
using imhere::testing::TempDir;

namespace {

constexpr Migration k_v1{1, "CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;"};
constexpr Migration k_v2{2, "CREATE TABLE badge(id INTEGER PRIMARY KEY,"
                            " person INTEGER NOT NULL REFERENCES person(id), uid_hash TEXT NOT NULL UNIQUE) STRICT;"};
constexpr Migration k_v3Broken{3, "CREATE TABLE ok_part(x INTEGER) STRICT; THIS IS NOT SQL;"};
const std::array k_schema{k_v1, k_v2};

std::string pragma(Database& db, const char* name)
{
    auto s = db.prepare(std::string("PRAGMA ") + name);
    EXPECT_TRUE(s && *s->step());
    return s->textAt(0);
}

} // namespace

TEST(Database, OpensConfiguredAndMigrated)
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"), {.migrations = k_schema});
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ(pragma(*db, "journal_mode"), "wal");
    EXPECT_EQ(pragma(*db, "synchronous"), "2"); // FULL
    EXPECT_EQ(pragma(*db, "foreign_keys"), "1");
    EXPECT_EQ(pragma(*db, "busy_timeout"), "5000");
    EXPECT_EQ(*db->userVersion(), 2);
}

TEST(Database, BindsAndReadsTypedValues)
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"));
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE t(i INTEGER, d REAL, s TEXT, b BLOB, n TEXT) STRICT"));
    const std::string withNul("a\0b", 3);
    auto ins = db->prepare("INSERT INTO t VALUES(?,?,?,?,?)");
    ASSERT_TRUE(ins);
    ins->bindAll(std::int64_t{1} << 40, 2.5, withNul).bindBlob(4, Bytes{1, 2, 3}).bind(5, std::optional<std::string>());
    ASSERT_TRUE(ins->run());
    auto sel = db->prepare("SELECT i, d, s, b, n FROM t");
    ASSERT_TRUE(sel && *sel->step());
    EXPECT_EQ(sel->int64At(0), std::int64_t{1} << 40);
    EXPECT_DOUBLE_EQ(sel->doubleAt(1), 2.5);
    EXPECT_EQ(sel->textAt(2), withNul);
    EXPECT_EQ(sel->blobAt(3), (Bytes{1, 2, 3}));
    EXPECT_FALSE(sel->optionalTextAt(4));
    EXPECT_FALSE(*sel->step());
}

TEST(Database, ErrorsAreValues)
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"), {.migrations = k_schema});
    ASSERT_TRUE(db);
    EXPECT_EQ(db->prepare("SELEKT 1").error().code, "sqlite");
    auto bad = db->prepare("INSERT INTO badge(person, uid_hash) VALUES(?, ?)");
    ASSERT_TRUE(bad);
    bad->bindAll(42, "h"); // no such person: foreign key
    EXPECT_EQ(bad->run().error().code, "constraint");
    auto range = db->prepare("SELECT ?");
    range->bind(7, 1);
    EXPECT_EQ(range->step().error().code, "bind_range");
    auto strict = db->prepare("INSERT INTO person(id, name) VALUES('x', 'y')");
    EXPECT_EQ(strict->run().error().code, "type_mismatch"); // STRICT: text in an INTEGER key
    auto blob = db->prepare("INSERT INTO person(name) VALUES(x'00')");
    EXPECT_EQ(blob->run().error().code, "constraint"); // STRICT: a blob in a TEXT column
    EXPECT_FALSE(Database::open(dir.file("missing-dir/x.db")));
}

TEST(Database, TransactionRollsBackUnlessCommitted)
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"), {.migrations = k_schema});
    ASSERT_TRUE(db);
    {
        auto txn = Transaction::begin(*db);
        ASSERT_TRUE(txn);
        ASSERT_TRUE(db->exec("INSERT INTO person(name) VALUES('dropped')"));
    }
    {
        auto txn = Transaction::begin(*db);
        ASSERT_TRUE(db->exec("INSERT INTO person(name) VALUES('kept')"));
        ASSERT_TRUE(txn->commit());
    }
    auto s = db->prepare("SELECT group_concat(name) FROM person");
    ASSERT_TRUE(*s->step());
    EXPECT_EQ(s->textAt(0), "kept");
}

TEST(Database, ImmediateTransactionHoldsTheWriteLock)
{
    TempDir dir("imhere-db");
    auto a = Database::open(dir.file("a.db"), {.migrations = k_schema});
    auto b = Database::open(dir.file("a.db"), {.migrations = k_schema, .busyTimeoutMs = 50});
    ASSERT_TRUE(a && b);
    auto txn = Transaction::begin(*a);
    ASSERT_TRUE(txn);
    EXPECT_EQ(Transaction::begin(*b).error().code, "busy");
    ASSERT_TRUE(txn->commit());
    EXPECT_TRUE(Transaction::begin(*b));
}

TEST(Database, MigrationsRunOnceAndUpgradeInPlace)
{
    TempDir dir("imhere-db");
    const auto path = dir.file("a.db");
    {
        auto db = Database::open(path, {.migrations = std::span(k_schema).first(1)});
        ASSERT_TRUE(db);
        ASSERT_TRUE(db->exec("INSERT INTO person(name) VALUES('Ada')"));
        EXPECT_EQ(*db->userVersion(), 1);
    }
    auto db = Database::open(path, {.migrations = k_schema});
    ASSERT_TRUE(db);
    EXPECT_EQ(*db->userVersion(), 2);
    auto s = db->prepare("SELECT count(*) FROM person");
    ASSERT_TRUE(*s->step());
    EXPECT_EQ(s->intAt(0), 1);
    EXPECT_TRUE(Database::open(path, {.migrations = k_schema})); // idempotent
}

TEST(Database, FailedMigrationLeavesThePreviousVersionIntact)
{
    TempDir dir("imhere-db");
    const auto path = dir.file("a.db");
    ASSERT_TRUE(Database::open(path, {.migrations = k_schema}));
    const std::array broken{k_v1, k_v2, k_v3Broken};
    auto failed = Database::open(path, {.migrations = broken});
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, "migration_failed");
    auto db = Database::open(path, {.migrations = k_schema});
    ASSERT_TRUE(db);
    EXPECT_EQ(*db->userVersion(), 2);
    auto s = db->prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ok_part'");
    ASSERT_TRUE(*s->step());
    EXPECT_EQ(s->intAt(0), 0); // the half of migration 3 that did run was rolled back
}

TEST(Database, RefusesANewerSchema)
{
    TempDir dir("imhere-db");
    const auto path = dir.file("a.db");
    {
        auto db = Database::open(path, {.migrations = k_schema});
        ASSERT_TRUE(db && db->exec("PRAGMA user_version=9"));
    }
    auto db = Database::open(path, {.migrations = k_schema});
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code, "schema_too_new");
}

TEST(Database, RejectsGappedMigrations)
{
    TempDir dir("imhere-db");
    const std::array gapped{k_v1, Migration{3, "SELECT 1"}};
    auto db = Database::open(dir.file("a.db"), {.migrations = gapped});
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code, "bad_migrations");
}

TEST(Database, RefusesAFileThatIsNotADatabase)
{
    TempDir dir("imhere-db");
    const auto path = dir.file("junk.db");
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("this is not an sqlite database, just some text long enough to fill a header....", f);
    std::fclose(f);
    auto db = Database::open(path, {.migrations = k_schema});
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code, "corrupt");
}
