// SIGKILL the server in the middle of a stream of concurrent single
// check-ins (the group commit path): after a restart every check-in that was
// answered 201 is stored exactly once, none is stored twice, and the file is
// intact.

#include "testserver.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using namespace std::chrono_literals;

namespace {

constexpr int k_students = 2500;
constexpr int k_windows = 4;
constexpr int k_clients = 8;

struct Fixture {
    std::string adminKey; // write scope
    std::vector<std::string> windows;
    std::vector<std::string> students; // public ids
    std::vector<PersonId> studentIds;
};

// nullopt when the school could not be stored.
std::optional<Fixture> seed(const std::string& db)
{
    SystemClock clock;
    auto store = std::move(*SqliteStore::open(db, clock));
    Fixture f;
    const auto seeded = store->inTransaction([&]() -> Result<void> {
        auto admin = store->people().createPerson({"Admin", "admin@example.org", std::nullopt, std::nullopt, std::nullopt,
                                          std::nullopt, true});
        if (!admin)
            return std::unexpected(admin.error());
        std::vector<PersonId> ids;
        for (int i = 0; i < k_students; ++i) {
            const Person p = addPerson(*store, "Student " + std::to_string(i));
            ids.push_back(p.id);
            f.students.push_back(p.publicId);
        }
        f.studentIds = ids;
        auto course = store->courses().createCourse({"JS1", "Europe/London", 10, 60, ids}, admin->id);
        if (!course)
            return std::unexpected(course.error());
        const auto now = clock.nowMs();
        for (int w = 0; w < k_windows; ++w) {
            f.windows.push_back(newUuidV4());
            if (auto made = store->attendance().createWindow({f.windows.back(), course->id, "Class", now, now - 60'000, admin->id});
                !made)
                return std::unexpected(made.error());
        }
        const IssuedToken key = issueToken(k_apiKeyPrefix);
        if (auto k = store->credentials().createApiKey(admin->id, key.lookup, key.hash, ApiScope::Write); !k)
            return std::unexpected(k.error());
        f.adminKey = key.token;
        return {};
    });
    if (!seeded)
        return std::nullopt;
    return f;
}

ServerProcess startServer(const std::string& db)
{
    return startServerProcess(IMHERE_SERVER_BIN, db);
}

} // namespace

class CheckInKillTest : public QObject {
    Q_OBJECT

private slots:
    void everyAcknowledgedCheckInSurvivesSigkillExactlyOnce();
};

void CheckInKillTest::everyAcknowledgedCheckInSurvivesSigkillExactlyOnce()
{
    TempDir dir;
    const std::string db = (dir.path() / "kill.db").string();
    const auto seeded = seed(db);
    QVERIFY(seeded);
    const Fixture& f = *seeded;
    // (window, student) pairs, each tried once over the whole test, so a 201
    // can only come from the request that made it.
    const std::size_t pairs = static_cast<std::size_t>(k_students) * k_windows;
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::set<std::size_t> acknowledged;

    for (int round = 0; round < 3; ++round) {
        ServerProcess server = startServer(db);
        QVERIFY(!server.url.empty());
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int c = 0; c < k_clients; ++c) {
            clients.emplace_back([&] {
                HttpClient client(server.url);
                while (!stop) {
                    const std::size_t pair = next++;
                    if (pair >= pairs)
                        return;
                    const auto& window = f.windows[pair % k_windows];
                    const auto& student = f.students[pair / k_windows];
                    const auto r = client.json("POST", "/api/v1/windows/" + window + "/check-ins",
                                               nlohmann::json{{"person", student}}.dump(), bearer(f.adminKey));
                    if (r.status == 201) {
                        std::lock_guard lock(mutex);
                        acknowledged.insert(pair);
                    }
                }
            });
        }
        std::this_thread::sleep_for(300ms + std::chrono::milliseconds(randomBytes(1)[0] * 2));
        kill(server.pid, SIGKILL);
        int status = 0;
        waitpid(server.pid, &status, 0);
        stop = true;
        for (auto& c : clients)
            c.join();
    }
    QCOMPARE_GT(acknowledged.size(), 0u);
    QVERIFY2(next.load() < pairs, "the stream ended before the last kill; make it longer");

    // A restart opens the file as it was left.
    ServerProcess restarted = startServer(db);
    QVERIFY(!restarted.url.empty());
    const long health = HttpClient(restarted.url).get("/healthz").status;
    kill(restarted.pid, SIGTERM);
    waitpid(restarted.pid, nullptr, 0);
    QCOMPARE(health, 200);

    auto file = Database::open(db, {.readOnly = true});
    QVERIFY(file);
    auto check = file->prepare("PRAGMA integrity_check");
    QVERIFY(*check->step());
    QCOMPARE(check->textAt(0), "ok");
    auto count = file->prepare("SELECT count(*) FROM check_in WHERE window_id = ? AND person = ?");
    for (const std::size_t pair : acknowledged) {
        count->reset();
        count->bind(1, f.windows[pair % k_windows]).bind(2, f.studentIds[pair / k_windows]);
        QVERIFY(*count->step());
        QVERIFY2(count->int64At(0) == 1, ("pair " + std::to_string(pair)).c_str());
    }
    auto twice = file->prepare(
        "SELECT count(*) FROM (SELECT 1 FROM check_in GROUP BY window_id, person HAVING count(*) > 1)");
    QVERIFY(*twice->step());
    QCOMPARE(twice->int64At(0), 0);
}

QTEST_GUILESS_MAIN(CheckInKillTest)
#include "checkinkilltest.moc"
