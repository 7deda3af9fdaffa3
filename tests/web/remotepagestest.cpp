// Remote check-in from a phone (/q/<code>, DESIGN §4) and the pages that give
// out phone link codes and badge QRs, on a real server on loopback with
// SQLite in a temporary directory. The phone is an HTTP client that keeps
// its cookie, as a browser would.

#include "webtestsupport.h"
#include "sync-server/service/records.h"
#include "sync-server/auth/passwords.h"

#include "sync-server/web/html.h"

#include "core/crypto.h"
#include "core/random.h"
#include "core/rotatingcode.h"

#include "tests/support/qtestsupport.h"

#include <regex>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

class RemotePagesTest : public QObject, public WebFixture {
    Q_OBJECT

    std::string codeFor(const Window& window, std::int64_t at)
    {
        WindowId id{};
        const auto bytes = uuidBytes(window.id).value();
        std::copy(bytes.begin(), bytes.end(), id.begin());
        return RotatingCode::generateAt(school.kiosk.secret, id, school.kiosk.id, at);
    }
    std::string currentCode() { return codeFor(school.openA, server->clock.nowMs()); }

    // A phone: keeps the device cookie the server gives it.
    struct Phone {
        std::string cookie;
        std::string ip; // only used to tell phones apart in messages
    };

    HttpResult scan(Phone& phone, const std::string& code)
    {
        Headers headers;
        if (!phone.cookie.empty())
            headers.push_back("Cookie: imhere_device=" + phone.cookie);
        auto r = client->get("/q/" + code, headers);
        if (const auto c = setCookie(r, "imhere_device"); !c.empty())
            phone.cookie = c;
        return r;
    }

    HttpResult tap(Phone& phone, const std::string& code, const std::string& ticket, const std::string& linkCode = {},
                   Headers extra = {})
    {
        extra.push_back("Content-Type: application/x-www-form-urlencoded");
        if (!phone.cookie.empty())
            extra.push_back("Cookie: imhere_device=" + phone.cookie);
        std::string body = "ticket=" + web::urlEncode(ticket);
        if (!linkCode.empty())
            body += "&link_code=" + web::urlEncode(linkCode);
        return client->request("POST", "/q/" + code, body, extra);
    }

    // A link code as the trainee gets it from their attendance page; empty
    // (and the page in the test's log) when the page shows none.
    std::string linkCodeOf(const Person& person)
    {
        const auto r = post("/me/link-code", School::sessionFor(*server, person), "");
        std::smatch m;
        const std::regex re("<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>");
        if (r.status != 200 || !std::regex_search(r.body, m, re)) {
            qWarning("no link code: %ld %s", r.status, r.body.c_str());
            return {};
        }
        return m[1].str();
    }

    // Scans and links `phone` to `person`, checking them in; false (and the
    // reply in the test's log) when that did not work.
    bool linkPhone(Phone& phone, const Person& person)
    {
        const std::string code = currentCode();
        const auto page = scan(phone, code);
        const auto done = tap(phone, code, formField(page.body, "ticket"), linkCodeOf(person));
        if (page.status != 200 || done.status != 200) {
            qWarning("linking a phone: scan %ld, tap %ld %s", page.status, done.status, done.body.c_str());
            return false;
        }
        return true;
    }

    std::size_t checkIns()
    {
        std::size_t n = 0;
        const auto records = server::recordsOfWindow(*server->services, school.openA.id).value();
        for (const auto& r : records)
            n += r.firstCheckIn ? 1u : 0u;
        return n;
    }

private slots:
    void init() { startServer(); }
    void cleanup() { stopServer(); }

