// The web as a newcomer meets it, on a real server: nothing destructive in
// one click (each asks on a page of its own, which changes nothing), the
// roster on its own page, adding someone says what it does and asks before
// changing a role, form errors in a summary with what was typed kept, one
// open window per course unless a second is meant, "Not enrolled" where a
// window was before someone joined, and HEAD wherever GET is.

#include "webtestsupport.h"

#include "sync-server/service/windowrules.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The flash message as it reads: flashOf() gives it percent-encoded.
std::string flashText(const HttpResult& r)
{
    const std::string encoded = flashOf(r);
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] == '%' && i + 2 < encoded.size()) {
            out += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += encoded[i];
        }
    }
    return out;
}

} // namespace

class NewcomerPagesTest : public QObject, public WebFixture {
    Q_OBJECT

    std::optional<Role> roleOf(const Person& p)
    {
        return server->store->courses().roleIn(p.id, school.courseA.id).value();
    }
    std::size_t openWindowsOfA()
    {
        std::size_t n = 0;
        for (const Window& w : server->store->attendance().windowsOf(school.courseA.id).value())
            n += isOpenAt(w, server->clock.nowMs()) ? 1U : 0U;
        return n;
    }

private slots:
    void init() { startServer(); }
    void cleanup() { stopServer(); }

    void closingAWindowAsksFirstAndSaysWhoWillBeAbsent()
    {
        const std::string close = "/windows/" + school.openA.id + "/close";
        // The pages offer a link to the question, never a one-click form.
        const auto course = client->get("/courses/" + school.courseA.id, session(Teacher));
        QCOMPARE(course.status, 200);
        QVERIFY(!has(course.body, "action=\"" + close + "\""));
        QVERIFY(has(course.body, "href=\"" + close + "?back=/courses/" + school.courseA.id + "\""));
        const auto home = client->get("/", session(Teacher));
        QVERIFY(!has(home.body, "action=\"" + close + "\""));
        QVERIFY(has(home.body, "href=\"" + close + "?back=/\""));

        const auto ask = client->get(close + "?back=/", session(Teacher));
        QCOMPARE(ask.status, 200);
        // Two trainees, the TA and the teacher (who volunteers too) have not checked in.
        QVERIFY2(has(ask.body, "4 people who have not checked in will be marked absent. (2 teachers and TAs among them.)"),
                 ask.body.c_str());
        QVERIFY(has(ask.body, "<form method=\"post\" action=\"" + close + "\">"));
        QCOMPARE(formField(ask.body, "back"), "/");
        QVERIFY(has(ask.body, "href=\"/\">Cancel, keep it open</a>"));
        QCOMPARE(pageStructureProblems(ask.body), "");
        QVERIFY(isOpenAt(server->store->attendance().window(school.openA.id).value().value(), server->clock.nowMs()));
        QCOMPARE(client->get(close, session(StudentOfCourse)).status, 403);
        QCOMPARE(client->get(close + "?back=//evil.example", session(Teacher)).body.find("evil"), std::string::npos);

        const auto closed = post(close, session(Teacher), "back=/");
        QCOMPARE(closed.status, 303);
        QCOMPARE(closed.header("location"), "/");
        QVERIFY(server->store->attendance().window(school.openA.id).value()->closedAt);
        QVERIFY(has(client->get(close, session(Teacher)).body, "is not open"));
    }

