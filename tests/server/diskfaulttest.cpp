// The server's disk fills up, or its file system turns read-only, while it
// serves (a preloaded shim, diskfault/diskfault.c, fails every write to its
// SQLite files): kiosk syncs and single check-ins are answered 503 with
// Retry-After, nothing of them is stored, half or whole, the file stays
// intact, and once the disk takes writes again the same requests succeed,
// without a restart.

#include "testserver.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/sqlitestore.h"

#include "core/database.h"
#include "core/random.h"
#include "core/syncprotocol.h"

#include "tests/support/qtestsupport.h"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;

namespace {

constexpr int k_students = 30;

struct Fixture {
    std::string kioskToken;
    std::string adminKey; // write scope
    std::string window;
    std::vector<std::string> students;
};

std::optional<Fixture> seed(const std::string& db)
{
    SystemClock clock;
    auto store = std::move(*SqliteStore::open(db, clock));
    Fixture f;
    const auto seeded = store->inTransaction([&]() -> Result<void> {
        auto admin = store->people().createPerson({"Admin", "admin@example.org", std::nullopt, std::nullopt,
                                                   std::nullopt, std::nullopt, true});
        if (!admin)
            return std::unexpected(admin.error());
        std::vector<PersonId> ids;
        for (int i = 0; i < k_students; ++i) {
            const Person p = addPerson(*store, "Student " + std::to_string(i));
            ids.push_back(p.id);
            f.students.push_back(p.publicId);
        }
        auto course = store->courses().createCourse({"JS1", "Europe/London", 10, 60, ids}, admin->id);
        if (!course)
            return std::unexpected(course.error());
        f.window = newUuidV4();
        const auto now = clock.nowMs();
        if (auto w = store->attendance().createWindow({f.window, course->id, "Class", now, now - 60'000, admin->id}); !w)
            return std::unexpected(w.error());
        const IssuedToken token = issueToken(k_kioskTokenPrefix);
        if (auto k = store->kiosks().createKiosk({"Door", token.lookup, token.hash, randomBytes(32), {course->id}}); !k)
            return std::unexpected(k.error());
        f.kioskToken = token.token;
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

std::string batchOf(const Fixture& f, int from, int count)
{
    SyncRequest request{k_protocolVersion, SystemClock().nowMs(), 0, {}};
    for (int i = from; i < from + count; ++i) {
        const std::string& who = f.students[static_cast<std::size_t>(i)];
        request.events.emplace_back(Event{newUuidV4(), SystemClock().nowMs(), who, CheckIn{who, f.window, CheckInSource::Nfc}});
    }
    return encode(request);
}

std::int64_t countIn(const std::string& db, const std::string& sql)
{
    auto file = Database::open(db, {.readOnly = true});
    if (!file)
        return -1;
    auto statement = file->prepare(sql);
    if (!statement || !*statement->step())
        return -1;
    return statement->int64At(0);
}

bool intact(const std::string& db)
{
    auto file = Database::open(db, {.readOnly = true});
    if (!file)
        return false;
    auto check = file->prepare("PRAGMA integrity_check");
    return check && *check->step() && check->textAt(0) == "ok";
}

// What the server holds, as one line.
std::string stateOf(const std::string& db)
{
    std::string state;
    for (const char* table : {"check_in", "sync_receipt", "change_log", "correction", "flag_event"})
        state += std::string(table) + "=" + std::to_string(countIn(db, std::string("SELECT COUNT(*) FROM ") + table)) + " ";
    return state;
}

void setFault(const std::filesystem::path& control, const std::string& mode)
{
    std::ofstream(control, std::ios::trunc) << mode;
}

} // namespace

class DiskFaultTest : public QObject {
    Q_OBJECT

    void refusedWhileTheDiskWillNotWrite(const std::string& mode);

private slots:
    void aFullDiskIsAnswered503AndRecoveredWithoutARestart() { refusedWhileTheDiskWillNotWrite("full"); }
    void aReadOnlyFileSystemIsAnswered503AndRecoveredWithoutARestart() { refusedWhileTheDiskWillNotWrite("readonly"); }
};

void DiskFaultTest::refusedWhileTheDiskWillNotWrite(const std::string& mode)
{
    TempDir dir;
    const std::string db = (dir.path() / "disk.db").string();
    const auto control = dir.path() / "fault";
    const auto seeded = seed(db);
    QVERIFY(seeded);
    const Fixture& f = *seeded;

    setFault(control, "");
    ::setenv("LD_PRELOAD", IMHERE_DISKFAULT_SHIM, 1);
    ::setenv("IMHERE_DISKFAULT", control.c_str(), 1);
    // Under AddressSanitizer the preloaded shim comes before its runtime, which it must be told is fine.
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string asanBefore = asan ? asan : "";
    ::setenv("ASAN_OPTIONS", (asanBefore + (asanBefore.empty() ? "" : ":") + "verify_asan_link_order=0").c_str(), 1);
    ServerProcess server = startServerProcess(IMHERE_SERVER_BIN, db);
    ::unsetenv("LD_PRELOAD");
    ::unsetenv("IMHERE_DISKFAULT");
    if (asan)
        ::setenv("ASAN_OPTIONS", asanBefore.c_str(), 1);
    else
        ::unsetenv("ASAN_OPTIONS");
    QVERIFY(!server.url.empty());
    HttpClient client(server.url);
    const std::string sync = "/api/v1/kiosk/sync";
    const std::string checkIns = "/api/v1/windows/" + f.window + "/check-ins";

    [&] {
        // A healthy start: one batch and one check-in are stored.
        QCOMPARE(client.json("POST", sync, batchOf(f, 0, 5), bearer(f.kioskToken)).status, 200);
        QCOMPARE(client.json("POST", checkIns, nlohmann::json{{"person", f.students[5]}}.dump(), bearer(f.adminKey)).status,
                 201);
        QCOMPARE(countIn(db, "SELECT COUNT(*) FROM check_in"), 6);

        // The disk refuses writes: 503, Retry-After, nothing stored.
        const std::string before = stateOf(db);
        setFault(control, mode);
        const std::string batch = batchOf(f, 10, 10);
        for (int attempt = 0; attempt < 3; ++attempt) {
            const auto r = client.json("POST", sync, batch, bearer(f.kioskToken));
            QVERIFY2(r.status == 503, (std::to_string(r.status) + " " + r.body).c_str());
            QVERIFY(!r.header("retry-after").empty());
            QVERIFY2(r.body.find("\"error\"") != std::string::npos, r.body.c_str());
            const auto single = client.json("POST", checkIns, nlohmann::json{{"person", f.students[20]}}.dump(),
                                            bearer(f.adminKey));
            QVERIFY2(single.status == 503, (std::to_string(single.status) + " " + single.body).c_str());
            QVERIFY(!single.header("retry-after").empty());
        }
        QCOMPARE(client.get("/healthz").status, 200); // reading still works
        QCOMPARE(stateOf(db), before);
        QVERIFY(intact(db));

        // Space returns: the same requests now succeed, with no restart.
        setFault(control, "");
        const auto again = client.json("POST", sync, batch, bearer(f.kioskToken));
        QVERIFY2(again.status == 200, again.body.c_str());
        const auto reply = decodeResponse(again.body);
        QVERIFY(reply);
        QCOMPARE(reply->acks.size(), 10u);
        for (const auto& ack : reply->acks)
            QVERIFY2(ack.status == AckStatus::Stored, ack.reason.c_str());
        QCOMPARE(client.json("POST", checkIns, nlohmann::json{{"person", f.students[20]}}.dump(), bearer(f.adminKey)).status,
                 201);
        QCOMPARE(countIn(db, "SELECT COUNT(*) FROM check_in"), 17);
    }();
    ::kill(server.pid, SIGTERM);
    int status = 0;
    ::waitpid(server.pid, &status, 0);
    QVERIFY(intact(db));
}

QTEST_GUILESS_MAIN(DiskFaultTest)
#include "diskfaulttest.moc"
