// service/milestones: trainees set their own milestones and their course's
// teachers set the course's; progress is a share of the target, and the
// state follows progress against the time gone before the due day
// (docs/MILESTONES.md). Who may read and change what is checked here too.

#include "servicefixture.h"

#include "sync-server/service/milestones.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {
template <class T>
T must(Result<T> r, const char* what)
{
    if (!r)
        qFatal("%s: %s", what, r.error().message.c_str());
    return std::move(*r);
}
[[maybe_unused]] void must(Result<void> r, const char* what)
{
    if (!r)
        qFatal("%s: %s", what, r.error().message.c_str());
}
} // namespace

class MilestonesTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }

    // 2025-10-09 is the fixture's day; due 30 days later.
    static MilestoneInput honor(std::string target = "100", std::string due = "2025-11-08")
    {
        return {"Reach 100 honor", "", "codewars_honor", "", std::move(target), std::move(due)};
    }
    static int state(const MilestoneProgress& p) { return static_cast<int>(p.state); }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void progressIsAShareOfTheTarget();
    void aRankCountsInStepsFrom8Kyu();
    void stateFollowsProgressAgainstTimeGone();
    void aRateIsExpectedAllAlong();
    void aTraineeSetsTheirOwnAndNobodyElseChangesThem();
    void badInputIsNamedByField();
    void onlyTeachersSetCourseMilestones();
    void progressComesFromTheLatestSnapshot();
    void attendanceMilestonesReadTheReportsFigures();
    void aMentorConfirmsAManualMilestone();
    void aMentorSeesTheirTraineesOnly();
    void theOverviewPutsWhoNeedsHelpFirst();
    void usernamesAreSetByTheirOwner();
    void snapshotsAreStoredWhenChangedAndOnceADay();
    void thePublicViewSuppressesSmallGroupsAndNamesNobody();
    void onlyAdminsAndLeadsReadTheProgrammeColumns();
};

void MilestonesTest::progressIsAShareOfTheTarget()
{
    QCOMPARE(progressPercent(MilestoneMetric::CodewarsHonor, 50, 200), 25.0);
    QCOMPARE(progressPercent(MilestoneMetric::GithubPrsMerged, 12, 10), 100.0);
    QCOMPARE(progressPercent(MilestoneMetric::CodewarsKatas, 0, 10), 0.0);
    QCOMPARE(progressPercent(MilestoneMetric::AttendancePercent, 72, 80), 90.0);
}

void MilestonesTest::aRankCountsInStepsFrom8Kyu()
{
    // 8 kyu is step 1, 5 kyu step 4, 1 kyu step 8, 1 dan step 9.
    QCOMPARE(progressPercent(MilestoneMetric::CodewarsRank, -8, -5), 25.0);
    QCOMPARE(progressPercent(MilestoneMetric::CodewarsRank, -6, -5), 75.0);
    QCOMPARE(progressPercent(MilestoneMetric::CodewarsRank, -4, -5), 100.0);
    QCOMPARE(progressPercent(MilestoneMetric::CodewarsRank, -1, 1), 800.0 / 9);
    QCOMPARE(rankName(-5), "5 kyu");
    QCOMPARE(rankName(2), "2 dan");
}

void MilestonesTest::stateFollowsProgressAgainstTimeGone()
{
    const std::int64_t start = 0;
    const std::int64_t due = 100 * ServiceFixture::k_day;
    const auto at = [&](double percent, int day) {
        return static_cast<int>(milestoneState(MilestoneMetric::CodewarsHonor, percent, start, due,
                                               day * ServiceFixture::k_day));
    };
    constexpr int onTrack = static_cast<int>(MilestoneState::OnTrack);
    constexpr int behind = static_cast<int>(MilestoneState::Behind);
    constexpr int atRisk = static_cast<int>(MilestoneState::AtRisk);
    QCOMPARE(at(0, 5), onTrack);   // the first tenth of the time expects nothing
    QCOMPARE(at(0, 20), atRisk);
    QCOMPARE(at(40, 50), onTrack); // 0.8 of the expected 50 %
    QCOMPARE(at(39, 50), behind);
    QCOMPARE(at(25, 50), behind);  // 0.5
    QCOMPARE(at(24, 50), atRisk);
    QCOMPARE(at(100, 150), onTrack); // reached stays on track
    QCOMPARE(at(99, 101), atRisk);   // past the due day unreached
}

