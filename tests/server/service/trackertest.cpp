// service/tracker: the school's trainee tracker's rules (register sheet,
// on time / late / wrong day, its score and labels) and what imhere does
// with them: the register a course exports, the score beside imhere's
// figures, the tracker names a teacher sets, and old registers imported once
// and only once.

#include "servicefixture.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/tracker.h"

#include "core/csv.h"
#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>

// QCOMPARE prints the tracker's values by name.
namespace QTest {
template <>
inline char* toString(const std::optional<imhere::server::TrackerLabel>& l)
{
    return qstrdup(l ? std::string(imhere::server::tokenOf(*l)).c_str() : "nullopt");
}
template <>
inline char* toString(const std::optional<int>& v)
{
    return qstrdup(v ? std::to_string(*v).c_str() : "nullopt");
}
template <>
inline char* toString(const std::map<int, imhere::server::TrackerAttendance>& m)
{
    std::string out;
    for (const auto& [k, v] : m)
        out += std::to_string(k) + ":" + std::string(imhere::server::tokenOf(v)) + " ";
    return qstrdup(out.c_str());
}
template <>
inline char* toString(const std::vector<int>& v)
{
    std::string out;
    for (const int i : v)
        out += std::to_string(i) + " ";
    return qstrdup(out.c_str());
}
template <>
inline char* toString(const std::vector<std::string>& v)
{
    std::string out;
    for (const auto& s : v)
        out += "[" + s + "] ";
    return qstrdup(out.c_str());
}
} // namespace QTest

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

constexpr std::int64_t k_minute = 60'000;
constexpr std::int64_t k_day = 24 * 60 * k_minute;
// Tuesday 2025-09-16 17:00 UTC (18:00 in London), three weeks before the fixture's "now".
constexpr std::int64_t k_tuesday = 1'758'042'000'000;
// The week before: the first of the school's four weekly classes, so that
// the fixture's "now" (Thursday 2025-10-09) falls in the fifth.
constexpr std::int64_t k_sprint1 = k_tuesday - 7 * k_day;

std::string lines(const std::vector<std::string>& rows)
{
    std::string out;
    for (const auto& r : rows)
        out += r + "\r\n";
    return out;
}

const TraineeTracking& traineeIn(const TrackerView& view, const Person& person)
{
    const auto it = std::ranges::find(view.trainees, person.publicId,
                                      [](const TraineeTracking& t) { return t.person.publicId; });
    if (it == view.trainees.end())
        QTest::qFail("no such trainee in the view", __FILE__, __LINE__);
    return *it;
}

} // namespace

class TrackerTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }

    // A course of its own: two trainees with email, one without, a TA; four
    // weekly classes closed, one open now.
    Course course;
    Person amara, bilal, chen, tariq;
    std::vector<Window> weeks;

    void school()
    {
        // Everyone joins the day before the first sprint's class.
        const std::int64_t now = fx->clock.nowMs();
        fx->clock.set(k_sprint1 - k_day);
        course = fx->addCourse("JS1 register", fx->teacher);
        amara = fx->addPerson("Amara Okafor", "Amara@Example.org");
        bilal = fx->addPerson("=HYPERLINK(\"x\")", "bilal@example.org");
        chen = fx->addPerson("Chen Wei");
        tariq = fx->addPerson("Tariq TA", "tariq@example.org");
        for (const auto& p : {amara, bilal, chen})
            fx->enrol(p, course, Role::Student);
        fx->enrol(tariq, course, Role::Ta);
        fx->clock.set(now);
        weeks.clear();
        for (int i = 0; i < 4; ++i) {
            const auto start = k_sprint1 + i * 7 * k_day;
            weeks.push_back(fx->addWindow(course, "Week " + std::to_string(i + 1), start, start + 2 * 60 * k_minute));
        }
        weeks.push_back(fx->addWindow(course, "Today", fx->clock.nowMs() - 5 * k_minute));
    }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void oneSignInAsTheTrackerSeesIt_data();
    void oneSignInAsTheTrackerSeesIt();
    void theScoreWeighsAsTheTrackerDoes();
    void daysAndTimesParse();
    void csvCellsNeverRunAsFormulas();
    void aRegisterParsesInItsCommonShapes();
    void badRowsAreNamedByLine();
    void theRegisterFollowsTheRecords();
    void aSprintWithTwoClassesCountsTheOneAttended();
    void setSprintsOverrideTheWeek();
    void aTrackerChangeIsCheckedWhole();
    void anImportIsPlannedThenStoredOnce();
    void aMalformedRegisterImportsNothing();
    void onlyTeachersImport();
};

