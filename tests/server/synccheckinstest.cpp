// Check-ins travelling between kiosks through sync pulls (DESIGN §5): a
// kiosk receives the check-ins other kiosks made in its courses and never
// its own, a batch's check-ins are logged once per course (migration 3), a
// replay logs nothing, large backlogs come in bounded replies, and check-ins
// logged before the upgrade still reach the kiosks.

#include "testserver.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/service/kiosksync.h"
#include "sync-server/store/sqliteschema.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
#include "core/random.h"
#include "core/syncprotocol.h"

#include "tests/support/qtestsupport.h"

#include <set>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;

class SyncCheckInsTest : public QObject {
    Q_OBJECT

    // A sync that fails (not 200, or no reply) fails the running test, which
    // goes on with an empty reply.
    SyncResponse sync(const std::string& token, std::int64_t cursor, const std::vector<Event>& events = {})
    {
        SyncRequest request{k_protocolVersion, server->clock.nowMs(), cursor, {}};
        for (const auto& e : events)
            request.events.emplace_back(e);
        const auto r = client->json("POST", "/api/v1/kiosk/sync", encode(request), bearer(token));
        auto decoded = decodeResponse(r.body);
        [&] {
            QVERIFY2(r.status == 200, r.body.c_str());
            QVERIFY2(decoded, r.body.c_str());
        }();
        return decoded ? *decoded : SyncResponse{};
    }

    // Sends a batch from room 1 (course A) and checks every event was stored
    // (a failure of the running test when not).
    void sendFromRoom1(const std::vector<Event>& events)
    {
        const SyncResponse r = sync(school.kioskToken, room1Cursor, events);
        QCOMPARE(r.acks.size(), events.size());
        for (const auto& ack : r.acks)
            QVERIFY2(ack.status == AckStatus::Stored, ack.reason.c_str());
        room1Cursor = r.cursor;
    }

    Event tap(const Person& who, const std::string& window)
    {
        return Event{newUuidV4(), server->clock.nowMs(), who.publicId, CheckIn{who.publicId, window, CheckInSource::Nfc}};
    }

    static std::vector<std::string> idsOf(const std::vector<CheckInChange>& checkIns)
    {
        std::vector<std::string> ids;
        for (const auto& c : checkIns)
            ids.push_back(c.id);
        return ids;
    }

    std::optional<TestServer> server;
    School school;
    std::optional<HttpClient> client;
    std::string room2Token;
    std::int64_t room1Cursor = 0;
    std::int64_t room2Cursor = 0;

private slots:
    void init()
    {
        server.emplace();
        school = School::build(*server);
        client.emplace(server->client());
        // A second door that serves both courses.
        const IssuedToken token = issueToken(k_kioskTokenPrefix);
        auto made = server->store->kiosks().createKiosk(
            {"Room 2 door", token.lookup, token.hash, randomBytes(32), {school.courseA.id, school.courseB.id}});
        QVERIFY(made);
        room2Token = token.token;
        room1Cursor = sync(school.kioskToken, 0).cursor;
        room2Cursor = sync(room2Token, 0).cursor;
    }
    void cleanup()
    {
        client.reset();
        server.reset();
    }

    void aKioskReceivesOtherKiosksCheckInsInItsCoursesAndNeverItsOwn();
    void aReplayedBatchLogsNothingForOtherKiosks();
    void aLargeBacklogComesInBoundedRepliesWithEveryCheckInOnce();
    void checkInsFromElsewhereAndConfirmationsStillReachBothKiosks();
    // Needs none of the above: a database of its own.
    void checkInsLoggedBeforeTheUpgradeStillReachOtherKiosks();
};

