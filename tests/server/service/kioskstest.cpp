// service/kiosks: only an org admin provisions, lists and revokes kiosks;
// a new kiosk needs a name and live courses; its token is shown once; its
// syncs are noted to within a minute.

#include "servicefixture.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/kiosks.h"
#include "sync-server/serverlimits.h"

#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

class KiosksTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void anOrgAdminProvisionsAKioskWithAToken();
    void onlyAnOrgAdminManagesKiosks();
    void aKioskNeedsANameAndLiveCourses();
    void theCommandLineRegistersWithoutAPerson();
    void revokingIsOnceAndStopsTheKiosk();
    void syncsAreNotedToWithinAMinute();
    void aKiosksClockSkewIsNotedWhenItMovesByASecond();
    void theStartCommandCarriesServerAndToken();
};

void KiosksTest::anOrgAdminProvisionsAKioskWithAToken()
{
    const auto made = provisionKiosk(services(), fx->as(fx->admin), "Room 2",
                                     {fx->courseB.id, fx->courseA.id, fx->courseB.id});
    QVERIFY2(made, made ? "" : made.error().message.c_str());
    QVERIFY(made->token.starts_with("kt_"));
    QCOMPARE(made->kiosk.name, "Room 2");
    QCOMPARE(made->kiosk.secret.size(), std::size_t(32));
    QVERIFY(!made->kiosk.revoked);
    // Each course once.
    std::vector<std::string> expected{fx->courseA.id, fx->courseB.id};
    std::ranges::sort(expected);
    QCOMPARE(made->kiosk.courses, expected);

    const auto stored = fx->kioskById(made->kiosk.id);
    QVERIFY(stored);
    QCOMPARE(stored->name, "Room 2");
    // Only the token's hash is kept.
    QVERIFY(!stored->tokenHash.empty());
    QVERIFY(std::string(stored->tokenHash.begin(), stored->tokenHash.end()) != made->token);

    const auto another = provisionKiosk(services(), fx->as(fx->admin), "Room 3", {fx->courseA.id});
    QVERIFY(another);
    QVERIFY(another->token != made->token);
    QVERIFY(another->kiosk.secret != made->kiosk.secret);
}

void KiosksTest::onlyAnOrgAdminManagesKiosks()
{
    for (const Person* who : {&fx->teacher, &fx->ta, &fx->studentA}) {
        const auto provisioned = provisionKiosk(services(), fx->as(*who), "Mine", {fx->courseA.id});
        QVERIFY2(!provisioned, who->displayName.c_str());
        QCOMPARE(provisioned.error().code, Errc::Forbidden);
        const auto listed = kiosksFor(services(), fx->as(*who));
        QVERIFY(!listed);
        QCOMPARE(listed.error().code, Errc::Forbidden);
        const auto revoked = revokeKiosk(services(), fx->as(*who), fx->kiosk.id);
        QVERIFY(!revoked);
        QCOMPARE(revoked.error().code, Errc::Forbidden);
    }
    QVERIFY(!fx->kioskById(fx->kiosk.id)->revoked);

    const auto listed = kiosksFor(services(), fx->as(fx->admin));
    QVERIFY(listed);
    QCOMPARE(listed->size(), std::size_t(1));
    QCOMPARE(listed->front().id, fx->kiosk.id);
    QCOMPARE(listed->front().courses, std::vector<std::string>{fx->courseA.id});
}

void KiosksTest::aKioskNeedsANameAndLiveCourses()
{
    const auto refused = [&](std::string name, std::vector<std::string> courses, const char* field) {
        const auto r = provisionKiosk(services(), fx->as(fx->admin), std::move(name), std::move(courses));
        QVERIFY2(!r, field);
        QCOMPARE(r.error().code, Errc::InvalidRequest);
        QVERIFY2(r.error().message.starts_with(std::string(field) + ":"), r.error().message.c_str());
    };
    refused("", {fx->courseA.id}, "name");
    refused(std::string(201, 'k'), {fx->courseA.id}, "name");
    refused("Room 4", {}, "courses");
    refused("Room 4", {"not-a-course"}, "courses");
    refused("Room 4", {fx->courseA.id, newUuidV4()}, "courses");

    const Course gone = fx->addCourse("Last term", fx->teacher);
    QVERIFY(provisionKiosk(services(), fx->as(fx->admin), "Room 5", {gone.id}));
    QVERIFY(removeCourse(services(), fx->as(fx->teacher), gone.id));
    refused("Room 4", {gone.id}, "courses");

    QCOMPARE(kiosksFor(services(), fx->as(fx->admin))->size(), std::size_t(2)); // the school's and Room 5
}

