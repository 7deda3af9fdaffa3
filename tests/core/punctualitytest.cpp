// Punctuality thresholds, and wall-clock times of windows across DST changes.

#include "core/punctuality.h"
#include "core/timezone.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;

namespace {
constexpr std::int64_t k_minute = 60'000;
constexpr std::int64_t k_start = 1'700'000'000'000;
} // namespace

class PunctualityTest : public QObject {
    Q_OBJECT
private slots:
    // Punctuality
    void earlyAndWithinLateThresholdIsOnTime();
    void afterLateThresholdIsLateByWholeMinutesSinceStart();
    void afterAbsentThresholdIsAbsent();
    void courseSettingsApply();
    void statusNamesRoundTrip();
    // Timezone
    void weeklyClassKeepsItsWallClockTimeAcrossDst();
    void classSpanningTheChangeMeasuresRealMinutes();
    void skippedAndRepeatedTimes();
    void otherZonesAndErrors();
};

void PunctualityTest::earlyAndWithinLateThresholdIsOnTime()
{
    const CourseTiming t; // 10 / 60
    QCOMPARE(assessCheckIn(t, k_start, k_start - 15 * k_minute), (Punctuality{AttendanceStatus::OnTime, 0}));
    QCOMPARE(assessCheckIn(t, k_start, k_start), (Punctuality{AttendanceStatus::OnTime, 0}));
    QCOMPARE(assessCheckIn(t, k_start, k_start + 10 * k_minute), (Punctuality{AttendanceStatus::OnTime, 0}));
}

void PunctualityTest::afterLateThresholdIsLateByWholeMinutesSinceStart()
{
    const CourseTiming t;
    QCOMPARE(assessCheckIn(t, k_start, k_start + 10 * k_minute + 1), (Punctuality{AttendanceStatus::Late, 10}));
    QCOMPARE(assessCheckIn(t, k_start, k_start + 12 * k_minute + 59'000), (Punctuality{AttendanceStatus::Late, 12}));
    QCOMPARE(assessCheckIn(t, k_start, k_start + 60 * k_minute), (Punctuality{AttendanceStatus::Late, 60}));
}

void PunctualityTest::afterAbsentThresholdIsAbsent()
{
    const CourseTiming t;
    QCOMPARE(assessCheckIn(t, k_start, k_start + 60 * k_minute + 1), (Punctuality{AttendanceStatus::Absent, 60}));
    QCOMPARE(assessCheckIn(t, k_start, k_start + 3 * 60 * k_minute), (Punctuality{AttendanceStatus::Absent, 180}));
}

void PunctualityTest::courseSettingsApply()
{
    const CourseTiming strict{0, 15};
    QCOMPARE(assessCheckIn(strict, k_start, k_start + 1), (Punctuality{AttendanceStatus::Late, 0}));
    QCOMPARE(assessCheckIn(strict, k_start, k_start + 5 * k_minute), (Punctuality{AttendanceStatus::Late, 5}));
    QCOMPARE(assessCheckIn(strict, k_start, k_start + 16 * k_minute), (Punctuality{AttendanceStatus::Absent, 16}));
}

void PunctualityTest::statusNamesRoundTrip()
{
    for (auto s : {AttendanceStatus::OnTime, AttendanceStatus::Late, AttendanceStatus::Absent,
                   AttendanceStatus::Excused})
        QCOMPARE_EQ(attendanceStatusFromString(toString(s)), s); // QCOMPARE would call imhere::toString
    QVERIFY(!attendanceStatusFromString("present"));
}

void PunctualityTest::weeklyClassKeepsItsWallClockTimeAcrossDst()
{
    // A Saturday 10:00 class in London, the weeks around the end of BST
    // (2026-10-25): 09:00 UTC before, 10:00 UTC after.
    const auto before = utcFromLocal("Europe/London", {2026, 10, 24, 10, 0, 0});
    const auto after = utcFromLocal("Europe/London", {2026, 10, 31, 10, 0, 0});
    QVERIFY(before && after);
    QCOMPARE(*before, 1'792'832'400'000); // 2026-10-24T09:00:00Z
    QCOMPARE(*after, 1'793'440'800'000);  // 2026-10-31T10:00:00Z
    QCOMPARE(*after - *before, 7 * 24 * 60 * k_minute + 60 * k_minute);
    QCOMPARE(formatLocalTime("Europe/London", *before), "10:00");
    QCOMPARE(formatLocalTime("Europe/London", *after), "10:00");
}

void PunctualityTest::classSpanningTheChangeMeasuresRealMinutes()
{
    // A class starting 00:30 on the night clocks go back (01:59 BST -> 01:00 GMT):
    // a trainee arriving at 01:15 local the second time is 105 minutes late.
    const auto start = utcFromLocal("Europe/London", {2026, 10, 25, 0, 30, 0});
    QVERIFY(start);
    const std::int64_t arrival = *start + 105 * k_minute; // 01:15 GMT
    QCOMPARE(formatLocalTime("Europe/London", arrival), "01:15");
    const CourseTiming t{10, 120};
    QCOMPARE(assessCheckIn(t, *start, arrival), (Punctuality{AttendanceStatus::Late, 105}));
}

void PunctualityTest::skippedAndRepeatedTimes()
{
    // 01:30 does not exist on 2026-03-29 in London: it becomes 02:30 BST.
    const auto skipped = utcFromLocal("Europe/London", {2026, 3, 29, 1, 30, 0});
    QVERIFY(skipped);
    QCOMPARE(formatLocalTime("Europe/London", *skipped), "02:30");
    // 01:30 happens twice on 2026-10-25: the first (BST) one is chosen.
    const auto repeated = utcFromLocal("Europe/London", {2026, 10, 25, 1, 30, 0});
    QVERIFY(repeated);
    QCOMPARE(*repeated, 1'792'888'200'000); // 00:30Z
}

void PunctualityTest::otherZonesAndErrors()
{
    const auto ny = utcFromLocal("America/New_York", {2026, 3, 8, 18, 0, 0}); // the day DST starts
    QVERIFY(ny);
    QCOMPARE(*ny, 1'773'007'200'000); // 22:00Z (EDT, UTC-4)
    const auto local = localFromUtc("Asia/Kolkata", 0);
    QVERIFY(local);
    QCOMPARE(*local, (LocalDateTime{1970, 1, 1, 5, 30, 0}));
    QVERIFY(!isKnownTimezone("Mars/Olympus_Mons"));
    QVERIFY(!isKnownTimezone(""));
    QVERIFY(isKnownTimezone("Europe/London"));
    QCOMPARE(utcFromLocal("Nowhere/Town", {}).error().code, Errc::UnknownTimezone);
    QCOMPARE(utcFromLocal("UTC", {2026, 2, 30, 10, 0, 0}).error().code, Errc::InvalidTime);
    QCOMPARE(formatLocalTime("Nowhere/Town", 0), "--:--");
    QCOMPARE(formatLocalDateTime("UTC", 1'792'832'400'000), "2026-10-24 09:00");
}

QTEST_GUILESS_MAIN(PunctualityTest)
#include "punctualitytest.moc"
