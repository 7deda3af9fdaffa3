// Check-ins travelling between kiosks through sync pulls (DESIGN §5): a
// kiosk receives the check-ins other kiosks made in its courses and never
// its own, a batch's check-ins are logged once per course (migration 3), a
// replay logs nothing, large backlogs come in bounded replies, and check-ins
// logged before the upgrade still reach the kiosks.

#include "testserver.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/service/kiosksync.h"
#include "sync-server/store/sqliteschema.h"

#include "core/database.h"
#include "core/random.h"
#include "core/syncprotocol.h"

#include <gtest/gtest.h>

#include <set>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;

namespace {

class SyncCheckIns : public ::testing::Test {
protected:
    SyncCheckIns() : school(School::build(server)), client(server.client())
    {
        // A second door that serves both courses.
        const IssuedToken token = issueToken(k_kioskTokenPrefix);
        auto made = server.store->createKiosk(
            {"Room 2 door", token.lookup, token.hash, randomBytes(32), {school.courseA.id, school.courseB.id}});
        EXPECT_TRUE(made);
        room2Token = token.token;
        room1Cursor = sync(school.kioskToken, 0).cursor;
        room2Cursor = sync(room2Token, 0).cursor;
    }

    SyncResponse sync(const std::string& token, std::int64_t cursor, const std::vector<Event>& events = {})
    {
        SyncRequest request{k_protocolVersion, server.clock.nowMs(), cursor, {}};
        for (const auto& e : events)
            request.events.emplace_back(e);
        const auto r = client.json("POST", "/api/v1/kiosk/sync", encode(request), bearer(token));
        EXPECT_EQ(r.status, 200) << r.body;
        auto decoded = decodeResponse(r.body);
        EXPECT_TRUE(decoded) << r.body;
        return decoded ? *decoded : SyncResponse{};
    }

    // Sends a batch from room 1 (course A) and checks every event was stored.
    void sendFromRoom1(const std::vector<Event>& events)
    {
        const SyncResponse r = sync(school.kioskToken, room1Cursor, events);
        ASSERT_EQ(r.acks.size(), events.size());
        for (const auto& ack : r.acks)
            ASSERT_EQ(ack.status, AckStatus::Stored) << ack.reason;
        room1Cursor = r.cursor;
    }

    Event tap(const Person& who, const std::string& window)
    {
        return Event{newUuidV4(), server.clock.nowMs(), who.publicId, CheckIn{who.publicId, window, CheckInSource::Nfc}};
    }

    static std::vector<std::string> idsOf(const std::vector<CheckInChange>& checkIns)
    {
        std::vector<std::string> ids;
        for (const auto& c : checkIns)
            ids.push_back(c.id);
        return ids;
    }

    TestServer server;
    School school;
    HttpClient client;
    std::string room2Token;
    std::int64_t room1Cursor = 0;
    std::int64_t room2Cursor = 0;
};

} // namespace

TEST_F(SyncCheckIns, AKioskReceivesOtherKiosksCheckInsInItsCoursesAndNeverItsOwn)
{
    const std::vector<Event> room1{tap(school.studentA, school.openA.id), tap(school.studentA2, school.openA.id)};
    sendFromRoom1(room1);
    // Room 2's batch mixes its two courses.
    const std::vector<Event> room2{tap(school.taA, school.openA.id), tap(school.studentB, school.openB.id),
                                   tap(school.studentA, school.openA.id)};
    const SyncResponse sent = sync(room2Token, room2Cursor, room2);
    ASSERT_EQ(sent.acks.size(), 3u);
    for (const auto& ack : sent.acks)
        EXPECT_EQ(ack.status, AckStatus::Stored) << ack.reason;
    // Room 2 pulled room 1's check-ins in the same reply, and none of its own.
    ASSERT_EQ(idsOf(sent.changes.checkIns), (std::vector<std::string>{room1[0].id, room1[1].id}));
    EXPECT_EQ(sent.changes.checkIns[0].person, school.studentA.publicId);
    EXPECT_EQ(sent.changes.checkIns[0].window, school.openA.id);
    EXPECT_EQ(sent.changes.checkIns[0].at, room1[0].at);
    EXPECT_EQ(sent.changes.checkIns[0].source, CheckInSource::Nfc);

    // Room 1 serves course A only: room 2's course A check-ins, in order.
    const SyncResponse room1Pull = sync(school.kioskToken, room1Cursor);
    EXPECT_EQ(idsOf(room1Pull.changes.checkIns), (std::vector<std::string>{room2[0].id, room2[2].id}));
    EXPECT_FALSE(room1Pull.more);

    // Nothing new for either once they are at the end.
    EXPECT_TRUE(sync(school.kioskToken, room1Pull.cursor).changes.checkIns.empty());
    EXPECT_TRUE(sync(room2Token, sent.cursor).changes.checkIns.empty());
}

TEST_F(SyncCheckIns, AReplayedBatchLogsNothingForOtherKiosks)
{
    const std::vector<Event> batch{tap(school.studentA, school.openA.id), tap(school.studentA2, school.openA.id)};
    const std::int64_t before = room1Cursor;
    sendFromRoom1(batch);
    const SyncResponse first = sync(room2Token, room2Cursor);
    ASSERT_EQ(first.changes.checkIns.size(), 2u);

    const SyncResponse replay = sync(school.kioskToken, before, batch);
    for (const auto& ack : replay.acks)
        EXPECT_EQ(ack.status, AckStatus::Duplicate);
    const SyncResponse after = sync(room2Token, first.cursor);
    EXPECT_TRUE(after.changes.checkIns.empty());
    EXPECT_EQ(after.cursor, first.cursor); // no change_log row was added
}