void TrackerTest::oneSignInAsTheTrackerSeesIt_data()
{
    QTest::addColumn<qint64>("after");
    QTest::addColumn<qint64>("classStart");
    QTest::addColumn<int>("expected");
    const qint64 start = k_sprint1;
    const auto onTime = static_cast<int>(TrackerAttendance::OnTime);
    const auto late = static_cast<int>(TrackerAttendance::Late);
    const auto wrongDay = static_cast<int>(TrackerAttendance::WrongDay);
    QTest::newRow("at the start") << qint64{0} << start << onTime;
    QTest::newRow("early") << qint64{-20 * k_minute} << start << onTime;
    QTest::newRow("10 min 59 s: still 10 whole minutes") << qint64{11 * k_minute - 1000} << start << onTime;
    QTest::newRow("11 min") << qint64{11 * k_minute} << start << late;
    QTest::newRow("3 hours") << qint64{3 * 60 * k_minute} << start << late;
    QTest::newRow("the next day") << qint64{k_day} << start << wrongDay;
    QTest::newRow("the day before") << qint64{-k_day} << start << wrongDay;
    // The tracker compares UTC dates: 23:30 then 00:05 is another day.
    const qint64 lateEvening = start + 6 * 60 * k_minute + 30 * k_minute;
    QTest::newRow("past midnight UTC") << qint64{35 * k_minute} << lateEvening << wrongDay;
}

void TrackerTest::oneSignInAsTheTrackerSeesIt()
{
    QFETCH(qint64, after);
    QFETCH(qint64, classStart);
    QFETCH(int, expected);
    QCOMPARE(static_cast<int>(trackerAttendance(classStart + after, classStart)), expected);
}

void TrackerTest::theScoreWeighsAsTheTrackerDoes()
{
    using A = TrackerAttendance;
    auto score = trackerScore({A::OnTime, A::Late, A::WrongDay, A::Absent});
    QCOMPARE(score.numerator, 21);
    QCOMPARE(score.denominator, 40);
    QCOMPARE(score.basisPoints, std::optional(5250));
    QCOMPARE(score.label, std::optional(TrackerLabel::OnTrack));
    QCOMPARE(trackerScore({A::OnTime, A::Absent}).label, std::optional(TrackerLabel::OnTrack)); // 50 %: on track
    score = trackerScore({A::OnTime, A::Absent, A::Absent, A::Absent});                        // 25 %: behind
    QCOMPARE(score.basisPoints, std::optional(2500));
    QCOMPARE(score.label, std::optional(TrackerLabel::Behind));
    score = trackerScore({A::Late, A::Absent, A::Absent, A::Absent, A::Absent}); // 8 of 50
    QCOMPARE(score.basisPoints, std::optional(1600));
    QCOMPARE(score.label, std::optional(TrackerLabel::AtRisk));
    QCOMPARE(trackerScore({A::WrongDay, A::WrongDay}).basisPoints, std::optional(3000)); // truncated, as the tracker
    QVERIFY(!trackerScore({}).basisPoints);
    QVERIFY(!trackerScore({}).label);
}

