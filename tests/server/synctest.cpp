// Kiosk sync over HTTP (DESIGN §5): first-sync identity, per-event acks and
// rejections, replays answered the same way and changing nothing, kiosk-made
// windows, remote check-ins shown to the kiosk, and bounded pull batches.

#include "testserver.h"

#include "sync-server/auth/passwords.h"

#include "core/random.h"
#include "core/syncprotocol.h"

#include <gtest/gtest.h>

#include <set>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;

namespace {

class Sync : public ::testing::Test {
protected:
    Sync() : school(School::build(server)), client(server.client()) {}

    HttpResult post(std::int64_t cursor, const std::vector<Event>& events)
    {
        SyncRequest request{k_protocolVersion, server.clock.nowMs(), cursor, {}};
        for (const auto& e : events)
            request.events.emplace_back(e);
        return client.json("POST", "/api/v1/kiosk/sync", encode(request), bearer(school.kioskToken));
    }

    SyncResponse sync(std::int64_t cursor, const std::vector<Event>& events = {})
    {
        const auto r = post(cursor, events);
        EXPECT_EQ(r.status, 200) << r.body;
        auto decoded = decodeResponse(r.body);
        EXPECT_TRUE(decoded) << r.body;
        return decoded ? *decoded : SyncResponse{};
    }

    Event tap(const Person& who, const std::string& window, std::int64_t at = 0)
    {
        return Event{newUuidV4(), at ? at : server.clock.nowMs(), who.publicId,
                     CheckIn{who.publicId, window, CheckInSource::Nfc}};
    }

    std::size_t checkInsOf(const Person& who, const std::string& window)
    {
        auto records = server.store->record(window, who.id);
        return records && records->firstCheckIn ? 1 : 0;
    }

    TestServer server;
    School school;
    HttpClient client;
};

} // namespace

TEST_F(Sync, FirstSyncCarriesTheKioskIdentityAndWhatItsCoursesNeed)
{
    ASSERT_TRUE(server.store->setPinHash(school.taA.id, *hashSecret("123456", k_pinCost)));
    ASSERT_TRUE(server.store->setPinHash(school.studentA.id, *hashSecret("999999", k_pinCost)));
    ASSERT_TRUE(server.store->addBadge(school.studentA.id, std::string(64, 'a')));
    ASSERT_TRUE(server.store->addBadge(school.studentB.id, std::string(64, 'b')));

    const SyncResponse r = sync(0);
    ASSERT_TRUE(r.kiosk.has_value());
    EXPECT_EQ(r.kiosk->id, school.kiosk.id);
    EXPECT_EQ(r.kiosk->name, "Room 1 door");
    EXPECT_EQ(base64UrlDecode(r.kiosk->secret)->size(), 32u);
    EXPECT_EQ(*base64UrlDecode(r.kiosk->badgeKey), *server.store->badgeKey());
    EXPECT_NEAR(static_cast<double>(r.serverTimeMs), static_cast<double>(server.clock.nowMs()), 1.0);
    EXPECT_FALSE(r.more);

    ASSERT_EQ(r.changes.courses.size(), 1u);
    EXPECT_EQ(r.changes.courses[0].id, school.courseA.id);
    std::map<std::string, PersonChange> people;
    for (const auto& p : r.changes.people)
        people[p.publicId] = p;
    EXPECT_EQ(people.size(), 4u); // teacher, TA and two students of course A
    EXPECT_FALSE(people.contains(school.studentB.publicId));
    EXPECT_TRUE(people.at(school.taA.publicId).pinHash.has_value());
    EXPECT_FALSE(people.at(school.studentA.publicId).pinHash.has_value()); // students' PINs stay home
    ASSERT_EQ(r.changes.badges.size(), 1u);
    EXPECT_EQ(r.changes.badges[0].person, school.studentA.publicId);
    EXPECT_EQ(r.changes.windows.size(), 2u);
    EXPECT_EQ(r.changes.enrollments.size(), 4u);

    // Nothing new: an empty reply at the same cursor, and no identity.
    const SyncResponse again = sync(r.cursor);
    EXPECT_FALSE(again.kiosk.has_value());
    EXPECT_EQ(again.changes, Changes{});
    EXPECT_EQ(again.cursor, r.cursor);
}

