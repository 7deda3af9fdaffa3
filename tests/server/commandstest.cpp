// The imhere-server executable: --help everywhere, import-roster all or
// nothing, kiosk add, backup, and serve stopping cleanly on SIGTERM.

#include "testserver.h"

#include "core/database.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using namespace imhere::test;

namespace {

struct Outcome {
    int exitCode;
    std::string out;
    std::string err;
};

std::string slurp(const std::filesystem::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Outcome run(const TempDir& dir, const std::string& args)
{
    const auto out = dir.path() / "stdout.txt";
    const auto err = dir.path() / "stderr.txt";
    const std::string command = std::string(IMHERE_SERVER_BIN) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(command.c_str());
    return Outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

std::string valueAfter(const std::string& text, const std::string& label)
{
    const auto at = text.find(label);
    if (at == std::string::npos)
        return {};
    const auto start = at + label.size();
    return text.substr(start, text.find('\n', start) - start);
}

} // namespace

TEST(Commands, EveryCommandHasHelp)
{
    TempDir dir;
    for (const std::string command :
         {"", "serve", "init", "user add", "import-roster", "kiosk add", "demo-data", "backup"}) {
        const Outcome r = run(dir, command + " --help");
        EXPECT_EQ(r.exitCode, 0) << command;
        EXPECT_NE(r.out.find("usage: imhere-server"), std::string::npos) << command;
    }
    EXPECT_EQ(run(dir, "frobnicate").exitCode, 2);
}

TEST(Commands, ImportRosterImportsAllRowsOrNone)
{
    TempDir dir;
    const std::string db = "--db " + (dir.path() / "i.db").string();
    const Outcome user = run(dir, "user add " + db + " --name 'Tomás Teacher' --email t@example.org --with-pin");
    ASSERT_EQ(user.exitCode, 0) << user.err;
    EXPECT_EQ(valueAfter(user.out, "pin: ").size(), 6u);

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
    const Outcome bad = run(dir, "import-roster " + csv.string() + " --course " + course + " " + db);
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_NE(bad.err.find("roster.csv:3:"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("roster.csv:5:"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("nothing was imported"), std::string::npos);
    {
        auto store = server::SqliteStore::open((dir.path() / "i.db").string(), clock);
        EXPECT_EQ((*store)->roster(course)->size(), 1u); // only the teacher
    }

    std::ofstream(csv) << "display_name,email,role\nZoë Student,zoe@example.org,student\n"
                          "Tara TA,tara@example.org,ta\nTomás Teacher,T@example.org,teacher\n";
    const Outcome good = run(dir, "import-roster " + csv.string() + " --course " + course + " " + db);
    EXPECT_EQ(good.exitCode, 0) << good.err;
    EXPECT_NE(good.out.find("2 new people"), std::string::npos) << good.out;
    auto store = server::SqliteStore::open((dir.path() / "i.db").string(), clock);
    EXPECT_EQ((*store)->roster(course)->size(), 3u);
}

TEST(Commands, KioskAddPrintsATokenOnceAndBackupCopiesTheDatabase)
{
    TempDir dir;
    const std::string dbPath = (dir.path() / "k.db").string();
    const Outcome init = run(dir, "init --db " + dbPath + " --admin-email boss@example.org");
    ASSERT_EQ(init.exitCode, 0) << init.err;
    EXPECT_EQ(valueAfter(init.out, "password: ").size(), 20u);
    EXPECT_EQ(run(dir, "kiosk add --db " + dbPath + " --name Door --course not-a-uuid").exitCode, 1);
    EXPECT_EQ(run(dir, "kiosk add --db " + dbPath + " --name Door --course 11111111-2222-4333-8444-555555555555")
                  .exitCode,
              1); // no such course

    const auto backup = dir.path() / "copy.db";
    const Outcome copied = run(dir, "backup --db " + dbPath + " --to " + backup.string());
    ASSERT_EQ(copied.exitCode, 0) << copied.err;
    auto db = Database::open(backup.string(), {.readOnly = true});
    ASSERT_TRUE(db);
    auto q = db->prepare("SELECT count(*) FROM person WHERE email = 'boss@example.org'");
    ASSERT_TRUE(*q->step());
    EXPECT_EQ(q->int64At(0), 1);
}

TEST(Commands, ServeStopsCleanlyOnSigterm)
{
    TempDir dir;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
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
    ASSERT_NE(at, std::string::npos) << out;
    HttpClient client(out.substr(at, out.find('\n') - at));
    EXPECT_EQ(client.get("/healthz").status, 200);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(client.get("/healthz").status, 0);
}
