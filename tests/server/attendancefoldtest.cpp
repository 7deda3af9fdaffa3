// Folding events into an attendance record: punctuality, closing, corrections
// (including the same-base conflict) and flags.

#include "sync-server/store/attendancefold.h"

#include <gtest/gtest.h>

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

TEST(AttendanceFold, OnTimeAndLateFromTheFirstCheckIn)
{
    auto onTime = foldRecord(k_course, openWindow(), k_member,
                             {{{"a", k_start + 5 * k_min, CheckInSource::Nfc}, {"b", k_start + 30 * k_min, CheckInSource::Nfc}}, {}, {}});
    EXPECT_TRUE(onTime.present);
    EXPECT_EQ(onTime.status, AttendanceStatus::OnTime);
    EXPECT_EQ(onTime.firstCheckIn, k_start + 5 * k_min);

    auto late = foldRecord(k_course, openWindow(), k_member, {{{"a", k_start + 25 * k_min, CheckInSource::QrRemote}}, {}, {}});
    EXPECT_EQ(late.status, AttendanceStatus::Late);
    EXPECT_EQ(late.minutesLate, 25);
    EXPECT_TRUE(late.remote);
    EXPECT_EQ(late.source, CheckInSource::QrRemote);
}

TEST(AttendanceFold, NoCheckInIsUndecidedWhileOpenAndAbsentOnceClosed)
{
    auto open = foldRecord(k_course, openWindow(), k_member, {});
    EXPECT_FALSE(open.present);
    EXPECT_FALSE(open.status.has_value());
    auto closed = foldRecord(k_course, closedWindow(), k_member, {});
    EXPECT_EQ(closed.status, AttendanceStatus::Absent);
}

TEST(AttendanceFold, AVeryLateCheckInCountsAbsentUntilATeacherCorrectsIt)
{
    RecordEvents e{{{"a", k_start + 90 * k_min, CheckInSource::Nfc}}, {}, {}};
    auto absent = foldRecord(k_course, closedWindow(), k_member, e);
    EXPECT_FALSE(absent.present);
    EXPECT_EQ(absent.status, AttendanceStatus::Absent);
    EXPECT_EQ(absent.firstCheckIn, k_start + 90 * k_min);

    e.corrections.push_back({"c1", k_start + 200 * k_min, true, std::string("a")});
    auto corrected = foldRecord(k_course, closedWindow(), k_member, e);
    EXPECT_TRUE(corrected.present);
    EXPECT_EQ(corrected.status, AttendanceStatus::Late);
    EXPECT_TRUE(corrected.corrected);
}

TEST(AttendanceFold, ACorrectionMarksAnAbsentPersonPresentAfterClosing)
{
    auto r = foldRecord(k_course, closedWindow(), k_member,
                        {{}, {{"c1", k_start + 300 * k_min, true, std::nullopt}}, {}});
    EXPECT_TRUE(r.present);
    EXPECT_EQ(r.status, AttendanceStatus::OnTime);
    EXPECT_EQ(r.source, CheckInSource::Manual);
    EXPECT_EQ(r.lastEvent, "c1");
}

TEST(AttendanceFold, TwoCorrectionsOnOneBaseAreKeptTheLaterAppliesAndTheRecordNeedsReview)
{
    RecordEvents e{{{"a", k_start, CheckInSource::Nfc}},
                   {{"c2", k_start + 20 * k_min, true, std::string("a")},
                    {"c1", k_start + 10 * k_min, false, std::string("a")}},
                   {}};
    auto r = foldRecord(k_course, closedWindow(), k_member, e);
    EXPECT_TRUE(r.present); // c2 is later
    EXPECT_TRUE(r.needsReview);

    e.corrections[0].base = "c1"; // a correction that saw the first one is no conflict
    EXPECT_FALSE(foldRecord(k_course, closedWindow(), k_member, e).needsReview);
}

TEST(AttendanceFold, FlagsStandUntilCleared)
{
    RecordEvents e{{{"a", k_start, CheckInSource::Nfc}},
                   {},
                   {{"f1", k_start + 1, Flag::CameraOff, true},
                    {"f2", k_start + 2, Flag::LeftEarly, true},
                    {"f3", k_start + 3, Flag::CameraOff, false}}};
    auto r = foldRecord(k_course, closedWindow(), k_member, e);
    ASSERT_EQ(r.flags.size(), 1u);
    EXPECT_EQ(r.flags[0], Flag::LeftEarly);
}
