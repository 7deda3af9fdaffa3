// CheckInWriter on a real SQLite file: refusals inside a group are answered
// one by one and do not spoil the rest; a group whose transaction fails is
// answered `unavailable` and stores none of its check-ins; a full queue
// refuses at once; stopping answers everything queued.
//
// The groups are made deterministic by holding the database's write lock
// from a second connection: the writer takes a first check-in and waits for
// the lock, the check-ins submitted meanwhile queue up, and they form the
// next group once the lock is released.

#include "testserver.h"

#include "sync-server/service/checkinwriter.h"

#include "core/database.h"
#include "core/random.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using namespace std::chrono_literals;

namespace {

// Outcomes by submission index, as the writer hands them over.
class Answers {
public:
    CheckInWriter::Done slot(int index)
    {
        return [this, index](Result<CheckInOutcome> outcome) {
            std::lock_guard lock(m_mutex);
            m_answers.emplace(index, std::move(outcome));
            m_changed.notify_all();
        };
    }
    // Every answer once `count` have come (bounded wait; fewer on timeout).
    std::map<int, Result<CheckInOutcome>> waitFor(std::size_t count)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, 10s, [&] { return m_answers.size() >= count; });
        return m_answers;
    }
    std::size_t count()
    {
        std::lock_guard lock(m_mutex);
        return m_answers.size();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<int, Result<CheckInOutcome>> m_answers;
};

// The write lock of the store's file, held from another connection.
class WriteLock {
public:
    explicit WriteLock(const std::string& path) : m_db(std::move(*Database::open(path))) {}
    void take() { ASSERT_TRUE(m_db.exec("BEGIN IMMEDIATE")); }
    void release() { ASSERT_TRUE(m_db.exec("COMMIT")); }
    Database& db() { return m_db; }

private:
    Database m_db;
};

class CheckInWriterTest : public ::testing::Test {
protected:
    CheckInWriterTest() : school(School::build(server)), lock(server.dbPath()) {}

    CheckInEvent checkIn(const Person& who, const std::string& window)
    {
        return {newUuidV4(), who.id, window, server.clock.nowMs(), CheckInSource::Manual, school.admin.id,
                std::nullopt};
    }
    // Takes the write lock and has the writer take a first check-in (answer 0,
    // studentB in openB) alone; it then waits for the lock, so whatever is
    // submitted next queues up and forms the next group.
    void holdWriterAfterOne(CheckInWriter& writer, Answers& answers)
    {
        lock.take();
        writer.submit(checkIn(school.studentB, school.openB.id), answers.slot(0));
        for (int i = 0; i < 5000 && writer.waiting() > 0; ++i)
            std::this_thread::sleep_for(1ms);
        ASSERT_EQ(writer.waiting(), 0u);
    }
    std::int64_t checkInsOf(const Person& who, const std::string& window)
    {
        return server.countInFile("SELECT count(*) FROM check_in WHERE person = " + std::to_string(who.id)
                                  + " AND window_id = '" + window + "'");
    }

    TestServer server;
    School school;
    WriteLock lock;
};

} // namespace

TEST_F(CheckInWriterTest, RefusalsInAGroupAreAnsweredAloneAndTheRestIsStored)
{
    CheckInWriter writer(*server.store);
    Answers answers;
    holdWriterAfterOne(writer, answers);
    // One group: each sees what the ones before it stored.
    const std::string unknownWindow = newUuidV4();
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(1));
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(2));  // again, other id
    writer.submit(checkIn(school.studentA2, school.closedA.id), answers.slot(3));
    writer.submit(checkIn(school.outsider, school.openA.id), answers.slot(4));
    writer.submit(checkIn(school.taA, school.openA.id), answers.slot(5));
    writer.submit(checkIn(school.studentA2, unknownWindow), answers.slot(6));
    writer.submit(checkIn(school.studentA2, school.openA.id), answers.slot(7));
    EXPECT_EQ(writer.waiting(), 7u);
    lock.release();

    const auto got = answers.waitFor(8);
    ASSERT_EQ(got.size(), 8u);
    const std::map<int, CheckInOutcome> expected{
        {0, CheckInOutcome::Stored},         {1, CheckInOutcome::Stored},
        {2, CheckInOutcome::AlreadyCheckedIn}, {3, CheckInOutcome::WindowNotOpen},
        {4, CheckInOutcome::NotParticipant}, {5, CheckInOutcome::Stored},
        {6, CheckInOutcome::UnknownWindow},  {7, CheckInOutcome::Stored},
    };
    for (const auto& [index, outcome] : expected) {
        ASSERT_TRUE(got.at(index)) << index << ": " << got.at(index).error().message;
        EXPECT_EQ(*got.at(index), outcome) << index;
    }
    EXPECT_EQ(checkInsOf(school.studentA, school.openA.id), 1);
    EXPECT_EQ(checkInsOf(school.studentA2, school.openA.id), 1);
    EXPECT_EQ(checkInsOf(school.taA, school.openA.id), 1);
    EXPECT_EQ(checkInsOf(school.studentA2, school.closedA.id), 0);
    EXPECT_EQ(checkInsOf(school.outsider, school.openA.id), 0);
    EXPECT_EQ(server.countInFile("SELECT count(*) FROM check_in"), 4);
    // Every stored check-in is logged once for the kiosks, nothing else is.
    EXPECT_EQ(server.countInFile("SELECT count(*) FROM change_log WHERE kind = 'check_in'"), 4);
    EXPECT_EQ(server.countInFile("SELECT count(*) FROM change_log c JOIN check_in i ON i.id = c.ref"), 4);
}

