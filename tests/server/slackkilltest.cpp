// SIGKILL the server around a Slack post (service/slack.h): once Slack's 200
// is recorded, a restarted server never posts that summary again; killed in
// the middle of a post (Slack never answered), the restarted server posts it
// again, so nothing is lost. A fake webhook on loopback
// (tests/server/webhooksink.h) counts the posts and checks their shape.

#include "testserver.h"

#include "sync-server/store/sqlitestore.h"
#include "webhooksink.h"

#include "sync-server/auth/tokens.h"

#include "core/database.h"
#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <csignal>
#include <cstdlib>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using namespace std::chrono_literals;

namespace {

constexpr auto k_wait = 20s;

struct Fixture {
    std::string adminKey;
    std::vector<std::string> windows; // open, titled "Class 1", "Class 2" ...
};

std::optional<Fixture> seed(const std::string& db, const std::string& webhook)
{
    SystemClock clock;
    auto store = std::move(*SqliteStore::open(db, clock));
    Fixture f;
    const auto seeded = store->inTransaction([&]() -> Result<void> {
        auto admin = store->people().createPerson({"Admin", "admin@example.org", std::nullopt, std::nullopt, std::nullopt,
                                                   std::nullopt, true});
        if (!admin)
            return std::unexpected(admin.error());
        const Person student = addPerson(*store, "Student");
        auto course = store->courses().createCourse({"JS1", "Europe/London", 10, 60, {student.id}}, admin->id);
        if (!course)
            return std::unexpected(course.error());
        TRY(store->outbox().setSlackWebhook(course->id, webhook, admin->id));
        const auto now = clock.nowMs();
        for (int w = 1; w <= 3; ++w) {
            f.windows.push_back(newUuidV4());
            TRY(store->attendance().createWindow(
                {f.windows.back(), course->id, "Class " + std::to_string(w), now, now - 60'000, admin->id}));
        }
        const IssuedToken key = issueToken(k_apiKeyPrefix);
        TRY(store->credentials().createApiKey(admin->id, key.lookup, key.hash, ApiScope::Write));
        f.adminKey = key.token;
        return {};
    });
    if (!seeded)
        return std::nullopt;
    return f;
}

// Waits (at most k_wait) until the outbox has recorded `count` deliveries.
bool waitForDeliveries(const std::string& db, int count)
{
    const auto until = std::chrono::steady_clock::now() + k_wait;
    while (std::chrono::steady_clock::now() < until) {
        auto file = Database::open(db, {.readOnly = true});
        if (file) {
            auto s = file->prepare("SELECT count(delivered_at) FROM slack_outbox");
            if (s && s->step().value_or(false) && s->int64At(0) >= count)
                return true;
        }
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

void stop(const ServerProcess& server, int signal)
{
    kill(server.pid, signal);
    waitpid(server.pid, nullptr, 0);
}

} // namespace

class SlackKillTest : public QObject {
    Q_OBJECT

private slots:
    void aRecordedPostIsNeverPostedAgainAndAnInterruptedOneIsPostedOnce();
};

void SlackKillTest::aRecordedPostIsNeverPostedAgainAndAnInterruptedOneIsPostedOnce()
{
    TempDir dir;
    WebhookSink sink;
    const std::string db = (dir.path() / "slack.db").string();
    const auto seeded = seed(db, sink.url());
    QVERIFY(seeded);
    const Fixture& f = *seeded;
    ::setenv("IMHERE_SLACK_LOOPBACK", "yes", 1); // the server inherits it
    auto close = [&](const ServerProcess& server, const std::string& window) {
        return HttpClient(server.url).json("POST", "/api/v1/windows/" + window + "/close", "{}", bearer(f.adminKey)).status;
    };

    // Class 1 is posted and its delivery recorded; then the server dies.
    ServerProcess server = startServerProcess(IMHERE_SERVER_BIN, db);
    QVERIFY(!server.url.empty());
    QCOMPARE(close(server, f.windows[0]), 200L);
    QVERIFY(sink.waitForPosts(1, k_wait));
    QVERIFY(waitForDeliveries(db, 1));
    stop(server, SIGKILL);

    // Class 2's post is held unanswered when the server dies.
    sink.script({WebhookReply::Hang});
    server = startServerProcess(IMHERE_SERVER_BIN, db);
    QVERIFY(!server.url.empty());
    QCOMPARE(close(server, f.windows[1]), 200L);
    QVERIFY(sink.waitForPosts(2, k_wait));
    stop(server, SIGKILL);
    sink.releaseHeld();

    // The restarted server posts class 2 again, and class 1 never: posts
    // go oldest first, so class 3's coming after class 2 shows nothing
    // older waits.
    server = startServerProcess(IMHERE_SERVER_BIN, db);
    QVERIFY(!server.url.empty());
    QVERIFY(sink.waitForPosts(3, k_wait));
    QCOMPARE(close(server, f.windows[2]), 200L);
    QVERIFY(sink.waitForPosts(4, k_wait));
    QVERIFY(waitForDeliveries(db, 3));
    stop(server, SIGTERM);
    ::unsetenv("IMHERE_SLACK_LOOPBACK");

    const auto posts = sink.posts();
    QCOMPARE(posts.size(), std::size_t(4));
    auto titleOf = [](const ReceivedPost& p) {
        for (const char* title : {"Class 1", "Class 2", "Class 3"})
            if (p.body.find(title) != std::string::npos)
                return std::string(title);
        return std::string();
    };
    std::vector<std::string> received;
    for (const ReceivedPost& p : posts) {
        QCOMPARE(slackShapeProblem(p.body), std::string());
        received.push_back(titleOf(p));
    }
    QCOMPARE(received, (std::vector<std::string>{"Class 1", "Class 2", "Class 2", "Class 3"}));
    std::vector<std::string> answered;
    for (const ReceivedPost& p : sink.delivered())
        answered.push_back(titleOf(p));
    QCOMPARE(answered, (std::vector<std::string>{"Class 1", "Class 2", "Class 3"}));

    auto file = Database::open(db, {.readOnly = true});
    QVERIFY(file);
    auto rows = file->prepare("SELECT count(*), count(delivered_at), count(lease_until) FROM slack_outbox");
    QVERIFY(*rows->step());
    QCOMPARE(rows->int64At(0), std::int64_t(3));
    QCOMPARE(rows->int64At(1), std::int64_t(3));
    QCOMPARE(rows->int64At(2), std::int64_t(0));
}

QTEST_GUILESS_MAIN(SlackKillTest)
#include "slackkilltest.moc"
