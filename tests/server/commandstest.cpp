// The imhere-server executable: --help everywhere, import-roster all or
// nothing, kiosk add, backup, and serve stopping cleanly on SIGTERM.

#include "servercommand.h"
#include "testserver.h"

#include "core/database.h"
#include "core/random.h"
#include "sync-server/store/sqlitestore.h"

#include "tests/support/qtestsupport.h"

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using namespace imhere::test;

namespace {

std::string valueAfter(const std::string& text, const std::string& label)
{
    const auto at = text.find(label);
    if (at == std::string::npos)
        return {};
    const auto start = at + label.size();
    return text.substr(start, text.find('\n', start) - start);
}

} // namespace

class CommandsTest : public QObject {
    Q_OBJECT

private slots:
    void everyCommandHasHelp();
    void importRosterImportsAllRowsOrNone();
    void kioskAddPrintsATokenOnceAndBackupCopiesTheDatabase();
    void serveStopsCleanlyOnSigterm();
    void serveClosesWindowsWhoseTimePassedWhileItWasDown();
};

void CommandsTest::everyCommandHasHelp()
{
    TempDir dir;
    for (const std::string command :
         {"", "serve", "init", "user add", "import-roster", "import-register", "kiosk add", "demo-data", "backup",
          "restore", "migrate"}) {
        const CommandOutcome r = runServerCommand(dir, command + " --help");
        QVERIFY2(r.exitCode == 0, (command + ": exit code " + std::to_string(r.exitCode)).c_str());
        QVERIFY2(r.out.find("usage: imhere-server") != std::string::npos, command.c_str());
    }
    QCOMPARE(runServerCommand(dir, "frobnicate").exitCode, 2);
}

void CommandsTest::importRosterImportsAllRowsOrNone()
{
    TempDir dir;
    const std::string db = "--db " + (dir.path() / "i.db").string();
    const CommandOutcome user = runServerCommand(dir, "user add " + db + " --name 'Tomás Teacher' --email t@example.org --with-pin");
    QVERIFY2(user.exitCode == 0, user.err.c_str());
    QCOMPARE(valueAfter(user.out, "pin: ").size(), 8u);

    SystemClock clock;
    std::string course;
    {
        auto store = server::SqliteStore::open((dir.path() / "i.db").string(), clock);
        auto teacher = (*store)->personByEmail("t@example.org");
        course = (*(*store)->createCourse({"JS1", "Europe/London", 10, 60, {}}, (**teacher).id)).id;
    }
    const auto csv = dir.path() / "roster.csv";
    std::ofstream(csv) << "display_name,email,role\nZoë Student,zoe@example.org,student\n"
                          "Bad Row,nope,student\nTara TA,tara@example.org,ta\nX,x@example.org,boss\n";
    const CommandOutcome bad = runServerCommand(dir, "import-roster " + csv.string() + " --course " + course + " " + db);
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.find("roster.csv:3:") != std::string::npos, bad.err.c_str());
    QVERIFY2(bad.err.find("roster.csv:5:") != std::string::npos, bad.err.c_str());
    QCOMPARE_NE(bad.err.find("nothing was imported"), std::string::npos);
    {
        auto store = server::SqliteStore::open((dir.path() / "i.db").string(), clock);
        QCOMPARE((*store)->roster(course)->size(), 1u); // only the teacher
    }

    std::ofstream(csv) << "display_name,email,role\nZoë Student,zoe@example.org,student\n"
                          "Tara TA,tara@example.org,ta\nTomás Teacher,T@example.org,teacher\n";
    const CommandOutcome good = runServerCommand(dir, "import-roster " + csv.string() + " --course " + course + " " + db);
    QVERIFY2(good.exitCode == 0, good.err.c_str());
    QVERIFY2(good.out.find("2 new people") != std::string::npos, good.out.c_str());
    // New people have no password; the output says how to invite them.
    QVERIFY2(good.out.find("Invite everyone without a password") != std::string::npos, good.out.c_str());
    auto store = server::SqliteStore::open((dir.path() / "i.db").string(), clock);
    QCOMPARE((*store)->roster(course)->size(), 3u);
}

