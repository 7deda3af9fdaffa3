// Kiosk sync over HTTP (DESIGN §5): first-sync identity, per-event acks and
// rejections, replays answered the same way and changing nothing, kiosk-made
// windows, remote check-ins shown to the kiosk, and bounded pull batches.

#include "testserver.h"
#include "sync-server/service/records.h"

#include "sync-server/auth/passwords.h"

#include "core/random.h"
#include "core/syncprotocol.h"

#include "tests/support/qtestsupport.h"

#include <cmath>
#include <set>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;

class SyncTest : public QObject {
    Q_OBJECT

    HttpResult post(std::int64_t cursor, const std::vector<Event>& events)
    {
        SyncRequest request{k_protocolVersion, server->clock.nowMs(), cursor, {}};
        for (const auto& e : events)
            request.events.emplace_back(e);
        return client->json("POST", "/api/v1/kiosk/sync", encode(request), bearer(school.kioskToken));
    }

    // A sync that fails (not 200, or no reply) fails the running test, which
    // goes on with an empty reply.
    SyncResponse sync(std::int64_t cursor, const std::vector<Event>& events = {})
    {
        const auto r = post(cursor, events);
        auto decoded = decodeResponse(r.body);
        [&] {
            QVERIFY2(r.status == 200, r.body.c_str());
            QVERIFY2(decoded, r.body.c_str());
        }();
        return decoded ? *decoded : SyncResponse{};
    }

    Event tap(const Person& who, const std::string& window, std::int64_t at = 0)
    {
        return Event{newUuidV4(), at ? at : server->clock.nowMs(), who.publicId,
                     CheckIn{who.publicId, window, CheckInSource::Nfc}};
    }

    std::size_t checkInsOf(const Person& who, const std::string& window)
    {
        auto records = server::recordOf(*server->services, window, who.id);
        return records && records->firstCheckIn ? 1 : 0;
    }

    std::optional<TestServer> server;
    School school;
    std::optional<HttpClient> client;

private slots:
    void init()
    {
        server.emplace();
        school = School::build(*server);
        client.emplace(server->client());
    }
    void cleanup()
    {
        client.reset();
        server.reset();
    }

    void firstSyncCarriesTheKioskIdentityAndWhatItsCoursesNeed();
    void aReplayedBatchGetsTheSameAcksAndChangesNothing();
    void anEventIdRepeatedInOneBatchIsStoredOnceWhateverItClaimsToBe();
    void windowsOpenedAtTheKioskAcceptCheckInsInTheSameBatch();
    void remoteCheckInsReachTheKioskAndAMentorConfirmsThem();
    void largePullsComeInBoundedBatches();
    void badRequestsAreRefusedWhole();
};

void SyncTest::firstSyncCarriesTheKioskIdentityAndWhatItsCoursesNeed()
{
    QVERIFY(server->store->people().setPinHash(school.taA.id, *hashSecret("123456", k_pinCost)));
    QVERIFY(server->store->people().setPinHash(school.studentA.id, *hashSecret("999999", k_pinCost)));
    QVERIFY(server->store->people().addBadge(school.studentA.id, std::string(64, 'a')));
    QVERIFY(server->store->people().addBadge(school.studentB.id, std::string(64, 'b')));

    const SyncResponse r = sync(0);
    QVERIFY(r.kiosk.has_value());
    QCOMPARE(r.kiosk->id, school.kiosk.id);
    QCOMPARE(r.kiosk->name, "Room 1 door");
    QCOMPARE(base64UrlDecode(r.kiosk->secret)->size(), 32u);
    QCOMPARE(*base64UrlDecode(r.kiosk->badgeKey), *server->store->people().badgeKey());
    QCOMPARE_LE(std::abs(static_cast<double>(r.serverTimeMs) - static_cast<double>(server->clock.nowMs())), 1.0);
    QVERIFY(!r.more);

    QCOMPARE(r.changes.courses.size(), 1u);
    QCOMPARE(r.changes.courses[0].id, school.courseA.id);
    std::map<std::string, PersonChange> people;
    for (const auto& p : r.changes.people)
        people[p.publicId] = p;
    QCOMPARE(people.size(), 4u); // teacher, TA and two students of course A
    QVERIFY(!people.contains(school.studentB.publicId));
    QVERIFY(people.at(school.taA.publicId).pinHash.has_value());
    QVERIFY(!people.at(school.studentA.publicId).pinHash.has_value()); // students' PINs stay home
    QCOMPARE(r.changes.badges.size(), 1u);
    QCOMPARE(r.changes.badges[0].person, school.studentA.publicId);
    QCOMPARE(r.changes.windows.size(), 2u);
    QCOMPARE(r.changes.enrollments.size(), 4u);

    // Nothing new: an empty reply at the same cursor, and no identity.
    const SyncResponse again = sync(r.cursor);
    QVERIFY(!again.kiosk.has_value());
    QCOMPARE(again.changes, Changes{});
    QCOMPARE(again.cursor, r.cursor);
}

