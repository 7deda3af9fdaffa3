// service/slack: a closed window's summary posted to the course's Slack
// webhook through the outbox, by deliverDueSlackPosts with the libcurl
// sender `serve` uses, against a fake webhook on loopback
// (tests/server/webhooksink.h) that checks each body against Slack's
// documented shape and answers 200, 429 with Retry-After, 500, a reset
// connection or 404. Nothing is posted while a request is handled; a 429 is
// tried after its Retry-After, a 500 or a reset after the backoff, a 404
// given up; a claimed post is not posted by a second sender, a delivered one
// never again, also after a restart; failures show in the course's status;
// webhook URLs are checked and shown masked; who may set them.

#include "servicefixture.h"

#include "tests/server/webhooksink.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/reportviews.h"
#include "sync-server/service/slack.h"
#include "sync-server/serverlimits.h"
#include "sync-server/slack/webhooksender.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {
constexpr std::chrono::seconds k_wait{10};
constexpr std::string_view k_realWebhook = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcDEF123ghiJKL456";
} // namespace

class SlackTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    std::unique_ptr<WebhookSink> sink;
    Services& services() { return *fx->services; }

    SlackRound deliver()
    {
        WebhookSender sender(10);
        const auto round = deliverDueSlackPosts(services(), [&](const std::string& url, const std::string& json) {
            const WebhookOutcome outcome = sender.post(url, json);
            return SlackAnswer{outcome.status, outcome.body, outcome.retryAfter, outcome.error};
        });
        if (!round)
            qFatal("deliverDueSlackPosts: %s", round.error().message.c_str());
        return *round;
    }
    SlackOutboxState state() { return fx->store->outbox().slackOutboxOf(fx->courseA.id).value(); }
    void useSink()
    {
        services().slackLoopback = true;
        const auto set = setSlackWebhook(services(), fx->as(fx->teacher), fx->courseA.id, sink->url());
        QVERIFY2(set, set ? "" : set.error().message.c_str());
    }
    void closeOpenWindow()
    {
        const auto closed = setWindowOpen(services(), fx->as(fx->teacher), fx->openA.id, false);
        QVERIFY2(closed, closed ? "" : closed.error().message.c_str());
    }

private slots:
    void init()
    {
        fx = std::make_unique<ServiceFixture>();
        sink = std::make_unique<WebhookSink>();
    }
    void cleanup()
    {
        fx.reset();
        sink.reset();
    }

    void aClosedWindowIsPostedOnceAsBlockKit();
    void theWindowsEndQueuesAPostToo();
    void aCourseWithoutWebhookQueuesNothing();
    void a429IsTriedAfterItsRetryAfter();
    void a500AndAResetAreTriedAgainAfterTheBackoff();
    void aWebhookSlackRefusesIsGivenUp();
    void aClaimedPostWaitsForItsLease();
    void nothingIsLostOrPostedTwiceAcrossARestart();
    void webhookUrlsAreCheckedAndShownMasked();
    void onlyTeachersAndAdminsSetTheWebhook();
    void aLongSummaryStaysWithinSlacksLimits();
};

