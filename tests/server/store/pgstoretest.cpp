// What only the PostgreSQL store has: its migrations in schema_version,
// libpq errors as the project's codes, the pool coming back after the
// database restarts, and SERIALIZABLE writes run again when they lose.
// On a throwaway cluster of its own (tests/support/pgcluster.h).

#include "sync-server/store/pgschema.h"
#include "sync-server/store/pgstore.h"

#include "core/clock.h"
#include "core/random.h"
#include "core/syncprotocol.h"

#include "tests/support/pgcluster.h"
#include "tests/support/qtestsupport.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <latch>
#include <map>
#include <random>
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

    // Two instances over one database: writers on both append changes while
    // transactions commit out of the order their sequence numbers were
    // taken in (each sleeps a little before committing), and a kiosk
    // pulling from one of them gets every change once: the cursor neither
    // skips a change committed late nor repeats one.
    void aKioskPullingFromOneInstanceGetsEveryChangeOnce()
    {
        const std::string url = freshDatabase();
        auto a = PgStore::open(url, clock, {.connections = 4});
        auto b = PgStore::open(url, clock, {.connections = 4});
        QVERIFY(a && b);
        PgStore& one = **a;
        PgStore& other = **b;
        const Person teacher = one.createPerson(newPerson("Teacher")).value();
        const Course course = one.createCourse({"C", "UTC", 10, 60, {}}, teacher.id).value();
        const Kiosk kiosk = one.createKiosk({"Door", "ihk_door", Bytes(32, 1), Bytes(32, 2), {course.id}, teacher.id})
                                .value();
        sync::SyncResponse first;
        QVERIFY(other.pullChanges(kiosk, 0, [](const std::vector<Role>&) { return false; }, first));
        std::int64_t cursor = first.cursor;

        constexpr int k_writers = 4;
        constexpr int k_windowsEach = 15;
        std::atomic<int> writersLeft = k_writers;
        std::atomic<int> failures = 0;
        std::latch start(k_writers + 1);
        std::vector<std::thread> writers;
        for (int w = 0; w < k_writers; ++w) {
            writers.emplace_back([&, w] {
                PgStore& store = w % 2 == 0 ? one : other;
                std::minstd_rand random(static_cast<unsigned>(w));
                start.arrive_and_wait();
                for (int i = 0; i < k_windowsEach; ++i) {
                    const auto done = store.inTransaction([&]() -> Result<void> {
                        TRY(store.createWindow({newUuidV4(), course.id, "W" + std::to_string(w), std::nullopt,
                                                clock.nowMs(), teacher.id}));
                        std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
                        return {};
                    });
                    if (!done)
                        ++failures;
                }
                --writersLeft;
            });
        }
        std::map<std::string, int> received;
        auto pull = [&]() -> bool {
            sync::SyncResponse response;
            if (!other.pullChanges(kiosk, cursor, [](const std::vector<Role>&) { return false; }, response))
                return false;
            if (response.cursor < cursor)
                return false; // the cursor never goes back
            cursor = response.cursor;
            for (const auto& window : response.changes.windows)
                ++received[window.id];
            return true;
        };
        start.arrive_and_wait();
        while (writersLeft > 0) {
            if (!pull())
                ++failures;
        }
        for (auto& t : writers)
            t.join();
        QVERIFY(pull()); // what committed after the last pull above
        QCOMPARE(failures.load(), 0);
        const auto windows = one.windowsOf(course.id).value();
        QCOMPARE(windows.size(), std::size_t{k_writers * k_windowsEach});
        QCOMPARE(received.size(), windows.size());
        for (const auto& window : windows)
            QCOMPARE(received[window.id], 1);
    }

    // The same event sent to both instances at once is stored once, and a
    // window closed through one is closed for the other.
    void twoInstancesShareOneState()
    {
        const std::string url = freshDatabase();
        auto a = PgStore::open(url, clock, {.connections = 2});
        auto b = PgStore::open(url, clock, {.connections = 2});
        QVERIFY(a && b);
        PgStore& one = **a;
        PgStore& other = **b;
        const Person teacher = one.createPerson(newPerson("Teacher")).value();
        const Person sam = other.createPerson(newPerson("Sam")).value();
        const Course course = one.createCourse({"C", "UTC", 10, 60, {sam.id}}, teacher.id).value();
        const Window w = other.createWindow({newUuidV4(), course.id, "W", std::nullopt, clock.nowMs(), teacher.id})
                             .value();
        const CheckInEvent tap{newUuidV4(), sam.id, w.id, clock.nowMs(), CheckInSource::Nfc, sam.id, 1};
        std::latch start(2);
        std::atomic<int> stored = 0;
        std::atomic<int> failed = 0;
        std::vector<std::thread> senders;
        for (PgStore* store : {&one, &other}) {
            senders.emplace_back([&, store] {
                start.arrive_and_wait();
                const auto added = store->addCheckIn(tap);
                if (!added)
                    ++failed;
                else if (*added)
                    ++stored;
            });
        }
        for (auto& t : senders)
            t.join();
        QCOMPARE(failed.load(), 0);
        QCOMPARE(stored.load(), 1);
        QVERIFY(one.closeWindow(w.id, clock.nowMs(), teacher.id));
        QVERIFY(other.window(w.id).value()->closedAt);
        QVERIFY(other.openWindows().value().empty());
    }

    void aBackgroundJobRunsOnOneInstanceAndMovesWhenItsSessionEnds()
    {
        const std::string url = freshDatabase();
        auto a = PgStore::open(url, clock, {.connections = 2});
        auto b = PgStore::open(url, clock, {.connections = 2});
        QVERIFY(a && b);
        auto lease = [](PgStore& store, std::string_view job) { return static_cast<int>(store.holdLease(job).value()); };
        const int taken = static_cast<int>(JobLease::Taken);
        const int held = static_cast<int>(JobLease::Held);
        const int elsewhere = static_cast<int>(JobLease::Elsewhere);

        QCOMPARE(lease(**a, "window auto-close"), taken);
        QCOMPARE(lease(**a, "window auto-close"), held);
        QCOMPARE(lease(**b, "window auto-close"), elsewhere);
        // Each job has a lease of its own.
        QCOMPARE(lease(**b, "Slack posts"), taken);
        QCOMPARE(lease(**a, "Slack posts"), elsewhere);
        // Asking again does not stack the lock: one hold per job in pg_locks.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(lease(**a, "window auto-close"), held);
        auto admin = PgConnection::connect(url).value();
        auto holds = admin->query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                                  " AND classid = $1::int4::oid AND objid = $2::int4::oid")
                         .value();
        QVERIFY(holds->bindAll(int{PgLeases::k_namespace}, int{PgLeases::keyOf("window auto-close")}).step().value());
        QCOMPARE(holds->int64At(0), 1);

        // A's session ends (a lost connection, a database restart for it):
        // B takes the job at its next question, and A learns it has lost it.
        auto terminate = admin->query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                                      " AND classid = $1::int4::oid AND objid = $2::int4::oid")
                             .value();
        QVERIFY(terminate->bindAll(int{PgLeases::k_namespace}, int{PgLeases::keyOf("window auto-close")})
                    .step()
                    .value());
        // pg_terminate_backend signals; the session is gone once its lock is.
        for (int i = 0; i < 100 && lease(**b, "window auto-close") == elsewhere; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QCOMPARE(lease(**b, "window auto-close"), held);
        QCOMPARE(lease(**a, "window auto-close"), elsewhere);

        // B stops: its connections close, and A takes both jobs.
        b->reset();
        for (int i = 0; i < 100 && lease(**a, "Slack posts") == elsewhere; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QCOMPARE(lease(**a, "Slack posts"), held);
        QCOMPARE(lease(**a, "window auto-close"), taken);
    }
};

QTEST_GUILESS_MAIN(PgStoreTest)
#include "pgstoretest.moc"