void SyncTest::aReplayedBatchGetsTheSameAcksAndChangesNothing()
{
    const std::vector<Event> batch{
        tap(school.studentA, school.openA.id),
        tap(school.studentB, school.openA.id),                     // not in course A
        tap(school.studentA, school.openB.id),                     // course B is not this kiosk's
        tap(school.studentA2, school.closedA.id),                  // closed a week ago
        tap(school.studentA2, school.openA.id, server->clock.nowMs() + 3'600'000), // from the future
        {newUuidV4(), server->clock.nowMs(), school.taA.publicId,
         Correction{school.studentA2.publicId, school.openA.id, true, "forgot", std::nullopt}}, // TAs don't correct
        {newUuidV4(), server->clock.nowMs(), "zzzzzzzzzz", CheckIn{"zzzzzzzzzz", school.openA.id, CheckInSource::Nfc}},
    };
    const SyncResponse first = sync(0, batch);
    QCOMPARE(first.acks.size(), batch.size());
    const std::vector<std::pair<AckStatus, std::string>> expected{
        {AckStatus::Stored, ""},           {AckStatus::Rejected, "not_enrolled"},
        {AckStatus::Rejected, "forbidden"}, {AckStatus::Rejected, "window_closed"},
        {AckStatus::Rejected, "from_future"}, {AckStatus::Rejected, "forbidden"},
        {AckStatus::Rejected, "unknown_actor"}};
    for (std::size_t i = 0; i < batch.size(); ++i) {
        QCOMPARE(first.acks[i].id, batch[i].id);
        QVERIFY2(first.acks[i].status == expected[i].first, std::to_string(i).c_str());
        QVERIFY2(first.acks[i].reason == expected[i].second, (std::to_string(i) + ": " + first.acks[i].reason).c_str());
    }

    const auto second = post(0, batch);
    for (int i = 0; i < 2; ++i) {
        const auto again = post(0, batch);
        auto a = nlohmann::json::parse(second.body);
        auto b = nlohmann::json::parse(again.body);
        a.erase("server_time");
        b.erase("server_time");
        QVERIFY2(a == b, (a.dump() + " != " + b.dump()).c_str());
    }
    const SyncResponse replay = *decodeResponse(second.body);
    QCOMPARE_EQ(replay.acks[0].status, AckStatus::Duplicate);
    for (std::size_t i = 1; i < batch.size(); ++i)
        QCOMPARE(replay.acks[i], first.acks[i]);
    QCOMPARE(checkInsOf(school.studentA, school.openA.id), 1u);
    QCOMPARE(checkInsOf(school.studentA2, school.openA.id), 0u);
}

void SyncTest::anEventIdRepeatedInOneBatchIsStoredOnceWhateverItClaimsToBe()
{
    const Event stored = tap(school.studentA, school.openA.id);
    const Event rejected = tap(school.studentB, school.openA.id); // not in course A
    Event sameIdAsAFlag{stored.id, stored.at, school.taA.publicId,
                        FlagChange{school.studentA.publicId, school.openA.id, Flag::CameraOff, true, ""}};
    const SyncResponse r = sync(0, {stored, rejected, stored, rejected, sameIdAsAFlag});
    QCOMPARE(r.acks.size(), 5u);
    QCOMPARE_EQ(r.acks[0].status, AckStatus::Stored);
    QCOMPARE(r.acks[1].reason, "not_enrolled");
    QCOMPARE_EQ(r.acks[2].status, AckStatus::Duplicate);
    QCOMPARE(r.acks[3], r.acks[1]);
    QCOMPARE_EQ(r.acks[4].status, AckStatus::Duplicate); // a stored check-in's id is taken
    const auto later = sync(r.cursor, {sameIdAsAFlag});
    QCOMPARE(later.acks.size(), 1u);
    QCOMPARE_EQ(later.acks[0].status, AckStatus::Duplicate);
    const auto record = server::recordOf(*server->services, school.openA.id, school.studentA.id);
    QVERIFY(record);
    QVERIFY(record->flags.empty());
}

