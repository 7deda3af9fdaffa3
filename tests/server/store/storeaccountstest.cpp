// The store's contract, continued: sessions, links to set a password, API
// keys, the mail outbox and Slack posts, the same for SQLite and PostgreSQL
// (storeundertest.h chooses the backend; CTest runs this program once for each).

#include "storeundertest.h"

#include "core/random.h"

#include "tests/support/must.h"
#include "tests/support/qtestsupport.h"

#include <QTest>

#include <latch>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using imhere::test::must;

namespace {

constexpr std::int64_t k_start = 1'760'001'600'000; // 2025-10-09 09:20 UTC
constexpr std::int64_t k_minute = 60'000;
constexpr std::int64_t k_hour = 60 * k_minute;

Bytes token(std::uint8_t fill)
{
    return Bytes(32, fill);
}

} // namespace

class StoreAccountsTest : public QObject {
    Q_OBJECT

    std::unique_ptr<Backends> backends;
    ManualClock clock{k_start};
    std::unique_ptr<Store> store;
    Person ada;

    CredentialRepository& credentials() { return store->credentials(); }
    OutboxRepository& outbox() { return store->outbox(); }

private slots:
    void initTestCase()
    {
        backends = std::make_unique<Backends>();
        qInfo("backend: %s", backends->name());
        QVERIFY2(backends->problem().empty(), backends->problem().c_str());
    }
    void cleanupTestCase() { backends.reset(); }
    void init()
    {
        clock.set(k_start);
        auto opened = backends->open(clock);
        QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
        store = std::move(*opened);
        ada = must(store->people().createPerson({"Ada", "Ada@example.org", {}, {}, {}, {}, false}), "ada");
    }
    void cleanup() { store.reset(); }

    void aSessionLastsUntilItExpires()
    {
        must(credentials().createSession(token(1), {ada.id, "csrf1", k_start + k_hour, 0}), "session");
        auto found = must(credentials().session(token(1), k_start), "read");
        QVERIFY(found);
        QCOMPARE(found->person, ada.id);
        QCOMPARE(found->csrfToken, "csrf1");
        QCOMPARE(found->lastUsedAt, k_start);
        QVERIFY(!must(credentials().session(token(1), k_start + k_hour), "expired"));
        QVERIFY(!must(credentials().session(token(2), k_start), "unknown"));

        must(credentials().touchSession(token(1), k_start + 10 * k_minute), "touch");
        must(credentials().touchSession(token(1), k_start + 5 * k_minute), "an earlier use changes nothing");
        QCOMPARE(must(credentials().session(token(1), k_start), "read")->lastUsedAt, k_start + 10 * k_minute);

        must(credentials().createSession(token(2), {ada.id, "csrf2", k_start + k_hour, 0}), "second");
        must(credentials().createSession(token(3), {ada.id, "csrf3", k_start + k_hour, 0}), "third");
        QCOMPARE(must(credentials().deleteSessionsOf(ada.id, token(3)), "all but one"), std::int64_t{2});
        QVERIFY(must(credentials().session(token(3), k_start), "kept"));
        must(credentials().deleteSession(token(3)), "sign out");
        QVERIFY(!must(credentials().session(token(3), k_start), "gone"));
        QCOMPARE(must(credentials().deleteSessionsOf(ada.id, std::nullopt), "none left"), std::int64_t{0});
    }

    void aLinkSetsThePasswordOnceAndEndsTheSessions()
    {
        must(credentials().createSession(token(9), {ada.id, "csrf", k_start + k_hour, 0}), "session");
        must(credentials().createAccountLink(token(1), ada.id, AccountLinkPurpose::Invitation, std::nullopt,
                                             k_start + k_hour, NewMail{"ada@example.org", "Welcome", "link"}),
             "invite");
        must(credentials().createAccountLink(token(2), ada.id, AccountLinkPurpose::Reset, ada.id, k_start + k_hour,
                                             std::nullopt),
             "another");
        QCOMPARE(must(outbox().outboxCounts(), "counts").waiting, std::int64_t{1});
        const auto link = must(credentials().accountLink(token(1), k_start), "read");
        QVERIFY(link);
        QCOMPARE(link->person, ada.id);
        QVERIFY(link->purpose == AccountLinkPurpose::Invitation);
        QVERIFY(!must(credentials().accountLink(token(1), k_start + k_hour), "expired"));

        QCOMPARE(must(credentials().useAccountLink(token(1), k_start, "$argon2id$new"), "use"),
                 std::optional<PersonId>(ada.id));
        QCOMPARE(must(store->people().personById(ada.id), "ada")->passwordHash, std::optional<std::string>("$argon2id$new"));
        QVERIFY(!must(credentials().session(token(9), k_start), "sessions ended"));
        QVERIFY(!must(credentials().useAccountLink(token(1), k_start, "again"), "used"));
        QVERIFY(!must(credentials().useAccountLink(token(2), k_start, "other"), "every link of hers is used"));
    }

