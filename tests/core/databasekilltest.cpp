// A writer process killed with SIGKILL loses nothing it committed and leaves
// nothing it had not: the file opens, passes integrity_check, and holds every
// acknowledged batch whole.

#include "core/database.h"
#include "tests/support/tempdir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace imhere;
using imhere::testing::TempDir;

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

void killAndReap(const Child& child)
{
    kill(child.pid, SIGKILL);
    int status = 0;
    waitpid(child.pid, &status, 0);
    close(child.readFd);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer exited by itself with " << WEXITSTATUS(status);
}

// Opens the file after the kill and checks integrity and whole batches; returns
// the set of batches present.
std::set<int> verifiedBatches(const std::string& path)
{
    auto db = Database::open(path, {.migrations = k_schema});
    EXPECT_TRUE(db) << db.error().message;
    if (!db)
        return {};
    auto check = db->prepare("PRAGMA integrity_check");
    EXPECT_TRUE(*check->step());
    EXPECT_EQ(check->textAt(0), "ok");
    std::set<int> batches;
    auto s = db->prepare("SELECT batch, count(*) FROM row GROUP BY batch");
    while (*s->step()) {
        EXPECT_EQ(s->intAt(1), k_rowsPerBatch) << "batch " << s->intAt(0) << " is torn";
        batches.insert(s->intAt(0));
    }
    return batches;
}

} // namespace

TEST(DatabaseKill, OpenTransactionIsDiscardedAndCommitsKept)
{
    TempDir dir("imhere-kill");
    const auto path = dir.file("kill.db");
    constexpr int batches = 50;
    const Child child = spawnWriter(path, batches);
    int last = -2;
    for (;;) {
        const int ack = readAck(child.readFd);
        ASSERT_NE(ack, -2) << "writer died early";
        if (ack == k_uncommittedBatch)
            break;
        last = ack;
    }
    killAndReap(child);
    EXPECT_EQ(last, batches - 1);
    const auto present = verifiedBatches(path);
    EXPECT_EQ(present.size(), static_cast<std::size_t>(batches));
    EXPECT_FALSE(present.contains(k_uncommittedBatch));
}

TEST(DatabaseKill, KilledAtRandomMomentsLosesNoAcknowledgedBatch)
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
            ASSERT_NE(ack, -2) << "writer died early";
            lastAck = ack;
        }
        // Land the kill anywhere in the next batch: before, during or after COMMIT.
        usleep(static_cast<useconds_t>(std::uniform_int_distribution<int>(0, 3000)(rng)));
        killAndReap(child);
        const auto present = verifiedBatches(path);
        for (int b = 0; b <= lastAck; ++b)
            EXPECT_TRUE(present.contains(b)) << "acknowledged batch " << b << " lost in round " << round;
        ASSERT_FALSE(present.empty());
        // Only batches the writer had reached can be there, and no gaps.
        EXPECT_EQ(*present.begin(), 0);
        EXPECT_EQ(static_cast<int>(present.size()), *present.rbegin() + 1);
        EXPECT_FALSE(present.contains(k_uncommittedBatch));
    }
}