void SlackTest::aClosedWindowIsPostedOnceAsBlockKit()
{
    useSink();
    fx->addCheckIn(fx->studentA, fx->openA, ServiceFixture::k_start);
    closeOpenWindow();
    // Nothing is posted while the request is handled: it waits in the outbox.
    QCOMPARE(sink->posts().size(), std::size_t(0));
    QCOMPARE(state().waiting, std::int64_t(1));

    const SlackRound round = deliver();
    QCOMPARE(round.delivered, 1);
    QVERIFY(sink->waitForPosts(1, k_wait));
    const ReceivedPost post = sink->posts().front();
    QCOMPARE(post.path, std::string("/services/T0TEST/B0TEST/sinksecret"));
    QVERIFY(post.contentType.starts_with("application/json"));
    QCOMPARE(slackShapeProblem(post.body), std::string());
    const QJsonObject message = QJsonDocument::fromJson(QByteArray::fromStdString(post.body)).object();
    const QString text = message.value("text").toString();
    QVERIFY2(text.contains(QString::fromStdString(fx->courseA.name)), qPrintable(text));
    QVERIFY2(text.contains("1 of 2 trainees present"), qPrintable(text));
    const QJsonArray blocks = message.value("blocks").toArray();
    QCOMPARE(blocks.first().toObject().value("type").toString(), QString("section"));
    QCOMPARE(blocks.last().toObject().value("type").toString(), QString("context"));

    // Delivered is recorded: never posted again.
    const SlackOutboxState after = state();
    QCOMPARE(after.delivered, std::int64_t(1));
    QCOMPARE(after.waiting, std::int64_t(0));
    QVERIFY(!after.problem);
    fx->clock.advance(ServiceFixture::k_day);
    QCOMPARE(deliver().delivered, 0);
    QCOMPARE(sink->posts().size(), std::size_t(1));
}

void SlackTest::theWindowsEndQueuesAPostToo()
{
    useSink();
    fx->clock.advance(ServiceFixture::k_day); // past the open window's end and grace
    const auto closed = closeDueWindows(services());
    QVERIFY(closed);
    QVERIFY(std::ranges::any_of(*closed, [&](const Window& w) { return w.id == fx->openA.id; }));
    QCOMPARE(state().waiting, std::int64_t(1));
    QCOMPARE(deliver().delivered, 1);
    QVERIFY(sink->waitForPosts(1, k_wait));
    QCOMPARE(slackShapeProblem(sink->posts().front().body), std::string());
}

void SlackTest::aCourseWithoutWebhookQueuesNothing()
{
    closeOpenWindow();
    QCOMPARE(state().waiting, std::int64_t(0));
    QCOMPARE(deliver().delivered, 0);
    QCOMPARE(sink->posts().size(), std::size_t(0));
}