void SyncCheckInsTest::aKioskReceivesOtherKiosksCheckInsInItsCoursesAndNeverItsOwn()
{
    const std::vector<Event> room1{tap(school.studentA, school.openA.id), tap(school.studentA2, school.openA.id)};
    sendFromRoom1(room1);
    if (QTest::currentTestFailed())
        return;
    // Room 2's batch mixes its two courses.
    const std::vector<Event> room2{tap(school.taA, school.openA.id), tap(school.studentB, school.openB.id),
                                   tap(school.studentA, school.openA.id)};
    const SyncResponse sent = sync(room2Token, room2Cursor, room2);
    QCOMPARE(sent.acks.size(), 3u);
    for (const auto& ack : sent.acks)
        QVERIFY2(ack.status == AckStatus::Stored, ack.reason.c_str());
    // Room 2 pulled room 1's check-ins in the same reply, and none of its own.
    QCOMPARE(idsOf(sent.changes.checkIns), (std::vector<std::string>{room1[0].id, room1[1].id}));
    QCOMPARE(sent.changes.checkIns[0].person, school.studentA.publicId);
    QCOMPARE(sent.changes.checkIns[0].window, school.openA.id);
    QCOMPARE(sent.changes.checkIns[0].at, room1[0].at);
    QCOMPARE_EQ(sent.changes.checkIns[0].source, CheckInSource::Nfc);

    // Room 1 serves course A only: room 2's course A check-ins, in order.
    const SyncResponse room1Pull = sync(school.kioskToken, room1Cursor);
    QCOMPARE(idsOf(room1Pull.changes.checkIns), (std::vector<std::string>{room2[0].id, room2[2].id}));
    QVERIFY(!room1Pull.more);

    // Nothing new for either once they are at the end.
    QVERIFY(sync(school.kioskToken, room1Pull.cursor).changes.checkIns.empty());
    QVERIFY(sync(room2Token, sent.cursor).changes.checkIns.empty());
}

void SyncCheckInsTest::aReplayedBatchLogsNothingForOtherKiosks()
{
    const std::vector<Event> batch{tap(school.studentA, school.openA.id), tap(school.studentA2, school.openA.id)};
    const std::int64_t before = room1Cursor;
    sendFromRoom1(batch);
    if (QTest::currentTestFailed())
        return;
    const SyncResponse first = sync(room2Token, room2Cursor);
    QCOMPARE(first.changes.checkIns.size(), 2u);

    const SyncResponse replay = sync(school.kioskToken, before, batch);
    for (const auto& ack : replay.acks)
        QCOMPARE_EQ(ack.status, AckStatus::Duplicate);
    const SyncResponse after = sync(room2Token, first.cursor);
    QVERIFY(after.changes.checkIns.empty());
    QCOMPARE(after.cursor, first.cursor); // no change_log row was added
}

