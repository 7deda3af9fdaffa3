// What only the PostgreSQL store has: its migrations in schema_version,
// libpq errors as the project's codes, the pool coming back after the
// database restarts, and SERIALIZABLE writes run again when they lose.
// On a throwaway cluster of its own (tests/support/pgcluster.h).

#include "sync-server/store/pgschema.h"
#include "sync-server/store/pgstore.h"

#include "core/clock.h"

#include "tests/support/pgcluster.h"
#include "tests/support/qtestsupport.h"

#include <QTest>

#include <algorithm>
#include <latch>
#include <set>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

class PgStoreTest : public QObject {
    Q_OBJECT

    std::unique_ptr<PgCluster> cluster;
    ManualClock clock{1'760'001'600'000};
    int databases = 0;

    // A fresh database's URL.
    std::string freshDatabase()
    {
        const std::string name = "t" + std::to_string(++databases);
        if (!cluster->createDatabase(name))
            qFatal("createdb: %s", cluster->error().c_str());
        return cluster->url(name);
    }

    NewPerson newPerson(const std::string& name) { return {name, std::nullopt, {}, {}, {}, {}, false}; }

private slots:
    void initTestCase()
    {
        cluster = std::make_unique<PgCluster>("imhere");
        QVERIFY2(cluster->ok(), cluster->error().c_str());
    }
    void cleanupTestCase() { cluster.reset(); }

    void migrationsAreRecordedAndAppliedOnce()
    {
        const std::string url = freshDatabase();
        {
            auto first = PgStore::open(url, clock, {.connections = 2});
            QVERIFY2(first, first ? "" : first.error().message.c_str());
            auto second = PgStore::open(url, clock, {.connections = 2}); // a second instance
            QVERIFY2(second, second ? "" : second.error().message.c_str());
            // Both see the one org made by the first.
            QVERIFY((*first)->badgeKey().value() == (*second)->badgeKey().value());
        }
        auto connection = PgConnection::connect(url);
        QVERIFY(connection);
        QCOMPARE(pgSchemaVersion(**connection).value(), static_cast<int>(pgMigrations().size()));
        auto rows = (*connection)->query("SELECT count(*) FROM schema_version");
        QVERIFY(rows && (*rows)->step().value());
        QCOMPARE((*rows)->int64At(0), static_cast<std::int64_t>(pgMigrations().size()));
    }

