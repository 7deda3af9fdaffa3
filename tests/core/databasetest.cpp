// The sqlite3 wrapper on real files: configuration, binds, transactions and
// migrations.

#include "core/database.h"
#include "tests/support/tempdir.h"
#include "core/encoding.h"

#include "tests/support/qtestsupport.h"

#include <sqlite3.h>

#include <filesystem>
#include <unistd.h>

using namespace imhere;
using imhere::test::TempDir;

namespace {

constexpr Migration k_v1{1, "CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;"};
constexpr Migration k_v2{2, "CREATE TABLE badge(id INTEGER PRIMARY KEY,"
                            " person INTEGER NOT NULL REFERENCES person(id), uid_hash TEXT NOT NULL UNIQUE) STRICT;"};
constexpr Migration k_v3Broken{3, "CREATE TABLE ok_part(x INTEGER) STRICT; THIS IS NOT SQL;"};
const std::array k_schema{k_v1, k_v2};

// The value of a pragma, or a note of why it could not be read (which no
// expected value matches).
std::string pragma(Database& db, const char* name)
{
    auto s = db.prepare(std::string("PRAGMA ") + name);
    if (!s)
        return "(PRAGMA failed: " + s.error().message + ")";
    const auto row = s->step();
    if (!row || !*row)
        return "(PRAGMA gave no row)";
    return s->textAt(0);
}

} // namespace

class DatabaseTest : public QObject {
    Q_OBJECT
private slots:
    void opensConfiguredAndMigrated();
    void bindsAndReadsTypedValues();
    void errorsAreValues();
    void transactionRollsBackUnlessCommitted();
    void immediateTransactionHoldsTheWriteLock();
    void migrationsRunOnceAndUpgradeInPlace();
    void failedMigrationLeavesThePreviousVersionIntact();
    void refusesANewerSchema();
    void rejectsGappedMigrations();
    void refusesAFileThatIsNotADatabase();
};

void DatabaseTest::opensConfiguredAndMigrated()
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"), {.migrations = k_schema});
    QVERIFY2(db, db ? "" : db.error().message.c_str());
    QCOMPARE(pragma(*db, "journal_mode"), "wal");
    QCOMPARE(pragma(*db, "synchronous"), "2"); // FULL
    QCOMPARE(pragma(*db, "foreign_keys"), "1");
    QCOMPARE(pragma(*db, "busy_timeout"), "5000");
    QCOMPARE(*db->userVersion(), 2);
}

void DatabaseTest::bindsAndReadsTypedValues()
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"));
    QVERIFY(db);
    QVERIFY(db->exec("CREATE TABLE t(i INTEGER, d REAL, s TEXT, b BLOB, n TEXT) STRICT"));
    const std::string withNul("a\0b", 3);
    auto ins = db->prepare("INSERT INTO t VALUES(?,?,?,?,?)");
    QVERIFY(ins);
    ins->bindAll(std::int64_t{1} << 40, 2.5, withNul).bindBlob(4, Bytes{1, 2, 3}).bind(5, std::optional<std::string>());
    QVERIFY(ins->run());
    auto sel = db->prepare("SELECT i, d, s, b, n FROM t");
    QVERIFY(sel && *sel->step());
    QCOMPARE(sel->int64At(0), std::int64_t{1} << 40);
    QCOMPARE(sel->doubleAt(1), 2.5);
    QCOMPARE(sel->textAt(2), withNul);
    QCOMPARE(sel->blobAt(3), (Bytes{1, 2, 3}));
    QVERIFY(!sel->optionalTextAt(4));
    QVERIFY(!*sel->step());
}

void DatabaseTest::errorsAreValues()
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"), {.migrations = k_schema});
    QVERIFY(db);
    QCOMPARE(db->prepare("SELEKT 1").error().code, Errc::Sqlite);
    auto bad = db->prepare("INSERT INTO badge(person, uid_hash) VALUES(?, ?)");
    QVERIFY(bad);
    bad->bindAll(42, "h"); // no such person: foreign key
    QCOMPARE(bad->run().error().code, Errc::Constraint);
    auto range = db->prepare("SELECT ?");
    range->bind(7, 1);
    QCOMPARE(range->step().error().code, Errc::BindRange);
    auto strict = db->prepare("INSERT INTO person(id, name) VALUES('x', 'y')");
    QCOMPARE(strict->run().error().code, Errc::TypeMismatch); // STRICT: text in an INTEGER key
    auto blob = db->prepare("INSERT INTO person(name) VALUES(x'00')");
    QCOMPARE(blob->run().error().code, Errc::Constraint); // STRICT: a blob in a TEXT column
    QVERIFY(!Database::open(dir.file("missing-dir/x.db")));
}

