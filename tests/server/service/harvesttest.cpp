// service/harvest with real libcurl (fetch/curlfetch.h) against fake GitHub
// and Codewars servers on loopback that answer in their real shapes: values
// become snapshots, replies are asked about again with their ETag, rate
// limits stop the asking until the reset, and a failure for one person is
// recorded for them while the others are harvested. Snapshots accumulate
// across rounds and across a restart of the store.

#include "servicefixture.h"

#include "sync-server/demo/fakecodesites.h"
#include "sync-server/fetch/curlfetch.h"
#include "sync-server/service/harvest.h"
#include "sync-server/service/milestones.h"

#include "tests/support/qtestsupport.h"

#include <curl/curl.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using imhere::demo::FakeCodeSites;
using imhere::demo::FakeCoder;
using imhere::demo::FakeKata;
using imhere::demo::Limit;
using imhere::demo::Misbehaviour;

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

// A reply slower than this is a timeout.
constexpr long k_timeoutMs = 700;

} // namespace

class HarvestTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    std::unique_ptr<FakeCodeSites> sites;
    Services& services() { return *fx->services; }

    Harvester harvester()
    {
        HarvestSettings s;
        s.githubApiUrl = sites->url() + "/";
        s.codewarsApiUrl = sites->url();
        s.githubToken = "ghp_test-token";
        return Harvester(services(), s, CurlFetch(k_timeoutMs));
    }
    void name(const Person& p, std::string github, std::string codewars)
    {
        must(fx->store->milestones().setUsernames(p.id, github.empty() ? std::nullopt : std::optional(github),
                                                  codewars.empty() ? std::nullopt : std::optional(codewars)),
             "usernames");
    }
    std::optional<double> latest(const Person& p, const std::string& key)
    {
        std::optional<double> v;
        for (const MetricSnapshot& s : must(fx->store->milestones().snapshots(p.id, key), "snapshots"))
            v = s.value;
        return v;
    }
    std::size_t count(const Person& p, const std::string& key)
    {
        return must(fx->store->milestones().snapshots(p.id, key), "snapshots").size();
    }
    std::optional<std::string> errorOf(const Person& p, const std::string& source)
    {
        for (const HarvestError& e : must(fx->store->milestones().harvestErrors(p.id), "errors"))
            if (e.source == source)
                return e.message;
        return std::nullopt;
    }
    std::size_t requestsTo(const std::string& prefix)
    {
        std::size_t n = 0;
        for (const auto& r : sites->requests())
            n += r.path.starts_with(prefix);
        return n;
    }
    static FakeCoder sam()
    {
        FakeCoder c;
        c.prsMerged = 7;
        c.prsByOrg["CodeYourFuture"] = 3;
        c.honor = 120;
        c.rank = -6;
        c.katas = {{"5277c8a221e209d3f6000b56", "Valid Braces", {"javascript", "python"}, "2025-10-01T10:00:00.000Z"},
                   {"54da5a58ea159efa38000836", "Find the odd int", {"python"}, "2025-10-02T10:00:00.000Z"},
                   {"5526fc09a1bbd946250002dc", "Find The Parity Outlier", {"javascript"}, "2025-10-03T10:00:00.000Z"}};
        return c;
    }

private slots:
    void initTestCase() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    void init()
    {
        fx = std::make_unique<ServiceFixture>();
        sites = std::make_unique<FakeCodeSites>();
        QVERIFY(sites->listening());
        sites->setSlowness(std::chrono::milliseconds(3 * k_timeoutMs));
    }
    void cleanup()
    {
        sites.reset();
        fx.reset();
    }

    void valuesBecomeSnapshots();
    void requestsFollowGithubsConventions();
    void anUnchangedReplyIsNotSentAgain();
    void oneFailureIsRecordedAndTheOthersGoOn();
    void aRateLimitStopsTheAskingUntilItsReset();
    void a429WaitsForItsRetryAfter();
    void snapshotsAccumulateAcrossRoundsAndARestart();
    void attendanceIsSnapshottedForItsMilestones();
};

void HarvestTest::valuesBecomeSnapshots()
{
    sites->setCoder("sam-gh", sam());
    sites->setCoder("samcw", sam());
    name(fx->studentA, "sam-gh", "samcw");
    must(addPersonalMilestone(services(), fx->as(fx->studentA),
                              {"Python katas", "", "codewars_katas", "python", "10", "2025-12-01"}),
         "katas in python");
    must(addCourseMilestone(services(), fx->as(fx->teacher), fx->courseA.id,
                            {"PRs to CYF", "", "github_prs_merged", "CodeYourFuture", "10", "2025-12-01"}),
         "course PRs");
    auto h = harvester();
    const auto round = must(h.runOnce(), "round");
    QCOMPARE(round.people, 1);
    QCOMPARE(round.failed, 0);
    QCOMPARE(latest(fx->studentA, "github_prs_merged"), std::optional(7.0));
    QCOMPARE(latest(fx->studentA, "github_prs_merged:CodeYourFuture"), std::optional(3.0));
    QCOMPARE(latest(fx->studentA, "codewars_honor"), std::optional(120.0));
    QCOMPARE(latest(fx->studentA, "codewars_rank"), std::optional(-6.0));
    QCOMPARE(latest(fx->studentA, "codewars_katas"), std::optional(3.0));
    QCOMPARE(latest(fx->studentA, "codewars_katas:python"), std::optional(2.0));

    const auto mine = must(myMilestones(services(), fx->as(fx->studentA)), "progress");
    QCOMPARE(mine.personal.front().percent, 20.0);
    QCOMPARE(mine.course.front().percent, 30.0);
}