    void aDatabaseNewerThanTheBuildIsRefused()
    {
        const std::string url = freshDatabase();
        QVERIFY(PgStore::open(url, clock, {.connections = 1}));
        auto connection = PgConnection::connect(url);
        QVERIFY(connection);
        QVERIFY((*connection)->exec("INSERT INTO schema_version(version) SELECT max(version) + 1 FROM schema_version"));
        const auto refused = PgStore::open(url, clock, {.connections = 1});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Errc::SchemaTooNew);
    }

    void libpqErrorsHaveTheProjectsCodes()
    {
        const std::string url = freshDatabase();
        QVERIFY(PgStore::open(url, clock, {.connections = 1}));
        auto connection = PgConnection::connect(url);
        QVERIFY(connection);
        PgConnection& db = **connection;
        auto insert = db.query("INSERT INTO course(id, name, timezone, late_after_min, absent_after_min, created_at)"
                               " VALUES($1, 'C', 'UTC', 10, 60, 0)");
        QVERIFY(insert);
        QVERIFY((*insert)->bind(1, "c1").run());
        insert = db.query("INSERT INTO course(id, name, timezone, late_after_min, absent_after_min, created_at)"
                          " VALUES($1, 'C', 'UTC', 10, 60, 0)");
        const auto twice = (*insert)->bind(1, "c1").run();
        QVERIFY(!twice);
        QCOMPARE(twice.error().code, Errc::Constraint);
        auto badBind = db.query("SELECT $1::bigint");
        QVERIFY(badBind);
        const auto outOfRange = (*badBind)->bind(2, 5).run();
        QVERIFY(!outOfRange);
        QCOMPARE(outOfRange.error().code, Errc::BindRange);
        const auto syntax = db.query("SELEC 1");
        QVERIFY(!syntax);
        QCOMPARE(syntax.error().code, Errc::Internal);
        // bytea both ways, every byte value.
        Bytes all(256);
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = static_cast<std::uint8_t>(i);
        auto echo = db.query("SELECT $1::bytea");
        QVERIFY(echo);
        QVERIFY((*echo)->bindBlob(1, all).step().value());
        QVERIFY((*echo)->blobAt(0) == all);

        // Nothing listens on port 1.
        const auto nobody = PgConnection::connect("postgresql://imhere@127.0.0.1:1/imhere?connect_timeout=2");
        QVERIFY(!nobody);
        QCOMPARE(nobody.error().code, Errc::Unavailable);
    }

    void theStoreComesBackAfterTheDatabaseRestarts()
    {
        const std::string url = freshDatabase();
        auto opened = PgStore::open(url, clock, {.connections = 2});
        QVERIFY(opened);
        PgStore& store = **opened;
        const Person ada = store.createPerson(newPerson("Ada")).value();

        QVERIFY2(cluster->restart(), cluster->error().c_str());
        // Every pooled connection died with the server; the next calls open them again.
        for (int i = 0; i < 4; ++i) {
            const auto read = store.personById(ada.id);
            QVERIFY2(read, read ? "" : read.error().message.c_str());
            QCOMPARE((*read)->displayName, "Ada");
        }
        const auto written = store.createPerson(newPerson("Bea"));
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        QVERIFY(store.pool().reconnects() >= 1);

        // While the database is down, calls fail as Unavailable (503 with Retry-After).
        QVERIFY2(cluster->stop(), cluster->error().c_str());
        const auto down = store.createPerson(newPerson("Cy"));
        QVERIFY(!down);
        QCOMPARE(down.error().code, Errc::Unavailable);
        const auto downRead = store.personById(ada.id);
        QVERIFY(!downRead);
        QCOMPARE(downRead.error().code, Errc::Unavailable);
        QVERIFY2(cluster->start(), cluster->error().c_str());
        QVERIFY(store.personById(ada.id));
        const auto people = store.listPeople().value();
        QCOMPARE(people.size(), std::size_t{2}); // nothing of Cy was written
    }

    // Each transaction reads how many people there are and adds one named by
    // the count: only a one-at-a-time order gives every name once, which
    // SERIALIZABLE (with its retries) must.
    void writesThatRaceAreRunAsIfOneAtATime()
    {
        const std::string url = freshDatabase();
        auto opened = PgStore::open(url, clock, {.connections = 6});
        QVERIFY(opened);
        PgStore& store = **opened;
        constexpr int k_writers = 6;
        std::latch start(k_writers);
        std::vector<std::thread> writers;
        std::atomic<int> failures = 0;
        for (int i = 0; i < k_writers; ++i) {
            writers.emplace_back([&] {
                start.arrive_and_wait();
                const auto done = store.inTransaction([&]() -> Result<void> {
                    TRY_ASSIGN(people, store.listPeople());
                    return withoutValue(store.createPerson(newPerson("P" + std::to_string(people.size()))));
                });
                if (!done)
                    ++failures;
            });
        }
        for (auto& t : writers)
            t.join();
        QCOMPARE(failures.load(), 0);
        std::set<std::string> names;
        for (const auto& p : store.listPeople().value())
            names.insert(p.displayName);
        QCOMPARE(names.size(), std::size_t{k_writers});
        for (int i = 0; i < k_writers; ++i)
            QVERIFY(names.contains("P" + std::to_string(i)));
    }
};

QTEST_GUILESS_MAIN(PgStoreTest)
#include "pgstoretest.moc"
