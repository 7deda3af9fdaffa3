// Folding events into an attendance record: punctuality, closing, corrections
// (including the same-base conflict) and flags.

#include "sync-server/service/attendancefold.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;

namespace {

constexpr std::int64_t k_start = 1'790'000'000'000;
constexpr std::int64_t k_min = 60'000;

const Course k_course{"c", "JS1", "Europe/London", 10, 60, false};
const Member k_member{"abcdefgh23", "Zoë", Role::Student};

Window openWindow()
{
    return Window{"w", "c", "Week 1", k_start, k_start - 10 * k_min, std::nullopt, std::nullopt};
}

Window closedWindow()
{
    Window w = openWindow();
    w.closedAt = k_start + 180 * k_min;
    return w;
}

} // namespace

class AttendanceFoldTest : public QObject {
    Q_OBJECT

private slots:
    void onTimeAndLateFromTheFirstCheckIn();
    void noCheckInIsUndecidedWhileOpenAndAbsentOnceClosed();
    void aVeryLateCheckInCountsAbsentUntilATeacherCorrectsIt();
    void aCorrectionMarksAnAbsentPersonPresentAfterClosing();
    void anExcusedAbsenceIsItsOwnStatusUntilALaterCorrection();
    void twoCorrectionsOnOneBaseAreKeptTheLaterAppliesAndTheRecordNeedsReview();
    void flagsStandUntilCleared();
};

void AttendanceFoldTest::onTimeAndLateFromTheFirstCheckIn()
{
    auto onTime = foldRecord(k_course, openWindow(), k_member,
                             {{{"a", k_start + 5 * k_min, CheckInSource::Nfc}, {"b", k_start + 30 * k_min, CheckInSource::Nfc}}, {}, {}});
    QVERIFY(onTime.present);
    QCOMPARE_EQ(onTime.status, AttendanceStatus::OnTime);
    QCOMPARE(onTime.firstCheckIn, k_start + 5 * k_min);

    auto late = foldRecord(k_course, openWindow(), k_member, {{{"a", k_start + 25 * k_min, CheckInSource::QrRemote}}, {}, {}});
    QCOMPARE_EQ(late.status, AttendanceStatus::Late);
    QCOMPARE(late.minutesLate, 25);
    QVERIFY(late.remote);
    QCOMPARE_EQ(late.source, CheckInSource::QrRemote);
}

void AttendanceFoldTest::noCheckInIsUndecidedWhileOpenAndAbsentOnceClosed()
{
    auto open = foldRecord(k_course, openWindow(), k_member, {});
    QVERIFY(!open.present);
    QVERIFY(!open.status.has_value());
    auto closed = foldRecord(k_course, closedWindow(), k_member, {});
    QCOMPARE_EQ(closed.status, AttendanceStatus::Absent);
}

void AttendanceFoldTest::aVeryLateCheckInCountsAbsentUntilATeacherCorrectsIt()
{
    RecordEvents e{{{"a", k_start + 90 * k_min, CheckInSource::Nfc}}, {}, {}};
    auto absent = foldRecord(k_course, closedWindow(), k_member, e);
    QVERIFY(!absent.present);
    QCOMPARE_EQ(absent.status, AttendanceStatus::Absent);
    QCOMPARE(absent.firstCheckIn, k_start + 90 * k_min);

    e.corrections.push_back({"c1", k_start + 200 * k_min, true, std::string("a")});
    auto corrected = foldRecord(k_course, closedWindow(), k_member, e);
    QVERIFY(corrected.present);
    QCOMPARE_EQ(corrected.status, AttendanceStatus::Late);
    QVERIFY(corrected.corrected);
}

void AttendanceFoldTest::aCorrectionMarksAnAbsentPersonPresentAfterClosing()
{
    auto r = foldRecord(k_course, closedWindow(), k_member,
                        {{}, {{"c1", k_start + 300 * k_min, true, std::nullopt}}, {}});
    QVERIFY(r.present);
    QCOMPARE_EQ(r.status, AttendanceStatus::OnTime);
    QCOMPARE_EQ(r.source, CheckInSource::Manual);
    QCOMPARE(r.lastEvent, "c1");
}

void AttendanceFoldTest::twoCorrectionsOnOneBaseAreKeptTheLaterAppliesAndTheRecordNeedsReview()
{
    RecordEvents e{{{"a", k_start, CheckInSource::Nfc}},
                   {{"c2", k_start + 20 * k_min, true, std::string("a")},
                    {"c1", k_start + 10 * k_min, false, std::string("a")}},
                   {}};
    auto r = foldRecord(k_course, closedWindow(), k_member, e);
    QVERIFY(r.present); // c2 is later
    QVERIFY(r.needsReview);

    e.corrections[0].base = "c1"; // a correction that saw the first one is no conflict
    QVERIFY(!foldRecord(k_course, closedWindow(), k_member, e).needsReview);
}

void AttendanceFoldTest::flagsStandUntilCleared()
{
    RecordEvents e{{{"a", k_start, CheckInSource::Nfc}},
                   {},
                   {{"f1", k_start + 1, Flag::CameraOff, true},
                    {"f2", k_start + 2, Flag::LeftEarly, true},
                    {"f3", k_start + 3, Flag::CameraOff, false}}};
    auto r = foldRecord(k_course, closedWindow(), k_member, e);
    QCOMPARE(r.flags.size(), 1u);
    QCOMPARE_EQ(r.flags[0], Flag::LeftEarly);
}

void AttendanceFoldTest::anExcusedAbsenceIsItsOwnStatusUntilALaterCorrection()
{
    RecordEvents e{{{"a", k_start + 2 * k_min, CheckInSource::Nfc}},
                   {{"c1", k_start + 300 * k_min, false, std::string("a"), true}},
                   {}};
    auto excused = foldRecord(k_course, closedWindow(), k_member, e);
    QVERIFY(!excused.present);
    QCOMPARE_EQ(excused.status, AttendanceStatus::Excused);
    QCOMPARE(excused.minutesLate, 0);
    QVERIFY(excused.corrected);
    // While the window is open, too: excused is decided.
    QCOMPARE_EQ(foldRecord(k_course, openWindow(), k_member, {{}, {{"c1", k_start, false, std::nullopt, true}}, {}}).status,
                AttendanceStatus::Excused);
    // A later plain correction replaces it.
    e.corrections.push_back({"c2", k_start + 400 * k_min, true, std::string("c1")});
    auto present = foldRecord(k_course, closedWindow(), k_member, e);
    QVERIFY(present.present);
    QCOMPARE_EQ(present.status, AttendanceStatus::OnTime);
}

QTEST_GUILESS_MAIN(AttendanceFoldTest)
#include "attendancefoldtest.moc"