    void removingAPersonACourseOrABadgeAsksFirst()
    {
        const std::string remove = "/courses/" + school.courseA.id + "/members/" + school.studentA.publicId + "/remove";
        const auto roster = client->get("/courses/" + school.courseA.id + "/roster", session(Teacher));
        QCOMPARE(roster.status, 200);
        QVERIFY(has(roster.body, "href=\"" + remove + "\""));
        QVERIFY(!has(roster.body, "formaction=\"" + remove + "\""));
        const auto ask = client->get(remove, session(Teacher));
        QCOMPARE(ask.status, 200);
        QVERIFY(has(ask.body, "Remove Sam Student from WM5 · JS1?"));
        QVERIFY(has(ask.body, "action=\"" + remove + "\""));
        QCOMPARE(pageStructureProblems(ask.body), "");
        QCOMPARE(client->get(remove, session(Ta)).status, 403);
        QVERIFY(roleOf(school.studentA).has_value());

        const std::string dropCourse = "/courses/" + school.courseA.id + "/remove";
        const auto page = client->get("/courses/" + school.courseA.id, session(Teacher));
        QVERIFY(!has(page.body, "action=\"" + dropCourse + "\""));
        QVERIFY(has(page.body, "href=\"" + dropCourse + "\""));
        const auto askCourse = client->get(dropCourse, session(Teacher));
        QCOMPARE(askCourse.status, 200);
        QVERIFY(has(askCourse.body, "Its 4 people no longer see it"));
        QCOMPARE(client->get(dropCourse, session(Ta)).status, 403);
        QVERIFY(!server->store->courses().course(school.courseA.id).value()->removed);

        const auto badge = client->get("/me/badge", session(StudentOfCourse));
        QVERIFY(!has(badge.body, "action=\"/me/badge/revoke\""));
        const auto askBadge = client->get("/me/badge/revoke", session(StudentOfCourse));
        QCOMPARE(askBadge.status, 200);
        QVERIFY(has(askBadge.body, "action=\"/me/badge/revoke\""));

        QCOMPARE(post(remove, session(Teacher), "").status, 303);
        QVERIFY(!roleOf(school.studentA).has_value());
    }

    void theRosterHasAPageOfItsOwn()
    {
        const std::string path = "/courses/" + school.courseA.id + "/roster";
        const std::array<long, k_whoCount> expected{303, 403, 403, 200, 200, 200, 303};
        for (int who = 0; who < k_whoCount; ++who)
            QCOMPARE(client->get(path, session(static_cast<Who>(who))).status, expected[static_cast<std::size_t>(who)]);
        // The course page: "Add a student" near the top and the way to the roster, no roster table.
        const auto course = client->get("/courses/" + school.courseA.id, session(Teacher));
        QVERIFY(has(course.body, "href=\"" + path + "\""));
        const auto add = course.body.find("Add a student");
        QVERIFY(add != std::string::npos);
        QVERIFY(add < course.body.find("id=\"windows\""));
        QVERIFY(!has(course.body, "Remove Sam Student"));
        // A TA sees the roster without Remove, and no window link leads a student to a 403.
        const auto ta = client->get(path, session(Ta));
        QVERIFY(!has(ta.body, "/remove\""));
        const auto student = client->get("/courses/" + school.courseA.id, session(StudentOfCourse));
        QVERIFY(!has(student.body, "href=\"/windows/"));
        QVERIFY(!has(student.body, "open a window to change a record"));
    }

    void addingSomeoneSaysWhatItDoesAndAsksBeforeChangingARole()
    {
        const std::string members = "/courses/" + school.courseA.id + "/members";
        const auto again = post(members, session(Teacher), "role=student&person-student=" + school.studentA.publicId);
        QCOMPARE(again.status, 303);
        QVERIFY2(has(flashText(again), "Sam Student is already a student in this course: nothing changed."),
                 flashText(again).c_str());

        const auto ask = post(members, session(Teacher), "role=ta&person-ta=" + school.studentA.publicId
                                                             + "&back=/courses/" + school.courseA.id + "/roster");
        QCOMPARE(ask.status, 200);
        QVERIFY(has(ask.body, "Sam Student is a student in this course"));
        QCOMPARE(formField(ask.body, "change"), "yes");
        QCOMPARE(pageStructureProblems(ask.body), "");
        QVERIFY(roleOf(school.studentA) == Role::Student); // asking changes nothing

        const auto changed = post(members, session(Teacher), "role=ta&person-ta=" + school.studentA.publicId
                                                                 + "&change=yes&back=/courses/" + school.courseA.id + "/roster");
        QCOMPARE(changed.status, 303);
        QCOMPARE(changed.header("location"), "/courses/" + school.courseA.id + "/roster");
        QVERIFY(roleOf(school.studentA) == Role::Ta);
    }