TEST_F(SyncCheckIns, ALargeBacklogComesInBoundedRepliesWithEveryCheckInOnce)
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
    }
    ASSERT_GT(sent.size(), imhere::limits::k_maxSyncChanges);

    std::multiset<std::string> received;
    std::int64_t cursor = room2Cursor;
    int replies = 0;
    for (bool more = true; more; ++replies) {
        ASSERT_LT(replies, 20);
        const SyncResponse r = sync(room2Token, cursor);
        EXPECT_LE(r.changes.checkIns.size(), imhere::limits::k_maxSyncChanges);
        for (const auto& c : r.changes.checkIns)
            received.insert(c.id);
        EXPECT_GT(r.cursor, cursor);
        cursor = r.cursor;
        more = r.more;
    }
    EXPECT_GE(replies, 2);
    EXPECT_EQ(received.size(), sent.size()); // none twice
    EXPECT_EQ(std::set<std::string>(received.begin(), received.end()), sent);
}

TEST_F(SyncCheckIns, CheckInsFromElsewhereAndConfirmationsStillReachBothKiosks)
{
    const std::string remote = newUuidV4();
    ASSERT_TRUE(server.store->addCheckIn({remote, school.studentA2.id, school.openA.id, server.clock.nowMs(),
                                          CheckInSource::QrRemote, school.studentA2.id, std::nullopt}));
    // Room 1 confirms it in the same batch as a tap of its own.
    const Event own = tap(school.studentA, school.openA.id);
    const SyncResponse confirmed = sync(school.kioskToken, room1Cursor,
                                        {own, {newUuidV4(), server.clock.nowMs(), school.taA.publicId,
                                               RemoteConfirm{school.studentA2.publicId, school.openA.id, remote}}});
    ASSERT_EQ(confirmed.changes.checkIns.size(), 1u);
    EXPECT_EQ(confirmed.changes.checkIns[0].id, remote);
    EXPECT_TRUE(confirmed.changes.checkIns[0].confirmed);

    const SyncResponse room2 = sync(room2Token, room2Cursor);
    std::map<std::string, bool> seen;
    for (const auto& c : room2.changes.checkIns)
        EXPECT_TRUE(seen.emplace(c.id, c.confirmed).second) << "sent twice: " << c.id;
    EXPECT_EQ(seen, (std::map<std::string, bool>{{remote, true}, {own.id, false}}));
}

// A database made by the previous schema (migration 2), with a check-in
// logged the old way, one remote confirmation and a gap in the sequence.
TEST(SyncCheckInsUpgrade, CheckInsLoggedBeforeTheUpgradeStillReachOtherKiosks)
{
    TempDir dir;
    const std::string path = (dir.path() / "imhere.db").string();
    const IssuedToken token = issueToken(k_kioskTokenPrefix);
    {
        auto db = Database::open(path, {.migrations = sqliteMigrations().first(2)});
        ASSERT_TRUE(db);
        auto kiosk = db->prepare("INSERT INTO kiosk(id, name, token_prefix, token_hash, secret, created_at)"
                                 " VALUES(7, 'Old door', ?, ?, randomblob(32), 0)");
        ASSERT_TRUE(kiosk);
        kiosk->bind(1, token.lookup).bindBlob(2, token.hash);
        ASSERT_TRUE(kiosk->run());
        ASSERT_TRUE(db->exec(R"sql(
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
    ASSERT_TRUE(store) << store.error().message;
    const auto kiosk = (*store)->kioskByPrefix(token.lookup);
    ASSERT_TRUE(kiosk && *kiosk);
    Services services(**store, clock);
    auto first = syncKiosk(services, **kiosk, {k_protocolVersion, clock.nowMs(), 0, {}});
    ASSERT_TRUE(first) << first.error().message;
    std::map<std::string, bool> checkIns;
    for (const auto& c : first->changes.checkIns)
        checkIns.emplace(c.id, c.confirmed);
    EXPECT_EQ(checkIns, (std::map<std::string, bool>{{"old-tap", false}, {"old-remote", true}}));
    EXPECT_EQ(first->cursor, 2);

    // New changes continue the sequence, and a deleted check-in that a
    // confirmation refers to is still refused.
    auto batch = syncKiosk(services, **kiosk,
                           {k_protocolVersion, clock.nowMs(), first->cursor,
                            {Event{newUuidV4(), 500, "aaaaaaaaaa", CheckIn{"aaaaaaaaaa", "w1", CheckInSource::Nfc}}}});
    ASSERT_TRUE(batch) << batch.error().message;
    EXPECT_EQ(batch->acks.at(0).status, AckStatus::Stored);
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    auto seq = db->prepare("SELECT max(seq) FROM change_log");
    ASSERT_TRUE(seq && *seq->step());
    EXPECT_EQ(seq->int64At(0), 4);
    ASSERT_TRUE(db->exec("PRAGMA foreign_keys=ON"));
    EXPECT_FALSE(db->exec("DELETE FROM check_in WHERE id = 'old-remote'"));
}