void MilestonesTest::aRateIsExpectedAllAlong()
{
    const auto rate = [](double percent) {
        return static_cast<int>(milestoneState(MilestoneMetric::AttendancePercent, percent, 0, 100, 1));
    };
    QCOMPARE(rate(100), static_cast<int>(MilestoneState::OnTrack));
    QCOMPARE(rate(90), static_cast<int>(MilestoneState::Behind));
    QCOMPARE(rate(89), static_cast<int>(MilestoneState::AtRisk));
}

void MilestonesTest::aTraineeSetsTheirOwnAndNobodyElseChangesThem()
{
    const auto added = addPersonalMilestone(services(), fx->as(fx->studentA), honor());
    QVERIFY2(added, added ? "" : added.error().message.c_str());
    QCOMPARE(*added->owner, fx->studentA.id);
    QCOMPARE(added->fields.target, 100.0);

    const auto other = editMilestone(services(), fx->as(fx->studentA2), added->id, honor("50"));
    QVERIFY(!other);
    QCOMPARE(other.error().code, Errc::NotFound);
    QVERIFY(!deleteMilestone(services(), fx->as(fx->teacher), added->id));

    const auto edited = editMilestone(services(), fx->as(fx->studentA), added->id, honor("150"));
    QVERIFY2(edited, edited ? "" : edited.error().message.c_str());
    const auto mine = must(myMilestones(services(), fx->as(fx->studentA)), "my milestones");
    QCOMPARE(mine.personal.size(), std::size_t{1});
    QCOMPARE(mine.personal.front().milestone.fields.target, 150.0);

    QVERIFY(deleteMilestone(services(), fx->as(fx->studentA), added->id));
    QVERIFY(must(myMilestones(services(), fx->as(fx->studentA)), "after delete").personal.empty());
}

void MilestonesTest::badInputIsNamedByField()
{
    const auto fields = [&](MilestoneInput in) {
        QStringList out;
        for (const auto& [field, message] : milestoneProblems(services(), fx->as(fx->studentA), in, std::nullopt))
            out << QString::fromStdString(field);
        return out;
    };
    QCOMPARE(fields({"", "", "codewars_honor", "", "100", "2025-11-08"}), QStringList{"title"});
    QCOMPARE(fields({"t", "", "stars", "", "1", "2025-11-08"}), QStringList{"metric"});
    QCOMPARE(fields({"t", "", "codewars_honor", "", "-3", "2025-11-08"}), QStringList{"target"});
    QCOMPARE(fields({"t", "", "codewars_rank", "", "9 kyu", "2025-11-08"}), QStringList{"target"});
    QCOMPARE(fields({"t", "", "codewars_rank", "", "5 kyu", "2025-11-08"}), QStringList{});
    QCOMPARE(fields({"t", "", "codewars_honor", "", "10", "2025-02-30"}), QStringList{"due"});
    QCOMPARE(fields({"t", "", "codewars_katas", "py thon", "10", "2025-11-08"}), QStringList{"scope"});
    QCOMPARE(fields({"t", "", "attendance_percent", fx->courseB.id, "80", "2025-11-08"}), QStringList{"scope"});
    QCOMPARE(fields({"t", "", "attendance_percent", fx->courseA.id, "180", "2025-11-08"}), QStringList{"target"});

    const auto refused = addPersonalMilestone(services(), fx->as(fx->studentA), {"", "", "manual", "", "", ""});
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Errc::InvalidRequest);
    QVERIFY(must(myMilestones(services(), fx->as(fx->studentA)), "nothing stored").personal.empty());
}

void MilestonesTest::onlyTeachersSetCourseMilestones()
{
    for (const Person* who : {&fx->ta, &fx->studentA}) {
        const auto r = addCourseMilestone(services(), fx->as(*who), fx->courseA.id, honor());
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::Forbidden);
    }
    const auto outsider = addCourseMilestone(services(), fx->as(fx->teacherB), fx->courseA.id, honor());
    QVERIFY(!outsider);
    QCOMPARE(outsider.error().code, Errc::Forbidden);
    for (const Person* who : {&fx->teacher, &fx->admin})
        QVERIFY(addCourseMilestone(services(), fx->as(*who), fx->courseA.id, honor()));
    const auto mine = must(myMilestones(services(), fx->as(fx->studentA)), "course milestones of a trainee");
    QCOMPARE(mine.course.size(), std::size_t{2});
    QCOMPARE(*mine.course.front().courseName, fx->courseA.name);
    QVERIFY(must(myMilestones(services(), fx->as(fx->studentB)), "another course").course.empty());
}

