// service/windowrules: when a window takes check-ins, to the millisecond at
// its edges, with and without the grace a kiosk's clock gets; and which
// check-ins the group-commit writer stores. The windows are the school's, as
// the store hands them out.

#include "servicefixture.h"

#include "sync-server/service/windowrules.h"

#include "core/random.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace QTest {
template <>
inline char* toString(const WindowTiming& timing)
{
    switch (timing) {
    case WindowTiming::Open: return qstrdup("Open");
    case WindowTiming::NotYetOpen: return qstrdup("NotYetOpen");
    case WindowTiming::Closed: return qstrdup("Closed");
    }
    return qstrdup("?");
}
} // namespace QTest

class WindowRulesTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;

    CheckInEvent checkInAt(const Person& who, const Window& window, std::int64_t at)
    {
        return CheckInEvent{newUuidV4(), who.id, window.id, at, CheckInSource::Manual, who.id, std::nullopt};
    }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void anOpenWindowIsOpenFromItsOpeningOnInclusive();
    void aClosedWindowIsOpenUpToItsClosingInclusive();
    void aScheduledWindowIsNotYetOpenUntilSomeoneOpensIt();
    void graceWidensBothEdgesByExactlyTheGrace();
    void isOpenAtUsesNoGrace();
    void studentsAndTasCheckInToAnOpenWindow();
    void teachersTakePartAndOutsidersDoNot();
    void aClosedOrUnopenedWindowRefusesCheckIns();
    void aSecondCheckInIsRefusedWhileTheWindowIsOpen();
    void participationIsDecidedBeforeTheWindowAndTheWindowBeforeDuplicates();
};

void WindowRulesTest::anOpenWindowIsOpenFromItsOpeningOnInclusive()
{
    const Window& w = fx->openA;
    QVERIFY(w.openedAt);
    QVERIFY(!w.closedAt);
    QCOMPARE(windowTimingAt(w, *w.openedAt - 1), WindowTiming::NotYetOpen);
    QCOMPARE(windowTimingAt(w, *w.openedAt), WindowTiming::Open);
    QCOMPARE(windowTimingAt(w, fx->clock.nowMs()), WindowTiming::Open);
    // Never closed: open for as long as anyone asks.
    QCOMPARE(windowTimingAt(w, fx->clock.nowMs() + 365 * ServiceFixture::k_day), WindowTiming::Open);
}

void WindowRulesTest::aClosedWindowIsOpenUpToItsClosingInclusive()
{
    const Window& w = fx->closedA;
    QVERIFY(w.openedAt && w.closedAt);
    QCOMPARE(windowTimingAt(w, *w.openedAt - 1), WindowTiming::NotYetOpen);
    QCOMPARE(windowTimingAt(w, *w.openedAt), WindowTiming::Open);
    QCOMPARE(windowTimingAt(w, *w.closedAt), WindowTiming::Open);
    QCOMPARE(windowTimingAt(w, *w.closedAt + 1), WindowTiming::Closed);
    QCOMPARE(windowTimingAt(w, fx->clock.nowMs()), WindowTiming::Closed);
}

void WindowRulesTest::aScheduledWindowIsNotYetOpenUntilSomeoneOpensIt()
{
    const Window& w = fx->scheduledA;
    QVERIFY(w.scheduledStart);
    QVERIFY(!w.openedAt);
    // Its scheduled start does not open it: a teacher or TA does.
    QCOMPARE(windowTimingAt(w, *w.scheduledStart - 1), WindowTiming::NotYetOpen);
    QCOMPARE(windowTimingAt(w, *w.scheduledStart), WindowTiming::NotYetOpen);
    QCOMPARE(windowTimingAt(w, *w.scheduledStart + ServiceFixture::k_day), WindowTiming::NotYetOpen);
    QCOMPARE(windowTimingAt(w, *w.scheduledStart, 3'600'000), WindowTiming::NotYetOpen);
    QVERIFY(!isOpenAt(w, *w.scheduledStart));
}