void TrackerTest::daysAndTimesParse()
{
    QCOMPARE(sprintFromDay("sprint-1"), std::optional(1));
    QCOMPARE(sprintFromDay("sprint-20"), std::optional(20));
    QCOMPARE(sprintFromDay("welcome-to-code-your-future"), std::optional(1));
    for (const char* bad : {"sprint-0", "sprint-21", "sprint-", "sprint-+3", "Sprint 3", "sprint-3a", "week-3", ""})
        QVERIFY2(!sprintFromDay(bad), bad);

    QCOMPARE(parseRfc3339("2025-09-16T17:00:00Z"), std::optional(k_tuesday));
    QCOMPARE(parseRfc3339("2025-09-16T18:00:00+01:00"), std::optional(k_tuesday));
    QCOMPARE(parseRfc3339("2025-09-16T11:30:00-05:30"), std::optional(k_tuesday));
    QCOMPARE(parseRfc3339("2025-09-16t17:00:00.250z"), std::optional(k_tuesday + 250));
    QCOMPARE(parseRfc3339("2025-09-16T17:00:00.5Z"), std::optional(k_tuesday + 500));
    for (const char* bad : {"2025-09-16T17:00:00", "2025-09-16 17:00", "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
                            "2025-09-16T24:00:00Z", "2025-09-16T17:00:00+1:00", "2025-09-16T17:00:00.Z", "yesterday"})
        QVERIFY2(!parseRfc3339(bad), bad);
    QCOMPARE(formatRfc3339(k_tuesday + 999), std::string("2025-09-16T17:00:00Z"));
    QCOMPARE(parseRfc3339(formatRfc3339(k_tuesday)), std::optional(k_tuesday));
    QCOMPARE(formatRfc3339(0), std::string("1970-01-01T00:00:00Z"));
}

void TrackerTest::csvCellsNeverRunAsFormulas()
{
    QCOMPARE(csv::field("=1+1"), std::string("'=1+1"));
    QCOMPARE(csv::field("+44 20 7946 0000"), std::string("'+44 20 7946 0000"));
    QCOMPARE(csv::field("-3"), std::string("'-3"));
    QCOMPARE(csv::field("@SUM(A1)"), std::string("'@SUM(A1)"));
    QCOMPARE(csv::field("\tx"), std::string("'\tx"));
    QCOMPARE(csv::field("\rx"), std::string("\"'\rx\""));
    QCOMPARE(csv::field("a, \"b\""), std::string("\"a, \"\"b\"\"\""));
    QCOMPARE(csv::field("Zoë"), std::string("Zoë"));
    const auto back = csv::split(csv::row({"=cmd", "two\r\nlines", "plain"}) + csv::row({"x"}));
    QCOMPARE(back.size(), std::size_t{2});
    QCOMPARE(back[0].fields, (std::vector<std::string>{"'=cmd", "two\r\nlines", "plain"}));
    QCOMPARE(back[1].line, 3);
}

