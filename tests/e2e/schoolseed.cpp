#include "schoolseed.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitestore.h"

#include "core/crypto.h"
#include "core/random.h"

#include "tests/support/must.h"

#include <sodium.h>

#include <stdexcept>

namespace imhere::e2e {

using imhere::test::must;

namespace {

std::string cheapPinHash(const std::string& pin)
{
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0)
        throw std::runtime_error("crypto_pwhash_str failed");
    return out;
}

std::string hashOf(const Bytes& key, const QByteArray& uid)
{
    return badgeHash(key, {reinterpret_cast<const std::uint8_t*>(uid.constData()), static_cast<std::size_t>(uid.size())});
}

} // namespace

QByteArray uidFor(std::uint64_t n)
{
    QByteArray uid(7, '\0');
    uid[0] = '\x04';
    for (int i = 0; i < 5; ++i)
        uid[1 + i] = static_cast<char>((n >> (8 * (4 - i))) & 0xff);
    uid[6] = '\x80';
    return uid;
}

SeededSchool seedSchool(const std::string& dbPath, int trainees)
{
    ensureSodium();
    SystemClock clock;
    // A file, or a PostgreSQL database named by its URL.
    std::unique_ptr<server::Store> store;
    if (dbPath.starts_with("postgresql://"))
        store = must(server::PgStore::open(dbPath, clock, {}), "open the PostgreSQL store");
    else
        store = must(server::SqliteStore::open(dbPath, clock), "open server store");
    SeededSchool s;
    s.teacherPin = "482193";
    const std::int64_t now = clock.nowMs();
    must(store->inTransaction([&]() -> Result<void> {
             s.trainees.clear(); // the store may run this again (store.h)
             const Bytes key = must(store->people().badgeKey(), "badge key");
             std::uint64_t nextUid = 1;
             auto add = [&](const std::string& name, bool withBadge) {
                 auto p = must(store->people().createPerson({name, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                                    std::nullopt, false}),
                               "create person");
                 Member m{p.id, p.publicId, name, {}};
                 if (withBadge) {
                     m.uid = uidFor(nextUid++);
                     must(store->people().addBadge(p.id, hashOf(key, m.uid)), "add badge");
                 }
                 return m;
             };
             s.teacher = add("Tomás Teacher", true);
             must(store->people().setPinHash(s.teacher.id, cheapPinHash(s.teacherPin)), "set PIN");
             s.ta = add("Tara Assistant", true);
             std::vector<server::PersonId> students;
             for (int i = 0; i < trainees; ++i) {
                 s.trainees.push_back(add("Trainee " + std::to_string(i) + " Example", true));
                 students.push_back(s.trainees.back().id);
             }
             s.remoteTrainee = add("Remy Remote", false);
             students.push_back(s.remoteTrainee.id);
             auto course = must(store->courses().createCourse({"WM5 · JS1", "Europe/London", 10, 60, students}, s.teacher.id),
                                "create course");
             s.course = course.id;
             must(store->courses().setEnrollment(s.teacher.id, s.course, server::Role::Teacher, s.teacher.id), "enrol teacher");
             must(store->courses().setEnrollment(s.ta.id, s.course, server::Role::Ta, s.teacher.id), "enrol TA");
             s.window = newUuidV4();
             must(store->attendance().createWindow({s.window, s.course, "Week 3 · Async", now - 60'000, now - 60'000, s.teacher.id}),
                  "create window");
             s.remoteCheckIn = newUuidV4();
             must(store->attendance().addCheckIn({s.remoteCheckIn, s.remoteTrainee.id, s.window, now - 30'000,
                                     server::CheckInSource::QrRemote, s.remoteTrainee.id, std::nullopt}),
                  "remote check-in");
             const server::IssuedToken token = server::issueToken(server::k_kioskTokenPrefix);
             auto kiosk = must(store->kiosks().createKiosk({"Front door", token.lookup, token.hash, randomBytes(32), {s.course}}),
                               "create kiosk");
             s.kioskToken = token.token;
             s.kioskId = kiosk.id;
             return {};
         }),
         "seed school");
    return s;
}

} // namespace imhere::e2e
