// CheckInWriter on a real store (a SQLite file, or a PostgreSQL database): refusals inside a group are answered
// one by one and do not spoil the rest; a group whose transaction fails is
// answered `unavailable` and stores none of its check-ins; a full queue
// refuses at once; stopping answers everything queued.
//
// The groups are made deterministic by holding the database's write lock
// (on PostgreSQL, the check_in table's) from a second connection: the
// writer takes a first check-in and waits for the lock, the check-ins
// submitted meanwhile queue up, and they form the next group once the lock
// is released.

#include "checkinanswers.h"
#include "testserver.h"

#include "sync-server/service/checkinwriter.h"
#include "sync-server/store/pgconnection.h"

#include "core/database.h"
#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using namespace std::chrono_literals;

namespace {

// The write lock of the store's file, or on PostgreSQL the lock that keeps
// every writer out of check_in (readers still read), held from another
// connection.
class WriteLock {
public:
    explicit WriteLock(const TestServer& server)
    {
        if (server.postgres()) {
            if (auto connected = PgConnection::connect(server.location()))
                m_pg = std::move(*connected);
        } else if (auto opened = Database::open(server.location())) {
            m_file.emplace(std::move(*opened));
        }
    }
    [[nodiscard]] bool take()
    {
        if (m_pg)
            return m_pg->exec("BEGIN; LOCK TABLE check_in IN EXCLUSIVE MODE").has_value();
        return m_file && m_file->exec("BEGIN IMMEDIATE").has_value();
    }
    [[nodiscard]] bool release()
    {
        if (m_pg)
            return m_pg->exec("COMMIT").has_value();
        return m_file && m_file->exec("COMMIT").has_value();
    }

private:
    std::optional<Database> m_file;
    std::unique_ptr<PgConnection> m_pg;
};

} // namespace

class CheckInWriterTest : public QObject {
    Q_OBJECT

    CheckInEvent checkIn(const Person& who, const std::string& window)
    {
        return {newUuidV4(), who.id, window, server->clock.nowMs(), CheckInSource::Manual, school.admin.id,
                std::nullopt};
    }
    // Takes the write lock and has the writer take a first check-in (answer 0,
    // studentB in openB) alone; it then waits for the lock, so whatever is
    // submitted next queues up and forms the next group. False, with the lock
    // released, when the lock or the first check-in was not taken.
    [[nodiscard]] bool holdWriterAfterOne(CheckInWriter& writer, Answers& answers)
    {
        if (!lock->take())
            return false;
        writer.submit(checkIn(school.studentB, school.openB.id), answers.slot(0));
        for (int i = 0; i < 5000 && writer.waiting() > 0; ++i)
            std::this_thread::sleep_for(1ms);
        if (writer.waiting() > 0) {
            (void)lock->release();
            return false;
        }
        return true;
    }
    std::int64_t checkInsOf(const Person& who, const std::string& window)
    {
        return server->countInFile("SELECT count(*) FROM check_in WHERE person = " + std::to_string(who.id)
                                   + " AND window_id = '" + window + "'");
    }

    std::optional<TestServer> server;
    School school;
    std::optional<WriteLock> lock;

private slots:
    void init()
    {
        server.emplace();
        school = School::build(*server);
        lock.emplace(*server);
    }
    void cleanup()
    {
        lock.reset();
        server.reset();
    }

    void refusalsInAGroupAreAnsweredAloneAndTheRestIsStored();
    void aFailedGroupStoresNoneOfItsCheckIns();
    void aFullQueueRefusesAtOnceAndStoresNothingOfTheRefused();
    void stoppingAnswersEverythingQueued();
};

void CheckInWriterTest::refusalsInAGroupAreAnsweredAloneAndTheRestIsStored()
{
    CheckInWriter writer(*server->store);
    Answers answers;
    QVERIFY(holdWriterAfterOne(writer, answers));
    // One group: each sees what the ones before it stored.
    const std::string unknownWindow = newUuidV4();
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(1));
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(2));  // again, other id
    writer.submit(checkIn(school.studentA2, school.closedA.id), answers.slot(3));
    writer.submit(checkIn(school.outsider, school.openA.id), answers.slot(4));
    writer.submit(checkIn(school.taA, school.openA.id), answers.slot(5));
    writer.submit(checkIn(school.studentA2, unknownWindow), answers.slot(6));
    writer.submit(checkIn(school.studentA2, school.openA.id), answers.slot(7));
    const std::size_t waiting = writer.waiting();
    QVERIFY(lock->release());
    QCOMPARE(waiting, 7u);

    const auto got = answers.waitFor(8);
    QCOMPARE(got.size(), 8u);
    const std::map<int, CheckInOutcome> expected{
        {0, CheckInOutcome::Stored},         {1, CheckInOutcome::Stored},
        {2, CheckInOutcome::AlreadyCheckedIn}, {3, CheckInOutcome::WindowNotOpen},
        {4, CheckInOutcome::NotParticipant}, {5, CheckInOutcome::Stored},
        {6, CheckInOutcome::UnknownWindow},  {7, CheckInOutcome::Stored},
    };
    for (const auto& [index, outcome] : expected) {
        QVERIFY2(got.at(index),
                 (std::to_string(index) + ": " + (got.at(index) ? "" : got.at(index).error().message)).c_str());
        QVERIFY2(*got.at(index) == outcome, std::to_string(index).c_str());
    }
    QCOMPARE(checkInsOf(school.studentA, school.openA.id), 1);
    QCOMPARE(checkInsOf(school.studentA2, school.openA.id), 1);
    QCOMPARE(checkInsOf(school.taA, school.openA.id), 1);
    QCOMPARE(checkInsOf(school.studentA2, school.closedA.id), 0);
    QCOMPARE(checkInsOf(school.outsider, school.openA.id), 0);
    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in"), 4);
    // Every stored check-in is logged once for the kiosks, nothing else is.
    QCOMPARE(server->countInFile("SELECT count(*) FROM change_log WHERE kind = 'check_in'"), 4);
    QCOMPARE(server->countInFile("SELECT count(*) FROM change_log c JOIN check_in i ON i.id = c.ref"), 4);
}

