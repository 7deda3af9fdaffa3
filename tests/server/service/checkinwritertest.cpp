// service/checkinwriter: check-ins made on the server go through the
// group-commit writer. Each submitted check-in gets its own outcome (stored,
// already checked in, window not open, not a participant, unknown window);
// a refused one stores nothing and does not spoil the others.

#include "servicefixture.h"

#include "tests/server/checkinanswers.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/checkinwriter.h"

#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <condition_variable>
#include <map>
#include <mutex>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using imhere::test::Answers;
using namespace std::chrono_literals;

class CheckInWriterTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    CheckInWriter& writer() { return fx->services->checkIns; }

    CheckInEvent checkIn(const Person& who, const std::string& window, std::optional<std::int64_t> at = std::nullopt)
    {
        return CheckInEvent{newUuidV4(), who.id, window, at.value_or(fx->clock.nowMs()), CheckInSource::Manual,
                            fx->teacher.id, std::nullopt};
    }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void aCommittedCheckInIsStoredWhenAnswered();
    void eachSubmittedCheckInGetsItsOwnOutcome();
    void aRefusedCheckInStoresNothingAndSparesTheOthers();
    void aSecondCheckInInTheSameGroupIsRefused();
    void theCheckInsOwnTimeIsJudged();
    void aWriterOfItsOwnStoresToo();
};

void CheckInWriterTest::aCommittedCheckInIsStoredWhenAnswered()
{
    const auto event = checkIn(fx->studentA, fx->openA.id);
    const auto outcome = writer().commit(event);
    QVERIFY2(outcome, outcome ? "" : outcome.error().message.c_str());
    QCOMPARE(*outcome, CheckInOutcome::Stored);
    // Durable by the time the answer comes.
    QVERIFY(fx->hasCheckIn(fx->studentA, fx->openA));
    const auto record = fx->record(fx->openA, fx->studentA);
    QVERIFY(record.present);
    QCOMPARE(record.firstCheckIn, std::optional<std::int64_t>(event.at));
    QCOMPARE(record.source, std::optional<CheckInSource>(CheckInSource::Manual));
    QCOMPARE(writer().waiting(), std::size_t(0));
}

void CheckInWriterTest::eachSubmittedCheckInGetsItsOwnOutcome()
{
    const std::vector<CheckInEvent> events{
        checkIn(fx->studentA, fx->openA.id),   checkIn(fx->studentA2, fx->openA.id),
        checkIn(fx->studentA, fx->openA.id),   checkIn(fx->teacher, fx->openA.id),
        checkIn(fx->studentA, fx->closedA.id), checkIn(fx->studentB, fx->openA.id),
        checkIn(fx->studentA, newUuidV4()),    checkIn(fx->ta, fx->openA.id),
        checkIn(fx->studentA, fx->scheduledA.id),
    };
    const std::vector<CheckInOutcome> expected{
        CheckInOutcome::Stored,         CheckInOutcome::Stored,         CheckInOutcome::AlreadyCheckedIn,
        CheckInOutcome::Stored,         CheckInOutcome::WindowNotOpen,  CheckInOutcome::NotParticipant, // a teacher volunteers
        CheckInOutcome::UnknownWindow,  CheckInOutcome::Stored,         CheckInOutcome::WindowNotOpen,
    };
    Answers answers;
    for (std::size_t i = 0; i < events.size(); ++i)
        writer().submit(events[i], answers.slot(static_cast<int>(i)));
    const auto got = answers.waitFor(events.size());
    QCOMPARE(got.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& outcome = got.at(static_cast<int>(i));
        QVERIFY2(outcome, (std::to_string(i) + ": " + (outcome ? "" : outcome.error().message)).c_str());
        QCOMPARE(*outcome, expected[i]);
    }
}