    void aResetByEmailIsMadeOnlyForSomeone()
    {
        must(credentials().createResetLinkByEmail("ADA@example.org", token(1), k_start + k_hour,
                                                  {"", "Reset", "link"}),
             "reset");
        must(credentials().createResetLinkByEmail("nobody@example.org", token(2), k_start + k_hour,
                                                  {"", "Reset", "link"}),
             "nobody");
        QCOMPARE(must(outbox().outboxCounts(), "counts").waiting, std::int64_t{1});
        const auto due = must(outbox().dueMail(k_start, 10), "due");
        QCOMPARE(due.size(), std::size_t{1});
        QCOMPARE(due[0].mail.recipient, "Ada@example.org");
        QVERIFY(must(credentials().accountLink(token(1), k_start), "ada's"));
        QVERIFY(!must(credentials().accountLink(token(2), k_start), "nobody's"));
    }

    void apiKeysAreFoundUntilRevoked()
    {
        const Person bea = must(store->people().createPerson({"Bea", {}, {}, {}, {}, {}, false}), "bea");
        const auto first = must(credentials().createApiKey(ada.id, "ihk_aaaa", token(1), ApiScope::Read,
                                                           {"laptop", k_start + k_hour}),
                                "first");
        clock.advance(k_minute);
        const auto second = must(credentials().createApiKey(ada.id, "ihk_bbbb", token(2), ApiScope::Write), "second");
        must(credentials().createApiKey(bea.id, "ihk_cccc", token(3), ApiScope::Read), "bea's");
        const auto key = must(credentials().apiKeyByPrefix("ihk_aaaa"), "by prefix");
        QVERIFY(key);
        QCOMPARE(key->id, first);
        QVERIFY(key->hash == token(1));
        QVERIFY(key->scope == ApiScope::Read);
        QCOMPARE(key->name, "laptop");
        QCOMPARE(key->expiresAt, std::optional<std::int64_t>(k_start + k_hour));
        QCOMPARE(key->ownerPublicId, ada.publicId);
        const auto adas = must(credentials().apiKeys(ada.id), "ada's");
        QCOMPARE(adas.size(), std::size_t{2});
        QCOMPARE(adas[0].id, second); // newest first
        QCOMPARE(must(credentials().apiKeys(std::nullopt), "all").size(), std::size_t{3});

        must(credentials().noteApiKeyUse(first, k_start + 2 * k_minute, k_minute), "use");
        must(credentials().noteApiKeyUse(first, k_start + 2 * k_minute + 10, k_minute), "within the resolution");
        QCOMPARE(must(credentials().anyApiKey("ihk_aaaa"), "any")->lastUsedAt,
                 std::optional<std::int64_t>(k_start + 2 * k_minute));

        must(credentials().revokeApiKey(first, ada.id), "revoke");
        QVERIFY(!must(credentials().apiKeyByPrefix("ihk_aaaa"), "revoked"));
        QCOMPARE(must(credentials().anyApiKey("ihk_aaaa"), "any")->revokedAt, std::optional<std::int64_t>(clock.nowMs()));
    }

    void mailIsSentOrGivenUp()
    {
        const auto first = must(outbox().queueMail({"a@example.org", "One", "body"}), "one");
        clock.advance(k_minute);
        const auto second = must(outbox().queueMail({"b@example.org", "Two", "body"}), "two");
        auto due = must(outbox().dueMail(clock.nowMs(), 1), "due");
        QCOMPARE(due.size(), std::size_t{1});
        QCOMPARE(due[0].id, first);
        must(outbox().markMailFailed(first, clock.nowMs(), "421 try later", clock.nowMs() + k_hour), "later");
        due = must(outbox().dueMail(clock.nowMs(), 10), "due");
        QCOMPARE(due.size(), std::size_t{1});
        QCOMPARE(due[0].id, second);
        must(outbox().markMailSent(second, clock.nowMs()), "sent");
        due = must(outbox().dueMail(clock.nowMs() + k_hour, 10), "due later");
        QCOMPARE(due.size(), std::size_t{1});
        QCOMPARE(due[0].attempts, 1);
        must(outbox().markMailFailed(first, clock.nowMs(), "550 no such user", std::nullopt), "give up");
        const auto counts = must(outbox().outboxCounts(), "counts");
        QCOMPARE(counts.waiting, std::int64_t{0});
        QCOMPARE(counts.sent, std::int64_t{1});
        QCOMPARE(counts.givenUp, std::int64_t{1});
    }