TEST_F(CheckInWriterTest, AFailedGroupStoresNoneOfItsCheckIns)
{
    // The file refuses one person's check-in, as a full disk would refuse a write.
    ASSERT_TRUE(lock.db().exec("CREATE TRIGGER refuse BEFORE INSERT ON check_in WHEN NEW.person = "
                               + std::to_string(school.taA.id) + " BEGIN SELECT RAISE(ABORT, 'refused'); END"));
    CheckInWriter writer(*server.store);
    Answers answers;
    holdWriterAfterOne(writer, answers);
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(1));
    writer.submit(checkIn(school.taA, school.openA.id), answers.slot(2));
    writer.submit(checkIn(school.studentA2, school.openA.id), answers.slot(3));
    lock.release();

    const auto got = answers.waitFor(4);
    ASSERT_EQ(got.size(), 4u);
    ASSERT_TRUE(got.at(0));
    EXPECT_EQ(*got.at(0), CheckInOutcome::Stored);
    for (int i = 1; i <= 3; ++i) {
        ASSERT_FALSE(got.at(i)) << i;
        EXPECT_EQ(got.at(i).error().code, "unavailable");
    }
    EXPECT_EQ(server.countInFile("SELECT count(*) FROM check_in WHERE window_id = '" + school.openA.id + "'"), 0);
    EXPECT_EQ(server.countInFile("SELECT count(*) FROM change_log WHERE kind = 'check_in'"), 1);

    // The writer goes on with the next group.
    ASSERT_TRUE(lock.db().exec("DROP TRIGGER refuse"));
    auto again = writer.commit(checkIn(school.studentA, school.openA.id));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, CheckInOutcome::Stored);
    EXPECT_EQ(checkInsOf(school.studentA, school.openA.id), 1);
}

TEST_F(CheckInWriterTest, AFullQueueRefusesAtOnceAndStoresNothingOfTheRefused)
{
    CheckInWriter writer(*server.store, 2, 256);
    Answers answers;
    holdWriterAfterOne(writer, answers);
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(1));
    writer.submit(checkIn(school.studentA2, school.openA.id), answers.slot(2));
    writer.submit(checkIn(school.taA, school.openA.id), answers.slot(3));
    // The third did not fit: answered before submit() returned.
    EXPECT_EQ(answers.count(), 1u);
    lock.release();

    const auto got = answers.waitFor(4);
    ASSERT_EQ(got.size(), 4u);
    ASSERT_FALSE(got.at(3));
    EXPECT_EQ(got.at(3).error().code, "unavailable");
    for (int i = 0; i <= 2; ++i) {
        ASSERT_TRUE(got.at(i)) << i;
        EXPECT_EQ(*got.at(i), CheckInOutcome::Stored) << i;
    }
    EXPECT_EQ(checkInsOf(school.taA, school.openA.id), 0);
    EXPECT_EQ(checkInsOf(school.studentA2, school.openA.id), 1);
}

TEST_F(CheckInWriterTest, StoppingAnswersEverythingQueued)
{
    std::vector<Person> people;
    for (int i = 0; i < 20; ++i) {
        people.push_back(addPerson(*server.store, "Student " + std::to_string(i)));
        ASSERT_TRUE(server.store->setEnrollment(people.back().id, school.courseA.id, sync::Role::Student,
                                                school.teacherA.id));
    }
    Answers answers;
    {
        CheckInWriter writer(*server.store);
        holdWriterAfterOne(writer, answers);
        for (int i = 0; i < 20; ++i)
            writer.submit(checkIn(people[static_cast<std::size_t>(i)], school.openA.id), answers.slot(i + 1));
        lock.release();
    } // the destructor returns once every queued check-in has its answer
    EXPECT_EQ(answers.count(), 21u);
    for (const auto& [index, outcome] : answers.waitFor(21)) {
        ASSERT_TRUE(outcome) << index;
        EXPECT_EQ(*outcome, CheckInOutcome::Stored) << index;
    }
    EXPECT_EQ(server.countInFile("SELECT count(*) FROM check_in WHERE window_id = '" + school.openA.id + "'"), 20);
}