void CheckInWriterTest::aRefusedCheckInStoresNothingAndSparesTheOthers()
{
    const auto first = checkIn(fx->studentA, fx->openA.id);
    QCOMPARE(writer().commit(first).value_or(CheckInOutcome::UnknownWindow), CheckInOutcome::Stored);

    fx->clock.advance(60'000);
    Answers answers;
    writer().submit(checkIn(fx->studentA, fx->openA.id), answers.slot(0));  // again
    writer().submit(checkIn(fx->outsider, fx->openA.id), answers.slot(1));  // in no course
    writer().submit(checkIn(fx->studentB, fx->openA.id), answers.slot(2));  // other course
    writer().submit(checkIn(fx->studentA2, fx->closedA.id), answers.slot(3)); // closed
    writer().submit(checkIn(fx->studentA2, fx->openA.id), answers.slot(4));  // fine
    const auto got = answers.waitFor(5);
    QCOMPARE(got.size(), std::size_t(5));
    QCOMPARE(got.at(0).value_or(CheckInOutcome::Stored), CheckInOutcome::AlreadyCheckedIn);
    QCOMPARE(got.at(4).value_or(CheckInOutcome::UnknownWindow), CheckInOutcome::Stored);

    // The first check-in still counts; nothing of the refused ones is kept.
    QCOMPARE(fx->record(fx->openA, fx->studentA).firstCheckIn, std::optional<std::int64_t>(first.at));
    QVERIFY(!fx->hasCheckIn(fx->outsider, fx->openA));
    QVERIFY(!fx->hasCheckIn(fx->studentB, fx->openA));
    QVERIFY(!fx->hasCheckIn(fx->studentA2, fx->closedA));
    QVERIFY(!fx->record(fx->closedA, fx->studentA2).present);
    QVERIFY(fx->hasCheckIn(fx->studentA2, fx->openA));
}

void CheckInWriterTest::aSecondCheckInInTheSameGroupIsRefused()
{
    // Twenty more students, each checking in twice in quick succession:
    // whichever groups the writer forms, one check-in each is stored.
    std::vector<Person> students;
    for (int i = 0; i < 20; ++i) {
        students.push_back(fx->addPerson("Student " + std::to_string(i)));
        QVERIFY(assignMember(*fx->services, fx->as(fx->teacher), fx->courseA.id, students.back().publicId,
                             Role::Student));
    }
    Answers answers;
    int index = 0;
    for (const Person& s : students) {
        writer().submit(checkIn(s, fx->openA.id), answers.slot(index++));
        writer().submit(checkIn(s, fx->openA.id), answers.slot(index++));
    }
    const auto got = answers.waitFor(static_cast<std::size_t>(index));
    QCOMPARE(got.size(), static_cast<std::size_t>(index));
    for (int i = 0; i < index; ++i) {
        const auto expected = i % 2 == 0 ? CheckInOutcome::Stored : CheckInOutcome::AlreadyCheckedIn;
        QVERIFY2(got.at(i), std::to_string(i).c_str());
        QCOMPARE(*got.at(i), expected);
    }
    for (const Person& s : students)
        QVERIFY(fx->record(fx->openA, s).present);
}

void CheckInWriterTest::theCheckInsOwnTimeIsJudged()
{
    // The writer judges the time the check-in was made, not when it is stored.
    const Window& closed = fx->closedA;
    QCOMPARE(writer().commit(checkIn(fx->studentA, closed.id, *closed.closedAt)).value_or(CheckInOutcome::UnknownWindow),
             CheckInOutcome::Stored);
    QCOMPARE(writer().commit(checkIn(fx->studentA2, closed.id, *closed.closedAt + 1))
                 .value_or(CheckInOutcome::UnknownWindow),
             CheckInOutcome::WindowNotOpen);
    QCOMPARE(writer().commit(checkIn(fx->studentA2, fx->openA.id, *fx->openA.openedAt - 1))
                 .value_or(CheckInOutcome::UnknownWindow),
             CheckInOutcome::WindowNotOpen);
    QVERIFY(fx->hasCheckIn(fx->studentA, closed));
    QCOMPARE(fx->record(closed, fx->studentA).firstCheckIn, closed.closedAt);
    QVERIFY(!fx->hasCheckIn(fx->studentA2, closed));
    QVERIFY(!fx->hasCheckIn(fx->studentA2, fx->openA));
}

void CheckInWriterTest::aWriterOfItsOwnStoresToo()
{
    // Small limits: a group of one at a time.
    CheckInWriter own(*fx->store, 4, 1);
    QCOMPARE(own.commit(checkIn(fx->studentA, fx->openA.id)).value_or(CheckInOutcome::UnknownWindow),
             CheckInOutcome::Stored);
    // The writers share the store: the other one sees the check-in.
    QCOMPARE(writer().commit(checkIn(fx->studentA, fx->openA.id)).value_or(CheckInOutcome::UnknownWindow),
             CheckInOutcome::AlreadyCheckedIn);
}

QTEST_GUILESS_MAIN(CheckInWriterTest)
#include "checkinwritertest.moc"