void TrackerTest::aRegisterParsesInItsCommonShapes()
{
    // The tracker's own shape.
    auto sheet = parseRegister(lines({"Name,Email,Timestamp,Course,Module,Day,Location",
                                      "Amara Okafor,amara@example.org,2025-09-16T17:03:00Z,ITP,JS1,sprint-1,London",
                                      "",
                                      "Bilal,bilal@example.org,2025-09-23T18:20:00+01:00,ITP,JS1,welcome-to-code-your-future,"}),
                               "Europe/London");
    QVERIFY(sheet.problems.empty());
    QCOMPARE(sheet.lines.size(), std::size_t{2});
    QCOMPARE(sheet.lines[0].signedIn, k_tuesday + 3 * k_minute);
    QCOMPARE(sheet.lines[0].line, 2);
    QCOMPARE(sheet.lines[1].line, 4);
    QCOMPARE(sheet.lines[1].sprint, 1);
    QCOMPARE(sheet.lines[1].signedIn, k_tuesday + 7 * k_day + 20 * k_minute);

    // Columns in another order, Date and Time in local time, a byte order
    // mark, day-first dates and a column the tracker does not read.
    sheet = parseRegister("\xEF\xBB\xBF" + lines({"Day,Location,Name,Date,Time,Email,Course,Module,Notes",
                                                  "sprint-2,London,Amara,2025-09-23,18:05,amara@example.org,ITP,JS1,",
                                                  "sprint-3,London,Amara,30/09/2025,18:00:30,amara@example.org,ITP,JS1,x"}),
                          "Europe/London");
    QVERIFY2(sheet.problems.empty(), sheet.problems.empty() ? "" : sheet.problems[0].message.c_str());
    QCOMPARE(sheet.lines.size(), std::size_t{2});
    QCOMPARE(sheet.lines[0].sprint, 2);
    QCOMPARE(sheet.lines[0].signedIn, k_tuesday + 7 * k_day + 5 * k_minute); // 18:05 BST is 17:05 UTC
    QCOMPARE(sheet.lines[1].signedIn, k_tuesday + 14 * k_day + 30'000);
    // A Timestamp without an offset is local time too.
    sheet = parseRegister(lines({"Name,Email,Timestamp,Course,Module,Day,Location",
                                 "Amara,amara@example.org,2025-09-16 18:00,ITP,JS1,sprint-1,"}),
                          "Europe/London");
    QVERIFY(sheet.problems.empty());
    QCOMPARE(sheet.lines[0].signedIn, k_tuesday);
}

void TrackerTest::badRowsAreNamedByLine()
{
    auto sheet = parseRegister("Name,Email,Timestamp,Course,Module,Week,Location\r\n", "Europe/London");
    QCOMPARE(sheet.problems.size(), std::size_t{1});
    QCOMPARE(sheet.problems[0].message, std::string("no 'Day' heading"));
    sheet = parseRegister("Name,Email,Course,Module,Day,Location,Date\r\n", "Europe/London");
    QCOMPARE(sheet.problems[0].message, std::string("no 'Timestamp' heading (or 'Date' and 'Time')"));
    sheet = parseRegister("Name,Name,Email,Timestamp,Course,Module,Day,Location\r\n", "Europe/London");
    QCOMPARE(sheet.problems[0].message, std::string("the heading 'Name' appears twice"));
    QCOMPARE(parseRegister("", "Europe/London").problems.size(), std::size_t{1});

    sheet = parseRegister(lines({"Name,Email,Timestamp,Course,Module,Day,Location",
                                 ",amara@example.org,2025-09-16T17:03:00Z,ITP,JS1,sprint-1,",
                                 "Amara,not-an-email,2025-09-16T17:03:00Z,ITP,JS1,sprint-1,",
                                 "Amara,amara@example.org,16 Sept,ITP,JS1,sprint-1,",
                                 "Amara,amara@example.org,2025-09-16T17:03:00Z,ITP,JS1,sprint-21,",
                                 "Amara,amara@example.org,2025-09-16T17:03:00Z,ITP,JS1,Sprint 1,",
                                 "Amara,amara@example.org,2025-09-16T17:03:00Z,ITP,JS1,sprint-1,London",
                                 "Amara,\"amara@example.org,2025-09-16T17:03:00Z,ITP,JS1,sprint-1,"}),
                          "Europe/London");
    QCOMPARE(sheet.lines.size(), std::size_t{1});
    QCOMPARE(sheet.lines[0].line, 7);
    std::vector<int> at;
    for (const auto& p : sheet.problems)
        at.push_back(p.line);
    QCOMPARE(at, (std::vector<int>{2, 3, 4, 5, 6, 8}));
    QCOMPARE(sheet.problems[3].message, std::string("Day 'sprint-21' is not sprint-1 to sprint-20"));
    QCOMPARE(sheet.problems[5].message, std::string("unterminated quoted field"));
}

void TrackerTest::theRegisterFollowsTheRecords()
{
    school();
    // Amara: on time, 15 minutes late, the next day, absent.
    fx->addCheckIn(amara, weeks[0], weeks[0].startMs().value() + 2 * k_minute);
    fx->addCheckIn(amara, weeks[1], weeks[1].startMs().value() + 15 * k_minute);
    fx->addCheckIn(amara, weeks[2], weeks[2].startMs().value() + k_day);
    // Bilal: marked present without a check-in; a check-in then marked absent; 90 minutes late.
    QVERIFY(correctPresence(services(), fx->as(fx->teacher), weeks[0].id, bilal.publicId, true, "was there", std::nullopt));
    fx->addCheckIn(bilal, weeks[1], weeks[1].startMs().value() + 1 * k_minute);
    QVERIFY(correctPresence(services(), fx->as(fx->teacher), weeks[1].id, bilal.publicId, false, "left at once",
                            std::nullopt));
    fx->addCheckIn(bilal, weeks[2], weeks[2].startMs().value() + 90 * k_minute);
    // Chen has no email; the TA checks in too; Amara is in today's open class.
    fx->addCheckIn(chen, weeks[0], weeks[0].startMs().value());
    fx->addCheckIn(tariq, weeks[0], weeks[0].startMs().value());
    fx->addCheckIn(amara, weeks[4], fx->clock.nowMs());

    const auto view = trackerView(services(), course);
    QVERIFY(view);
    QCOMPARE(view->sprints.size(), std::size_t{5});
    QVERIFY(view->sprints[3].counted && !view->sprints[4].counted);
    QCOMPARE(view->firstSprintDay, std::string("2025-09-09"));

    const auto& a = traineeIn(*view, amara);
    using A = TrackerAttendance;
    QCOMPARE(a.sprints, (std::map<int, A>{{1, A::OnTime}, {2, A::Late}, {3, A::WrongDay}, {4, A::Absent}}));
    QCOMPARE(a.score.basisPoints, std::optional(5250));
    // imhere's own figures count today's open class, where Amara is on time;
    // a check-in a day late is absent by imhere's rule (more than 60 minutes).
    QCOMPARE(a.counted, 5);
    QCOMPARE(a.present, 3);
    QCOMPARE(a.onTime, 2);
    const auto& b = traineeIn(*view, bilal);
    QCOMPARE(b.sprints, (std::map<int, A>{{1, A::OnTime}, {2, A::Absent}, {3, A::Late}, {4, A::Absent}}));
    QCOMPARE(b.score.label, std::optional(TrackerLabel::Behind)); // 18 of 40
    QCOMPARE(view->withoutEmail, std::vector<std::string>{"Chen Wei"});
    QCOMPARE(view->trainees.size(), std::size_t{3}); // the TA is not a trainee

    // The sheet: the seven headings, then by sprint and time; the email as
    // stored, a name that would be a formula neutralised.
    const auto csvText = registerCsv(*view);
    const auto rows = csv::split(csvText);
    QCOMPARE(rows[0].fields,
             (std::vector<std::string>{"Name", "Email", "Timestamp", "Course", "Module", "Day", "Location"}));
    std::vector<std::string> got;
    for (std::size_t i = 1; i < rows.size(); ++i)
        got.push_back(rows[i].fields[1] + " " + rows[i].fields[2] + " " + rows[i].fields[5]);
    QCOMPARE(got, (std::vector<std::string>{
                      "bilal@example.org 2025-09-09T17:00:00Z sprint-1", // marked present: the class's start
                      "Amara@Example.org 2025-09-09T17:02:00Z sprint-1",
                      "Amara@Example.org 2025-09-16T17:15:00Z sprint-2",
                      "bilal@example.org 2025-09-23T18:30:00Z sprint-3",
                      "Amara@Example.org 2025-09-24T17:00:00Z sprint-3",
                      "Amara@Example.org " + formatRfc3339(fx->clock.nowMs()) + " sprint-5",
                  }));
    // By time within a sprint: Bilal (17:00) before Amara (17:02).
    QCOMPARE(rows[1].fields[0], std::string("'=HYPERLINK(\"x\")"));
    QCOMPARE(rows[1].fields[3], std::string("JS1 register")); // no tracker names: imhere's
}

void TrackerTest::aSprintWithTwoClassesCountsTheOneAttended()
{
    school();
    // A Saturday class in the first week too; Amara comes on Saturday only.
    const auto saturday = fx->addWindow(course, "Saturday", k_sprint1 + 4 * k_day - 7 * 60 * k_minute,
                                        k_sprint1 + 4 * k_day - 5 * 60 * k_minute);
    fx->addCheckIn(amara, saturday, saturday.startMs().value() + 3 * k_minute);
    const auto view = trackerView(services(), course);
    QVERIFY(view);
    QCOMPARE(view->windowSprint.at(saturday.id), 1);
    QCOMPARE(tokenOf(traineeIn(*view, amara).sprints.at(1)), tokenOf(TrackerAttendance::OnTime));
}

void TrackerTest::setSprintsOverrideTheWeek()
{
    school();
    TrackerChange change;
    change.identity = TrackerIdentity{"ITP-2025-09", "JS1", std::string("2025-09-02")};
    change.sprints[weeks[3].id] = 7;
    change.regions[amara.publicId] = "West Midlands";
    QVERIFY(changeTracker(services(), fx->as(fx->teacher), course.id, change));
    const auto view = trackerView(services(), course);
    QVERIFY(view);
    QCOMPARE(view->windowSprint.at(weeks[0].id), 2); // counted from 2025-09-02
    QCOMPARE(view->windowSprint.at(weeks[3].id), 7);
    QCOMPARE(traineeIn(*view, amara).person.region, std::optional<std::string>("West Midlands"));
    fx->addCheckIn(amara, weeks[0], weeks[0].startMs().value());
    const auto again = trackerView(services(), course);
    QVERIFY(again);
    QCOMPARE(csv::split(registerCsv(*again))[1].fields,
             (std::vector<std::string>{"Amara Okafor", "Amara@Example.org", "2025-09-09T17:00:00Z", "ITP-2025-09", "JS1",
                                       "sprint-2", "West Midlands"}));

    // A window opened with its sprint keeps it; one out of range is not opened.
    const auto extra = openNewWindow(services(), fx->as(tariq), course.id, "Catch-up", std::nullopt, true, 9,
                                     std::nullopt, /*alongside "Today"*/ true);
    QVERIFY(extra);
    QCOMPARE(trackerView(services(), course)->windowSprint.at(extra->id), 9);
    QCOMPARE(openNewWindow(services(), fx->as(tariq), course.id, "Too far", std::nullopt, true, 21).error().code,
             Errc::InvalidRequest);
    QCOMPARE(fx->store->attendance().windowsOf(course.id)->size(), weeks.size() + 1);

    TrackerChange clear;
    clear.clearIdentity = true;
    clear.sprints[weeks[3].id] = std::nullopt;
    QVERIFY(changeTracker(services(), fx->as(fx->teacher), course.id, clear));
    const auto cleared = trackerView(services(), course);
    QVERIFY(cleared && !cleared->identity);
    QCOMPARE(cleared->windowSprint.at(weeks[3].id), 4);
}

void TrackerTest::aTrackerChangeIsCheckedWhole()
{
    school();
    TrackerChange change;
    change.regions[amara.publicId] = "London";
    change.sprints[weeks[0].id] = 21;
    auto refused = changeTracker(services(), fx->as(fx->teacher), course.id, change);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Errc::InvalidRequest);
    auto view = trackerView(services(), course);
    QVERIFY(view && !traineeIn(*view, amara).person.region); // the good half was not kept either

    change.sprints.clear();
    QCOMPARE(changeTracker(services(), fx->as(fx->ta), course.id, change).error().code, Errc::Forbidden);
    TrackerChange outsider;
    outsider.regions[fx->outsider.publicId] = "London";
    QCOMPARE(changeTracker(services(), fx->as(fx->teacher), course.id, outsider).error().code, Errc::InvalidRequest);
    TrackerChange otherWindow;
    otherWindow.sprints[fx->openA.id] = 2;
    QCOMPARE(changeTracker(services(), fx->as(fx->teacher), course.id, otherWindow).error().code,
             Errc::InvalidRequest);
    TrackerChange badDay;
    badDay.identity = TrackerIdentity{"ITP", "JS1", std::string("2025-02-30")};
    QCOMPARE(changeTracker(services(), fx->as(fx->teacher), course.id, badDay).error().code, Errc::InvalidRequest);
    TrackerChange empty;
    empty.identity = TrackerIdentity{"", "JS1", std::nullopt};
    QCOMPARE(changeTracker(services(), fx->as(fx->teacher), course.id, empty).error().code, Errc::InvalidRequest);
    QVERIFY(changeTracker(services(), fx->as(fx->admin), course.id, change)); // an org admin may
}