void CheckInWriterTest::aFailedGroupStoresNoneOfItsCheckIns()
{
    // The file refuses one person's check-in, as a full disk would refuse a write.
    QVERIFY(server->refuseInserts("check_in", "NEW.person = " + std::to_string(school.taA.id)));
    CheckInWriter writer(*server->store);
    Answers answers;
    QVERIFY(holdWriterAfterOne(writer, answers));
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(1));
    writer.submit(checkIn(school.taA, school.openA.id), answers.slot(2));
    writer.submit(checkIn(school.studentA2, school.openA.id), answers.slot(3));
    QVERIFY(lock->release());

    const auto got = answers.waitFor(4);
    QCOMPARE(got.size(), 4u);
    QVERIFY(got.at(0));
    QCOMPARE_EQ(*got.at(0), CheckInOutcome::Stored);
    for (int i = 1; i <= 3; ++i) {
        QVERIFY2(!got.at(i), std::to_string(i).c_str());
        QCOMPARE(got.at(i).error().code, Errc::Unavailable);
    }
    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in WHERE window_id = '" + school.openA.id + "'"), 0);
    QCOMPARE(server->countInFile("SELECT count(*) FROM change_log WHERE kind = 'check_in'"), 1);

    // The writer goes on with the next group.
    QVERIFY(server->allowInserts("check_in"));
    auto again = writer.commit(checkIn(school.studentA, school.openA.id));
    QVERIFY(again);
    QCOMPARE_EQ(*again, CheckInOutcome::Stored);
    QCOMPARE(checkInsOf(school.studentA, school.openA.id), 1);
}

void CheckInWriterTest::aFullQueueRefusesAtOnceAndStoresNothingOfTheRefused()
{
    CheckInWriter writer(*server->store, 2, 256);
    Answers answers;
    QVERIFY(holdWriterAfterOne(writer, answers));
    writer.submit(checkIn(school.studentA, school.openA.id), answers.slot(1));
    writer.submit(checkIn(school.studentA2, school.openA.id), answers.slot(2));
    writer.submit(checkIn(school.taA, school.openA.id), answers.slot(3));
    // The third did not fit: answered before submit() returned.
    const std::size_t answeredAtOnce = answers.count();
    QVERIFY(lock->release());
    QCOMPARE(answeredAtOnce, 1u);

    const auto got = answers.waitFor(4);
    QCOMPARE(got.size(), 4u);
    QVERIFY(!got.at(3));
    QCOMPARE(got.at(3).error().code, Errc::Unavailable);
    for (int i = 0; i <= 2; ++i) {
        QVERIFY2(got.at(i), std::to_string(i).c_str());
        QVERIFY2(*got.at(i) == CheckInOutcome::Stored, std::to_string(i).c_str());
    }
    QCOMPARE(checkInsOf(school.taA, school.openA.id), 0);
    QCOMPARE(checkInsOf(school.studentA2, school.openA.id), 1);
}

void CheckInWriterTest::stoppingAnswersEverythingQueued()
{
    std::vector<Person> people;
    for (int i = 0; i < 20; ++i) {
        people.push_back(addPerson(*server->store, "Student " + std::to_string(i)));
        QVERIFY(server->store->courses().setEnrollment(people.back().id, school.courseA.id, sync::Role::Student,
                                            school.teacherA.id));
    }
    Answers answers;
    {
        CheckInWriter writer(*server->store);
        QVERIFY(holdWriterAfterOne(writer, answers));
        for (int i = 0; i < 20; ++i)
            writer.submit(checkIn(people[static_cast<std::size_t>(i)], school.openA.id), answers.slot(i + 1));
        QVERIFY(lock->release());
    } // the destructor returns once every queued check-in has its answer
    QCOMPARE(answers.count(), 21u);
    for (const auto& [index, outcome] : answers.waitFor(21)) {
        QVERIFY2(outcome, std::to_string(index).c_str());
        QVERIFY2(*outcome == CheckInOutcome::Stored, std::to_string(index).c_str());
    }
    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in WHERE window_id = '" + school.openA.id + "'"), 20);
}

QTEST_GUILESS_MAIN(CheckInWriterTest)
#include "checkinwritertest.moc"
