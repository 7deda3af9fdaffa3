// SIGKILL the server in the middle of a stream of sync batches: after a
// restart every event it acknowledged is stored exactly once, the file is
// intact, and resending the acknowledged batches changes nothing.

#include "testserver.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
#include "core/random.h"
#include "core/syncprotocol.h"

#include "tests/support/qtestsupport.h"

#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;
using namespace std::chrono_literals;

namespace {

constexpr int k_students = 40;
constexpr int k_eventsPerBatch = 25;

struct Fixture {
    std::string kioskToken;
    std::string window;
    std::vector<std::string> students;
};

// nullopt when the school could not be stored.
std::optional<Fixture> seed(const std::string& db)
{
    SystemClock clock;
    auto store = std::move(*SqliteStore::open(db, clock));
    Fixture f;
    const auto seeded = store->inTransaction([&]() -> Result<void> {
        const Person teacher = addPerson(*store, "Teacher");
        std::vector<PersonId> ids;
        for (int i = 0; i < k_students; ++i) {
            const Person p = addPerson(*store, "Student " + std::to_string(i));
            ids.push_back(p.id);
            f.students.push_back(p.publicId);
        }
        auto course = store->courses().createCourse({"JS1", "Europe/London", 10, 60, ids}, teacher.id);
        f.window = newUuidV4();
        const auto now = clock.nowMs();
        if (auto w = store->attendance().createWindow({f.window, course->id, "Class", now, now - 60'000, teacher.id}); !w)
            return std::unexpected(w.error());
        const IssuedToken token = issueToken(k_kioskTokenPrefix);
        if (auto k = store->kiosks().createKiosk({"Door", token.lookup, token.hash, randomBytes(32), {course->id}}); !k)
            return std::unexpected(k.error());
        f.kioskToken = token.token;
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

std::string batchBody(const Fixture& f, std::vector<std::string>& ids)
{
    SyncRequest request{k_protocolVersion, SystemClock().nowMs(), 0, {}};
    for (int i = 0; i < k_eventsPerBatch; ++i) {
        const std::string& who = f.students[static_cast<std::size_t>(randomBytes(1)[0]) % f.students.size()];
        Event e{newUuidV4(), SystemClock().nowMs(), who, CheckIn{who, f.window, CheckInSource::Nfc}};
        ids.push_back(e.id);
        request.events.emplace_back(std::move(e));
    }
    return encode(request);
}

} // namespace

class SyncKillTest : public QObject {
    Q_OBJECT

private slots:
    void everyAcknowledgedEventSurvivesSigkillExactlyOnce();
};

void SyncKillTest::everyAcknowledgedEventSurvivesSigkillExactlyOnce()
{
    TempDir dir;
    const std::string db = (dir.path() / "kill.db").string();
    const auto seeded = seed(db);
    QVERIFY(seeded);
    const Fixture& f = *seeded;
    std::vector<std::string> acknowledged;
    std::vector<std::string> acknowledgedBodies;

    for (int round = 0; round < 3; ++round) {
        ServerProcess server = startServer(db);
        QVERIFY(!server.url.empty());
        std::atomic<bool> stop{false};
        std::mutex mutex;
        std::thread sender([&] {
            HttpClient client(server.url);
            while (!stop) {
                std::vector<std::string> ids;
                const std::string body = batchBody(f, ids);
                const auto r = client.json("POST", "/api/v1/kiosk/sync", body, bearer(f.kioskToken));
                if (r.status != 200)
                    continue; // killed mid-request: not acknowledged
                const auto decoded = decodeResponse(r.body);
                std::lock_guard lock(mutex);
                for (const auto& ack : decoded->acks) {
                    if (ack.status != AckStatus::Rejected)
                        acknowledged.push_back(ack.id);
                }
                acknowledgedBodies.push_back(body);
            }
        });
        std::this_thread::sleep_for(300ms + std::chrono::milliseconds(randomBytes(1)[0] * 2));
        kill(server.pid, SIGKILL);
        int status = 0;
        waitpid(server.pid, &status, 0);
        stop = true;
        sender.join();
    }
    QCOMPARE_GT(acknowledged.size(), 0u);

    {
        auto file = Database::open(db, {.readOnly = true});
        QVERIFY(file);
        auto check = file->prepare("PRAGMA integrity_check");
        QVERIFY(*check->step());
        QCOMPARE(check->textAt(0), "ok");
        auto count = file->prepare("SELECT count(*) FROM check_in WHERE id = ?");
        for (const auto& id : acknowledged) {
            count->reset();
            count->bind(1, id);
            QVERIFY(*count->step());
            QVERIFY2(count->int64At(0) == 1, id.c_str());
        }
    }

    // Resending what was acknowledged is answered "duplicate" and adds nothing.
    ServerProcess server = startServer(db);
    HttpClient client(server.url);
    std::int64_t before = 0;
    {
        auto file = Database::open(db, {.readOnly = true});
        auto count = file->prepare("SELECT count(*) FROM check_in");
        (void)count->step();
        before = count->int64At(0);
    }
    [&] {
        for (const auto& body : acknowledgedBodies) {
            const auto r = client.json("POST", "/api/v1/kiosk/sync", body, bearer(f.kioskToken));
            QCOMPARE(r.status, 200);
            const auto reply = decodeResponse(r.body);
            QVERIFY(reply.has_value());
            for (const auto& ack : reply->acks)
                QCOMPARE_EQ(ack.status, AckStatus::Duplicate);
        }
    }();
    kill(server.pid, SIGTERM); // whatever the checks above found
    waitpid(server.pid, nullptr, 0);
    if (QTest::currentTestFailed())
        return;
    auto file = Database::open(db, {.readOnly = true});
    auto count = file->prepare("SELECT count(*) FROM check_in");
    (void)count->step();
    QCOMPARE(count->int64At(0), before);
}

QTEST_GUILESS_MAIN(SyncKillTest)
#include "synckilltest.moc"