void TrackerTest::anImportIsPlannedThenStoredOnce()
{
    course = fx->addCourse("Old JS1", fx->teacher);
    amara = fx->addPerson("Amara Okafor", "amara@example.org");
    bilal = fx->addPerson("Bilal", "bilal@example.org");
    tariq = fx->addPerson("Tariq TA", "tariq@example.org");
    // They joined before the sprints of the register (a sprint before someone joined is not theirs).
    const std::int64_t now = fx->clock.nowMs();
    fx->clock.set(k_sprint1 - k_day);
    fx->enrol(amara, course, Role::Student);
    fx->enrol(bilal, course, Role::Student);
    fx->enrol(tariq, course, Role::Ta);
    fx->clock.set(now);
    const std::string sheet = lines({
        "Name,Email,Timestamp,Course,Module,Day,Location",
        "Amara,AMARA@example.org,2025-09-16T17:05:00Z,ITP,JS1,sprint-1,London", // 2: an email in capitals
        "Bilal,bilal@example.org,2025-09-16T17:20:00Z,ITP,JS1,sprint-1,London", // 3
        "Bilal,bilal@example.org,2025-09-17T09:00:00Z,ITP,JS1,sprint-1,London", // 4: a second row for sprint 1
        "Amara,amara@example.org,2025-09-23T17:00:00Z,ITP,JS1,sprint-2,London", // 5
        "Dana,dana@example.org,2025-09-23T17:00:00Z,ITP,JS1,sprint-2,London",   // 6: nobody has this email
        "Tariq,tariq@example.org,2025-09-23T17:00:00Z,ITP,JS1,sprint-2,London", // 7: a TA
    });
    // The course has no window to take the class's time from: it must be given.
    const auto noTime = importRegister(services(), course, sheet, true, fx->teacher.id);
    QVERIFY(!noTime);
    QCOMPARE(noTime.error().code, Errc::InvalidRequest);
    const int six = 18 * 60; // 18:00 in London: 17:00 UTC in September

    const auto dry = importRegister(services(), course, sheet, true, fx->teacher.id, six);
    QVERIFY(dry);
    QCOMPARE(dry->rows, 6);
    QCOMPARE(dry->recorded, 3);
    QCOMPARE(dry->alreadyRecorded, 0);
    QCOMPARE(dry->newWindows, (std::vector<int>{1, 2}));
    std::vector<int> skipped;
    for (const auto& s : dry->skipped)
        skipped.push_back(s.line);
    QCOMPARE(skipped, (std::vector<int>{4, 6, 7}));
    QVERIFY(fx->store->attendance().windowsOf(course.id)->empty()); // a dry run changes nothing

    const auto done = importRegister(services(), course, sheet, false, fx->teacher.id, six);
    QVERIFY(done);
    QVERIFY(!done->dryRun);
    QCOMPARE(describeImport(*done).size(), describeImport(*dry).size());
    QCOMPARE(done->recorded, dry->recorded);
    QCOMPARE(done->newWindows, dry->newWindows);
    const auto windows = *fx->store->attendance().windowsOf(course.id);
    QCOMPARE(windows.size(), std::size_t{2});
    for (const auto& w : windows)
        QVERIFY2(w.closedAt && w.scheduledStart, "made closed, at the class's time");
    // At the class's time on the day most rows fall on.
    QCOMPARE(formatRfc3339(*windows[0].scheduledStart), std::string("2025-09-16T17:00:00Z"));
    QCOMPARE(fx->store->tracker().importedCheckIns(course.id)->size(), std::size_t{3});
    auto view = trackerView(services(), course);
    QVERIFY(view);
    QCOMPARE(traineeIn(*view, amara).sprints,
             (std::map<int, TrackerAttendance>{{1, TrackerAttendance::OnTime}, {2, TrackerAttendance::OnTime}}));
    QCOMPARE(traineeIn(*view, bilal).sprints,
             (std::map<int, TrackerAttendance>{{1, TrackerAttendance::Late}, {2, TrackerAttendance::Absent}}));

    // Again, now that the windows give the time: nothing new.
    const auto again = importRegister(services(), course, sheet, false, fx->teacher.id);
    QVERIFY(again);
    QCOMPARE(again->recorded, 0);
    QCOMPARE(again->alreadyRecorded, 3);
    QVERIFY(again->newWindows.empty());
    QCOMPARE(fx->store->attendance().windowsOf(course.id)->size(), std::size_t{2});
    QCOMPARE(fx->store->tracker().importedCheckIns(course.id)->size(), std::size_t{3});

    // The export reads back as the same sheet, less what was skipped.
    view = trackerView(services(), course);
    const auto exported = csv::split(registerCsv(*view));
    QCOMPARE(exported.size(), std::size_t{4});
    QCOMPARE(exported[1].fields[2], std::string("2025-09-16T17:05:00Z"));
}