void WindowRulesTest::graceWidensBothEdgesByExactlyTheGrace()
{
    const Window& w = fx->closedA;
    const std::int64_t grace = 60'000;
    QCOMPARE(windowTimingAt(w, *w.openedAt - grace - 1, grace), WindowTiming::NotYetOpen);
    QCOMPARE(windowTimingAt(w, *w.openedAt - grace, grace), WindowTiming::Open);
    QCOMPARE(windowTimingAt(w, *w.closedAt + grace, grace), WindowTiming::Open);
    QCOMPARE(windowTimingAt(w, *w.closedAt + grace + 1, grace), WindowTiming::Closed);
    // The same moments without grace.
    QCOMPARE(windowTimingAt(w, *w.openedAt - grace), WindowTiming::NotYetOpen);
    QCOMPARE(windowTimingAt(w, *w.closedAt + grace), WindowTiming::Closed);
}

void WindowRulesTest::isOpenAtUsesNoGrace()
{
    const Window& w = fx->closedA;
    QVERIFY(isOpenAt(w, *w.openedAt));
    QVERIFY(isOpenAt(w, *w.closedAt));
    QVERIFY(!isOpenAt(w, *w.openedAt - 1));
    QVERIFY(!isOpenAt(w, *w.closedAt + 1));
    QVERIFY(isOpenAt(fx->openA, fx->clock.nowMs()));
}

void WindowRulesTest::studentsAndTasCheckInToAnOpenWindow()
{
    const auto now = fx->clock.nowMs();
    QCOMPARE(decideCheckIn(checkInAt(fx->studentA, fx->openA, now), fx->openA, Role::Student, false),
             CheckInOutcome::Stored);
    QCOMPARE(decideCheckIn(checkInAt(fx->ta, fx->openA, now), fx->openA, Role::Ta, false), CheckInOutcome::Stored);
    // The time that counts is the check-in's, not the clock's.
    QCOMPARE(decideCheckIn(checkInAt(fx->studentA, fx->closedA, *fx->closedA.closedAt), fx->closedA, Role::Student,
                           false),
             CheckInOutcome::Stored);
}

void WindowRulesTest::teachersTakePartAndOutsidersDoNot()
{
    const auto now = fx->clock.nowMs();
    // Teachers are volunteers, like TAs: they check in.
    QCOMPARE(decideCheckIn(checkInAt(fx->teacher, fx->openA, now), fx->openA, Role::Teacher, false),
             CheckInOutcome::Stored);
    QCOMPARE(decideCheckIn(checkInAt(fx->outsider, fx->openA, now), fx->openA, std::nullopt, false),
             CheckInOutcome::NotParticipant);
}

void WindowRulesTest::aClosedOrUnopenedWindowRefusesCheckIns()
{
    const auto now = fx->clock.nowMs();
    QCOMPARE(decideCheckIn(checkInAt(fx->studentA, fx->closedA, now), fx->closedA, Role::Student, false),
             CheckInOutcome::WindowNotOpen);
    QCOMPARE(decideCheckIn(checkInAt(fx->studentA, fx->closedA, *fx->closedA.closedAt + 1), fx->closedA,
                           Role::Student, false),
             CheckInOutcome::WindowNotOpen);
    QCOMPARE(decideCheckIn(checkInAt(fx->studentA, fx->scheduledA, now), fx->scheduledA, Role::Student, false),
             CheckInOutcome::WindowNotOpen);
    QCOMPARE(decideCheckIn(checkInAt(fx->ta, fx->openA, *fx->openA.openedAt - 1), fx->openA, Role::Ta, false),
             CheckInOutcome::WindowNotOpen);
}

void WindowRulesTest::aSecondCheckInIsRefusedWhileTheWindowIsOpen()
{
    const auto now = fx->clock.nowMs();
    QCOMPARE(decideCheckIn(checkInAt(fx->studentA, fx->openA, now), fx->openA, Role::Student, true),
             CheckInOutcome::AlreadyCheckedIn);
    QCOMPARE(decideCheckIn(checkInAt(fx->ta, fx->openA, now), fx->openA, Role::Ta, true),
             CheckInOutcome::AlreadyCheckedIn);
}

void WindowRulesTest::participationIsDecidedBeforeTheWindowAndTheWindowBeforeDuplicates()
{
    // The refusal a person sees names the first thing wrong.
    const auto now = fx->clock.nowMs();
    QCOMPARE(decideCheckIn(checkInAt(fx->outsider, fx->closedA, now), fx->closedA, std::nullopt, true),
             CheckInOutcome::NotParticipant);
    QCOMPARE(decideCheckIn(checkInAt(fx->studentA, fx->closedA, now), fx->closedA, Role::Student, true),
             CheckInOutcome::WindowNotOpen);
}

QTEST_GUILESS_MAIN(WindowRulesTest)
#include "windowrulestest.moc"
