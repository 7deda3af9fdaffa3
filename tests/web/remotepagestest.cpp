// Remote check-in from a phone (/q/<code>, DESIGN §4) and the pages that give
// out phone link codes and badge QRs, on a real server on loopback with
// SQLite in a temporary directory. The phone is an HTTP client that keeps
// its cookie, as a browser would.

#include "tests/server/testserver.h"

#include "sync-server/web/html.h"

#include "core/crypto.h"
#include "core/random.h"
#include "core/rotatingcode.h"

#include <gtest/gtest.h>

#include <regex>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

std::string setCookie(const HttpResult& r, const std::string& name)
{
    for (const auto& h : r.headers) {
        const auto lower = h.substr(0, 12);
        if ((lower == "Set-Cookie: " || lower == "set-cookie: ") && h.compare(12, name.size() + 1, name + "=") == 0)
            return h.substr(12 + name.size() + 1, h.find(';') - 12 - name.size() - 1);
    }
    return {};
}

std::string formField(const std::string& html, const std::string& name)
{
    std::smatch m;
    const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

class RemotePages : public ::testing::Test {
protected:
    void SetUp() override
    {
        school = School::build(server);
        client = std::make_unique<HttpClient>(server.url());
    }

    std::string codeFor(const Window& window, std::int64_t at)
    {
        WindowId id{};
        const auto bytes = uuidBytes(window.id).value();
        std::copy(bytes.begin(), bytes.end(), id.begin());
        return RotatingCode::generateAt(school.kiosk.secret, id, school.kiosk.id, at);
    }
    std::string currentCode() { return codeFor(school.openA, server.clock.nowMs()); }

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

    // A link code as the trainee gets it from their attendance page.
    std::string linkCodeOf(const Person& person)
    {
        const Headers who = School::sessionFor(server, person);
        const auto r = client->request("POST", "/me/link-code", "csrf=" + web::urlEncode(who[1].substr(14)),
                                       {who[0], "Content-Type: application/x-www-form-urlencoded"});
        EXPECT_EQ(r.status, 200) << r.body;
        std::smatch m;
        const std::regex re("<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>");
        EXPECT_TRUE(std::regex_search(r.body, m, re)) << r.body;
        return m[1].str();
    }

    // Scans and links a new phone to `person`, checking them in.
    Phone linkedPhone(const Person& person)
    {
        Phone phone;
        const std::string code = currentCode();
        const auto page = scan(phone, code);
        EXPECT_EQ(page.status, 200);
        const auto done = tap(phone, code, formField(page.body, "ticket"), linkCodeOf(person));
        EXPECT_EQ(done.status, 200) << done.body;
        return phone;
    }

    AttendanceRecord record(const Window& w, const Person& p) { return server.store->record(w.id, p.id).value(); }
    std::size_t checkIns()
    {
        std::size_t n = 0;
        const auto records = server.store->windowRecords(school.openA.id).value();
        for (const auto& r : records)
            n += r.firstCheckIn ? 1u : 0u;
        return n;
    }

    TestServer server;
    School school;
    std::unique_ptr<HttpClient> client;
};

} // namespace

