// `imhere-server backup` while `serve` takes a stream of kiosk syncs: the
// backup passes PRAGMA integrity_check, restores into a database that passes
// it too, and holds every event acknowledged before the backup began.
// `restore` refuses the database of the running server.

#include "testserver.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
#include "core/random.h"
#include "core/syncprotocol.h"

#include "tests/support/qtestsupport.h"

#include <QScopeGuard>

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;
using namespace std::chrono_literals;

namespace {

constexpr int k_students = 30;
constexpr int k_eventsPerBatch = 20;

struct Fixture {
    std::string kioskToken;
    std::string window;
    std::vector<std::string> students;
};

std::optional<Fixture> seed(const std::string& db)
{
    SystemClock clock;
    auto opened = SqliteStore::open(db, clock);
    if (!opened)
        return std::nullopt;
    auto& store = **opened;
    Fixture f;
    const auto seeded = store.inTransaction([&]() -> Result<void> {
        const Person teacher = addPerson(store, "Teacher");
        std::vector<PersonId> ids;
        for (int i = 0; i < k_students; ++i) {
            const Person p = addPerson(store, "Student " + std::to_string(i));
            ids.push_back(p.id);
            f.students.push_back(p.publicId);
        }
        TRY_ASSIGN(course, store.courses().createCourse({"JS1", "Europe/London", 10, 60, ids}, teacher.id));
        f.window = newUuidV4();
        const auto now = clock.nowMs();
        TRY(store.attendance().createWindow({f.window, course.id, "Class", now, now - 60'000, teacher.id}));
        const IssuedToken token = issueToken(k_kioskTokenPrefix);
        TRY(store.kiosks().createKiosk({"Door", token.lookup, token.hash, randomBytes(32), {course.id}}));
        f.kioskToken = token.token;
        return {};
    });
    if (!seeded)
        return std::nullopt;
    return f;
}

std::string batchBody(const Fixture& f, std::int64_t cursor, std::vector<std::string>& ids)
{
    SyncRequest request{k_protocolVersion, SystemClock().nowMs(), cursor, {}};
    for (int i = 0; i < k_eventsPerBatch; ++i) {
        const std::string& who = f.students[static_cast<std::size_t>(randomBytes(1)[0]) % f.students.size()];
        Event e{newUuidV4(), SystemClock().nowMs(), who, CheckIn{who, f.window, CheckInSource::Nfc}};
        ids.push_back(e.id);
        request.events.emplace_back(std::move(e));
    }
    return encode(request);
}

// Runs imhere-server with `args`; its exit status, or -1. Its stderr goes
// to `errors` when given.
int run(const std::vector<std::string>& args, std::string* errors = nullptr)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        std::freopen("/dev/null", "w", stdout);
        std::vector<char*> argv{const_cast<char*>(IMHERE_SERVER_BIN)};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(IMHERE_SERVER_BIN, argv.data());
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    char buffer[512];
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
        out.append(buffer, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (errors)
        *errors = out;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string integrity(const std::string& path)
{
    auto file = Database::open(path, {.readOnly = true});
    if (!file)
        return "cannot open: " + file.error().message;
    auto check = file->prepare("PRAGMA integrity_check");
    if (!check || !check->step())
        return "cannot check";
    return check->textAt(0);
}

} // namespace

class BackupTest : public QObject {
    Q_OBJECT

private slots:
    void backupDuringSyncsHoldsEverythingAcknowledgedBefore();
};

void BackupTest::backupDuringSyncsHoldsEverythingAcknowledgedBefore()
{
    TempDir dir("imhere-backup");
    const std::string db = (dir.path() / "imhere.db").string();
    const std::string backup = (dir.path() / "backup.db").string();
    const std::string restored = (dir.path() / "restored.db").string();
    const auto seeded = seed(db);
    QVERIFY(seeded);
    const Fixture& f = *seeded;

    ServerProcess server = startServerProcess(IMHERE_SERVER_BIN, db);
    QVERIFY(!server.url.empty());
    const auto stopServer = qScopeGuard([&] {
        kill(server.pid, SIGTERM);
        waitpid(server.pid, nullptr, 0);
    });

    std::mutex mutex;
    std::vector<std::string> acknowledged; // in the order the acks came
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::thread sender([&] {
        HttpClient client(server.url);
        std::int64_t cursor = 0;
        while (!stop) {
            std::vector<std::string> ids;
            const auto r = client.json("POST", "/api/v1/kiosk/sync", batchBody(f, cursor, ids), bearer(f.kioskToken));
            const auto reply = decodeResponse(r.body);
            if (r.status != 200 || !reply) {
                ++failures;
                continue;
            }
            cursor = reply->cursor;
            std::lock_guard lock(mutex);
            for (const auto& ack : reply->acks)
                if (ack.status == AckStatus::Stored)
                    acknowledged.push_back(ack.id);
        }
    });

    // Let the stream run, then take the backup while it goes on.
    std::size_t before = 0;
    for (const auto until = std::chrono::steady_clock::now() + 20s;
         before < 200 && std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(10ms)) {
        std::lock_guard lock(mutex);
        before = acknowledged.size();
    }
    std::string errors;
    const int backedUp = run({"backup", "--db", db, "--to", backup}, &errors);
    std::size_t during = 0;
    {
        std::lock_guard lock(mutex);
        during = acknowledged.size() - before;
    }
    std::this_thread::sleep_for(200ms);
    stop = true;
    sender.join();
    QCOMPARE(failures.load(), 0);
    QVERIFY2(backedUp == 0, errors.c_str());
    QCOMPARE_GE(before, 200u);
    qInfo("%zu events acknowledged before the backup, %zu while it ran", before, during);

    // The running server's database cannot be restored over.
    QCOMPARE(run({"restore", "--db", db, "--from", backup}, &errors), 1);
    QVERIFY2(errors.find("in use by a running imhere-server") != std::string::npos, errors.c_str());

    QCOMPARE(integrity(backup), "ok");
    QVERIFY2(run({"restore", "--db", restored, "--from", backup}, &errors) == 0, errors.c_str());
    QCOMPARE(integrity(restored), "ok");

    auto file = Database::open(restored, {.readOnly = true});
    QVERIFY(file);
    auto count = file->prepare("SELECT count(*) FROM check_in WHERE id = ?");
    QVERIFY(count);
    std::vector<std::string> firstAcknowledged;
    {
        std::lock_guard lock(mutex);
        firstAcknowledged.assign(acknowledged.begin(), acknowledged.begin() + static_cast<std::ptrdiff_t>(before));
    }
    for (const auto& id : firstAcknowledged) {
        count->reset();
        count->bind(1, id);
        QVERIFY(*count->step());
        QVERIFY2(count->int64At(0) == 1, id.c_str());
    }
}

QTEST_GUILESS_MAIN(BackupTest)
#include "backuptest.moc"