void KiosksTest::theCommandLineRegistersWithoutAPerson()
{
    const auto made = registerKiosk(*fx->store, "Lab", {fx->courseA.id}, std::nullopt);
    QVERIFY2(made, made ? "" : made.error().message.c_str());
    QVERIFY(made->token.starts_with("kt_"));
    const auto refused = registerKiosk(*fx->store, "", {fx->courseA.id}, std::nullopt);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Errc::InvalidRequest);
}

void KiosksTest::revokingIsOnceAndStopsTheKiosk()
{
    const auto revoked = revokeKiosk(services(), fx->as(fx->admin), fx->kiosk.id);
    QVERIFY2(revoked, revoked ? "" : revoked.error().message.c_str());
    QVERIFY(*revoked);
    QVERIFY(fx->kioskById(fx->kiosk.id)->revoked);
    const auto listed = kiosksFor(services(), fx->as(fx->admin));
    QVERIFY(listed);
    QVERIFY(listed->front().revoked);
    QCOMPARE(listed->front().revokedAt, std::optional<std::int64_t>(fx->clock.nowMs()));

    const auto again = revokeKiosk(services(), fx->as(fx->admin), fx->kiosk.id);
    QVERIFY(again);
    QVERIFY(!*again);
    const auto unknown = revokeKiosk(services(), fx->as(fx->admin), fx->kiosk.id + 100);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, Errc::NotFound);
}

void KiosksTest::syncsAreNotedToWithinAMinute()
{
    QCOMPARE(fx->lastSyncOf(fx->kiosk.id), std::optional<std::int64_t>());
    const auto first = fx->clock.nowMs();
    QVERIFY(noteKioskSync(services(), fx->kiosk, fx->clock.nowMs()));
    QCOMPARE(fx->lastSyncOf(fx->kiosk.id), std::optional<std::int64_t>(first));

    fx->clock.advance(server::limits::k_kioskSyncResolutionMs - 1);
    QVERIFY(noteKioskSync(services(), fx->kiosk, fx->clock.nowMs()));
    QCOMPARE(fx->lastSyncOf(fx->kiosk.id), std::optional<std::int64_t>(first));

    fx->clock.advance(2);
    QVERIFY(noteKioskSync(services(), fx->kiosk, fx->clock.nowMs()));
    QCOMPARE(fx->lastSyncOf(fx->kiosk.id), std::optional<std::int64_t>(fx->clock.nowMs()));
}

void KiosksTest::aKiosksClockSkewIsNotedWhenItMovesByASecond()
{
    using std::optional;
    constexpr std::int64_t fiveMinutes = 5 * 60'000;
    QCOMPARE(fx->kioskInfo(fx->kiosk.id).clockSkewMs, optional<std::int64_t>());
    const auto first = fx->clock.nowMs();
    QVERIFY(noteKioskSync(services(), fx->kiosk, first + fiveMinutes));
    QCOMPARE(fx->kioskInfo(fx->kiosk.id).clockSkewMs, optional<std::int64_t>(fiveMinutes));

    // Within the minute, a second's jitter (the request's way over the
    // network) writes nothing; a clock set right is noted at once.
    fx->clock.advance(1'000);
    QVERIFY(noteKioskSync(services(), fx->kiosk, fx->clock.nowMs() + fiveMinutes + 900));
    QCOMPARE(fx->kioskInfo(fx->kiosk.id).clockSkewMs, optional<std::int64_t>(fiveMinutes));
    QCOMPARE(fx->lastSyncOf(fx->kiosk.id), optional<std::int64_t>(first));
    fx->clock.advance(1'000);
    QVERIFY(noteKioskSync(services(), fx->kiosk, fx->clock.nowMs() - fiveMinutes));
    QCOMPARE(fx->kioskInfo(fx->kiosk.id).clockSkewMs, optional<std::int64_t>(-fiveMinutes));
    QCOMPARE(fx->lastSyncOf(fx->kiosk.id), optional<std::int64_t>(fx->clock.nowMs()));
}

void KiosksTest::theStartCommandCarriesServerAndToken()
{
    const std::string command = kioskStartCommand("https://register.example.org", "kt_secret");
    QVERIFY2(command.starts_with("imhere-kiosk "), command.c_str());
    QVERIFY(command.find("--server https://register.example.org") != std::string::npos);
    QVERIFY(command.find("--token kt_secret") != std::string::npos);
    QVERIFY(command.find("--data ") != std::string::npos);
}

QTEST_GUILESS_MAIN(KiosksTest)
#include "kioskstest.moc"