TEST_F(Sync, AReplayedBatchGetsTheSameAcksAndChangesNothing)
{
    const std::vector<Event> batch{
        tap(school.studentA, school.openA.id),
        tap(school.studentB, school.openA.id),                     // not in course A
        tap(school.studentA, school.openB.id),                     // course B is not this kiosk's
        tap(school.studentA2, school.closedA.id),                  // closed a week ago
        tap(school.studentA2, school.openA.id, server.clock.nowMs() + 3'600'000), // from the future
        {newUuidV4(), server.clock.nowMs(), school.taA.publicId,
         Correction{school.studentA2.publicId, school.openA.id, true, "forgot", std::nullopt}}, // TAs don't correct
        {newUuidV4(), server.clock.nowMs(), "zzzzzzzzzz", CheckIn{"zzzzzzzzzz", school.openA.id, CheckInSource::Nfc}},
    };
    const SyncResponse first = sync(0, batch);
    ASSERT_EQ(first.acks.size(), batch.size());
    const std::vector<std::pair<AckStatus, std::string>> expected{
        {AckStatus::Stored, ""},           {AckStatus::Rejected, "not_enrolled"},
        {AckStatus::Rejected, "forbidden"}, {AckStatus::Rejected, "window_closed"},
        {AckStatus::Rejected, "from_future"}, {AckStatus::Rejected, "forbidden"},
        {AckStatus::Rejected, "unknown_actor"}};
    for (std::size_t i = 0; i < batch.size(); ++i) {
        EXPECT_EQ(first.acks[i].id, batch[i].id);
        EXPECT_EQ(first.acks[i].status, expected[i].first) << i;
        EXPECT_EQ(first.acks[i].reason, expected[i].second) << i;
    }

    const auto second = post(0, batch);
    for (int i = 0; i < 2; ++i) {
        const auto again = post(0, batch);
        auto a = nlohmann::json::parse(second.body);
        auto b = nlohmann::json::parse(again.body);
        a.erase("server_time");
        b.erase("server_time");
        EXPECT_EQ(a, b);
    }
    const SyncResponse replay = *decodeResponse(second.body);
    EXPECT_EQ(replay.acks[0].status, AckStatus::Duplicate);
    for (std::size_t i = 1; i < batch.size(); ++i)
        EXPECT_EQ(replay.acks[i], first.acks[i]);
    EXPECT_EQ(checkInsOf(school.studentA, school.openA.id), 1u);
    EXPECT_EQ(checkInsOf(school.studentA2, school.openA.id), 0u);
}

TEST_F(Sync, AnEventIdRepeatedInOneBatchIsStoredOnceWhateverItClaimsToBe)
{
    const Event stored = tap(school.studentA, school.openA.id);
    const Event rejected = tap(school.studentB, school.openA.id); // not in course A
    Event sameIdAsAFlag{stored.id, stored.at, school.taA.publicId,
                        FlagChange{school.studentA.publicId, school.openA.id, Flag::CameraOff, true, ""}};
    const SyncResponse r = sync(0, {stored, rejected, stored, rejected, sameIdAsAFlag});
    ASSERT_EQ(r.acks.size(), 5u);
    EXPECT_EQ(r.acks[0].status, AckStatus::Stored);
    EXPECT_EQ(r.acks[1].reason, "not_enrolled");
    EXPECT_EQ(r.acks[2].status, AckStatus::Duplicate);
    EXPECT_EQ(r.acks[3], r.acks[1]);
    EXPECT_EQ(r.acks[4].status, AckStatus::Duplicate); // a stored check-in's id is taken
    const auto later = sync(r.cursor, {sameIdAsAFlag});
    ASSERT_EQ(later.acks.size(), 1u);
    EXPECT_EQ(later.acks[0].status, AckStatus::Duplicate);
    const auto record = server.store->record(school.openA.id, school.studentA.id);
    ASSERT_TRUE(record);
    EXPECT_TRUE(record->flags.empty());
}