void SyncCheckInsTest::aLargeBacklogComesInBoundedRepliesWithEveryCheckInOnce()
{
    // 12 full batches: more check-ins than one reply may carry.
    std::set<std::string> sent;
    for (int b = 0; b < 12; ++b) {
        std::vector<Event> batch;
        for (std::size_t i = 0; i < imhere::limits::k_maxSyncEvents; ++i)
            batch.push_back(tap(i % 2 ? school.studentA : school.studentA2, school.openA.id));
        for (const auto& e : batch)
            sent.insert(e.id);
        sendFromRoom1(batch);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE_GT(sent.size(), imhere::limits::k_maxSyncChanges);

    std::multiset<std::string> received;
    std::int64_t cursor = room2Cursor;
    int replies = 0;
    for (bool more = true; more; ++replies) {
        QCOMPARE_LT(replies, 20);
        const SyncResponse r = sync(room2Token, cursor);
        QCOMPARE_LE(r.changes.checkIns.size(), imhere::limits::k_maxSyncChanges);
        for (const auto& c : r.changes.checkIns)
            received.insert(c.id);
        QCOMPARE_GT(r.cursor, cursor);
        cursor = r.cursor;
        more = r.more;
    }
    QCOMPARE_GE(replies, 2);
    QCOMPARE(received.size(), sent.size()); // none twice
    QCOMPARE(std::set<std::string>(received.begin(), received.end()), sent);
}

void SyncCheckInsTest::checkInsFromElsewhereAndConfirmationsStillReachBothKiosks()
{
    const std::string remote = newUuidV4();
    QVERIFY(server->store->attendance().addCheckIn({remote, school.studentA2.id, school.openA.id, server->clock.nowMs(),
                                      CheckInSource::QrRemote, school.studentA2.id, std::nullopt}));
    // Room 1 confirms it in the same batch as a tap of its own.
    const Event own = tap(school.studentA, school.openA.id);
    const SyncResponse confirmed = sync(school.kioskToken, room1Cursor,
                                        {own, {newUuidV4(), server->clock.nowMs(), school.taA.publicId,
                                               RemoteConfirm{school.studentA2.publicId, school.openA.id, remote}}});
    QCOMPARE(confirmed.changes.checkIns.size(), 1u);
    QCOMPARE(confirmed.changes.checkIns[0].id, remote);
    QVERIFY(confirmed.changes.checkIns[0].confirmed);

    const SyncResponse room2 = sync(room2Token, room2Cursor);
    std::map<std::string, bool> seen;
    for (const auto& c : room2.changes.checkIns)
        QVERIFY2(seen.emplace(c.id, c.confirmed).second, ("sent twice: " + c.id).c_str());
    QCOMPARE(seen, (std::map<std::string, bool>{{remote, true}, {own.id, false}}));
}

// A database made by the previous schema (migration 2), with a check-in
// logged the old way, one remote confirmation and a gap in the sequence.
void SyncCheckInsTest::checkInsLoggedBeforeTheUpgradeStillReachOtherKiosks()
{
    if (TestServer::postgres())
        QSKIP("an upgrade of a SQLite file made by migration 2; PostgreSQL databases began after it");
    TempDir dir;
    const std::string path = (dir.path() / "imhere.db").string();
    const IssuedToken token = issueToken(k_kioskTokenPrefix);
    {
        auto db = Database::open(path, {.migrations = sqliteMigrations().first(2)});
        QVERIFY(db);
        auto kiosk = db->prepare("INSERT INTO kiosk(id, name, token_prefix, token_hash, secret, created_at)"
                                 " VALUES(7, 'Old door', ?, ?, randomblob(32), 0)");
        QVERIFY(kiosk);
        kiosk->bind(1, token.lookup).bindBlob(2, token.hash);
        QVERIFY(kiosk->run());
        QVERIFY(db->exec(R"sql(
            INSERT INTO org(id, badge_key) VALUES(1, randomblob(32));
            INSERT INTO person(id, public_id, display_name, created_at) VALUES(1, 'aaaaaaaaaa', 'Ada', 0);
            INSERT INTO course(id, name, timezone, late_after_min, absent_after_min, created_at)
              VALUES('c1', 'WM5', 'Europe/London', 10, 60, 0);
            INSERT INTO enrollment(person, course, role) VALUES(1, 'c1', 'student');
            INSERT INTO kiosk_course(kiosk, course) VALUES(7, 'c1');
            INSERT INTO attendance_window(id, course, title, opened_at) VALUES('w1', 'c1', 'Week 1', 0);
            INSERT INTO check_in(id, person, window_id, at, source, kiosk, actor, received_at)
              VALUES('old-tap', 1, 'w1', 10, 'nfc', 3, 1, 10), ('old-remote', 1, 'w1', 20, 'qr_remote', NULL, 1, 20);
            INSERT INTO remote_confirm(id, check_in, actor, at, kiosk, received_at) VALUES('rc', 'old-remote', 1, 30, 3, 30);
            INSERT INTO change_log(kind, ref, course, kiosk) VALUES('check_in', 'old-tap', 'c1', 3),
              ('check_in', 'old-remote', 'c1', NULL), ('person', '1', NULL, NULL);
            DELETE FROM change_log WHERE kind = 'person';
        )sql"));
    }

    SystemClock clock;
    auto store = SqliteStore::open(path, clock);
    QVERIFY2(store, store ? "" : store.error().message.c_str());
    const auto kiosk = (*store)->kioskByPrefix(token.lookup);
    QVERIFY(kiosk && *kiosk);
    Services services(**store, clock);
    auto first = syncKiosk(services, **kiosk, {k_protocolVersion, clock.nowMs(), 0, {}});
    QVERIFY2(first, first ? "" : first.error().message.c_str());
    std::map<std::string, bool> checkIns;
    for (const auto& c : first->changes.checkIns)
        checkIns.emplace(c.id, c.confirmed);
    QCOMPARE(checkIns, (std::map<std::string, bool>{{"old-tap", false}, {"old-remote", true}}));
    QCOMPARE(first->cursor, 2);

    // New changes continue the sequence, and a deleted check-in that a
    // confirmation refers to is still refused.
    auto batch = syncKiosk(services, **kiosk,
                           {k_protocolVersion, clock.nowMs(), first->cursor,
                            {Event{newUuidV4(), 500, "aaaaaaaaaa", CheckIn{"aaaaaaaaaa", "w1", CheckInSource::Nfc}}}});
    QVERIFY2(batch, batch ? "" : batch.error().message.c_str());
    QCOMPARE_EQ(batch->acks.at(0).status, AckStatus::Stored);
    auto db = Database::open(path);
    QVERIFY(db);
    auto seq = db->prepare("SELECT max(seq) FROM change_log");
    QVERIFY(seq && *seq->step());
    QCOMPARE(seq->int64At(0), 4);
    QVERIFY(db->exec("PRAGMA foreign_keys=ON"));
    QVERIFY(!db->exec("DELETE FROM check_in WHERE id = 'old-remote'"));
}

QTEST_GUILESS_MAIN(SyncCheckInsTest)
#include "synccheckinstest.moc"