    void firstScanLinksThePhoneLaterScansAreOneTap()
    {
        Phone phone;
        const std::string code = currentCode();
        const auto first = scan(phone, code);
        QCOMPARE(first.status, 200);
        QVERIFY(!phone.cookie.empty());
        QVERIFY(first.body.find("Your personal code") != std::string::npos);
        QVERIFY(first.body.find("autocomplete=\"one-time-code\"") != std::string::npos);
        QVERIFY(first.body.find("<meta name=\"viewport\"") != std::string::npos);
        QCOMPARE(first.body.find("<script"), std::string::npos);
        for (const auto& h : first.headers) {
            if (h.find("imhere_device=") != std::string::npos) {
                QVERIFY2(h.find("HttpOnly") != std::string::npos, h.c_str());
                QVERIFY2(h.find("Max-Age=34560000") != std::string::npos, h.c_str());
            }
        }

        const std::string linkCode = linkCodeOf(school.studentA);
        QVERIFY(!linkCode.empty());
        // Typed in lower case with spaces: still the same code.
        std::string typed = linkCode;
        std::ranges::transform(typed, typed.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
        typed.replace(5, 1, " ");
        const auto done = tap(phone, code, formField(first.body, "ticket"), typed);
        QVERIFY2(done.status == 200, done.body.c_str());
        QVERIFY(done.body.find("You are checked in") != std::string::npos);
        QVERIFY(done.body.find("on time") != std::string::npos);
        const auto r = record(school.openA, school.studentA);
        QVERIFY(r.present);
        QVERIFY(r.remote);
        QVERIFY(r.source == CheckInSource::QrRemote);

        // The link code is spent.
        Phone other;
        const auto otherPage = scan(other, code);
        QCOMPARE(tap(other, code, formField(otherPage.body, "ticket"), linkCode).status, 422);

        // A minute later, with the next code: the page already knows.
        server->clock.advance(60'000);
        const auto again = scan(phone, currentCode());
        QCOMPARE(again.status, 200);
        QVERIFY(again.body.find("already checked in") != std::string::npos);
        QVERIFY(again.body.find(web::timeText(school.courseA.timezone, *r.firstCheckIn)) != std::string::npos);
        QCOMPARE(checkIns(), 1u);
    }

    void aPlantedDeviceCookieIsReplacedNotAdopted()
    {
        // Someone sets a phone's cookie to a value they know, hoping to ride
        // on the link its owner makes next.
        const std::string planted = "known-to-someone-else";
        Phone phone{planted, {}};
        const std::string code = currentCode();
        const auto page = scan(phone, code);
        QCOMPARE(page.status, 200);
        QVERIFY(phone.cookie != planted); // replaced by one the server issued
        // Posting with the planted value links nothing.
        Phone planter{planted, {}};
        const auto refused = tap(planter, code, formField(page.body, "ticket"), linkCodeOf(school.studentA));
        QCOMPARE(refused.status, 400);
        QVERIFY(!record(school.openA, school.studentA).present);
        // The owner links with the issued cookie; the planted value stays unlinked.
        QVERIFY(linkPhone(phone, school.studentA));
        Phone again{planted, {}};
        const auto stranger = scan(again, currentCode());
        QVERIFY(stranger.body.find("Your personal code") != std::string::npos);
        QVERIFY(again.cookie != planted);
    }

    void myPhonesListsThemAndUnlinksOne()
    {
        Phone phone;
        QVERIFY(linkPhone(phone, school.studentA));
        const Headers me = School::sessionFor(*server, school.studentA);
        const auto page = client->get("/me/phones", me);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.find("<h1>My phones</h1>") != std::string::npos);
        QVERIFY(page.body.find("all your courses") != std::string::npos);
        std::smatch m;
        const std::regex action("action=\"(/me/phones/([0-9]+)/unlink)\"");
        QVERIFY2(std::regex_search(page.body, m, action), page.body.c_str());
        const std::string unlink = m[1].str();
        // Nobody else sees it or unlinks it.
        const Headers other = School::sessionFor(*server, school.studentA2);
        QVERIFY(client->get("/me/phones", other).body.find(unlink) == std::string::npos);
        QCOMPARE(post(unlink, other, "").status, 404);
        QVERIFY(scan(phone, currentCode()).body.find("as " + school.studentA.displayName) != std::string::npos);

        const auto done = post(unlink, me, "");
        QCOMPARE(done.status, 303);
        QVERIFY(flashOf(done).find("unlinked") != std::string::npos);
        QVERIFY(client->get("/me/phones", me).body.find("No phone is linked to you.") != std::string::npos);
        // The phone asks for a code again.
        QVERIFY(scan(phone, currentCode()).body.find("Your personal code") != std::string::npos);
    }

    void aTeacherMakesANewKioskPinThatKiosksPull()
    {
        const Headers teacher = School::sessionFor(*server, school.teacherA);
        // A PIN from before PINs had 8 digits still works, and its holder is asked to replace it.
        const std::string k_olderKind = "older, shorter kind";
        QVERIFY(server->store->people().setPinHash(school.teacherA.id, *hashSecret("123456", {2, 19ULL << 20})));
        const auto before = client->get("/me/pin", teacher);
        QCOMPARE(before.status, 200);
        QVERIFY2(before.body.find(k_olderKind) != std::string::npos, before.body.c_str());
        const auto made = post("/me/pin", teacher, "");
        QCOMPARE(made.status, 200);
        QCOMPARE(made.header("cache-control"), std::string("no-store"));
        std::smatch m;
        const std::regex shown("<code>([0-9]{8})</code>");
        QVERIFY2(std::regex_search(made.body, m, shown), made.body.c_str());
        const std::string pin = m[1];
        const auto stored = server->store->people().personById(school.teacherA.id).value();
        QVERIFY(stored && stored->pinHash);
        QVERIFY(server::verifySecret(*stored->pinHash, pin));
        // Offline guessing against a stolen kiosk's copy: argon2id with 64 MiB and 3 passes.
        QVERIFY2(stored->pinHash->starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), stored->pinHash->c_str());
        QVERIFY(client->get("/me/pin", teacher).body.find(k_olderKind) == std::string::npos);
        // The kiosk of the teacher's course pulls the new hash.
        const auto synced = client->json("POST", "/api/v1/kiosk/sync",
                                         R"({"protocol":1,"kiosk_time":)" + std::to_string(server->clock.nowMs())
                                             + R"(,"cursor":0,"events":[]})",
                                         bearer(school.kioskToken));
        QCOMPARE(synced.status, 200);
        QVERIFY2(synced.body.find(*stored->pinHash) != std::string::npos, synced.body.substr(0, 400).c_str());
        // A second PIN replaces the first.
        const auto again = post("/me/pin", teacher, "");
        QVERIFY(std::regex_search(again.body, m, shown));
        QVERIFY(!server::verifySecret(*server->store->people().personById(school.teacherA.id).value()->pinHash, pin)
                || m[1] == pin);

        // Students are not asked for a PIN, so they get none; nor does anyone signed out.
        const Headers student = School::sessionFor(*server, school.studentA);
        QCOMPARE(post("/me/pin", student, "").status, 403);
        QVERIFY(!server->store->people().personById(school.studentA.id).value()->pinHash);
    }