void SyncTest::windowsOpenedAtTheKioskAcceptCheckInsInTheSameBatch()
{
    const std::string window = newUuidV4();
    const auto now = server->clock.nowMs();
    const SyncResponse r = sync(0, {
        {newUuidV4(), now, school.taA.publicId, WindowOpen{window, school.courseA.id, "Ad hoc catch-up", std::nullopt}},
        tap(school.studentA, window, now + 1000),
        {newUuidV4(), now + 2000, school.studentA.publicId, WindowOpen{newUuidV4(), school.courseA.id, "x", std::nullopt}},
        {newUuidV4(), now + 3000, school.taA.publicId, WindowClose{window}},
        tap(school.studentA2, window, now + 3000 + 120'000),
    });
    QCOMPARE(r.acks.size(), 5u);
    QCOMPARE_EQ(r.acks[0].status, AckStatus::Stored);
    QCOMPARE_EQ(r.acks[1].status, AckStatus::Stored);
    QCOMPARE(r.acks[2].reason, "forbidden"); // students do not open windows
    QCOMPARE_EQ(r.acks[3].status, AckStatus::Stored);
    QCOMPARE(r.acks[4].reason, "window_closed");
    const auto stored = server->store->attendance().window(window);
    QVERIFY(stored && *stored);
    QCOMPARE((*stored)->openedAt, now);
    QCOMPARE((*stored)->closedAt, now + 3000);
    QCOMPARE(checkInsOf(school.studentA, window), 1u);
}

void SyncTest::remoteCheckInsReachTheKioskAndAMentorConfirmsThem()
{
    const SyncResponse start = sync(0);
    const std::string remote = newUuidV4();
    QVERIFY(server->store->attendance().addCheckIn({remote, school.studentA.id, school.openA.id, server->clock.nowMs(),
                                      CheckInSource::QrRemote, school.studentA.id, std::nullopt}));
    const SyncResponse seen = sync(start.cursor);
    QCOMPARE(seen.changes.checkIns.size(), 1u);
    QCOMPARE(seen.changes.checkIns[0].id, remote);
    QVERIFY(!seen.changes.checkIns[0].confirmed);

    const SyncResponse confirmed = sync(seen.cursor, {{newUuidV4(), server->clock.nowMs(), school.taA.publicId,
                                                       RemoteConfirm{school.studentA.publicId, school.openA.id, remote}}});
    QCOMPARE_EQ(confirmed.acks[0].status, AckStatus::Stored);
    QCOMPARE(confirmed.changes.checkIns.size(), 1u);
    QVERIFY(confirmed.changes.checkIns[0].confirmed);
    // The kiosk's own taps are not sent back to it.
    const SyncResponse own = sync(confirmed.cursor, {tap(school.studentA2, school.openA.id)});
    QVERIFY(own.changes.checkIns.empty());
}

void SyncTest::largePullsComeInBoundedBatches()
{
    constexpr int k_people = 1500;
    QVERIFY(server->store->inTransaction([&]() -> Result<void> {
        for (int i = 0; i < k_people; ++i) {
            auto p = server->store->people().createPerson({"Trainee " + std::to_string(i), std::nullopt, std::nullopt,
                                                 std::nullopt, std::nullopt, std::nullopt, false});
            if (!p)
                return std::unexpected(p.error());
            if (auto r = server->store->courses().setEnrollment(p->id, school.courseA.id, Role::Student, 0); !r)
                return r;
        }
        return {};
    }));
    std::set<std::string> people;
    std::int64_t cursor = 0;
    int replies = 0;
    for (bool more = true; more; ++replies) {
        const SyncResponse r = sync(cursor);
        QCOMPARE_LE(r.changes.people.size() + r.changes.enrollments.size(), limits::k_maxSyncChanges);
        for (const auto& p : r.changes.people)
            people.insert(p.publicId);
        QCOMPARE_GT(r.cursor, cursor);
        cursor = r.cursor;
        more = r.more;
        QCOMPARE_LT(replies, 20);
    }
    QCOMPARE_GE(replies, 2);
    QCOMPARE(people.size(), static_cast<std::size_t>(k_people) + 4);
}

void SyncTest::badRequestsAreRefusedWhole()
{
    QCOMPARE(client->json("POST", "/api/v1/kiosk/sync", "{", bearer(school.kioskToken)).status, 400);
    QCOMPARE(client->json("POST", "/api/v1/kiosk/sync", R"({"protocol":2,"kiosk_time":1,"cursor":0,"events":[]})",
                          bearer(school.kioskToken))
                 .status,
             400);
    QCOMPARE(client->json("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":"x","cursor":0,"events":[]})",
                          bearer(school.kioskToken))
                 .status,
             422);
    QCOMPARE(client->request("POST", "/api/v1/kiosk/sync", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]})",
                             {"Content-Type: text/plain", "Authorization: Bearer " + school.kioskToken})
                 .status,
             415);
    // One bad event is rejected on its own; the rest of the batch stands.
    const std::string body = R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[{"id":"not-a-uuid"},)"
        + encodeEvent(tap(school.studentA, school.openA.id)) + "]}";
    auto r = client->json("POST", "/api/v1/kiosk/sync", body, bearer(school.kioskToken));
    QCOMPARE(r.status, 200);
    const auto decoded = decodeResponse(r.body);
    QCOMPARE(decoded->acks.size(), 2u);
    QCOMPARE_EQ(decoded->acks[0].status, AckStatus::Rejected);
    QVERIFY(decoded->acks[0].reason.starts_with("invalid_event"));
    QCOMPARE_EQ(decoded->acks[1].status, AckStatus::Stored);
}

QTEST_GUILESS_MAIN(SyncTest)
#include "synctest.moc"
