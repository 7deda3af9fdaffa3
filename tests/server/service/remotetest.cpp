// service/remote: checking in from a phone. The code scanned from a kiosk's
// screen (genuine, current, for an open window the kiosk serves), the scan
// ticket that carries the scan time to the "Check in" tap, one-time phone
// link codes, the qr_remote check-in itself, the per-address request limit,
// and personal QR badges.

#include "servicefixture.h"

#include "sync-server/service/kiosks.h"
#include "sync-server/service/kiosksync.h"
#include "sync-server/service/remote.h"
#include "sync-server/service/serverkeys.h"
#include "sync-server/serverlimits.h"

#include "core/badgetoken.h"
#include "core/crypto.h"
#include "core/random.h"
#include "core/rotatingcode.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {
constexpr std::string_view k_ip = "203.0.113.5";
} // namespace

class RemoteTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }

    // The code a kiosk's screen shows for `window` at `at`.
    std::string codeFor(const Window& window, std::int64_t at, std::optional<Bytes> key = std::nullopt,
                        std::optional<std::uint32_t> kioskId = std::nullopt)
    {
        WindowId id{};
        const auto bytes = uuidBytes(window.id).value();
        std::copy(bytes.begin(), bytes.end(), id.begin());
        return RotatingCode::generateAt(key.value_or(fx->kiosk.secret), id, kioskId.value_or(fx->kiosk.id), at);
    }

    // "accepted", or the error code's name.
    std::string scan(const std::string& code, std::optional<std::int64_t> scannedAt = std::nullopt)
    {
        const auto r = readScannedCode(services(), code, scannedAt);
        return r ? "accepted" : std::string(errorCodeName(r.error().code));
    }

    // A cookie token as the scan page gives it to a phone.
    std::string phoneToken() { return newDeviceToken(services()).value(); }

    // A phone linked to `person`, with the cookie token it keeps.
    std::pair<RemoteDevice, std::string> phoneOf(const Person& person)
    {
        const auto code = issueLinkCode(services(), fx->as(person), std::nullopt, std::nullopt);
        if (!code)
            return {};
        std::string token = phoneToken();
        const auto device = linkPhone(services(), code->code, token, k_ip);
        if (!device)
            return {};
        return {*device, std::move(token)};
    }

    // The badge changes the kiosk pulls for `uidHash`, in order.
    std::vector<sync::BadgeChange> badgeChanges(const std::string& uidHash)
    {
        sync::SyncRequest request;
        request.kioskTimeMs = fx->clock.nowMs();
        const auto r = syncKiosk(services(), fx->kiosk, request);
        std::vector<sync::BadgeChange> out;
        if (r)
            std::ranges::copy_if(r->changes.badges, std::back_inserter(out),
                                 [&](const sync::BadgeChange& b) { return b.uidHash == uidHash; });
        return out;
    }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void aCurrentCodeNamesKioskWindowAndCourse();
    void anOldCodeHasExpiredUnlessTheScanVouchesForIt();
    void forgedAndMalformedCodesAreRefused();
    void aCodeFromARevokedOrUnknownKioskIsRefused();
    void aCodeCountsOnlyForTheKiosksCourses();
    void aCodeForAWindowThatIsNotOpenIsRefused();
    void aScanTicketIsBoundToCodePhoneAndTime();
    void anyoneGetsALinkCodeForThemself();
    void teachersAndTasGetLinkCodesForTheirParticipants();
    void aLinkCodeLinksOnePhoneOnce();
    void aLinkCodeExpiresAfterAWeek();
    void aTokenTheServerDidNotIssueLinksNothing();
    void aCodeFromACoursesTeamLinksThePhoneForThatCourseOnly();
    void aLinkExpiresAfterTheConfiguredTime();
    void peopleSeeAndUnlinkOnlyTheirOwnPhones();
    void theKeysOfSeparateJobsAreSeparateAndNoneIsTheBadgeKey();
    void wrongLinkCodesAreRateLimitedPerAddress();
    void aLinkedPhoneChecksItsPersonInOnce();
    void aPhoneOfSomeoneOutsideTheCourseChecksNobodyIn();
    void remoteRequestsAreLimitedPerAddress();
    void aNewQrBadgeReplacesTheOldOne();
};