    void aLinkedPhoneIsOneTapAndLatenessCountsFromTheScan()
    {
        Phone phone;
        QVERIFY(linkPhone(phone, school.studentA));
        // A new window that started 15 minutes ago.
        const auto now = server->clock.nowMs();
        const Window late = server->store->attendance().createWindow({newUuidV4(), school.courseA.id, "Week 2", now - 15 * 60'000,
                                                         now - 20 * 60'000, school.teacherA.id}).value();
        const std::string code = codeFor(late, now);
        const auto page = scan(phone, code);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.find("Checking in as <strong>" + school.studentA.displayName) != std::string::npos);
        QCOMPARE(page.body.find("name=\"link_code\" value"), std::string::npos);
        // The tap comes 40 s later, after the code has moved on: the scan counts.
        server->clock.advance(40'000);
        const auto done = tap(phone, code, formField(page.body, "ticket"));
        QVERIFY2(done.status == 200, done.body.c_str());
        QVERIFY(done.body.find("late by 15 min") != std::string::npos);
        QCOMPARE(record(late, school.studentA).firstCheckIn, now);
        // Tapping again changes nothing.
        QVERIFY(tap(phone, code, formField(page.body, "ticket")).body.find("already checked in") != std::string::npos);
        // studentA, studentA2, taA and teacherA (a volunteer)
        QCOMPARE(server::recordsOfWindow(*server->services, late.id).value().size(), 4u);
    }

    void aPhoneChecksInOnlyItsPersonAndSharingIsFlaggedForReview()
    {
        Phone phone;
        QVERIFY(linkPhone(phone, school.studentA));
        // Naming someone else in the form does nothing: the phone is the person.
        const std::string code = currentCode();
        const auto page = scan(phone, code);
        Headers h{"Content-Type: application/x-www-form-urlencoded", "Cookie: imhere_device=" + phone.cookie};
        client->request("POST", "/q/" + code,
                        "ticket=" + web::urlEncode(formField(page.body, "ticket")) + "&person=" + school.studentA2.publicId,
                        h);
        QVERIFY(!record(school.openA, school.studentA2).present);
        QVERIFY(server->store->remote().remoteReviews(school.openA.id).value().empty());

        // Linking the same phone to a second person (their own code) checks them
        // in too, and the window shows both for review.
        const auto done = tap(phone, code, formField(page.body, "ticket"), linkCodeOf(school.studentA2));
        QVERIFY2(done.status == 200, done.body.c_str());
        QVERIFY(record(school.openA, school.studentA2).present);
        const auto reviews = server->store->remote().remoteReviews(school.openA.id).value();
        QCOMPARE(reviews.size(), 2u); // one phone, and one network (loopback)
        for (const auto& r : reviews)
            QCOMPARE(r.people.size(), 2u);
        const Headers teacher = School::sessionFor(*server, school.teacherA);
        const auto windowPage = client->get("/windows/" + school.openA.id, {teacher[0]});
        QVERIFY(windowPage.body.find("Remote check-ins to review") != std::string::npos);
        QVERIFY(windowPage.body.find("2 people checked in from one phone") != std::string::npos);
        QVERIFY(windowPage.body.find("2 people checked in from one network") != std::string::npos);
        // The stored address is a keyed hash, never the address itself.
        QCOMPARE(windowPage.body.find("127.0.0.1"), std::string::npos);
        // The course page points the teacher to the window with the review.
        const auto coursePage = client->get("/courses/" + school.courseA.id, {teacher[0]});
        QVERIFY(coursePage.body.find("href=\"/windows/" + school.openA.id + "#reviews\">2 remote check-ins to review")
                != std::string::npos);
    }

    void badCodesGetAPlainPageAndStoreNothing()
    {
        Phone phone;
        QVERIFY(linkPhone(phone, school.studentA));
        const auto stored = checkIns();
        const auto now = server->clock.nowMs();
        const std::string code = currentCode();

        auto expired = scan(phone, codeFor(school.openA, now - 60'000));
        QCOMPARE(expired.status, 410);
        QVERIFY(expired.body.find("Scan the code on the screen again") != std::string::npos);
        QCOMPARE(scan(phone, codeFor(school.openA, now + 60'000)).status, 410);

        std::string forged = code;
        forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
        QCOMPARE(scan(phone, forged).status, 400);
        QCOMPARE(scan(phone, "not-a-code").status, 400);
        QCOMPARE(scan(phone, code.substr(0, 20)).status, 400);
        // A genuine code for a window of a course this kiosk does not serve.
        QCOMPARE(scan(phone, codeFor(school.openB, now)).status, 400);
        // A window that is closed.
        QCOMPARE(scan(phone, codeFor(school.closedA, now)).status, 409);

        // The page's ticket: too old, from another phone, or from another site.
        const auto page = scan(phone, code);
        const std::string ticket = formField(page.body, "ticket");
        Phone thief; // another phone, with a cookie of its own
        QCOMPARE(scan(thief, code).status, 200);
        QCOMPARE(tap(thief, code, ticket).status, 410);
        Phone madeUp{"stolen-" + phone.cookie.substr(7), {}}; // a cookie the server never issued
        QCOMPARE(tap(madeUp, code, ticket).status, 400);
        QCOMPARE(tap(phone, code, "AAAA").status, 410);
        QCOMPARE(tap(phone, code, ticket, {}, {"Origin: https://elsewhere.example"}).status, 403);
        Phone noCookie;
        QCOMPARE(tap(noCookie, code, ticket).status, 400);
        server->clock.advance(3 * 60'000);
        QCOMPARE(tap(phone, code, ticket).status, 410);

        QCOMPARE(checkIns(), stored);
        QVERIFY(!record(school.openA, school.studentA2).present);
    }

    void wrongLinkCodesAreRefusedThenRateLimited()
    {
        Phone phone;
        const std::string code = currentCode();
        const auto page = scan(phone, code);
        const std::string ticket = formField(page.body, "ticket");
        const auto empty = tap(phone, code, ticket);
        QCOMPARE(empty.status, 422);
        QVERIFY(empty.body.find("Type your personal code") != std::string::npos);
        QVERIFY(empty.body.find("aria-describedby") != std::string::npos);
        for (int i = 0; i < 5; ++i) {
            const auto wrong = tap(phone, code, ticket, "ABCDE-FGHJK");
            QCOMPARE(wrong.status, 422);
            QVERIFY(wrong.body.find("That code is not right") != std::string::npos);
        }
        // Now even the right code waits.
        const std::string right = linkCodeOf(school.studentA);
        QVERIFY(!right.empty());
        QCOMPARE(tap(phone, code, ticket, right).status, 429);
        QVERIFY(!record(school.openA, school.studentA).present);
        server->clock.advance(16 * 60'000);
        const auto later = scan(phone, currentCode());
        QCOMPARE(tap(phone, currentCode(), formField(later.body, "ticket"), right).status, 200);
        QVERIFY(record(school.openA, school.studentA).present);
    }

    void scansAreRateLimitedPerAddress()
    {
        Phone phone;
        long last = 0;
        int served = 0;
        for (int i = 0; i < 130 && last != 429; ++i) {
            last = scan(phone, "not-a-code").status;
            served += last == 400 ? 1 : 0;
        }
        QCOMPARE(last, 429);
        QCOMPARE(served, 120);
    }

    void courseTeamGivesOutLinkCodesStudentsOnlyTheirOwn()
    {
        const std::string path = "/courses/" + school.courseA.id + "/members/" + school.studentA.publicId + "/link-code";
        auto postAs = [&](const Person& who, const std::string& p) { return post(p, School::sessionFor(*server, who), ""); };
        const auto byTeacher = postAs(school.teacherA, path);
        QCOMPARE(byTeacher.status, 200);
        QVERIFY(byTeacher.body.find("Phone link code for " + school.studentA.displayName) != std::string::npos);
        QCOMPARE(postAs(school.taA, path).status, 200);
        QCOMPARE(postAs(school.admin, path).status, 200);
        QCOMPARE(postAs(school.studentA2, path).status, 403);
        QCOMPARE(postAs(school.teacherB, path).status, 403);
        // Not a participant of the course.
        QCOMPARE(postAs(school.teacherA, "/courses/" + school.courseA.id + "/members/" + school.studentB.publicId
                                            + "/link-code").status,
                 404);
        // The roster offers it to the course team.
        const Headers ta = School::sessionFor(*server, school.taA);
        QVERIFY(client->get("/courses/" + school.courseA.id + "/roster", {ta[0]}).body.find("Phone link code for")
                != std::string::npos);
    }

    void badgeQrIsShownOnceAndReplacesTheLastOne()
    {
        const Headers who = School::sessionFor(*server, school.studentA);
        const auto before = server->store->people().badgeCount(school.studentA.id).value();
        QCOMPARE(client->get("/me/badge", {who[0]}).status, 200);
        const auto first = post("/me/badge", who, "");
        QCOMPARE(first.status, 200);
        QVERIFY(first.body.find("<svg") != std::string::npos);
        QCOMPARE(first.header("cache-control"), "no-store");
        QCOMPARE(server->store->people().badgeCount(school.studentA.id).value(), before + 1);
        QCOMPARE(post("/me/badge", who, "").status, 200);
        QCOMPARE(server->store->people().badgeCount(school.studentA.id).value(), before + 1); // the first is revoked
        QCOMPARE(post("/me/badge/revoke", who, "").status, 303);
        QCOMPARE(server->store->people().badgeCount(school.studentA.id).value(), before);
        QCOMPARE(client->get("/me/badge").status, 303); // signed out: to the sign-in page
    }
};

QTEST_GUILESS_MAIN(RemotePagesTest)
#include "remotepagestest.moc"
