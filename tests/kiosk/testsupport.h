#pragma once
// A small school seeded into a real kiosk store through the same path a sync
// reply takes, plus fakes used by several kiosk tests.

#include "kiosk/kioskstore.h"

#include "hardware/badgereader.h"

#include <QByteArray>
#include <QTemporaryDir>

#include <cstdint>
#include <string>

namespace imhere::kiosk::test {

inline constexpr std::int64_t k_t0 = 1'767'600'000'000; // a Monday morning, UTC ms
inline constexpr const char* k_course = "6f1c2a3b-0000-4000-8000-000000000001";
inline constexpr const char* k_otherCourse = "6f1c2a3b-0000-4000-8000-000000000002";
inline constexpr const char* k_window = "7a1c2a3b-0000-4000-8000-000000000001";
inline constexpr const char* k_ada = "adalovela2";
inline constexpr const char* k_grace = "gracehopp2";
inline constexpr const char* k_alan = "alanturin2";
inline constexpr const char* k_teacherPin = "4821";

// Raw badge credentials (card UIDs) of the seeded people.
QByteArray adaBadge();
QByteArray graceBadge();
QByteArray alanBadge(); // enrolled only in a course with no open window
QByteArray strangerBadge();

// The org badge key and kiosk secret the seed installs.
Bytes badgeKey();
Bytes kioskSecret();

// A sync reply carrying the identity and the school: one course with a window
// that started at `windowStartMs` (open), and another course with nothing open.
sync::SyncResponse schoolReply(std::int64_t windowStartMs, std::int64_t cursor = 1);

// An argon2id PIN hash with the cheapest parameters (tests only).
std::string cheapPinHash(const std::string& pin);

// A fresh store file in a temporary directory.
struct TempStore {
    QTemporaryDir dir;
    std::string path;
    TempStore();
    [[nodiscard]] KioskStore open() const;
};

hardware::BadgeRead tap(const QByteArray& credential,
                        hardware::BadgeSource source = hardware::BadgeSource::Nfc);

} // namespace imhere::kiosk::test

namespace imhere::kiosk::test {
// Adds `count` trainees enrolled in the open course, each with a badge; returns
// their raw badge credentials in order.
std::vector<QByteArray> addTrainees(sync::SyncResponse& reply, int count);
} // namespace imhere::kiosk::test