void MilestonesTest::progressComesFromTheLatestSnapshot()
{
    must(addPersonalMilestone(services(), fx->as(fx->studentA), honor()), "add");
    auto mine = must(myMilestones(services(), fx->as(fx->studentA)), "not measured");
    QVERIFY(!mine.personal.front().value);
    must(fx->store->milestones().addSnapshot(fx->studentA.id, {"codewars_honor", 20, fx->clock.nowMs()}, 0), "20");
    fx->clock.advance(15 * ServiceFixture::k_day); // half the time gone
    must(fx->store->milestones().addSnapshot(fx->studentA.id, {"codewars_honor", 45, fx->clock.nowMs()}, 0), "45");
    mine = must(myMilestones(services(), fx->as(fx->studentA)), "measured");
    const MilestoneProgress& p = mine.personal.front();
    QCOMPARE(*p.value, 45.0);
    QCOMPARE(p.percent, 45.0);
    QCOMPARE(state(p), static_cast<int>(MilestoneState::OnTrack)); // 45 / 50 = 0.9
    QCOMPARE(mine.history.at("codewars_honor").size(), std::size_t{2});
}

void MilestonesTest::attendanceMilestonesReadTheReportsFigures()
{
    // studentA checked in to the open window; the closed one a week ago
    // counts as absent: 50 % attendance.
    fx->addCheckIn(fx->studentA, fx->openA, fx->clock.nowMs());
    fx->addCheckIn(fx->studentA2, fx->openA, fx->clock.nowMs());
    must(addCourseMilestone(services(), fx->as(fx->teacher), fx->courseA.id,
                            {"Attend", "", "attendance_percent", "", "80", "2025-12-01"}),
         "course attendance");
    const auto mine = must(myMilestones(services(), fx->as(fx->studentA)), "mine");
    const MilestoneProgress& p = mine.course.front();
    QVERIFY(p.value);
    QCOMPARE(*p.value, 50.0);
    QCOMPARE(p.percent, 62.5);
    QCOMPARE(state(p), static_cast<int>(MilestoneState::AtRisk));
}

void MilestonesTest::aMentorConfirmsAManualMilestone()
{
    const auto m = must(addPersonalMilestone(services(), fx->as(fx->studentA),
                                             {"Mock interview", "", "manual", "", "", "2025-11-01"}),
                        "manual");
    QVERIFY(!confirmManualMilestone(services(), fx->as(fx->studentA2), m.id, fx->studentA.publicId, "done"));
    QVERIFY(!confirmManualMilestone(services(), fx->as(fx->teacherB), m.id, fx->studentA.publicId, "done"));
    QVERIFY(!confirmManualMilestone(services(), fx->as(fx->ta), m.id, fx->studentA.publicId, "  "));
    QVERIFY(confirmManualMilestone(services(), fx->as(fx->ta), m.id, fx->studentA.publicId, "Went well"));
    const auto mine = must(myMilestones(services(), fx->as(fx->studentA)), "confirmed");
    const MilestoneProgress& p = mine.personal.front();
    QVERIFY(p.reached);
    QCOMPARE(p.confirmation->note, "Went well");
    QCOMPARE(p.confirmation->actorName, fx->ta.displayName);
}

void MilestonesTest::aMentorSeesTheirTraineesOnly()
{
    must(addPersonalMilestone(services(), fx->as(fx->studentA), honor()), "add");
    const auto seen = traineeMilestones(services(), fx->as(fx->ta), fx->studentA.publicId);
    QVERIFY2(seen, seen ? "" : seen.error().message.c_str());
    QCOMPARE(seen->personal.size(), std::size_t{1});
    QVERIFY(seen->mayConfirm);
    for (const Person* who : {&fx->teacherB, &fx->studentA2, &fx->outsider}) {
        const auto r = traineeMilestones(services(), fx->as(*who), fx->studentA.publicId);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::Forbidden);
    }
}

void MilestonesTest::theOverviewPutsWhoNeedsHelpFirst()
{
    must(addCourseMilestone(services(), fx->as(fx->teacher), fx->courseA.id, honor()), "course");
    // Half the time gone: studentA2 is on track, studentA at risk.
    fx->clock.advance(15 * ServiceFixture::k_day);
    must(fx->store->milestones().addSnapshot(fx->studentA2.id, {"codewars_honor", 60, fx->clock.nowMs()}, 0), "60");
    must(fx->store->milestones().addSnapshot(fx->studentA.id, {"codewars_honor", 5, fx->clock.nowMs()}, 0), "5");
    const auto byNeed = must(courseMilestoneOverview(services(), fx->as(fx->ta), fx->courseA.id), "overview");
    QCOMPARE(byNeed.rows.size(), std::size_t{2});
    QCOMPARE(byNeed.rows.front().member.publicId, fx->studentA.publicId);
    QCOMPARE(byNeed.rows.front().atRisk, 1);
    QVERIFY(!byNeed.mayEdit);
    const auto overview = courseMilestoneOverview(services(), fx->as(fx->studentA), fx->courseA.id);
    QVERIFY(!overview);
    QCOMPARE(overview.error().code, Errc::Forbidden);
}