void DatabaseTest::transactionRollsBackUnlessCommitted()
{
    TempDir dir("imhere-db");
    auto db = Database::open(dir.file("a.db"), {.migrations = k_schema});
    QVERIFY(db);
    {
        auto txn = Transaction::begin(*db);
        QVERIFY(txn);
        QVERIFY(db->exec("INSERT INTO person(name) VALUES('dropped')"));
    }
    {
        auto txn = Transaction::begin(*db);
        QVERIFY(db->exec("INSERT INTO person(name) VALUES('kept')"));
        QVERIFY(txn->commit());
    }
    auto s = db->prepare("SELECT group_concat(name) FROM person");
    QVERIFY(*s->step());
    QCOMPARE(s->textAt(0), "kept");
}

void DatabaseTest::immediateTransactionHoldsTheWriteLock()
{
    TempDir dir("imhere-db");
    auto a = Database::open(dir.file("a.db"), {.migrations = k_schema});
    auto b = Database::open(dir.file("a.db"), {.migrations = k_schema, .busyTimeoutMs = 50});
    QVERIFY(a && b);
    auto txn = Transaction::begin(*a);
    QVERIFY(txn);
    QCOMPARE(Transaction::begin(*b).error().code, Errc::Busy);
    QVERIFY(txn->commit());
    QVERIFY(Transaction::begin(*b));
}

void DatabaseTest::migrationsRunOnceAndUpgradeInPlace()
{
    TempDir dir("imhere-db");
    const auto path = dir.file("a.db");
    {
        auto db = Database::open(path, {.migrations = std::span(k_schema).first(1)});
        QVERIFY(db);
        QVERIFY(db->exec("INSERT INTO person(name) VALUES('Ada')"));
        QCOMPARE(*db->userVersion(), 1);
    }
    auto db = Database::open(path, {.migrations = k_schema});
    QVERIFY(db);
    QCOMPARE(*db->userVersion(), 2);
    auto s = db->prepare("SELECT count(*) FROM person");
    QVERIFY(*s->step());
    QCOMPARE(s->intAt(0), 1);
    QVERIFY(Database::open(path, {.migrations = k_schema})); // idempotent
}

void DatabaseTest::failedMigrationLeavesThePreviousVersionIntact()
{
    TempDir dir("imhere-db");
    const auto path = dir.file("a.db");
    QVERIFY(Database::open(path, {.migrations = k_schema}));
    const std::array broken{k_v1, k_v2, k_v3Broken};
    auto failed = Database::open(path, {.migrations = broken});
    QVERIFY(!failed);
    QCOMPARE(failed.error().code, Errc::MigrationFailed);
    auto db = Database::open(path, {.migrations = k_schema});
    QVERIFY(db);
    QCOMPARE(*db->userVersion(), 2);
    auto s = db->prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ok_part'");
    QVERIFY(*s->step());
    QCOMPARE(s->intAt(0), 0); // the half of migration 3 that did run was rolled back
}

void DatabaseTest::refusesANewerSchema()
{
    TempDir dir("imhere-db");
    const auto path = dir.file("a.db");
    {
        auto db = Database::open(path, {.migrations = k_schema});
        QVERIFY(db && db->exec("PRAGMA user_version=9"));
    }
    auto db = Database::open(path, {.migrations = k_schema});
    QVERIFY(!db);
    QCOMPARE(db.error().code, Errc::SchemaTooNew);
}

void DatabaseTest::rejectsGappedMigrations()
{
    TempDir dir("imhere-db");
    const std::array gapped{k_v1, Migration{3, "SELECT 1"}};
    auto db = Database::open(dir.file("a.db"), {.migrations = gapped});
    QVERIFY(!db);
    QCOMPARE(db.error().code, Errc::BadMigrations);
}

void DatabaseTest::refusesAFileThatIsNotADatabase()
{
    TempDir dir("imhere-db");
    const auto path = dir.file("junk.db");
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("this is not an sqlite database, just some text long enough to fill a header....", f);
    std::fclose(f);
    auto db = Database::open(path, {.migrations = k_schema});
    QVERIFY(!db);
    QCOMPARE(db.error().code, Errc::Corrupt);
}

QTEST_GUILESS_MAIN(DatabaseTest)
#include "databasetest.moc"