    void formErrorsAreListedTogetherAndKeepWhatWasTyped()
    {
        const std::string members = "/courses/" + school.courseA.id + "/members";
        const auto empty = post(members, session(Teacher), "role=student&person-student=");
        QCOMPARE(empty.status, 422);
        QVERIFY(has(empty.body, "class=\"error-summary\""));
        QVERIFY(has(empty.body, "href=\"#f-person-student\""));
        QVERIFY(has(empty.body, "aria-invalid=\"true\""));
        QCOMPARE(pageStructureProblems(empty.body), "");

        const auto unknown = post(members, session(Teacher), "role=ta&person-ta=nobody%40example.org");
        QCOMPARE(unknown.status, 422);
        QVERIFY(has(unknown.body, "href=\"#f-person-ta\""));
        QVERIFY2(has(unknown.body, "name=\"person-ta\" aria-describedby=\"f-person-ta-hint f-person-ta-error\" aria-invalid=\"true\" "
                             "value=\"nobody@example.org\""),
             unknown.body.c_str());
        QVERIFY(has(unknown.body, "<title>Error: "));
        QCOMPARE(post(members, session(Ta), "role=student&person-student=x").status, 403);
    }

    void aCourseHasOneOpenWindowUnlessASecondIsMeant()
    {
        const std::string open = "/courses/" + school.courseA.id + "/windows";
        const auto course = client->get("/courses/" + school.courseA.id, session(Teacher));
        QVERIFY(has(course.body, "Open another window while \"Week 1\" is open"));
        const auto refused = post(open, session(Teacher), "title=Second");
        QCOMPARE(refused.status, 303);
        QVERIFY2(has(flashText(refused), "\"Week 1\" is open: close it first"), flashText(refused).c_str());
        QCOMPARE(openWindowsOfA(), std::size_t{1});
        const auto alongside = post(open, session(Teacher), "title=Second&alongside=yes");
        QCOMPARE(alongside.status, 303);
        QCOMPARE(openWindowsOfA(), std::size_t{2});
        // The home page shows every open window.
        const auto home = client->get("/", session(Teacher));
        QVERIFY(has(home.body, ">Week 1</a>"));
        QVERIFY(has(home.body, ">Second</a>"));
        const auto student = client->get("/", session(StudentOfCourse));
        QCOMPARE(matchCount(student.body, "Check in to "), 2);
    }

    void aWindowBeforeSomeoneJoinedShowsNotEnrolled()
    {
        // The outsider joins today, after Week 0.
        QCOMPARE(post("/courses/" + school.courseA.id + "/members", session(Teacher),
                      "role=student&person-student=" + school.outsider.publicId)
                     .status,
                 303);
        const auto grid = client->get("/courses/" + school.courseA.id, session(Teacher));
        QVERIFY(has(grid.body, "Not enrolled"));
        const auto record = client->get("/courses/" + school.courseA.id + "/people/" + school.outsider.publicId,
                                        session(Teacher));
        QCOMPARE(record.status, 200);
        QVERIFY(has(record.body, "Not enrolled for 1 (before joining or after leaving)"));
        QVERIFY(has(record.body, "Not enrolled</span>"));
    }

    void headIsAnsweredWhereverGetIs()
    {
        for (const std::string& path : {std::string("/login"), std::string("/healthz")}) {
            const auto head = client->request("HEAD", path);
            QCOMPARE(head.status, 200L);
            QVERIFY(head.body.empty());
        }
        const auto home = client->request("HEAD", "/courses/" + school.courseA.id, {}, session(Teacher));
        QCOMPARE(home.status, 200L);
        QVERIFY(home.body.empty());
        QVERIFY(has(home.header("content-type"), "text/html"));
        const auto postOnly = client->request("HEAD", "/logout");
        QCOMPARE(postOnly.status, 405L);
    }
};

QTEST_GUILESS_MAIN(NewcomerPagesTest)
#include "newcomerpagestest.moc"
