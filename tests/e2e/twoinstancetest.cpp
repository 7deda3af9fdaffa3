// Two imhere-server processes on different ports over one PostgreSQL
// database, as behind a load balancer. The kiosks are the real
// CheckInService, SyncClient and CurlTransport on real store files.
//
// - Kiosks syncing to either instance see one state: every check-in made at
//   either door reaches both kiosks, and the server holds each once.
// - One event sent to both instances (a kiosk's batch, sent to one, then the
//   same batch from a copy of the kiosk to the other) is stored once.
// - A window closed through one instance is closed for the other: its API
//   and the kiosks pulling from it.
// - An instance SIGKILLed while a kiosk syncs to it loses nothing it
//   acknowledged: the kiosk goes on with the other, and every check-in is
//   on the server exactly once. The background jobs the killed instance ran
//   go to the other: a window due to close is closed by it.
// - While the database is down, requests get 503 with Retry-After and the
//   kiosk keeps its taps; once it is back the same server answers again and
//   every tap is stored once.
#include "processes.h"
#include "schoolseed.h"

#include "tests/kiosk/testsupport.h"
#include "tests/server/httpclient.h"
#include "tests/support/pgcluster.h"

#include "kiosk/checkinservice.h"
#include "kiosk/curltransport.h"
#include "kiosk/syncclient.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/pgconnection.h"
#include "sync-server/store/pgstore.h"

#include "core/random.h"

#include <QTest>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

using namespace imhere;
using namespace imhere::e2e;
using namespace imhere::kiosk;

namespace {

constexpr int k_tapsPerSync = 10;
constexpr int k_maxDrainRounds = 200;
constexpr int k_takeOverMs = 90'000; // a few rounds of the window closer (15 s)

struct Kiosk {
    explicit Kiosk(const std::string& path) : store(KioskStore::open(path).value()) {}
    KioskStore store;
    CurlGlobal curl;
    CurlTransport transport{CurlTransport::Options{}};
    SystemClock system;
    OffsetClock corrected{system};
    SyncClient client{store, transport, system, corrected};
    CheckInService service{store, corrected};

    bool pointAt(const std::string& url, const std::string& token)
    {
        return store.saveCredentials({url, token, ""}).has_value();
    }
    // Sends everything and pulls until nothing new comes; false when the
    // server would not take it all.
    bool drain()
    {
        for (int round = 0; round < k_maxDrainRounds && store.outboxLength().value() > 0; ++round)
            (void)client.syncNow();
        std::int64_t cursor = -1;
        for (int round = 0; round < k_maxDrainRounds && cursor != store.cursor().value(); ++round) {
            cursor = store.cursor().value();
            (void)client.syncNow();
        }
        return store.outboxLength().value() == 0 && store.identity().value().has_value();
    }
};

// One integer from the shared database; -1 when it cannot answer.
std::int64_t pgInt(const std::string& url, const std::string& sql)
{
    auto connection = server::PgConnection::connect(url);
    if (!connection)
        return -1;
    auto s = (*connection)->query(sql);
    if (!s)
        return -1;
    auto row = (*s)->step();
    return row && *row ? (*s)->int64At(0) : -1;
}

} // namespace

class TwoInstanceTest : public QObject {
    Q_OBJECT

    std::unique_ptr<imhere::test::PgCluster> m_cluster;
    int m_databases = 0;
    QTemporaryDir m_dir;

    // A fresh database with the seeded school, and a second kiosk for it.
    struct School {
        std::string url;
        SeededSchool seeded;
        std::string secondKioskToken;
        std::uint32_t secondKioskId = 0;
    };
    School freshSchool(int trainees)
    {
        School school;
        const std::string name = "two" + std::to_string(++m_databases);
        if (!m_cluster->createDatabase(name))
            throw std::runtime_error("cannot create database " + name);
        school.url = m_cluster->url(name);
        school.seeded = seedSchool(school.url, trainees);
        SystemClock clock;
        auto store = server::PgStore::open(school.url, clock, {}).value();
        const server::IssuedToken token = server::issueToken(server::k_kioskTokenPrefix);
        school.secondKioskId = store->kiosks()
                                   .createKiosk({"Side door", token.lookup, token.hash, randomBytes(32),
                                                 {school.seeded.course}})
                                   .value()
                                   .id;
        school.secondKioskToken = token.token;
        return school;
    }