void HarvestTest::requestsFollowGithubsConventions()
{
    sites->setCoder("sam-gh", sam());
    name(fx->studentA, "sam-gh", "");
    auto h = harvester();
    must(h.runOnce(), "round");
    const auto seen = sites->requests();
    QCOMPARE(seen.size(), std::size_t{1});
    QCOMPARE(seen.front().path, "/search/issues?q=is%3Apr+is%3Amerged+author%3Asam-gh&per_page=1");
    QCOMPARE(seen.front().headers.at("accept"), "application/vnd.github+json");
    QCOMPARE(seen.front().headers.at("x-github-api-version"), "2022-11-28");
    QCOMPARE(seen.front().headers.at("authorization"), "Bearer ghp_test-token");
    QVERIFY(seen.front().headers.at("user-agent").starts_with("imhere-server"));
}

void HarvestTest::anUnchangedReplyIsNotSentAgain()
{
    sites->setCoder("sam-gh", sam());
    sites->setCoder("samcw", sam());
    name(fx->studentA, "sam-gh", "samcw");
    auto h = harvester();
    const auto first = must(h.runOnce(), "first");
    QCOMPARE(first.notModified, 0);
    const auto second = must(h.runOnce(), "second");
    QCOMPARE(second.requests, 2);
    QCOMPARE(second.notModified, 2);
    QCOMPARE(second.stored, 0);
    const auto seen = sites->requests();
    QVERIFY(seen.back().headers.contains("if-none-match"));
    QCOMPARE(latest(fx->studentA, "codewars_honor"), std::optional(120.0));
    QVERIFY(!errorOf(fx->studentA, "github"));

    sites->update("samcw", [](FakeCoder& c) { c.honor = 130; });
    fx->clock.advance(60'000);
    const auto third = must(h.runOnce(), "third");
    QCOMPARE(third.notModified, 1);
    QCOMPARE(latest(fx->studentA, "codewars_honor"), std::optional(130.0));
}

void HarvestTest::oneFailureIsRecordedAndTheOthersGoOn()
{
    // People are asked in the order they were added: the failing ones first.
    sites->setCoder("slow", sam());
    sites->setCoder("resets", sam());
    sites->setCoder("broken", sam());
    sites->setCoder("down", sam());
    sites->setCoder("sam-gh", sam());
    sites->misbehaveFor("slow", Misbehaviour::Slow);
    sites->misbehaveFor("resets", Misbehaviour::Reset);
    sites->misbehaveFor("broken", Misbehaviour::Malformed);
    sites->misbehaveFor("down", Misbehaviour::ServerError);
    name(fx->admin, "ghost", "ghost");
    name(fx->teacher, "slow", "");
    name(fx->ta, "resets", "");
    name(fx->studentA2, "broken", "broken");
    name(fx->studentB, "down", "");
    name(fx->outsider, "sam-gh", "");
    auto h = harvester();
    const auto round = must(h.runOnce(), "round");
    QCOMPARE(round.people, 6);
    QCOMPARE(round.failed, 7);
    QCOMPARE(errorOf(fx->admin, "github"), std::optional<std::string>("GitHub has no user \"ghost\""));
    QCOMPARE(errorOf(fx->admin, "codewars"), std::optional<std::string>("Codewars has no user \"ghost\""));
    QCOMPARE(errorOf(fx->teacher, "github"), std::optional<std::string>("could not reach GitHub: timed out"));
    QVERIFY(errorOf(fx->ta, "github")->starts_with("could not reach GitHub: "));
    QVERIFY(errorOf(fx->studentA2, "github")->contains("could not be read"));
    QVERIFY(errorOf(fx->studentA2, "codewars")->contains("could not be read"));
    QCOMPARE(errorOf(fx->studentB, "github"), std::optional<std::string>("GitHub answered HTTP 502"));
    QCOMPARE(latest(fx->outsider, "github_prs_merged"), std::optional(7.0));
    QVERIFY(!errorOf(fx->outsider, "github"));
    QVERIFY(!latest(fx->teacher, "github_prs_merged"));

    // The person's page shows it.
    const auto seen = must(traineeMilestones(services(), fx->as(fx->teacher), fx->studentA2.publicId), "page");
    QCOMPARE(seen.errors.size(), std::size_t{2});

    // Once the site answers again, the error goes.
    sites->misbehaveFor("down", Misbehaviour::None);
    must(h.runOnce(), "again");
    QVERIFY(!errorOf(fx->studentB, "github"));
    QCOMPARE(latest(fx->studentB, "github_prs_merged"), std::optional(7.0));
}

void HarvestTest::aRateLimitStopsTheAskingUntilItsReset()
{
    sites->setCoder("sam-gh", sam());
    sites->setCoder("samcw", sam());
    sites->setCoder("other", sam());
    name(fx->studentA, "sam-gh", "samcw");
    name(fx->studentA2, "other", "");
    const std::int64_t reset = fx->clock.nowMs() / 1000 + 120;
    sites->limitGithub(Limit::Primary403, reset);
    auto h = harvester();
    const auto round = must(h.runOnce(), "limited");
    QCOMPARE(requestsTo("/search/"), std::size_t{1}); // the second person is not asked
    QCOMPARE(round.waiting, 2);
    QCOMPARE(h.githubWaitUntil(), reset * 1000);
    QCOMPARE(latest(fx->studentA, "codewars_honor"), std::optional(120.0)); // Codewars is still asked
    QVERIFY(!errorOf(fx->studentA, "github"));

    fx->clock.advance(60'000); // before the reset
    must(h.runOnce(), "still waiting");
    QCOMPARE(requestsTo("/search/"), std::size_t{1});

    sites->limitGithub(Limit::None);
    fx->clock.advance(61'000); // past it
    must(h.runOnce(), "after the reset");
    QCOMPARE(requestsTo("/search/"), std::size_t{3});
    QCOMPARE(latest(fx->studentA2, "github_prs_merged"), std::optional(7.0));
}

void HarvestTest::a429WaitsForItsRetryAfter()
{
    sites->setCoder("samcw", sam());
    name(fx->studentA, "", "samcw");
    sites->limitCodewars(Limit::Secondary429, 0, 30);
    auto h = harvester();
    must(h.runOnce(), "429");
    QCOMPARE(h.codewarsWaitUntil(), fx->clock.nowMs() + 30'000);
    fx->clock.advance(29'000);
    must(h.runOnce(), "waiting");
    QCOMPARE(requestsTo("/api/v1/users/"), std::size_t{1});
    sites->limitCodewars(Limit::None);
    fx->clock.advance(2'000);
    must(h.runOnce(), "after");
    QCOMPARE(requestsTo("/api/v1/users/"), std::size_t{2});
    QCOMPARE(latest(fx->studentA, "codewars_honor"), std::optional(120.0));
}

void HarvestTest::snapshotsAccumulateAcrossRoundsAndARestart()
{
    sites->setCoder("samcw", sam());
    name(fx->studentA, "", "samcw");
    {
        auto h = harvester();
        must(h.runOnce(), "day 1");
        sites->update("samcw", [](FakeCoder& c) { c.honor = 140; });
        fx->clock.advance(3'600'000);
        must(h.runOnce(), "an hour later");
        fx->clock.advance(3'600'000);
        must(h.runOnce(), "unchanged");
    }
    QCOMPARE(count(fx->studentA, "codewars_honor"), std::size_t{2});

    // The server stops and starts again on the same file.
    fx->restart();
    fx->clock.advance(ServiceFixture::k_day);
    auto h = harvester();
    const auto round = must(h.runOnce(), "the next day");
    QCOMPARE(round.notModified, 1); // the ETag survived the restart
    QCOMPARE(count(fx->studentA, "codewars_honor"), std::size_t{3}); // one a day, even unchanged
    sites->update("samcw", [](FakeCoder& c) { c.honor = 180; });
    fx->clock.advance(3'600'000);
    must(h.runOnce(), "changed again");
    QCOMPARE(count(fx->studentA, "codewars_honor"), std::size_t{4});
    QCOMPARE(latest(fx->studentA, "codewars_honor"), std::optional(180.0));
}

void HarvestTest::attendanceIsSnapshottedForItsMilestones()
{
    fx->addCheckIn(fx->studentA, fx->openA, fx->clock.nowMs());
    auto h = harvester();
    must(h.runOnce(), "no milestone");
    QCOMPARE(count(fx->studentA, "attendance_percent:" + fx->courseA.id), std::size_t{0});
    must(addPersonalMilestone(services(), fx->as(fx->studentA),
                              {"Attend", "", "attendance_percent", fx->courseA.id, "90", "2025-12-01"}),
         "attendance");
    must(h.runOnce(), "with one");
    QCOMPARE(latest(fx->studentA, "attendance_percent:" + fx->courseA.id), std::optional(50.0));
    QVERIFY(latest(fx->studentA2, "attendance_percent:" + fx->courseA.id)); // the whole course is measured
}

QTEST_GUILESS_MAIN(HarvestTest)
#include "harvesttest.moc"
