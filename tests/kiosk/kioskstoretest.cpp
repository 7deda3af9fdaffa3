// KioskStore on real files: migrations, sync replies applied atomically, and
// an outbox that forgets an event only once the server has acknowledged it.
#include "testsupport.h"

#include "kiosk/storeschema.h"

#include "core/random.h"

#include <QTest>

using namespace imhere;
using namespace imhere::kiosk;
using namespace imhere::kiosk::test;

namespace {
sync::Event checkInEvent(const char* person, std::int64_t at)
{
    return sync::Event{newUuidV4(), at, person, sync::CheckIn{person, k_window, sync::CheckInSource::Nfc}};
}
} // namespace

class KioskStoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identityAndCursorArriveWithTheFirstReply()
    {
        TempStore temp;
        auto store = temp.open();
        QVERIFY(!store.identity().value().has_value());
        QCOMPARE(store.cursor().value(), 0);
        QVERIFY(store.applySync(schoolReply(k_t0, 42), -1234, k_t0).has_value());
        auto identity = store.identity().value();
        QVERIFY(identity.has_value());
        QCOMPARE(identity->kioskId, 7u);
        QCOMPARE(identity->secret, kioskSecret());
        QCOMPARE(identity->badgeKey, badgeKey());
        QCOMPARE(store.cursor().value(), 42);
        QCOMPARE(store.clockOffsetMs().value(), -1234);
        // Survives reopening.
        auto again = temp.open();
        QCOMPARE(again.cursor().value(), 42);
    }

    void credentialsAreKeptAcrossRestarts()
    {
        TempStore temp;
        {
            auto store = temp.open();
            QVERIFY(!store.credentials().value().has_value());
            QVERIFY(store.saveCredentials({"https://imhere.example", "tok-123", "/etc/ca.pem"}).has_value());
        }
        auto creds = temp.open().credentials().value();
        QVERIFY(creds.has_value());
        QCOMPARE(creds->serverUrl, std::string("https://imhere.example"));
        QCOMPARE(creds->token, std::string("tok-123"));
        QCOMPARE(creds->caFile, std::string("/etc/ca.pem"));
    }

    void acksRemoveOnlyTheirOwnRowsAndRejectionsAreKeptAside()
    {
        TempStore temp;
        auto store = temp.open();
        QVERIFY(store.applySync(schoolReply(k_t0), 0, k_t0).has_value());
        std::vector<sync::Event> events;
        for (int i = 0; i < 4; ++i) {
            events.push_back(checkInEvent(k_ada, k_t0 + i));
            QVERIFY(store.recordEvent(events.back()).has_value());
        }
        QCOMPARE(store.outboxLength().value(), 4);
        sync::SyncResponse reply;
        reply.serverTimeMs = k_t0;
        reply.cursor = 2;
        reply.acks = {{events[0].id, sync::AckStatus::Stored, ""},
                      {events[1].id, sync::AckStatus::Duplicate, ""},
                      {events[2].id, sync::AckStatus::Rejected, "unknown_window"}};
        QVERIFY(store.applySync(reply, 0, k_t0).has_value());
        auto left = store.outboxBatch(10).value();
        QCOMPARE(left.size(), 1u);
        QCOMPARE(left.front().id, events[3].id);
        auto rejected = store.rejectedEvents(10).value();
        QCOMPARE(rejected.size(), 1u);
        QCOMPARE(rejected.front().id, events[2].id);
        QCOMPARE(rejected.front().reason, std::string("unknown_window"));
        QCOMPARE(rejected.front().type, std::string("check_in"));
    }

    void outboxKeepsTheOrderEventsHappenedIn()
    {
        TempStore temp;
        auto store = temp.open();
        std::vector<std::string> ids;
        for (int i = 0; i < 7; ++i) {
            auto e = checkInEvent(i % 2 ? k_ada : k_grace, k_t0 + 10 - i);
            ids.push_back(e.id);
            QVERIFY(store.recordEvent(e).has_value());
        }
        auto batch = store.outboxBatch(5).value();
        QCOMPARE(batch.size(), 5u);
        for (std::size_t i = 0; i < batch.size(); ++i)
            QCOMPARE(batch[i].id, ids[i]);
    }

    void aFailedEventLeavesNoHalfWrite()
    {
        TempStore temp;
        auto store = temp.open();
        auto e = checkInEvent(k_ada, k_t0);
        QVERIFY(store.recordEvent(e).has_value());
        // Same id again: the check-in row conflicts, so neither row may be added.
        QVERIFY(!store.recordEvent(e).has_value());
        QCOMPARE(store.outboxLength().value(), 1);
    }

    void pulledRemoteCheckInsWaitForConfirmation()
    {
        TempStore temp;
        auto store = temp.open();
        auto reply = schoolReply(k_t0);
        const std::string remoteId = newUuidV4();
        reply.changes.checkIns = {{remoteId, k_ada, k_window, k_t0 + 5, sync::CheckInSource::QrRemote, false}};
        QVERIFY(store.applySync(reply, 0, k_t0).has_value());
        QCOMPARE(store.unconfirmedRemote(k_window).value().size(), 1u);
        QCOMPARE(store.presentCount(k_window).value(), 1);
        sync::Event confirm{newUuidV4(), k_t0 + 9, k_grace, sync::RemoteConfirm{k_ada, k_window, remoteId}};
        QVERIFY(store.recordEvent(confirm).has_value());
        QCOMPARE(store.unconfirmedRemote(k_window).value().size(), 0u);
    }

    void aWindowReopenedOnTheServerOpensOnTheKioskUnlessItsOwnCloseIsPending()
    {
        TempStore temp;
        auto store = temp.open();
        auto reply = schoolReply(k_t0);
        reply.changes.windows.front().closedAt = k_t0 + 60;
        QVERIFY(store.applySync(reply, 0, k_t0 + 61).has_value());
        QCOMPARE(store.openWindows(k_t0 + 62).value().size(), 0u);
        // Reopened on the server: the next pull says closed_at null.
        reply.changes.windows.front().closedAt = std::nullopt;
        QVERIFY(store.applySync(reply, 0, k_t0 + 70).has_value());
        QCOMPARE(store.openWindows(k_t0 + 71).value().size(), 1u);
        // Closed here and not yet sent: a pull that still says open does not undo it.
        sync::Event close{newUuidV4(), k_t0 + 80, k_grace, sync::WindowClose{k_window}};
        QVERIFY(store.recordEvent(close).has_value());
        QCOMPARE(store.openWindows(k_t0 + 81).value().size(), 0u);
        QVERIFY(store.applySync(reply, 0, k_t0 + 90).has_value());
        QCOMPARE(store.openWindows(k_t0 + 91).value().size(), 0u);
    }

    void rosterShowsStatusesCorrectionsAndFlags()
    {
        TempStore temp;
        auto store = temp.open();
        QVERIFY(store.applySync(schoolReply(k_t0), 0, k_t0).has_value());
        QVERIFY(store.recordEvent(checkInEvent(k_ada, k_t0 + 60'000)).has_value());
        sync::Event absent{newUuidV4(), k_t0 + 1, k_grace,
                           sync::Correction{k_grace, k_window, false, "sick", std::nullopt}};
        QVERIFY(store.recordEvent(absent).has_value());
        sync::Event flag{newUuidV4(), k_t0 + 2, k_grace,
                         sync::FlagChange{k_ada, k_window, sync::Flag::CameraOff, true, ""}};
        QVERIFY(store.recordEvent(flag).has_value());
        auto roster = store.roster(k_window).value();
        QCOMPARE(roster.size(), 2u);
        QCOMPARE(roster[0].person, std::string(k_ada)); // students first
        QCOMPARE(roster[0].checkedInAt.value(), k_t0 + 60'000);
        QCOMPARE(roster[0].flags, std::vector<std::string>{"CAMERA_OFF"});
        QCOMPARE(roster[1].corrected.value(), false);
        QCOMPARE(roster[1].lastEventId, absent.id);
        QCOMPARE(store.presentCount(k_window).value(), 1);
    }

    // The idle screen's count: people, not check-ins, after corrections.
    void presentCountFollowsCorrections()
    {
        TempStore temp;
        auto store = temp.open();
        auto reply = schoolReply(k_t0);
        addTrainees(reply, 3); // trainee aaa, aab, aac
        QVERIFY(store.applySync(reply, 0, k_t0).has_value());
        auto correct = [&store](const char* who, bool present) {
            sync::Event e{newUuidV4(), k_t0 + 5, k_grace, sync::Correction{who, k_window, present, "r", std::nullopt}};
            QVERIFY(store.recordEvent(e).has_value());
        };
        QCOMPARE(store.presentCount(k_window).value(), 0);
        QVERIFY(store.recordEvent(checkInEvent(k_ada, k_t0 + 1)).has_value());
        QVERIFY(store.recordEvent(checkInEvent(k_ada, k_t0 + 2)).has_value()); // twice, one person
        QVERIFY(store.recordEvent(checkInEvent("traineeaab", k_t0 + 3)).has_value());
        QCOMPARE(store.presentCount(k_window).value(), 2);
        correct("traineeaab", false); // checked in, then marked absent
        QCOMPARE(store.presentCount(k_window).value(), 1);
        correct("traineeaac", true); // never tapped, marked present
        QCOMPARE(store.presentCount(k_window).value(), 2);
        correct(k_ada, true); // tapped and marked present: still one
        correct(k_grace, false); // never tapped, marked absent: nothing to take away
        QCOMPARE(store.presentCount(k_window).value(), 2);
    }

    void aVersionOneStoreIsUpgradedWithItsData()
    {
        TempStore temp;
        {
            OpenOptions v1;
            v1.migrations = kioskMigrations().first(1);
            auto db = Database::open(temp.path, v1);
            QVERIFY(db.has_value());
            QVERIFY(db->exec("INSERT INTO meta (key, value) VALUES ('token', 'kt_old'), ('server_url', 'https://old.example')").has_value());
            QCOMPARE(db->userVersion().value(), 1);
        }
        auto store = temp.open();
        QCOMPARE(store.database().userVersion().value(), static_cast<int>(kioskMigrations().size()));
        QCOMPARE(store.credentials().value()->token, std::string("kt_old"));
    }
};

QTEST_GUILESS_MAIN(KioskStoreTest)
#include "kioskstoretest.moc"