TEST_F(RemotePages, FirstScanLinksThePhoneLaterScansAreOneTap)
{
    Phone phone;
    const std::string code = currentCode();
    const auto first = scan(phone, code);
    ASSERT_EQ(first.status, 200);
    EXPECT_FALSE(phone.cookie.empty());
    EXPECT_NE(first.body.find("Your personal code"), std::string::npos);
    EXPECT_NE(first.body.find("autocomplete=\"one-time-code\""), std::string::npos);
    EXPECT_NE(first.body.find("<meta name=\"viewport\""), std::string::npos);
    EXPECT_EQ(first.body.find("<script"), std::string::npos);
    for (const auto& h : first.headers) {
        if (h.find("imhere_device=") != std::string::npos) {
            EXPECT_NE(h.find("HttpOnly"), std::string::npos);
            EXPECT_NE(h.find("Max-Age=34560000"), std::string::npos);
        }
    }

    const std::string linkCode = linkCodeOf(school.studentA);
    // Typed in lower case with spaces: still the same code.
    std::string typed = linkCode;
    std::ranges::transform(typed, typed.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    typed.replace(5, 1, " ");
    const auto done = tap(phone, code, formField(first.body, "ticket"), typed);
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_NE(done.body.find("You are checked in"), std::string::npos);
    EXPECT_NE(done.body.find("on time"), std::string::npos);
    const auto r = record(school.openA, school.studentA);
    EXPECT_TRUE(r.present);
    EXPECT_TRUE(r.remote);
    EXPECT_EQ(r.source, CheckInSource::QrRemote);

    // The link code is spent.
    Phone other;
    const auto otherPage = scan(other, code);
    EXPECT_EQ(tap(other, code, formField(otherPage.body, "ticket"), linkCode).status, 422);

    // A minute later, with the next code: the page already knows.
    server.clock.advance(60'000);
    const auto again = scan(phone, currentCode());
    ASSERT_EQ(again.status, 200);
    EXPECT_NE(again.body.find("already checked in"), std::string::npos);
    EXPECT_NE(again.body.find(web::timeText(school.courseA.timezone, *r.firstCheckIn)), std::string::npos);
    EXPECT_EQ(checkIns(), 1u);
}

TEST_F(RemotePages, ALinkedPhoneIsOneTapAndLatenessCountsFromTheScan)
{
    Phone phone = linkedPhone(school.studentA);
    // A new window that started 15 minutes ago.
    const auto now = server.clock.nowMs();
    const Window late = server.store->createWindow({newUuidV4(), school.courseA.id, "Week 2", now - 15 * 60'000,
                                                    now - 20 * 60'000, school.teacherA.id}).value();
    const std::string code = codeFor(late, now);
    const auto page = scan(phone, code);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Checking in as <strong>" + school.studentA.displayName), std::string::npos);
    EXPECT_EQ(page.body.find("name=\"link_code\" value"), std::string::npos);
    // The tap comes 40 s later, after the code has moved on: the scan counts.
    server.clock.advance(40'000);
    const auto done = tap(phone, code, formField(page.body, "ticket"));
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_NE(done.body.find("late by 15 min"), std::string::npos);
    EXPECT_EQ(record(late, school.studentA).firstCheckIn, now);
    // Tapping again changes nothing.
    EXPECT_NE(tap(phone, code, formField(page.body, "ticket")).body.find("already checked in"), std::string::npos);
    EXPECT_EQ(server.store->windowRecords(late.id).value().size(), 3u); // studentA, studentA2, taA
}

TEST_F(RemotePages, APhoneChecksInOnlyItsPersonAndSharingIsFlaggedForReview)
{
    Phone phone = linkedPhone(school.studentA);
    // Naming someone else in the form does nothing: the phone is the person.
    const std::string code = currentCode();
    const auto page = scan(phone, code);
    Headers h{"Content-Type: application/x-www-form-urlencoded", "Cookie: imhere_device=" + phone.cookie};
    client->request("POST", "/q/" + code,
                    "ticket=" + web::urlEncode(formField(page.body, "ticket")) + "&person=" + school.studentA2.publicId,
                    h);
    EXPECT_FALSE(record(school.openA, school.studentA2).present);
    EXPECT_TRUE(server.store->remoteReviews(school.openA.id).value().empty());

    // Linking the same phone to a second person (their own code) checks them
    // in too, and the window shows both for review.
    const auto done = tap(phone, code, formField(page.body, "ticket"), linkCodeOf(school.studentA2));
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_TRUE(record(school.openA, school.studentA2).present);
    const auto reviews = server.store->remoteReviews(school.openA.id).value();
    ASSERT_EQ(reviews.size(), 2u); // one phone, and one network (loopback)
    for (const auto& r : reviews)
        EXPECT_EQ(r.people.size(), 2u);
    const Headers teacher = School::sessionFor(server, school.teacherA);
    const auto windowPage = client->get("/windows/" + school.openA.id, {teacher[0]});
    EXPECT_NE(windowPage.body.find("Remote check-ins to review"), std::string::npos);
    EXPECT_NE(windowPage.body.find("2 people checked in from one phone"), std::string::npos);
    EXPECT_NE(windowPage.body.find("2 people checked in from one network"), std::string::npos);
    // The stored address is a keyed hash, never the address itself.
    EXPECT_EQ(windowPage.body.find("127.0.0.1"), std::string::npos);
    // The course page points the teacher to the window with the review.
    const auto coursePage = client->get("/courses/" + school.courseA.id, {teacher[0]});
    EXPECT_NE(coursePage.body.find("href=\"/windows/" + school.openA.id + "#reviews\">2 remote check-ins to review"),
              std::string::npos);
}

TEST_F(RemotePages, BadCodesGetAPlainPageAndStoreNothing)
{
    Phone phone = linkedPhone(school.studentA);
    const auto stored = checkIns();
    const auto now = server.clock.nowMs();
    const std::string code = currentCode();

    auto expired = scan(phone, codeFor(school.openA, now - 60'000));
    EXPECT_EQ(expired.status, 410);
    EXPECT_NE(expired.body.find("Scan the code on the screen again"), std::string::npos);
    EXPECT_EQ(scan(phone, codeFor(school.openA, now + 60'000)).status, 410);

    std::string forged = code;
    forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_EQ(scan(phone, forged).status, 400);
    EXPECT_EQ(scan(phone, "not-a-code").status, 400);
    EXPECT_EQ(scan(phone, code.substr(0, 20)).status, 400);
    // A genuine code for a window of a course this kiosk does not serve.
    EXPECT_EQ(scan(phone, codeFor(school.openB, now)).status, 400);
    // A window that is closed.
    EXPECT_EQ(scan(phone, codeFor(school.closedA, now)).status, 409);

    // The page's ticket: too old, from another phone, or from another site.
    const auto page = scan(phone, code);
    const std::string ticket = formField(page.body, "ticket");
    Phone thief{"stolen-" + phone.cookie.substr(7), {}};
    EXPECT_EQ(tap(thief, code, ticket).status, 410);
    EXPECT_EQ(tap(phone, code, "AAAA").status, 410);
    EXPECT_EQ(tap(phone, code, ticket, {}, {"Origin: https://elsewhere.example"}).status, 403);
    Phone noCookie;
    EXPECT_EQ(tap(noCookie, code, ticket).status, 400);
    server.clock.advance(3 * 60'000);
    EXPECT_EQ(tap(phone, code, ticket).status, 410);

    EXPECT_EQ(checkIns(), stored);
    EXPECT_FALSE(record(school.openA, school.studentA2).present);
}

TEST_F(RemotePages, WrongLinkCodesAreRefusedThenRateLimited)
{
    Phone phone;
    const std::string code = currentCode();
    const auto page = scan(phone, code);
    const std::string ticket = formField(page.body, "ticket");
    const auto empty = tap(phone, code, ticket);
    EXPECT_EQ(empty.status, 422);
    EXPECT_NE(empty.body.find("Type your personal code"), std::string::npos);
    EXPECT_NE(empty.body.find("aria-describedby"), std::string::npos);
    for (int i = 0; i < 5; ++i) {
        const auto wrong = tap(phone, code, ticket, "ABCDE-FGHJK");
        EXPECT_EQ(wrong.status, 422);
        EXPECT_NE(wrong.body.find("That code is not right"), std::string::npos);
    }
    // Now even the right code waits.
    const std::string right = linkCodeOf(school.studentA);
    EXPECT_EQ(tap(phone, code, ticket, right).status, 429);
    EXPECT_FALSE(record(school.openA, school.studentA).present);
    server.clock.advance(16 * 60'000);
    const auto later = scan(phone, currentCode());
    EXPECT_EQ(tap(phone, currentCode(), formField(later.body, "ticket"), right).status, 200);
    EXPECT_TRUE(record(school.openA, school.studentA).present);
}

TEST_F(RemotePages, ScansAreRateLimitedPerAddress)
{
    Phone phone;
    long last = 0;
    int served = 0;
    for (int i = 0; i < 130 && last != 429; ++i) {
        last = scan(phone, "not-a-code").status;
        served += last == 400 ? 1 : 0;
    }
    EXPECT_EQ(last, 429);
    EXPECT_EQ(served, 120);
}

TEST_F(RemotePages, CourseTeamGivesOutLinkCodesStudentsOnlyTheirOwn)
{
    const std::string path = "/courses/" + school.courseA.id + "/members/" + school.studentA.publicId + "/link-code";
    auto postAs = [&](const Person& who, const std::string& p) {
        const Headers h = School::sessionFor(server, who);
        return client->request("POST", p, "csrf=" + web::urlEncode(h[1].substr(14)),
                               {h[0], "Content-Type: application/x-www-form-urlencoded"});
    };
    const auto byTeacher = postAs(school.teacherA, path);
    EXPECT_EQ(byTeacher.status, 200);
    EXPECT_NE(byTeacher.body.find("Phone link code for " + school.studentA.displayName), std::string::npos);
    EXPECT_EQ(postAs(school.taA, path).status, 200);
    EXPECT_EQ(postAs(school.admin, path).status, 200);
    EXPECT_EQ(postAs(school.studentA2, path).status, 403);
    EXPECT_EQ(postAs(school.teacherB, path).status, 403);
    // Not a participant of the course.
    EXPECT_EQ(postAs(school.teacherA, "/courses/" + school.courseA.id + "/members/" + school.studentB.publicId
                                          + "/link-code").status,
              404);
    // The roster offers it to the course team.
    const Headers ta = School::sessionFor(server, school.taA);
    EXPECT_NE(client->get("/courses/" + school.courseA.id, {ta[0]}).body.find("Phone link code for"), std::string::npos);
}

TEST_F(RemotePages, BadgeQrIsShownOnceAndReplacesTheLastOne)
{
    const Headers who = School::sessionFor(server, school.studentA);
    auto post = [&](const std::string& p) {
        return client->request("POST", p, "csrf=" + web::urlEncode(who[1].substr(14)),
                               {who[0], "Content-Type: application/x-www-form-urlencoded"});
    };
    const auto before = server.store->badgeCount(school.studentA.id).value();
    EXPECT_EQ(client->get("/me/badge", {who[0]}).status, 200);
    const auto first = post("/me/badge");
    ASSERT_EQ(first.status, 200);
    EXPECT_NE(first.body.find("<svg"), std::string::npos);
    EXPECT_EQ(first.header("cache-control"), "no-store");
    EXPECT_EQ(server.store->badgeCount(school.studentA.id).value(), before + 1);
    ASSERT_EQ(post("/me/badge").status, 200);
    EXPECT_EQ(server.store->badgeCount(school.studentA.id).value(), before + 1); // the first is revoked
    EXPECT_EQ(post("/me/badge/revoke").status, 303);
    EXPECT_EQ(server.store->badgeCount(school.studentA.id).value(), before);
    EXPECT_EQ(client->get("/me/badge").status, 303); // signed out: to the sign-in page
}