    std::string kioskPath(const std::string& name) const
    {
        return m_dir.filePath(QString::fromStdString(name + ".db")).toStdString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (imhere::test::PgCluster::binDir().empty())
            QSKIP("PostgreSQL is not installed");
        m_cluster = std::make_unique<imhere::test::PgCluster>();
        QVERIFY2(m_cluster->ok(), m_cluster->error().c_str());
    }

    void kiosksOnEitherInstanceSeeOneState()
    {
        const School school = freshSchool(60);
        ServerProcess a(school.url), b(school.url);
        QVERIFY(a.start());
        QVERIFY(b.start());
        Kiosk front(kioskPath("front")), side(kioskPath("side"));
        QVERIFY(front.pointAt(a.url(), school.seeded.kioskToken));
        QVERIFY(side.pointAt(b.url(), school.secondKioskToken));
        QVERIFY(front.drain());
        QVERIFY(side.drain());

        // Trainees 0..29 at the front door (instance A), 30..59 at the side
        // door (instance B), the two kiosks syncing as they go.
        for (int i = 0; i < 30; ++i) {
            front.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(i)].uid));
            side.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(30 + i)].uid));
            if (i % k_tapsPerSync == k_tapsPerSync - 1) {
                (void)front.client.syncNow();
                (void)side.client.syncNow();
            }
        }
        QVERIFY(front.drain());
        QVERIFY(side.drain());
        QVERIFY(front.drain()); // what the side door sent after the front door's last pull

        // 60 badge check-ins and the seeded remote one, once each.
        QCOMPARE(pgInt(school.url, "SELECT count(*) FROM check_in"), 61);
        QCOMPARE(pgInt(school.url, "SELECT count(DISTINCT person) FROM check_in"), 61);
        // Each kiosk knows every one of them, whichever door and instance.
        QCOMPARE(front.store.presentCount(school.seeded.window).value(), 61);
        QCOMPARE(side.store.presentCount(school.seeded.window).value(), 61);
        const auto& lastAtSide = school.seeded.trainees[59];
        QVERIFY(front.store.checkInFor(lastAtSide.publicId, school.seeded.window).value().has_value());
        const auto& firstAtFront = school.seeded.trainees[0];
        QVERIFY(side.store.checkInFor(firstAtFront.publicId, school.seeded.window).value().has_value());
    }

    void oneEventSentToBothIsStoredOnce()
    {
        const School school = freshSchool(20);
        ServerProcess a(school.url), b(school.url);
        QVERIFY(a.start());
        QVERIFY(b.start());
        Kiosk first(kioskPath("first"));
        QVERIFY(first.pointAt(a.url(), school.seeded.kioskToken));
        QVERIFY(first.drain());
        for (int i = 0; i < 20; ++i)
            first.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(i)].uid));
        QCOMPARE(first.store.outboxLength().value(), 20);

        // The same kiosk twice: a copy of its file, with the same 20 events
        // waiting, sends them to B; the original sends them to A.
        const std::string copyPath = kioskPath("first-copy");
        QVERIFY(std::filesystem::copy_file(kioskPath("first"), copyPath));
        {
            Kiosk copy(copyPath);
            QVERIFY(copy.pointAt(b.url(), school.seeded.kioskToken));
            QVERIFY(copy.drain());
            QVERIFY(copy.store.rejectedEvents(10).value().empty());
        }
        QVERIFY(first.drain());
        QVERIFY(first.store.rejectedEvents(10).value().empty());

        const std::string kioskId = std::to_string(school.seeded.kioskId);
        QCOMPARE(pgInt(school.url, "SELECT count(*) FROM check_in WHERE kiosk = " + kioskId), 20);
        // Both sends have a receipt, and the change log has each check-in once.
        // (a batch logs its check-ins as ranges of their seq)
        QCOMPARE(pgInt(school.url, "SELECT count(*) FROM check_in c JOIN change_log l ON l.kind = 'check_ins'"
                                   " AND c.seq BETWEEN l.ref::bigint AND l.ref_last WHERE c.kiosk = " + kioskId),
                 20);
        QCOMPARE(pgInt(school.url, "SELECT count(*) FROM sync_receipt WHERE kiosk = " + kioskId
                                       + " AND status = 'rejected'"),
                 0);
    }

    void aWindowClosedThroughOneIsClosedForTheOther()
    {
        const School school = freshSchool(5);
        ServerProcess a(school.url), b(school.url);
        QVERIFY(a.start());
        QVERIFY(b.start());
        Kiosk side(kioskPath("closing-side"));
        QVERIFY(side.pointAt(b.url(), school.secondKioskToken));
        QVERIFY(side.drain());
        QCOMPARE(side.store.openWindows(side.corrected.nowMs()).value().size(), 1u);

        // The teacher closes the class through A.
        SystemClock clock;
        auto store = server::PgStore::open(school.url, clock, {}).value();
        const std::string token = randomToken(32), csrf = randomToken(32);
        QVERIFY(store->credentials()
                    .createSession(server::sha256(token),
                                   server::Session{school.seeded.teacher.id, csrf, clock.nowMs() + 3'600'000})
                    .has_value());
        const std::vector<std::string> session{"Cookie: imhere_session=" + token, "X-CSRF-Token: " + csrf};
        imhere::test::HttpClient throughA(a.url());
        const auto closed = throughA.json("POST", "/api/v1/windows/" + school.seeded.window + "/close", "{}", session);
        QCOMPARE(closed.status, 200L);

        // B says it is closed, and so does the kiosk pulling from B.
        imhere::test::HttpClient throughB(b.url());
        const auto read = throughB.get("/api/v1/courses/" + school.seeded.course + "/windows", session);
        QCOMPARE(read.status, 200L);
        bool seen = false;
        const nlohmann::json windows = read.json()["windows"];
        for (const auto& w : windows) {
            if (w["id"] == school.seeded.window) {
                seen = true;
                QVERIFY2(!w["closed_at"].is_null(), read.body.c_str());
            }
        }
        QVERIFY2(seen, read.body.c_str());
        QVERIFY(side.drain());
        QVERIFY(side.store.openWindows(side.corrected.nowMs()).value().empty());
        // A tap at the side door is now refused at the door, as at the front.
        side.service.handleRead(kiosk::test::tap(school.seeded.trainees[0].uid));
        QCOMPARE(side.store.outboxLength().value(), 0);
    }

    void killingOneInstanceMidSyncLosesNothingAcknowledged()
    {
        constexpr int k_taps = 400;
        const School school = freshSchool(k_taps);
        ServerProcess first(school.url), second(school.url);
        QVERIFY(first.start());
        QVERIFY(second.start());
        // One of them runs the background jobs: that is the one killed.
        const QString takes = QStringLiteral("this server runs window auto-close now");
        QVERIFY(waitUntil([&] { return first.logged().contains(takes) || second.logged().contains(takes); }));
        const bool firstRuns = first.logged().contains(takes);
        QVERIFY2(!(firstRuns && second.logged().contains(takes)), "both instances run window auto-close");
        ServerProcess& killed = firstRuns ? first : second;
        ServerProcess& survivor = firstRuns ? second : first;

        Kiosk kiosk(kioskPath("killed"));
        QVERIFY(kiosk.pointAt(killed.url(), school.seeded.kioskToken));
        QVERIFY(kiosk.drain());
        // The first half through the instance to be killed, synced as it goes.
        for (int i = 0; i < k_taps / 2; ++i) {
            kiosk.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(i)].uid));
            if (i % k_tapsPerSync == k_tapsPerSync - 1)
                (void)kiosk.client.syncNow();
        }
        // Fifty more waiting, sent in one round while it is killed at a
        // random moment of it.
        for (int i = k_taps / 2; i < k_taps / 2 + 50; ++i)
            kiosk.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(i)].uid));
        const int delayMs = std::uniform_int_distribution<int>(0, 40)(m_random);
        qInfo("the instance running the jobs is killed %d ms into a sync round", delayMs);
        const auto pid = static_cast<pid_t>(killed.pid());
        std::thread killer([pid, delayMs] {
            std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
            ::kill(pid, SIGKILL);
        });
        (void)kiosk.client.syncNow();
        killer.join();
        killed.kill(); // reaped

        // The load balancer sends the kiosk to the survivor from now on.
        QVERIFY(kiosk.pointAt(survivor.url(), school.seeded.kioskToken));
        for (int i = k_taps / 2 + 50; i < k_taps; ++i) {
            kiosk.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(i)].uid));
            if (i % k_tapsPerSync == k_tapsPerSync - 1)
                (void)kiosk.client.syncNow();
        }
        QVERIFY(kiosk.drain());
        QVERIFY(kiosk.store.rejectedEvents(10).value().empty());

        const std::string kioskId = std::to_string(school.seeded.kioskId);
        QCOMPARE(pgInt(school.url, "SELECT count(*) FROM check_in WHERE kiosk = " + kioskId), k_taps);
        QCOMPARE(pgInt(school.url, "SELECT count(DISTINCT person) FROM check_in WHERE kiosk = " + kioskId), k_taps);
        QCOMPARE(kiosk.store.presentCount(school.seeded.window).value(), k_taps + 1);

        // The survivor takes the jobs over: a class whose end has passed is
        // closed by it.
        SystemClock clock;
        auto store = server::PgStore::open(school.url, clock, {}).value();
        const std::int64_t now = clock.nowMs();
        const std::string due = newUuidV4();
        QVERIFY(store->attendance().closeWindow(school.seeded.window, now, school.seeded.teacher.id).has_value());
        QVERIFY(store->attendance()
                    .createWindow({due, school.seeded.course, "Week 4 · Over", now - 3 * 3'600'000,
                                   now - 3 * 3'600'000, school.seeded.teacher.id, std::nullopt,
                                   now - 2 * 3'600'000})
                    .has_value());
        QVERIFY2(waitUntil(
                     [&] {
                         return pgInt(school.url, "SELECT count(*) FROM attendance_window WHERE id = '" + due
                                                      + "' AND closed_at IS NOT NULL")
                             == 1;
                     },
                     k_takeOverMs),
                 "the surviving instance did not close a window that was due");
        // (its log arrives through a pipe the event loop reads)
        QVERIFY2(waitUntil([&] { return survivor.logged().contains(takes); }, k_processStartMs),
                 qPrintable(survivor.logged()));
    }

    // Last: it stops the cluster the other cases use.
    void aDatabaseRestartIsA503AndLosesNothing()
    {
        const School school = freshSchool(40);
        ServerProcess server(school.url);
        QVERIFY(server.start());
        Kiosk kiosk(kioskPath("restart"));
        QVERIFY(kiosk.pointAt(server.url(), school.seeded.kioskToken));
        QVERIFY(kiosk.drain());
        SystemClock clock;
        const std::string token = randomToken(32), csrf = randomToken(32);
        {
            auto store = server::PgStore::open(school.url, clock, {}).value();
            QVERIFY(store->credentials()
                        .createSession(server::sha256(token),
                                       server::Session{school.seeded.teacher.id, csrf, clock.nowMs() + 3'600'000})
                        .has_value());
        }
        const std::vector<std::string> session{"Cookie: imhere_session=" + token, "X-CSRF-Token: " + csrf};
        for (int i = 0; i < 20; ++i)
            kiosk.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(i)].uid));
        QVERIFY(kiosk.drain());

        // The database goes away: requests get 503 with Retry-After, and the
        // kiosk keeps its taps.
        QVERIFY2(m_cluster->stop(), m_cluster->error().c_str());
        imhere::test::HttpClient client(server.url());
        const auto refused = client.json("POST", "/api/v1/windows/" + school.seeded.window + "/check-ins",
                                         "{\"person\":\"" + school.seeded.trainees[39].publicId + "\"}", session);
        QCOMPARE(refused.status, 503L);
        QVERIFY(!refused.header("retry-after").empty());
        for (int i = 20; i < 40; ++i)
            kiosk.service.handleRead(kiosk::test::tap(school.seeded.trainees[static_cast<std::size_t>(i)].uid));
        QVERIFY(!kiosk.client.syncNow());
        QCOMPARE(kiosk.store.outboxLength().value(), 20);

        // Back: the same server answers again, and every tap is stored once.
        QVERIFY2(m_cluster->start(), m_cluster->error().c_str());
        QVERIFY(waitUntil([&] { return client.get("/api/v1/courses/" + school.seeded.course + "/windows",
                                                  session).status == 200; }));
        QVERIFY(kiosk.drain());
        const std::string kioskId = std::to_string(school.seeded.kioskId);
        QCOMPARE(pgInt(school.url, "SELECT count(*) FROM check_in WHERE kiosk = " + kioskId), 40);
        QCOMPARE(pgInt(school.url, "SELECT count(DISTINCT person) FROM check_in WHERE kiosk = " + kioskId), 40);
    }

private:
    std::mt19937 m_random{std::random_device{}()};
};

QTEST_GUILESS_MAIN(TwoInstanceTest)
#include "twoinstancetest.moc"