    void aClosedWindowIsPostedToSlackOnce()
    {
        const Course course = must(store->courses().createCourse({"C", "UTC", 10, 60, {}}, ada.id), "course");
        QVERIFY(!must(outbox().slackWebhook(course.id), "none"));
        QCOMPARE(outbox().setSlackWebhook("no-such-course", std::string("https://x"), ada.id).error().code,
                 Errc::NotFound);
        must(outbox().setSlackWebhook(course.id, std::string("https://hooks.example/1"), ada.id), "webhook");
        QCOMPARE(must(outbox().slackWebhook(course.id), "set"), std::optional<std::string>("https://hooks.example/1"));
        const Window w = must(store->attendance().createWindow({newUuidV4(), course.id, "W", std::nullopt, k_start,
                                                                ada.id}),
                              "window");
        QVERIFY(must(outbox().claimSlackPosts(clock.nowMs(), clock.nowMs() + k_minute, 10), "none yet").empty());
        must(store->attendance().closeWindow(w.id, k_start + k_hour, ada.id), "close");
        must(store->attendance().closeWindow(w.id, k_start + k_hour, ada.id), "closing again queues nothing");

        auto claimed = must(outbox().claimSlackPosts(clock.nowMs(), clock.nowMs() + k_minute, 10), "claim");
        QCOMPARE(claimed.size(), std::size_t{1});
        QCOMPARE(claimed[0].window, w.id);
        QCOMPARE(claimed[0].webhook, std::optional<std::string>("https://hooks.example/1"));
        QVERIFY(must(outbox().claimSlackPosts(clock.nowMs(), clock.nowMs() + k_minute, 10), "leased").empty());
        must(outbox().markSlackFailed(claimed[0].id, clock.nowMs(), 500, "server error", clock.nowMs() + k_hour),
             "failed");
        auto state = must(outbox().slackOutboxOf(course.id), "state");
        QCOMPARE(state.waiting, std::int64_t{1});
        QVERIFY(state.problem);
        QCOMPARE(state.problem->lastStatus, std::optional<int>(500));
        QCOMPARE(state.problem->nextAttemptAt, std::optional<std::int64_t>(clock.nowMs() + k_hour));

        clock.advance(k_hour);
        claimed = must(outbox().claimSlackPosts(clock.nowMs(), clock.nowMs() + k_minute, 10), "again");
        QCOMPARE(claimed.size(), std::size_t{1});
        QCOMPARE(claimed[0].attempts, 1);
        must(outbox().releaseSlackClaims(), "release");
        claimed = must(outbox().claimSlackPosts(clock.nowMs(), clock.nowMs() + k_minute, 10), "released");
        QCOMPARE(claimed.size(), std::size_t{1});
        must(outbox().markSlackDelivered(claimed[0].id, clock.nowMs(), 200), "delivered");
        state = must(outbox().slackOutboxOf(course.id), "state");
        QCOMPARE(state.delivered, std::int64_t{1});
        QCOMPARE(state.waiting, std::int64_t{0});
        QVERIFY(!state.problem);
        QCOMPARE(state.lastDeliveredAt, std::optional<std::int64_t>(clock.nowMs()));
        clock.advance(k_hour);
        QVERIFY(must(outbox().claimSlackPosts(clock.nowMs(), clock.nowMs() + k_minute, 10), "never again").empty());
    }

    // Senders claiming at once (threads here, instances on PostgreSQL) never
    // take the same post.
    void sendersClaimingAtOnceTakeEachPostOnce()
    {
        const Course course = must(store->courses().createCourse({"C", "UTC", 10, 60, {}}, ada.id), "course");
        must(outbox().setSlackWebhook(course.id, std::string("https://hooks.example/1"), ada.id), "webhook");
        constexpr int k_posts = 12;
        for (int i = 0; i < k_posts; ++i) {
            const Window w = must(store->attendance().createWindow({newUuidV4(), course.id, "W", std::nullopt,
                                                                    k_start, ada.id}),
                                  "window");
            must(store->attendance().closeWindow(w.id, k_start + k_hour, ada.id), "close");
        }
        constexpr int k_senders = 4;
        std::latch start(k_senders);
        std::mutex mutex;
        std::vector<std::int64_t> taken;
        std::atomic<int> failures = 0;
        std::vector<std::thread> senders;
        for (int i = 0; i < k_senders; ++i) {
            senders.emplace_back([&] {
                start.arrive_and_wait();
                for (int round = 0; round < 3; ++round) {
                    const auto claimed = outbox().claimSlackPosts(clock.nowMs(), clock.nowMs() + k_hour, 2);
                    if (!claimed) {
                        ++failures;
                        return;
                    }
                    std::lock_guard lock(mutex);
                    for (const auto& post : *claimed)
                        taken.push_back(post.id);
                }
            });
        }
        for (auto& t : senders)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(taken.size(), std::size_t{k_posts});
        QCOMPARE(std::set<std::int64_t>(taken.begin(), taken.end()).size(), std::size_t{k_posts});
    }
};

QTEST_GUILESS_MAIN(StoreAccountsTest)
#include "storeaccountstest.moc"
