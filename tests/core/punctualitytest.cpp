// Punctuality thresholds, and wall-clock times of windows across DST changes.

#include "core/punctuality.h"
#include "core/timezone.h"

#include <gtest/gtest.h>

using namespace imhere;

namespace {
constexpr std::int64_t k_minute = 60'000;
constexpr std::int64_t k_start = 1'700'000'000'000;
} // namespace

TEST(Punctuality, EarlyAndWithinLateThresholdIsOnTime)
{
    const CourseTiming t; // 10 / 60
    EXPECT_EQ(assessCheckIn(t, k_start, k_start - 15 * k_minute), (Punctuality{AttendanceStatus::OnTime, 0}));
    EXPECT_EQ(assessCheckIn(t, k_start, k_start), (Punctuality{AttendanceStatus::OnTime, 0}));
    EXPECT_EQ(assessCheckIn(t, k_start, k_start + 10 * k_minute), (Punctuality{AttendanceStatus::OnTime, 0}));
}

TEST(Punctuality, AfterLateThresholdIsLateByWholeMinutesSinceStart)
{
    const CourseTiming t;
    EXPECT_EQ(assessCheckIn(t, k_start, k_start + 10 * k_minute + 1), (Punctuality{AttendanceStatus::Late, 10}));
    EXPECT_EQ(assessCheckIn(t, k_start, k_start + 12 * k_minute + 59'000), (Punctuality{AttendanceStatus::Late, 12}));
    EXPECT_EQ(assessCheckIn(t, k_start, k_start + 60 * k_minute), (Punctuality{AttendanceStatus::Late, 60}));
}

TEST(Punctuality, AfterAbsentThresholdIsAbsent)
{
    const CourseTiming t;
    EXPECT_EQ(assessCheckIn(t, k_start, k_start + 60 * k_minute + 1), (Punctuality{AttendanceStatus::Absent, 60}));
    EXPECT_EQ(assessCheckIn(t, k_start, k_start + 3 * 60 * k_minute), (Punctuality{AttendanceStatus::Absent, 180}));
}

TEST(Punctuality, CourseSettingsApply)
{
    const CourseTiming strict{0, 15};
    EXPECT_EQ(assessCheckIn(strict, k_start, k_start + 1), (Punctuality{AttendanceStatus::Late, 0}));
    EXPECT_EQ(assessCheckIn(strict, k_start, k_start + 5 * k_minute), (Punctuality{AttendanceStatus::Late, 5}));
    EXPECT_EQ(assessCheckIn(strict, k_start, k_start + 16 * k_minute), (Punctuality{AttendanceStatus::Absent, 16}));
}

TEST(Punctuality, StatusNamesRoundTrip)
{
    for (auto s : {AttendanceStatus::OnTime, AttendanceStatus::Late, AttendanceStatus::Absent,
                   AttendanceStatus::Excused})
        EXPECT_EQ(attendanceStatusFromString(toString(s)), s);
    EXPECT_FALSE(attendanceStatusFromString("present"));
}

TEST(Timezone, WeeklyClassKeepsItsWallClockTimeAcrossDst)
{
    // A Saturday 10:00 class in London, the weeks around the end of BST
    // (2026-10-25): 09:00 UTC before, 10:00 UTC after.
    const auto before = utcFromLocal("Europe/London", {2026, 10, 24, 10, 0, 0});
    const auto after = utcFromLocal("Europe/London", {2026, 10, 31, 10, 0, 0});
    ASSERT_TRUE(before && after);
    EXPECT_EQ(*before, 1'792'832'400'000); // 2026-10-24T09:00:00Z
    EXPECT_EQ(*after, 1'793'440'800'000);  // 2026-10-31T10:00:00Z
    EXPECT_EQ(*after - *before, 7 * 24 * 60 * k_minute + 60 * k_minute);
    EXPECT_EQ(formatLocalTime("Europe/London", *before), "10:00");
    EXPECT_EQ(formatLocalTime("Europe/London", *after), "10:00");
}

TEST(Timezone, ClassSpanningTheChangeMeasuresRealMinutes)
{
    // A class starting 00:30 on the night clocks go back (01:59 BST -> 01:00 GMT):
    // a trainee arriving at 01:15 local the second time is 105 minutes late.
    const auto start = utcFromLocal("Europe/London", {2026, 10, 25, 0, 30, 0});
    ASSERT_TRUE(start);
    const std::int64_t arrival = *start + 105 * k_minute; // 01:15 GMT
    EXPECT_EQ(formatLocalTime("Europe/London", arrival), "01:15");
    const CourseTiming t{10, 120};
    EXPECT_EQ(assessCheckIn(t, *start, arrival), (Punctuality{AttendanceStatus::Late, 105}));
}

TEST(Timezone, SkippedAndRepeatedTimes)
{
    // 01:30 does not exist on 2026-03-29 in London: it becomes 02:30 BST.
    const auto skipped = utcFromLocal("Europe/London", {2026, 3, 29, 1, 30, 0});
    ASSERT_TRUE(skipped);
    EXPECT_EQ(formatLocalTime("Europe/London", *skipped), "02:30");
    // 01:30 happens twice on 2026-10-25: the first (BST) one is chosen.
    const auto repeated = utcFromLocal("Europe/London", {2026, 10, 25, 1, 30, 0});
    ASSERT_TRUE(repeated);
    EXPECT_EQ(*repeated, 1'792'888'200'000); // 00:30Z
}

TEST(Timezone, OtherZonesAndErrors)
{
    const auto ny = utcFromLocal("America/New_York", {2026, 3, 8, 18, 0, 0}); // the day DST starts
    ASSERT_TRUE(ny);
    EXPECT_EQ(*ny, 1'773'007'200'000); // 22:00Z (EDT, UTC-4)
    const auto local = localFromUtc("Asia/Kolkata", 0);
    ASSERT_TRUE(local);
    EXPECT_EQ(*local, (LocalDateTime{1970, 1, 1, 5, 30, 0}));
    EXPECT_FALSE(isKnownTimezone("Mars/Olympus_Mons"));
    EXPECT_FALSE(isKnownTimezone(""));
    EXPECT_TRUE(isKnownTimezone("Europe/London"));
    EXPECT_EQ(utcFromLocal("Nowhere/Town", {}).error().code, "unknown_timezone");
    EXPECT_EQ(utcFromLocal("UTC", {2026, 2, 30, 10, 0, 0}).error().code, "invalid_time");
    EXPECT_EQ(formatLocalTime("Nowhere/Town", 0), "--:--");
    EXPECT_EQ(formatLocalDateTime("UTC", 1'792'832'400'000), "2026-10-24 09:00");
}