void RemoteTest::aCurrentCodeNamesKioskWindowAndCourse()
{
    const auto scanned = readScannedCode(services(), codeFor(fx->openA, fx->clock.nowMs()));
    QVERIFY2(scanned, scanned ? "" : scanned.error().message.c_str());
    QCOMPARE(scanned->kiosk.id, fx->kiosk.id);
    QCOMPARE(scanned->window.id, fx->openA.id);
    QCOMPARE(scanned->course.id, fx->courseA.id);
    // The code shown a few seconds ago (the previous step) still counts.
    QVERIFY(readScannedCode(services(), codeFor(fx->openA, fx->clock.nowMs() - 5'000)));
}

void RemoteTest::anOldCodeHasExpiredUnlessTheScanVouchesForIt()
{
    const auto now = fx->clock.nowMs();
    // More than two steps plus grace old: always expired.
    const std::string old = codeFor(fx->openA, now - 25'000);
    QCOMPARE(scan(old), "code_expired");
    QCOMPARE(scan(codeFor(fx->openA, now + 30'000)), "code_expired"); // from the future
    // Scanned back then (a scan ticket says so), tapped now.
    QCOMPARE(scan(old, now - 25'000), "accepted");
}

void RemoteTest::forgedAndMalformedCodesAreRefused()
{
    const auto now = fx->clock.nowMs();
    QCOMPARE(scan(codeFor(fx->openA, now, randomBytes(32))), "invalid_code");
    std::string altered = codeFor(fx->openA, now);
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    QCOMPARE(scan(altered), "invalid_code");
    QCOMPARE(scan("hello"), "invalid_code");
    QCOMPARE(scan(""), "invalid_code");
}

void RemoteTest::aCodeFromARevokedOrUnknownKioskIsRefused()
{
    const auto now = fx->clock.nowMs();
    QCOMPARE(scan(codeFor(fx->openA, now, std::nullopt, fx->kiosk.id + 100)), "invalid_code");
    QVERIFY(revokeKiosk(services(), fx->as(fx->admin), fx->kiosk.id));
    QCOMPARE(scan(codeFor(fx->openA, now)), "invalid_code");
}

void RemoteTest::aCodeCountsOnlyForTheKiosksCourses()
{
    // Genuinely signed by the kiosk, for a window of a course it does not serve.
    QCOMPARE(scan(codeFor(fx->openB, fx->clock.nowMs())), "invalid_code");
    Window unknown = fx->openA;
    unknown.id = newUuidV4();
    QCOMPARE(scan(codeFor(unknown, fx->clock.nowMs())), "invalid_code");
}

void RemoteTest::aCodeForAWindowThatIsNotOpenIsRefused()
{
    QCOMPARE(scan(codeFor(fx->closedA, fx->clock.nowMs())), "window_closed");
    QCOMPARE(scan(codeFor(fx->scheduledA, fx->clock.nowMs())), "window_closed");
}

void RemoteTest::aScanTicketIsBoundToCodePhoneAndTime()
{
    const auto scannedAt = fx->clock.nowMs();
    const std::string code = codeFor(fx->openA, scannedAt);
    const std::string phone = phoneToken();
    const std::string ticket = scanTicket(code, phone, scannedAt);

    const auto read = readScanTicket(ticket, code, phone, scannedAt + 90'000);
    QVERIFY(read);
    QCOMPARE(*read, scannedAt);
    QVERIFY(readScanTicket(ticket, code, phone, scannedAt + server::limits::k_scanTicketLifetimeMs));

    const auto expiredWith = [&](std::string_view t, std::string_view c, std::string_view d, std::int64_t now) {
        const auto r = readScanTicket(t, c, d, now);
        return !r && r.error().code == Errc::CodeExpired;
    };
    QVERIFY(expiredWith(ticket, code, phone, scannedAt + server::limits::k_scanTicketLifetimeMs + 1));
    QVERIFY(expiredWith(ticket, code, phoneToken(), scannedAt + 1000));               // another phone
    QVERIFY(expiredWith(ticket, codeFor(fx->openA, scannedAt + 10'000), phone, scannedAt)); // another code
    QVERIFY(expiredWith(ticket, code, phone, scannedAt - 1));                              // from the future
    QVERIFY(expiredWith("garbage", code, phone, scannedAt));
    std::string altered = ticket;
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    QVERIFY(expiredWith(altered, code, phone, scannedAt));
}

void RemoteTest::anyoneGetsALinkCodeForThemself()
{
    for (const Person* who : {&fx->studentA, &fx->outsider, &fx->teacher}) {
        const auto code = issueLinkCode(services(), fx->as(*who), std::nullopt, std::nullopt);
        QVERIFY2(code, who->displayName.c_str());
        QCOMPARE(code->person.id, who->id);
        QCOMPARE(code->code.size(), std::size_t(11));
        QCOMPARE(code->code[5], '-');
        QCOMPARE(code->expiresAt, fx->clock.nowMs() + server::limits::k_linkCodeLifetimeMs);
        // No look-alike characters.
        QVERIFY(std::ranges::none_of(code->code, [](char c) { return std::string_view("01OILU").contains(c); }));
    }
    // Naming oneself is the same.
    const auto self = issueLinkCode(services(), fx->as(fx->studentA), fx->studentA.publicId, std::nullopt);
    QVERIFY(self);
    QCOMPARE(self->person.id, fx->studentA.id);
}

void RemoteTest::teachersAndTasGetLinkCodesForTheirParticipants()
{
    const auto byTeacher = issueLinkCode(services(), fx->as(fx->teacher), fx->studentA.publicId, fx->courseA.id);
    QVERIFY(byTeacher);
    QCOMPARE(byTeacher->person.id, fx->studentA.id);
    const auto byTa = issueLinkCode(services(), fx->as(fx->ta), fx->studentA2.publicId, fx->courseA.id);
    QVERIFY(byTa);
    QCOMPARE(byTa->person.id, fx->studentA2.id);

    const auto byStudent = issueLinkCode(services(), fx->as(fx->studentA), fx->studentA2.publicId, fx->courseA.id);
    QVERIFY(!byStudent);
    QCOMPARE(byStudent.error().code, Errc::Forbidden);
    const auto otherTeacher = issueLinkCode(services(), fx->as(fx->teacherB), fx->studentA.publicId, fx->courseA.id);
    QVERIFY(!otherTeacher);
    QCOMPARE(otherTeacher.error().code, Errc::Forbidden);
    const auto noCourse = issueLinkCode(services(), fx->as(fx->teacher), fx->studentA.publicId, std::nullopt);
    QVERIFY(!noCourse);
    QCOMPARE(noCourse.error().code, Errc::InvalidRequest);
    const auto notParticipant = issueLinkCode(services(), fx->as(fx->teacher), fx->studentB.publicId, fx->courseA.id);
    QVERIFY(!notParticipant);
    QCOMPARE(notParticipant.error().code, Errc::NotFound);
}

void RemoteTest::aLinkCodeLinksOnePhoneOnce()
{
    const auto code = issueLinkCode(services(), fx->as(fx->teacher), fx->studentA.publicId, fx->courseA.id);
    QVERIFY(code);
    const std::string phone = phoneToken();
    QVERIFY(!*linkedDevice(services(), phone));

    // Typed as people type: lower case, spaces, no dash.
    std::string typed;
    for (const char c : code->code)
        typed += c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto linked = linkPhone(services(), typed, phone, k_ip);
    QVERIFY2(linked, linked ? "" : linked.error().message.c_str());
    QCOMPARE(linked->person, fx->studentA.id);
    const auto known = linkedDevice(services(), phone);
    QVERIFY(known && *known);
    QCOMPARE((*known)->person, fx->studentA.id);

    const auto again = linkPhone(services(), code->code, phoneToken(), k_ip);
    QVERIFY(!again);
    QCOMPARE(again.error().code, Errc::InvalidRequest);

    QVERIFY(!*linkedDevice(services(), phoneToken()));
    QVERIFY(!*linkedDevice(services(), ""));
}

void RemoteTest::aLinkCodeExpiresAfterAWeek()
{
    const auto code = issueLinkCode(services(), fx->as(fx->studentA), std::nullopt, std::nullopt);
    QVERIFY(code);
    fx->clock.advance(server::limits::k_linkCodeLifetimeMs + 1);
    const auto late = linkPhone(services(), code->code, phoneToken(), k_ip);
    QVERIFY(!late);
    QCOMPARE(late.error().code, Errc::InvalidRequest);
}

void RemoteTest::aTokenTheServerDidNotIssueLinksNothing()
{
    const auto code = issueLinkCode(services(), fx->as(fx->studentA), std::nullopt, std::nullopt);
    QVERIFY(code);
    const std::string issued = phoneToken();
    QVERIFY(*isIssuedDeviceToken(services(), issued));
    // Chosen by someone else (to ride on the link later), or an issued one altered.
    std::string altered = issued;
    altered[0] = altered[0] == 'A' ? 'B' : 'A';
    for (const std::string& planted : {std::string("attacker-chosen-value"), randomToken(32), altered,
                                      issued.substr(0, issued.find('.')) + ".AAAAAAAAAAAAAAAAAAAAAA"}) {
        QVERIFY2(!*isIssuedDeviceToken(services(), planted), planted.c_str());
        const auto refused = linkPhone(services(), code->code, planted, k_ip);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Errc::InvalidRequest);
        QVERIFY(!*linkedDevice(services(), planted));
    }
    // The code is not spent by those tries.
    QVERIFY(linkPhone(services(), code->code, issued, k_ip));
}

void RemoteTest::aCodeFromACoursesTeamLinksThePhoneForThatCourseOnly()
{
    fx->enrol(fx->studentA, fx->courseB, sync::Role::Student);
    const ScannedCode inA{fx->kiosk, fx->openA, *fx->course(fx->courseA.id)};
    const ScannedCode inB{fx->kiosk, fx->openB, *fx->course(fx->courseB.id)};

    // Course A's teacher gives Sam a code: the phone checks in for A, not B.
    const auto fromTeacher = issueLinkCode(services(), fx->as(fx->teacher), fx->studentA.publicId, fx->courseA.id);
    QVERIFY(fromTeacher);
    const std::string token = phoneToken();
    const auto scoped = linkPhone(services(), fromTeacher->code, token, k_ip);
    QVERIFY(scoped);
    QCOMPARE(scoped->course.value_or("-"), fx->courseA.id);
    const auto inOtherCourse = remoteCheckIn(services(), inB, *scoped, fx->clock.nowMs(), k_ip);
    QVERIFY(!inOtherCourse);
    QCOMPARE(inOtherCourse.error().code, Errc::Forbidden);
    QVERIFY(!fx->hasCheckIn(fx->studentA, fx->openB));
    QVERIFY(remoteCheckIn(services(), inA, *scoped, fx->clock.nowMs(), k_ip));

    // Sam's own code links a phone for every course Sam takes part in.
    const auto own = issueLinkCode(services(), fx->as(fx->studentA), std::nullopt, std::nullopt);
    QVERIFY(own);
    const auto everywhere = linkPhone(services(), own->code, phoneToken(), k_ip);
    QVERIFY(everywhere);
    QVERIFY(!everywhere->course);
    QVERIFY(remoteCheckIn(services(), inB, *everywhere, fx->clock.nowMs(), k_ip));
    QVERIFY(fx->hasCheckIn(fx->studentA, fx->openB));
}

void RemoteTest::aLinkExpiresAfterTheConfiguredTime()
{
    services().phoneLinkLifetimeMs = 30LL * 24 * 3600 * 1000; // phone-link-days = 30
    const auto [device, token] = phoneOf(fx->studentA);
    QVERIFY(device.id != 0);
    fx->clock.advance(services().phoneLinkLifetimeMs - 1);
    QVERIFY(*linkedDevice(services(), token));
    fx->clock.advance(1);
    QVERIFY(!*linkedDevice(services(), token)); // now it asks for a code again
    QVERIFY(linkedPhones(services(), fx->as(fx->studentA))->empty());
    // A new code links it again.
    const auto code = issueLinkCode(services(), fx->as(fx->studentA), std::nullopt, std::nullopt);
    QVERIFY(code);
    QVERIFY(linkPhone(services(), code->code, token, k_ip));
    QVERIFY(*linkedDevice(services(), token));
}

void RemoteTest::peopleSeeAndUnlinkOnlyTheirOwnPhones()
{
    const auto [first, firstToken] = phoneOf(fx->studentA);
    fx->clock.advance(1'000);
    const auto [second, secondToken] = phoneOf(fx->studentA);
    const auto [other, otherToken] = phoneOf(fx->studentA2);
    const auto mine = linkedPhones(services(), fx->as(fx->studentA));
    QVERIFY(mine);
    QCOMPARE(mine->size(), 2u);
    QCOMPARE(mine->front().device.id, second.id); // newest first

    // Someone else's phone is not theirs to unlink.
    const auto notMine = unlinkPhone(services(), fx->as(fx->studentA), other.id);
    QVERIFY(!notMine);
    QCOMPARE(notMine.error().code, Errc::NotFound);
    QVERIFY(*linkedDevice(services(), otherToken));
    // An API key does not reach them.
    QVERIFY(!unlinkPhone(services(), fx->asApiKey(fx->studentA), first.id));

    QVERIFY(unlinkPhone(services(), fx->as(fx->studentA), first.id));
    QVERIFY(!*linkedDevice(services(), firstToken));
    QVERIFY(*linkedDevice(services(), secondToken));
    QCOMPARE(linkedPhones(services(), fx->as(fx->studentA))->size(), 1u);
    const auto again = unlinkPhone(services(), fx->as(fx->studentA), first.id);
    QVERIFY(!again);
    QCOMPARE(again.error().code, Errc::NotFound);
}

void RemoteTest::theKeysOfSeparateJobsAreSeparateAndNoneIsTheBadgeKey()
{
    const Bytes badge = fx->badgeKey();
    std::vector<Key> keys;
    for (const auto use : {ServerKeyUse::LinkCode, ServerKeyUse::DeviceToken, ServerKeyUse::DeviceIssue,
                           ServerKeyUse::ClientAddress}) {
        const auto key = serverKey(services(), use);
        QVERIFY(key);
        QVERIFY(!std::equal(key->begin(), key->end(), badge.begin(), badge.end()));
        for (const Key& other : keys)
            QVERIFY(*key != other);
        keys.push_back(*key);
        QVERIFY(*serverKey(services(), use) == *key); // stable
    }
    // The master they come from is not the badge key a kiosk holds.
    const auto master = fx->store->people().masterKey();
    QVERIFY(master);
    QCOMPARE(master->size(), 32u);
    QVERIFY(*master != badge);
    // What a stolen kiosk knows (the badge key) does not open a link code;
    // the link-code key does.
    const auto code = issueLinkCode(services(), fx->as(fx->studentA), std::nullopt, std::nullopt);
    QVERIFY(code);
    std::string plain = code->code;
    plain.erase(5, 1);
    const Hmac underBadgeKey = hmacSha256(badge, {asBytes("imhere/link/v1"), asBytes(plain)});
    const Hmac underLinkKey = hmacSha256(keys[0], {asBytes("imhere/link/v1"), asBytes(plain)});
    const Bytes device(32, 7);
    const auto withBadgeKey = fx->store->remote().linkDevice(Bytes(underBadgeKey.begin(), underBadgeKey.end()), device,
                                                            fx->clock.nowMs());
    QVERIFY(withBadgeKey && !*withBadgeKey);
    const auto withLinkKey = fx->store->remote().linkDevice(Bytes(underLinkKey.begin(), underLinkKey.end()), device,
                                                           fx->clock.nowMs());
    QVERIFY(withLinkKey && *withLinkKey);
}

void RemoteTest::wrongLinkCodesAreRateLimitedPerAddress()
{
    const auto code = issueLinkCode(services(), fx->as(fx->studentA), std::nullopt, std::nullopt);
    QVERIFY(code);
    for (int i = 0; i < server::limits::k_linkCodeFailuresPerIp; ++i) {
        const auto wrong = linkPhone(services(), "ABCDE-FGHJK", phoneToken(), k_ip);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, Errc::InvalidRequest);
    }
    // Now even the right code waits, from this address.
    const auto limited = linkPhone(services(), code->code, phoneToken(), k_ip);
    QVERIFY(!limited);
    QCOMPARE(limited.error().code, Errc::RateLimited);
    QVERIFY(linkPhone(services(), code->code, phoneToken(), "198.51.100.7"));

    const auto other = issueLinkCode(services(), fx->as(fx->studentA2), std::nullopt, std::nullopt);
    QVERIFY(other);
    fx->clock.advance(server::limits::k_linkCodeFailureWindowMs);
    QVERIFY(linkPhone(services(), other->code, phoneToken(), k_ip));
}

void RemoteTest::aLinkedPhoneChecksItsPersonInOnce()
{
    const auto [device, token] = phoneOf(fx->studentA);
    QCOMPARE(device.person, fx->studentA.id);
    const auto scannedAt = fx->clock.nowMs();
    const auto scanned = readScannedCode(services(), codeFor(fx->openA, scannedAt));
    QVERIFY(scanned);

    fx->clock.advance(20'000); // the tap comes after the scan
    const auto first = remoteCheckIn(services(), *scanned, device, scannedAt, k_ip);
    QVERIFY2(first, first ? "" : first.error().message.c_str());
    QVERIFY(first->stored);
    QVERIFY(first->record.present);
    QVERIFY(first->record.remote);
    QCOMPARE(first->record.source, std::optional<CheckInSource>(CheckInSource::QrRemote));
    QCOMPARE(first->record.firstCheckIn, std::optional<std::int64_t>(scannedAt));
    QVERIFY(fx->hasCheckIn(fx->studentA, fx->openA));

    const auto second = remoteCheckIn(services(), *scanned, device, fx->clock.nowMs(), k_ip);
    QVERIFY(second);
    QVERIFY(!second->stored);
    QVERIFY(second->record.present);
    QCOMPARE(second->record.firstCheckIn, std::optional<std::int64_t>(scannedAt));
}

void RemoteTest::aPhoneOfSomeoneOutsideTheCourseChecksNobodyIn()
{
    const auto scanned = readScannedCode(services(), codeFor(fx->openA, fx->clock.nowMs()));
    QVERIFY(scanned);
    for (const Person* who : {&fx->studentB, &fx->teacherB, &fx->outsider}) {
        const auto device = phoneOf(*who).first;
        QCOMPARE(device.person, who->id);
        const auto r = remoteCheckIn(services(), *scanned, device, fx->clock.nowMs(), k_ip);
        QVERIFY2(!r, who->displayName.c_str());
        QCOMPARE(r.error().code, Errc::NotFound);
        QVERIFY(!fx->hasCheckIn(*who, fx->openA));
    }
}

void RemoteTest::remoteRequestsAreLimitedPerAddress()
{
    for (int i = 0; i < server::limits::k_remoteRequestsPerIp; ++i)
        QVERIFY2(countRemoteRequest(services(), k_ip), std::to_string(i).c_str());
    const auto limited = countRemoteRequest(services(), k_ip);
    QVERIFY(!limited);
    QCOMPARE(limited.error().code, Errc::RateLimited);
    QVERIFY(countRemoteRequest(services(), "198.51.100.7"));
    fx->clock.advance(server::limits::k_remoteRequestWindowMs);
    QVERIFY(countRemoteRequest(services(), k_ip));
}

void RemoteTest::aNewQrBadgeReplacesTheOldOne()
{
    const auto first = issueQrBadge(services(), fx->as(fx->studentA));
    QVERIFY2(first, first ? "" : first.error().message.c_str());
    QVERIFY(isQrBadgeToken(*first));
    const Bytes key = fx->badgeKey();
    const std::string firstHash = badgeHash(key, asBytes(*first));
    auto changes = badgeChanges(firstHash);
    QVERIFY(!changes.empty());
    QCOMPARE(changes.back().person, fx->studentA.publicId);
    QVERIFY(!changes.back().revoked);

    const auto second = issueQrBadge(services(), fx->as(fx->studentA));
    QVERIFY(second);
    QVERIFY(*second != *first);
    changes = badgeChanges(firstHash);
    QVERIFY(!changes.empty());
    QVERIFY(changes.back().revoked);
    const std::string secondHash = badgeHash(key, asBytes(*second));
    changes = badgeChanges(secondHash);
    QVERIFY(!changes.empty());
    QVERIFY(!changes.back().revoked);

    QVERIFY(revokeQrBadge(services(), fx->as(fx->studentA)));
    changes = badgeChanges(secondHash);
    QVERIFY(!changes.empty());
    QVERIFY(changes.back().revoked);
}

QTEST_GUILESS_MAIN(RemoteTest)
#include "remotetest.moc"