void CommandsTest::kioskAddPrintsATokenOnceAndBackupCopiesTheDatabase()
{
    TempDir dir;
    const std::string dbPath = (dir.path() / "k.db").string();
    const CommandOutcome init = runServerCommand(dir, "init --db " + dbPath + " --admin-email boss@example.org");
    QVERIFY2(init.exitCode == 0, init.err.c_str());
    QCOMPARE(valueAfter(init.out, "password: ").size(), 20u);
    QCOMPARE(runServerCommand(dir, "kiosk add --db " + dbPath + " --name Door --course not-a-uuid").exitCode, 1);
    QCOMPARE(runServerCommand(dir, "kiosk add --db " + dbPath + " --name Door --course 11111111-2222-4333-8444-555555555555")
                 .exitCode,
             1); // no such course

    const auto backup = dir.path() / "copy.db";
    const CommandOutcome copied = runServerCommand(dir, "backup --db " + dbPath + " --to " + backup.string());
    QVERIFY2(copied.exitCode == 0, copied.err.c_str());
    auto db = Database::open(backup.string(), {.readOnly = true});
    QVERIFY(db);
    auto q = db->prepare("SELECT count(*) FROM person WHERE email = 'boss@example.org'");
    QVERIFY(*q->step());
    QCOMPARE(q->int64At(0), 1);
}

void CommandsTest::serveStopsCleanlyOnSigterm()
{
    TempDir dir;
    int fds[2];
    QCOMPARE(pipe(fds), 0);
    const std::string db = (dir.path() / "s.db").string();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execl(IMHERE_SERVER_BIN, IMHERE_SERVER_BIN, "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0", nullptr);
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    char buffer[256];
    while (out.find('\n') == std::string::npos) {
        const ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    const auto at = out.find("http://");
    QVERIFY2(at != std::string::npos, out.c_str());
    HttpClient client(out.substr(at, out.find('\n') - at));
    const long health = client.get("/healthz").status;
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    QCOMPARE(health, 200);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
    QCOMPARE(client.get("/healthz").status, 0);
}

void CommandsTest::serveClosesWindowsWhoseTimePassedWhileItWasDown()
{
    TempDir dir;
    const std::string db = (dir.path() / "s.db").string();
    // A class opened three hours ago with the course's 120 minutes and 15 of
    // grace, and one opened now: the server was not running in between.
    SystemClock clock;
    const auto now = clock.nowMs();
    std::string overdue, current;
    {
        auto store = server::SqliteStore::open(db, clock);
        QVERIFY(store);
        auto& s = **store;
        const auto teacher = s.people().createPerson({"Tomás Teacher", std::nullopt, std::nullopt, std::nullopt,
                                                      std::nullopt, std::nullopt, false});
        QVERIFY(teacher);
        const auto course = s.courses().createCourse({"WM5 · JS1", "Europe/London", 10, 60, {}}, teacher->id);
        QVERIFY(course);
        const auto old = s.attendance().createWindow(
            {newUuidV4(), course->id, "Earlier", std::nullopt, now - 3 * 3'600'000, teacher->id});
        const auto fresh = s.attendance().createWindow(
            {newUuidV4(), course->id, "Now", std::nullopt, now - 60'000, teacher->id});
        QVERIFY(old && fresh);
        overdue = old->id;
        current = fresh->id;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        const int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        execl(IMHERE_SERVER_BIN, IMHERE_SERVER_BIN, "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0", nullptr);
        _exit(127);
    }
    auto closedAt = [&](const std::string& window) -> std::optional<std::int64_t> {
        auto file = Database::open(db, {.readOnly = true});
        if (!file)
            return std::nullopt;
        auto q = file->prepare("SELECT closed_at FROM attendance_window WHERE id = ?");
        if (!q)
            return std::nullopt;
        q->bind(1, window);
        auto row = q->step();
        return row && *row ? q->optionalInt64At(0) : std::nullopt;
    };
    std::optional<std::int64_t> closed;
    for (int i = 0; i < 100 && !closed; ++i) {
        closed = closedAt(overdue);
        if (!closed)
            QTest::qSleep(100);
    }
    const auto stillOpen = !closedAt(current).has_value();
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    QVERIFY2(closed, "the overdue window was not closed within 10 s of the server's start");
    QCOMPARE(*closed, now - 3 * 3'600'000 + 135 * 60'000); // as of its end and grace, not of the restart
    QVERIFY(stillOpen);
}

QTEST_GUILESS_MAIN(CommandsTest)
#include "commandstest.moc"
