#include "testsupport.h"

#include "core/crypto.h"

#include <sodium.h>

#include <QTest>

#include <stdexcept>

namespace imhere::kiosk::test {

namespace {
Bytes filled(std::uint8_t value)
{
    return Bytes(32, value);
}
} // namespace

QByteArray adaBadge() { return QByteArray::fromHex("04a1b2c3d4e580"); }
QByteArray graceBadge() { return QByteArray::fromHex("04deadbeef1280"); }
QByteArray alanBadge() { return QByteArray::fromHex("04a1b2c3d4e581"); }
QByteArray strangerBadge() { return QByteArray::fromHex("0400000000aa80"); }
Bytes badgeKey() { return filled(0x42); }
Bytes kioskSecret() { return filled(0x17); }

std::string cheapPinHash(const std::string& pin)
{
    ensureSodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0)
        throw std::runtime_error("crypto_pwhash_str failed");
    return out;
}

static std::string hashOf(const QByteArray& credential)
{
    const auto key = badgeKey();
    return badgeHash(key, {reinterpret_cast<const std::uint8_t*>(credential.constData()),
                           static_cast<std::size_t>(credential.size())});
}

sync::SyncResponse schoolReply(std::int64_t windowStartMs, std::int64_t cursor)
{
    using namespace sync;
    SyncResponse r;
    r.serverTimeMs = windowStartMs;
    r.cursor = cursor;
    r.kiosk = KioskIdentity{7, "Front door", base64UrlEncode(kioskSecret()), base64UrlEncode(badgeKey())};
    r.changes.people = {PersonChange{k_ada, "Ada Lovelace", std::nullopt, false},
                        PersonChange{k_grace, "Grace Hopper", cheapPinHash(k_teacherPin), false},
                        PersonChange{k_alan, "Alan Turing", std::nullopt, false}};
    r.changes.badges = {BadgeChange{hashOf(adaBadge()), k_ada, false},
                        BadgeChange{hashOf(graceBadge()), k_grace, false},
                        BadgeChange{hashOf(alanBadge()), k_alan, false}};
    r.changes.courses = {CourseChange{k_course, "WM5 · JS1", "Europe/London", 10, 60, false},
                         CourseChange{k_otherCourse, "WM5 · SQL", "Europe/London", 10, 60, false}};
    r.changes.windows = {WindowChange{k_window, k_course, "Week 3 · Async", windowStartMs, windowStartMs,
                                      std::nullopt}};
    r.changes.enrollments = {EnrollmentChange{k_ada, k_course, Role::Student, false},
                             EnrollmentChange{k_grace, k_course, Role::Teacher, false},
                             EnrollmentChange{k_alan, k_otherCourse, Role::Student, false}};
    return r;
}

TempStore::TempStore() : path(dir.filePath(QStringLiteral("kiosk.db")).toStdString())
{
    if (!dir.isValid())
        throw std::runtime_error("no temporary directory");
}

KioskStore TempStore::open() const
{
    auto store = KioskStore::open(path);
    if (!store)
        throw std::runtime_error("cannot open store: " + store.error().message);
    return std::move(*store);
}

hardware::BadgeRead tap(const QByteArray& credential, hardware::BadgeSource source)
{
    return hardware::BadgeRead{credential, source};
}

} // namespace imhere::kiosk::test

namespace imhere::kiosk::test {
std::vector<QByteArray> addTrainees(sync::SyncResponse& reply, int count)
{
    static constexpr std::string_view k_alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    std::vector<QByteArray> badges;
    for (int i = 0; i < count; ++i) {
        std::string id = "trainee";
        for (int shift = 10; shift >= 0; shift -= 5)
            id.push_back(k_alphabet[static_cast<std::size_t>((i >> shift) & 31)]);
        QByteArray uid = QByteArray::fromHex("08000000") + QByteArray::number(i);
        reply.changes.people.push_back({id, "Trainee " + std::to_string(i) + " Example", std::nullopt, false});
        reply.changes.badges.push_back({hashOf(uid), id, false});
        reply.changes.enrollments.push_back({id, k_course, sync::Role::Student, false});
        badges.push_back(uid);
    }
    return badges;
}
} // namespace imhere::kiosk::test
