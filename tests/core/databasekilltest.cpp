// A writer process killed with SIGKILL loses nothing it committed and leaves
// nothing it had not: the file opens, passes integrity_check, and holds every
// acknowledged batch whole.

#include "core/database.h"
#include "tests/support/tempdir.h"

#include "tests/support/qtestsupport.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using imhere::test::TempDir;

namespace {

constexpr int k_rowsPerBatch = 5;
constexpr int k_uncommittedBatch = -1;
constexpr Migration k_schema[] = {
    {1, "CREATE TABLE row(batch INTEGER NOT NULL, k INTEGER NOT NULL, payload TEXT NOT NULL,"
        " PRIMARY KEY(batch, k)) STRICT;"},
};

// Child: commit batches, report each on the pipe after COMMIT returns; after
// `batches` of them (or forever when negative) open one more transaction,
// report 'open', and wait to be killed.
[[noreturn]] void writer(const std::string& path, int pipeFd, int batches)
{
    auto db = Database::open(path, {.migrations = k_schema});
    if (!db)
        _exit(3);
    auto insert = db->prepare("INSERT INTO row(batch, k, payload) VALUES(?, ?, ?)");
    const std::string payload(512, 'x');
    for (int batch = 0; batches < 0 || batch < batches; ++batch) {
        auto txn = Transaction::begin(*db);
        if (!txn)
            _exit(4);
        for (int k = 0; k < k_rowsPerBatch; ++k) {
            insert->reset();
            insert->bindAll(batch, k, payload);
            if (!insert->run())
                _exit(5);
        }
        if (!txn->commit())
            _exit(6);
        if (write(pipeFd, &batch, sizeof batch) != sizeof batch)
            _exit(7);
    }
    auto txn = Transaction::begin(*db);
    for (int k = 0; k < k_rowsPerBatch; ++k) {
        insert->reset();
        insert->bindAll(k_uncommittedBatch, k, payload);
        (void)insert->run();
    }
    const int open = k_uncommittedBatch;
    (void)!write(pipeFd, &open, sizeof open);
    for (;;)
        pause();
}

struct Child {
    pid_t pid;
    int readFd;
};

Child spawnWriter(const std::string& path, int batches)
{
    int fds[2];
    if (pipe(fds) != 0)
        std::abort();
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        writer(path, fds[1], batches);
    }
    close(fds[1]);
    return {pid, fds[0]};
}

int readAck(int fd)
{
    int value = 0;
    return read(fd, &value, sizeof value) == sizeof value ? value : -2;
}

// Kills the writer and checks that it was still running: a writer that had
// exited by itself fails the test (check QTest::currentTestFailed() after).
void killAndReap(const Child& child)
{
    kill(child.pid, SIGKILL);
    int status = 0;
    waitpid(child.pid, &status, 0);
    close(child.readFd);
    QVERIFY2(WIFSIGNALED(status),
             ("the writer exited by itself with " + std::to_string(WEXITSTATUS(status))).c_str());
}

// Opens the file after the kill and checks integrity and whole batches; fills
// `batches` with the batches present (check QTest::currentTestFailed() after).
void verifyBatches(const std::string& path, std::set<int>& batches)
{
    auto db = Database::open(path, {.migrations = k_schema});
    QVERIFY2(db, db ? "" : db.error().message.c_str());
    auto check = db->prepare("PRAGMA integrity_check");
    QVERIFY(*check->step());
    QCOMPARE(check->textAt(0), "ok");
    auto s = db->prepare("SELECT batch, count(*) FROM row GROUP BY batch");
    while (*s->step()) {
        QVERIFY2(s->intAt(1) == k_rowsPerBatch, ("batch " + std::to_string(s->intAt(0)) + " is torn: "
                                                 + std::to_string(s->intAt(1)) + " rows").c_str());
        batches.insert(s->intAt(0));
    }
}

} // namespace

class DatabaseKillTest : public QObject {
    Q_OBJECT
private slots:
    void openTransactionIsDiscardedAndCommitsKept();
    void killedAtRandomMomentsLosesNoAcknowledgedBatch();
};

void DatabaseKillTest::openTransactionIsDiscardedAndCommitsKept()
{
    TempDir dir("imhere-kill");
    const auto path = dir.file("kill.db");
    constexpr int batches = 50;
    const Child child = spawnWriter(path, batches);
    int last = -2;
    for (;;) {
        const int ack = readAck(child.readFd);
        QVERIFY2(ack != -2, "writer died early");
        if (ack == k_uncommittedBatch)
            break;
        last = ack;
    }
    killAndReap(child);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(last, batches - 1);
    std::set<int> present;
    verifyBatches(path, present);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(present.size(), static_cast<std::size_t>(batches));
    QVERIFY(!present.contains(k_uncommittedBatch));
}

void DatabaseKillTest::killedAtRandomMomentsLosesNoAcknowledgedBatch()
{
    std::mt19937 rng(20261122);
    for (int round = 0; round < 8; ++round) {
        TempDir dir("imhere-kill");
        const auto path = dir.file("kill.db");
        const Child child = spawnWriter(path, -1);
        const int stopAfter = std::uniform_int_distribution<int>(5, 60)(rng);
        int lastAck = -1;
        while (lastAck < stopAfter) {
            const int ack = readAck(child.readFd);
            QVERIFY2(ack != -2, "writer died early");
            lastAck = ack;
        }
        // Land the kill anywhere in the next batch: before, during or after COMMIT.
        usleep(static_cast<useconds_t>(std::uniform_int_distribution<int>(0, 3000)(rng)));
        killAndReap(child);
        if (QTest::currentTestFailed())
            return;
        std::set<int> present;
        verifyBatches(path, present);
        if (QTest::currentTestFailed())
            return;
        for (int b = 0; b <= lastAck; ++b)
            QVERIFY2(present.contains(b), ("acknowledged batch " + std::to_string(b) + " lost in round "
                                           + std::to_string(round)).c_str());
        QVERIFY(!present.empty());
        // Only batches the writer had reached can be there, and no gaps.
        QCOMPARE(*present.begin(), 0);
        QCOMPARE(static_cast<int>(present.size()), *present.rbegin() + 1);
        QVERIFY(!present.contains(k_uncommittedBatch));
    }
}

QTEST_GUILESS_MAIN(DatabaseKillTest)
#include "databasekilltest.moc"