void MilestonesTest::usernamesAreSetByTheirOwner()
{
    const auto set = setMyUsernames(services(), fx->as(fx->studentA), "@octo-cat", "warrior_1");
    QVERIFY2(set, set ? "" : set.error().message.c_str());
    QCOMPARE(*fx->person(fx->studentA.publicId)->github, "octo-cat");
    QCOMPARE(*fx->person(fx->studentA.publicId)->codewars, "warrior_1");
    QVERIFY(!setMyUsernames(services(), fx->as(fx->studentA), "bad name", ""));
    QCOMPARE(*fx->person(fx->studentA.publicId)->github, "octo-cat");
    QVERIFY(setMyUsernames(services(), fx->as(fx->studentA), "", ""));
    QVERIFY(!fx->person(fx->studentA.publicId)->github);
}

void MilestonesTest::snapshotsAreStoredWhenChangedAndOnceADay()
{
    auto& repo = fx->store->milestones();
    const std::int64_t t0 = fx->clock.nowMs();
    const std::int64_t day0 = t0 - t0 % ServiceFixture::k_day;
    QVERIFY(must(repo.addSnapshot(fx->studentA.id, {"codewars_honor", 10, t0}, day0), "first"));
    QVERIFY(!must(repo.addSnapshot(fx->studentA.id, {"codewars_honor", 10, t0 + 60'000}, day0), "unchanged"));
    QVERIFY(must(repo.addSnapshot(fx->studentA.id, {"codewars_honor", 12, t0 + 120'000}, day0), "changed"));
    const std::int64_t t1 = t0 + ServiceFixture::k_day;
    QVERIFY(must(repo.addSnapshot(fx->studentA.id, {"codewars_honor", 12, t1}, t1 - t1 % ServiceFixture::k_day),
                 "a new day"));
    QCOMPARE(must(repo.snapshots(fx->studentA.id, "codewars_honor"), "read").size(), std::size_t{3});
}

void MilestonesTest::thePublicViewSuppressesSmallGroupsAndNamesNobody()
{
    must(fx->store->milestones().setUsernames(fx->studentA.id, std::string("octo-cat"), std::nullopt), "names");
    must(addCourseMilestone(services(), fx->as(fx->teacher), fx->courseA.id, honor()), "course");
    must(addPersonalMilestone(services(), fx->as(fx->studentA), {"My secret plan", "", "manual", "", "", "2025-11-01"}),
         "own");
    // Course A has two trainees: fewer than five, so no counts.
    const auto view = must(publicCourseMilestones(services(), fx->courseA.id), "public course");
    QCOMPARE(view.milestones.size(), std::size_t{1});
    QVERIFY(!view.milestones.front().counts);
    QVERIFY(!view.personal);
    QCOMPARE(view.trainees.size(), std::size_t{2}); // each by public id
    const auto mine = must(publicTraineeMilestones(services(), fx->studentA.publicId), "public trainee");
    QVERIFY(!mine.person.github);
    QVERIFY(mine.history.empty());
    QCOMPARE(mine.personal.size(), std::size_t{1});
    const auto teacher = publicTraineeMilestones(services(), fx->teacher.publicId);
    QVERIFY(!teacher);
    QCOMPARE(teacher.error().code, Errc::NotFound);
}

void MilestonesTest::onlyAdminsAndLeadsReadTheProgrammeColumns()
{
    must(addCourseMilestone(services(), fx->as(fx->teacher), fx->courseA.id, honor()), "course");
    const auto denied = programmeMilestones(services(), fx->as(fx->teacher));
    QVERIFY(!denied);
    QCOMPARE(denied.error().code, Errc::Forbidden);
    const auto rows = must(programmeMilestones(services(), fx->as(fx->admin)), "admin");
    const auto a = std::ranges::find(rows, fx->courseA.id, [](const ProgrammeMilestoneRow& r) { return r.course.id; });
    QVERIFY(a != rows.end());
    QCOMPARE(a->courseMilestones, 1);
    QCOMPARE(a->trainees, 2);
    QCOMPARE(a->ofCourse.total(), 2);
}

QTEST_GUILESS_MAIN(MilestonesTest)
#include "milestonestest.moc"