void TrackerTest::aMalformedRegisterImportsNothing()
{
    course = fx->addCourse("Old JS1", fx->teacher);
    amara = fx->addPerson("Amara Okafor", "amara@example.org");
    fx->enrol(amara, course, Role::Student);
    const auto result = importRegister(services(), course,
                                       lines({"Name,Email,Timestamp,Course,Module,Day,Location",
                                              "Amara,amara@example.org,2025-09-16T17:05:00Z,ITP,JS1,sprint-1,",
                                              "Amara,amara@example.org,2025-09-23T17:05:00Z,ITP,JS1,sprint-99,"}),
                                       false, fx->teacher.id);
    QVERIFY(!result);
    QCOMPARE(result.error().code, Errc::InvalidRequest);
    QVERIFY2(result.error().message.find("line 3: Day 'sprint-99'") != std::string::npos, result.error().message.c_str());
    QVERIFY(fx->store->attendance().windowsOf(course.id)->empty());
}

void TrackerTest::onlyTeachersImport()
{
    const std::string sheet = "Name,Email,Timestamp,Course,Module,Day,Location\r\n";
    QCOMPARE(importRegisterAs(services(), fx->as(fx->ta), fx->courseA.id, sheet, true).error().code,
             Errc::Forbidden);
    QCOMPARE(importRegisterAs(services(), fx->as(fx->studentA), fx->courseA.id, sheet, true).error().code,
             Errc::Forbidden);
    QCOMPARE(importRegisterAs(services(), fx->as(fx->teacherB), fx->courseA.id, sheet, true).error().code,
             Errc::Forbidden);
    QVERIFY(importRegisterAs(services(), fx->as(fx->teacher), fx->courseA.id, sheet, true));
    QCOMPARE(trackerViewOf(services(), fx->as(fx->studentA), fx->courseA.id).error().code, Errc::Forbidden);
    QVERIFY(trackerViewOf(services(), fx->as(fx->ta), fx->courseA.id));
}

QTEST_GUILESS_MAIN(TrackerTest)
#include "trackertest.moc"