TEST_F(Sync, WindowsOpenedAtTheKioskAcceptCheckInsInTheSameBatch)
{
    const std::string window = newUuidV4();
    const auto now = server.clock.nowMs();
    const SyncResponse r = sync(0, {
        {newUuidV4(), now, school.taA.publicId, WindowOpen{window, school.courseA.id, "Ad hoc catch-up", std::nullopt}},
        tap(school.studentA, window, now + 1000),
        {newUuidV4(), now + 2000, school.studentA.publicId, WindowOpen{newUuidV4(), school.courseA.id, "x", std::nullopt}},
        {newUuidV4(), now + 3000, school.taA.publicId, WindowClose{window}},
        tap(school.studentA2, window, now + 3000 + 120'000),
    });
    ASSERT_EQ(r.acks.size(), 5u);
    EXPECT_EQ(r.acks[0].status, AckStatus::Stored);
    EXPECT_EQ(r.acks[1].status, AckStatus::Stored);
    EXPECT_EQ(r.acks[2].reason, "forbidden"); // students do not open windows
    EXPECT_EQ(r.acks[3].status, AckStatus::Stored);
    EXPECT_EQ(r.acks[4].reason, "window_closed");
    const auto stored = server.store->window(window);
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ((*stored)->openedAt, now);
    EXPECT_EQ((*stored)->closedAt, now + 3000);
    EXPECT_EQ(checkInsOf(school.studentA, window), 1u);
}

TEST_F(Sync, RemoteCheckInsReachTheKioskAndAMentorConfirmsThem)
{
    const SyncResponse start = sync(0);
    const std::string remote = newUuidV4();
    ASSERT_TRUE(server.store->addCheckIn({remote, school.studentA.id, school.openA.id, server.clock.nowMs(),
                                          CheckInSource::QrRemote, school.studentA.id, std::nullopt}));
    const SyncResponse seen = sync(start.cursor);
    ASSERT_EQ(seen.changes.checkIns.size(), 1u);
    EXPECT_EQ(seen.changes.checkIns[0].id, remote);
    EXPECT_FALSE(seen.changes.checkIns[0].confirmed);

    const SyncResponse confirmed = sync(seen.cursor, {{newUuidV4(), server.clock.nowMs(), school.taA.publicId,
                                                       RemoteConfirm{school.studentA.publicId, school.openA.id, remote}}});
    EXPECT_EQ(confirmed.acks[0].status, AckStatus::Stored);
    ASSERT_EQ(confirmed.changes.checkIns.size(), 1u);
    EXPECT_TRUE(confirmed.changes.checkIns[0].confirmed);
    // The kiosk's own taps are not sent back to it.
    const SyncResponse own = sync(confirmed.cursor, {tap(school.studentA2, school.openA.id)});
    EXPECT_TRUE(own.changes.checkIns.empty());
}

TEST_F(Sync, LargePullsComeInBoundedBatches)
{
    constexpr int k_people = 1500;
    ASSERT_TRUE(server.store->inTransaction([&]() -> Result<void> {
        for (int i = 0; i < k_people; ++i) {
            auto p = server.store->createPerson({"Trainee " + std::to_string(i), std::nullopt, std::nullopt,
                                                 std::nullopt, std::nullopt, std::nullopt, false});
            if (!p)
                return std::unexpected(p.error());
            if (auto r = server.store->setEnrollment(p->id, school.courseA.id, Role::Student, 0); !r)
                return r;
        }
        return {};
    }));
    std::set<std::string> people;
    std::int64_t cursor = 0;
    int replies = 0;
    for (bool more = true; more; ++replies) {
        const SyncResponse r = sync(cursor);
        EXPECT_LE(r.changes.people.size() + r.changes.enrollments.size(), limits::k_maxSyncChanges);
        for (const auto& p : r.changes.people)
            people.insert(p.publicId);
        EXPECT_GT(r.cursor, cursor);
        cursor = r.cursor;
        more = r.more;
        ASSERT_LT(replies, 20);
    }
    EXPECT_GE(replies, 2);
    EXPECT_EQ(people.size(), static_cast<std::size_t>(k_people) + 4);
}

TEST_F(Sync, BadRequestsAreRefusedWhole)
{
    EXPECT_EQ(client.json("POST", "/api/v1/kiosk/sync", "{", bearer(school.kioskToken)).status, 400);
    EXPECT_EQ(client.json("POST", "/api/v1/kiosk/sync", R"({"protocol":2,"kiosk_time":1,"cursor":0,"events":[]})",
                          bearer(school.kioskToken))
                  .status,
              400);
    EXPECT_EQ(client.json("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":"x","cursor":0,"events":[]})",
                          bearer(school.kioskToken))
                  .status,
              422);
    EXPECT_EQ(client.request("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
                             {"Content-Type: text/plain", "Authorization: Bearer " + school.kioskToken})
                  .status,
              415);
    // One bad event is rejected on its own; the rest of the batch stands.
    const std::string body = R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[{"id":"not-a-uuid"},)"
        + encodeEvent(tap(school.studentA, school.openA.id)) + "]}";
    auto r = client.json("POST", "/api/v1/kiosk/sync", body, bearer(school.kioskToken));
    ASSERT_EQ(r.status, 200);
    const auto decoded = decodeResponse(r.body);
    ASSERT_EQ(decoded->acks.size(), 2u);
    EXPECT_EQ(decoded->acks[0].status, AckStatus::Rejected);
    EXPECT_TRUE(decoded->acks[0].reason.starts_with("invalid_event"));
    EXPECT_EQ(decoded->acks[1].status, AckStatus::Stored);
}
