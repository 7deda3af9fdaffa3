// SyncClient against an in-process server: acks, replays, rejections,
// backoff, clock offset, and 1 000 taps with the server down for a third.
#include "fakeserver.h"
#include "testsupport.h"

#include "kiosk/checkinservice.h"
#include "kiosk/kiosklimits.h"
#include "kiosk/syncclient.h"

#include "core/random.h"

#include <QSignalSpy>
#include <QTest>

using namespace imhere;
using namespace imhere::kiosk;
using namespace imhere::kiosk::test;

namespace {
constexpr std::int64_t k_serverAhead = 5'000;

class ServerClock final : public Clock {
public:
    explicit ServerClock(const Clock& base) : m_base(base) {}
    std::int64_t nowMs() const override { return m_base.nowMs() + k_serverAhead; }

private:
    const Clock& m_base;
};
} // namespace

class SyncClientTest : public QObject {
    Q_OBJECT

    std::unique_ptr<TempStore> m_temp;
    std::optional<KioskStore> m_store;
    ManualClock m_system{k_t0};
    std::optional<OffsetClock> m_corrected;
    std::optional<ServerClock> m_serverClock;
    std::unique_ptr<FakeSyncServer> m_server;
    std::unique_ptr<SyncClient> m_client;

    void recordCheckIn(const char* person)
    {
        sync::Event e{newUuidV4(), m_corrected->nowMs(), person, sync::CheckIn{person, k_window, {}}};
        QVERIFY(m_store->recordEvent(e).has_value());
    }

private Q_SLOTS:
    void init()
    {
        m_system.set(k_t0);
        m_temp = std::make_unique<TempStore>();
        m_store.emplace(m_temp->open());
        QVERIFY(m_store->saveCredentials({"http://imhere.test/", "kiosk-token", ""}).has_value());
        m_corrected.emplace(m_system);
        m_serverClock.emplace(m_system);
        m_server = std::make_unique<FakeSyncServer>(*m_serverClock, schoolReply(k_t0));
        m_client = std::make_unique<SyncClient>(*m_store, *m_server, m_system, *m_corrected);
    }
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
        m_store.reset();
        m_temp.reset();
    }

    void firstSyncBringsIdentityRosterAndServerTime()
    {
        QSignalSpy online(m_client.get(), &SyncClient::onlineChanged);
        QSignalSpy changes(m_client.get(), &SyncClient::changesApplied);
        QVERIFY(m_client->syncNow());
        QCOMPARE(m_server->lastUrl(), std::string("http://imhere.test/api/v1/kiosk/sync"));
        QCOMPARE(m_server->lastToken(), std::string("kiosk-token"));
        QVERIFY(m_client->online());
        QCOMPARE(online.count(), 1);
        QCOMPARE(changes.count(), 1);
        QVERIFY(m_store->identity().value().has_value());
        QCOMPARE(m_store->cursor().value(), 1);
        // Server 5 s ahead: codes and check-ins use server time from now on.
        QCOMPARE(m_corrected->offsetMs(), k_serverAhead);
        QCOMPARE(m_corrected->nowMs(), k_t0 + k_serverAhead);
        QCOMPARE(m_store->clockOffsetMs().value(), k_serverAhead);
    }

    void ackedEventsLeaveTheOutboxAndOnlyThen()
    {
        QVERIFY(m_client->syncNow());
        recordCheckIn(k_ada);
        recordCheckIn(k_grace);
        m_server->loseReplies = true; // stored by the server, but the ack never arrives
        QVERIFY(!m_client->syncNow());
        QCOMPARE(m_store->outboxLength().value(), 2);
        QVERIFY(!m_client->online());
        m_server->loseReplies = false;
        QVERIFY(m_client->syncNow()); // replayed: acked as duplicates
        QCOMPARE(m_store->outboxLength().value(), 0);
        QCOMPARE(m_server->storedCount(), 2u);
        QCOMPARE(m_client->queueLength(), 0);
    }

    void rejectedEventsAreKeptAsideAndNotResent()
    {
        QVERIFY(m_client->syncNow());
        recordCheckIn(k_ada);
        const std::string id = m_store->outboxBatch(1).value().front().id;
        m_server->rejectIds.insert(id);
        QVERIFY(m_client->syncNow());
        QCOMPARE(m_store->outboxLength().value(), 0);
        auto rejected = m_store->rejectedEvents(5).value();
        QCOMPARE(rejected.size(), 1u);
        QCOMPARE(rejected.front().reason, std::string("unknown_window"));
        const int before = m_server->requests();
        QVERIFY(m_client->syncNow());
        QCOMPARE(m_server->requests(), before + 1);
        QCOMPARE(m_server->storedCount(), 0u);
    }

    // A batch's worth of rows that do not decode at the head of the outbox
    // must not stop the events behind them; they are kept aside, not lost.
    void unreadableEventsAreKeptAsideAndDoNotHoldUpTheRest()
    {
        QVERIFY(m_client->syncNow());
        {
            Database db = Database::open(m_temp->path).value();
            for (std::size_t i = 0; i < kiosk::limits::k_syncBatchEvents; ++i)
                QVERIFY(db.exec("INSERT INTO outbox (id, type, json, created_at) VALUES ('" + newUuidV4() +
                                "', 'check_in', '{\"id\":1}', 0)")
                            .has_value());
        }
        recordCheckIn(k_ada);
        QVERIFY(m_client->syncNow());
        QVERIFY(m_client->syncNow());
        QCOMPARE(m_store->outboxLength().value(), 0);
        QCOMPARE(m_server->storedCount(), 1u);
        auto kept = m_store->rejectedEvents(1'000).value();
        QCOMPARE(kept.size(), kiosk::limits::k_syncBatchEvents);
        QVERIFY(kept.front().reason.starts_with("unreadable: "));
    }

    void refusedTokenKeepsEverythingAndGoesOffline()
    {
        recordCheckIn(k_ada);
        m_server->forcedStatus = 401;
        QSignalSpy problems(m_client.get(), &SyncClient::problem);
        QVERIFY(!m_client->syncNow());
        QVERIFY(!m_client->online());
        QCOMPARE(problems.count(), 1);
        QVERIFY(problems.at(0).at(0).toString().contains(QStringLiteral("401")));
        QCOMPARE(m_store->outboxLength().value(), 1);
    }

    void backoffGrowsWithJitterUpToOneMinute()
    {
        QCOMPARE(SyncClient::backoffMs(0), 0);
        for (int failures = 1; failures <= 12; ++failures) {
            const qint64 ceiling = std::min<qint64>(kiosk::limits::k_backoffInitialMs << (failures - 1), kiosk::limits::k_backoffMaxMs);
            std::set<qint64> seen;
            for (int i = 0; i < 50; ++i) {
                const qint64 delay = SyncClient::backoffMs(failures);
                QVERIFY2(delay >= ceiling / 2 && delay <= ceiling, qPrintable(QString::number(delay)));
                seen.insert(delay);
            }
            QVERIFY(seen.size() > 1); // jittered, not fixed
        }
        QVERIFY(SyncClient::backoffMs(1000) <= kiosk::limits::k_backoffMaxMs);
    }

    void failuresScheduleTheNextAttemptWithBackoff()
    {
        m_server->down = true;
        m_client->start();
        QVERIFY(!m_client->syncNow());
        QVERIFY(!m_client->syncNow());
        QVERIFY(!m_client->syncNow());
        QCOMPARE(m_client->consecutiveFailures(), 3);
        // The third failure waits 2-4 s (the upper half of 1 s << 2).
        const qint64 next = m_client->scheduledDelayMs();
        QVERIFY2(next >= 2'000 && next <= 4'000, qPrintable(QString::number(next)));
        QVERIFY(m_client->nextAttemptInMs() >= 0);
        m_server->down = false;
        QVERIFY(m_client->syncNow());
        QCOMPARE(m_client->consecutiveFailures(), 0);
        QCOMPARE(m_client->scheduledDelayMs(), kiosk::limits::k_pollIntervalMs); // idle: back to polling
    }

    void batchesAreBoundedAndTheRestFollows()
    {
        m_client->start();
        QVERIFY(m_client->syncNow());
        for (int i = 0; i < 1'200; ++i)
            recordCheckIn(k_ada); // one person many times: the store keeps every event
        QVERIFY(m_client->syncNow());
        QCOMPARE(m_server->largestBatch(), kiosk::limits::k_syncBatchEvents);
        QCOMPARE(m_store->outboxLength().value(), 700);
        QCOMPARE(m_client->scheduledDelayMs(), 0); // the rest follows at once
        QVERIFY(m_client->syncNow());
        QVERIFY(m_client->syncNow());
        QCOMPARE(m_store->outboxLength().value(), 0);
        QCOMPARE(m_server->storedCount(), 1'200u);
    }

    void pulledWindowsAndRemoteCheckInsReachTheStore()
    {
        QVERIFY(m_client->syncNow());
        sync::Changes changes;
        changes.checkIns = {{newUuidV4(), k_ada, k_window, k_t0, sync::CheckInSource::QrRemote, false}};
        m_server->queueChanges(changes);
        QSignalSpy applied(m_client.get(), &SyncClient::changesApplied);
        QVERIFY(m_client->syncNow());
        QCOMPARE(applied.count(), 1);
        QCOMPARE(m_store->unconfirmedRemote(k_window).value().size(), 1u);
    }

    // 1 000 taps, the server down for the middle third; afterwards every
    // check-in has arrived exactly once.
    void thousandTapsWithTheServerDownForTheMiddleThird()
    {
        auto reply = schoolReply(k_t0);
        const auto badges = addTrainees(reply, 1'000);
        m_server = std::make_unique<FakeSyncServer>(*m_serverClock, reply);
        m_client = std::make_unique<SyncClient>(*m_store, *m_server, m_system, *m_corrected);
        QVERIFY(m_client->syncNow());
        CheckInService service(*m_store, *m_corrected);
        QSignalSpy feedback(&service, &CheckInService::feedback);
        int lostReplies = 0;
        for (int i = 0; i < 1'000; ++i) {
            m_server->down = i >= 333 && i < 666;
            m_server->loseReplies = i % 97 == 0; // a few acks lost on the way too
            service.handleRead(tap(badges[static_cast<std::size_t>(i)]));
            m_system.advance(1'500);
            if (i % 10 == 9 && !m_client->syncNow() && !m_server->down)
                ++lostReplies;
        }
        m_server->down = false;
        m_server->loseReplies = false;
        for (int round = 0; round < 10 && m_store->outboxLength().value() > 0; ++round)
            QVERIFY(m_client->syncNow());
        QCOMPARE(feedback.count(), 1'000);
        for (const auto& args : feedback)
            QVERIFY(args.at(0).value<TapFeedback>().kind == TapFeedback::Kind::CheckedIn);
        QCOMPARE(m_store->outboxLength().value(), 0);
        QCOMPARE(m_server->storedCount(), 1'000u);
        const auto perPerson = m_server->checkInsPerPerson();
        QCOMPARE(perPerson.size(), 1'000u);
        for (const auto& [person, count] : perPerson)
            QCOMPARE(count, 1);
        QVERIFY(lostReplies > 0);
    }
};

QTEST_GUILESS_MAIN(SyncClientTest)
#include "syncclienttest.moc"