void SlackTest::a429IsTriedAfterItsRetryAfter()
{
    useSink();
    sink->script({WebhookReply::TooMany});
    sink->setRetryAfter(120);
    closeOpenWindow();
    QCOMPARE(deliver().retrying, 1);
    const auto problem = state().problem;
    QVERIFY(problem);
    QCOMPARE(problem->lastStatus.value_or(0), 429);
    QCOMPARE(*problem->nextAttemptAt, fx->clock.nowMs() + 120'000);

    fx->clock.advance(119'000);
    QCOMPARE(deliver().delivered + deliver().retrying, 0);
    QCOMPARE(sink->posts().size(), std::size_t(1));
    fx->clock.advance(1'000);
    QCOMPARE(deliver().delivered, 1);
    QCOMPARE(sink->delivered().size(), std::size_t(1));
    QVERIFY(!state().problem);
}

void SlackTest::a500AndAResetAreTriedAgainAfterTheBackoff()
{
    useSink();
    sink->script({WebhookReply::ServerError, WebhookReply::Reset});
    closeOpenWindow();
    QCOMPARE(deliver().retrying, 1);
    auto problem = state().problem;
    QVERIFY(problem);
    QCOMPARE(problem->lastStatus.value_or(0), 500);
    QCOMPARE(problem->lastError, std::string("HTTP 500: internal_error"));
    QCOMPARE(*problem->nextAttemptAt - fx->clock.nowMs(), server::limits::k_slackFirstRetryMs);

    fx->clock.advance(server::limits::k_slackFirstRetryMs);
    QCOMPARE(deliver().retrying, 1); // the connection is reset
    problem = state().problem;
    QVERIFY(problem);
    QVERIFY(!problem->lastStatus);
    QVERIFY(!problem->lastError.empty());
    QCOMPARE(problem->attempts, 2);
    // The wait doubles.
    QCOMPARE(*problem->nextAttemptAt - fx->clock.nowMs(), 2 * server::limits::k_slackFirstRetryMs);
    fx->clock.advance(2 * server::limits::k_slackFirstRetryMs - 1);
    QCOMPARE(deliver().delivered, 0);
    fx->clock.advance(1);
    QCOMPARE(deliver().delivered, 1);
    QCOMPARE(sink->posts().size(), std::size_t(3));
    QCOMPARE(sink->delivered().size(), std::size_t(1));
    for (const ReceivedPost& p : sink->posts())
        QCOMPARE(slackShapeProblem(p.body), std::string());
    QCOMPARE(state().delivered, std::int64_t(1));
}

void SlackTest::aWebhookSlackRefusesIsGivenUp()
{
    useSink();
    sink->script({WebhookReply::NoService});
    closeOpenWindow();
    QCOMPARE(deliver().givenUp, 1);
    const SlackOutboxState s = state();
    QCOMPARE(s.givenUp, std::int64_t(1));
    QVERIFY(s.problem);
    QVERIFY(!s.problem->nextAttemptAt);
    QCOMPARE(s.problem->lastError, std::string("HTTP 404: no_service"));
    fx->clock.advance(ServiceFixture::k_day);
    QCOMPARE(deliver().givenUp + deliver().delivered, 0);
    QCOMPARE(sink->posts().size(), std::size_t(1));

    // The status staff read says so.
    const auto status = slackStatus(services(), fx->as(fx->ta), fx->courseA.id);
    QVERIFY(status);
    QVERIFY(status->outbox.problem);
    QVERIFY(!slackStatus(services(), fx->as(fx->studentA), fx->courseA.id));
}

void SlackTest::aClaimedPostWaitsForItsLease()
{
    useSink();
    closeOpenWindow();
    // Another sender has claimed it and is posting.
    const auto now = fx->clock.nowMs();
    const auto claimed = fx->store->outbox().claimSlackPosts(now, now + server::limits::k_slackClaimMs, 10);
    QVERIFY(claimed);
    QCOMPARE(claimed->size(), std::size_t(1));
    QCOMPARE(deliver().delivered, 0);
    QCOMPARE(sink->posts().size(), std::size_t(0));
    // That sender stopped without an answer: the claim ends with its lease.
    fx->clock.advance(server::limits::k_slackClaimMs);
    QCOMPARE(deliver().delivered, 1);
    QCOMPARE(sink->posts().size(), std::size_t(1));
}

void SlackTest::nothingIsLostOrPostedTwiceAcrossARestart()
{
    useSink();
    closeOpenWindow();
    QCOMPARE(deliver().delivered, 1);
    // A second window closes; the server stops before posting it, with the
    // post claimed.
    const Window second = fx->addWindow(fx->courseA, "Second class", fx->clock.nowMs());
    const auto closed = setWindowOpen(services(), fx->as(fx->teacher), second.id, false);
    QVERIFY(closed);
    const auto now = fx->clock.nowMs();
    QVERIFY(fx->store->outbox().claimSlackPosts(now, now + server::limits::k_slackClaimMs, 10));

    fx->restart();
    services().slackLoopback = true;
    // The server starting ends the claims left behind (serve does this).
    QVERIFY(fx->store->outbox().releaseSlackClaims());
    QCOMPARE(deliver().delivered, 1);
    QCOMPARE(deliver().delivered, 0);
    const auto posts = sink->posts();
    QCOMPARE(posts.size(), std::size_t(2));
    QVERIFY(QString::fromStdString(posts.back().body).contains("Second class"));
    QCOMPARE(state().delivered, std::int64_t(2));
}

void SlackTest::webhookUrlsAreCheckedAndShownMasked()
{
    QVERIFY(checkSlackWebhook(k_realWebhook, false));
    for (std::string_view bad :
         {"http://hooks.slack.com/services/T0123ABCD/B0456EFGH/abc", "https://hooks.slack.com.evil.test/services/T1/B2/c",
          "https://evil.test/services/T1/B2/c", "https://hooks.slack.com/services/T1/B2", "https://hooks.slack.com/services/T1/B2/c/d",
          "https://hooks.slack.com/services/T1/B2/c?x=1", "https://hooks.slack.com/workflows/T1/B2/c", "", "hooks.slack.com/services/T1/B2/c",
          "https://user@hooks.slack.com/services/T1/B2/c"}) {
        const auto checked = checkSlackWebhook(bad, true);
        QVERIFY2(!checked, std::string(bad).c_str());
        QCOMPARE(int(checked.error().code), int(Errc::InvalidRequest));
    }
    // Loopback only where the server allows it, and only loopback.
    QVERIFY(!checkSlackWebhook("http://127.0.0.1:8099/services/T1/B2/c", false));
    QVERIFY(checkSlackWebhook("http://127.0.0.1:8099/services/T1/B2/c", true));
    QVERIFY(!checkSlackWebhook("http://10.0.0.1:8099/services/T1/B2/c", true));
    QVERIFY(!checkSlackWebhook("http://127.0.0.1.evil.test:80/x", true));

    QCOMPARE(maskSlackWebhook(k_realWebhook), std::string("https://hooks.slack.com/services/T…/B…/••••"));
    QCOMPARE(maskSlackWebhook("http://127.0.0.1:8099/services/T1/B2/c"), std::string("http://127.0.0.1:8099/…/••••"));

    // A bad URL changes nothing.
    QVERIFY(setSlackWebhook(services(), fx->as(fx->teacher), fx->courseA.id, std::string(k_realWebhook)));
    QVERIFY(!setSlackWebhook(services(), fx->as(fx->teacher), fx->courseA.id, "https://evil.test/services/T1/B2/c"));
    QCOMPARE(fx->store->outbox().slackWebhook(fx->courseA.id).value().value_or(""), std::string(k_realWebhook));
    const auto status = slackStatus(services(), fx->as(fx->teacher), fx->courseA.id);
    QVERIFY(status);
    QCOMPARE(status->maskedWebhook.value_or(""), std::string("https://hooks.slack.com/services/T…/B…/••••"));
    // Removed: nothing is queued any more.
    QVERIFY(setSlackWebhook(services(), fx->as(fx->teacher), fx->courseA.id, std::nullopt));
    QVERIFY(!fx->store->outbox().slackWebhook(fx->courseA.id).value());
}

void SlackTest::onlyTeachersAndAdminsSetTheWebhook()
{
    const std::string url(k_realWebhook);
    QVERIFY(setSlackWebhook(services(), fx->as(fx->teacher), fx->courseA.id, url));
    QVERIFY(setSlackWebhook(services(), fx->as(fx->admin), fx->courseA.id, url));
    for (const Person* p : {&fx->ta, &fx->studentA, &fx->teacherB, &fx->outsider}) {
        const auto set = setSlackWebhook(services(), fx->as(*p), fx->courseA.id, std::nullopt);
        QVERIFY2(!set, p->displayName.c_str());
    }
    QVERIFY(fx->store->outbox().slackWebhook(fx->courseA.id).value());
}

void SlackTest::aLongSummaryStaysWithinSlacksLimits()
{
    // A course name as long as names go, full of characters mrkdwn escapes.
    Course c = fx->courseA;
    c.name = std::string(190, '<') + "é&";
    WindowReport report{c, WindowFigures{fx->openA, {}, {}}, {}};
    report.figures.window.title = std::string(3000, 'x') + "é";
    const std::string message = slackMessage(report);
    QCOMPARE(slackShapeProblem(message), std::string());
    QVERIFY(QString::fromStdString(message).contains("&lt;&lt;"));
}

QTEST_GUILESS_MAIN(SlackTest)
#include "slacktest.moc"
