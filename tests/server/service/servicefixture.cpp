#include "servicefixture.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/auth/tokens.h"
#include "sync-server/service/kiosksync.h"
#include "sync-server/service/records.h"

#include "tests/server/store/storeundertest.h"

#include "core/random.h"

#include "tests/support/must.h"

#include <algorithm>
#include <stdexcept>

namespace imhere::test {

using namespace imhere::server;

namespace {

} // namespace

ServiceFixture::ServiceFixture()
{
    store = must(programBackends().open(clock), "open the store");
    services = std::make_unique<Services>(*store, clock);

    admin = must(store->people().createPerson({"Ada Admin", "ada@example.org", std::nullopt, std::nullopt, std::nullopt,
                                      std::nullopt, true}),
                 "add the admin");
    teacher = addPerson("Tomás Teacher", "tomas@example.org");
    ta = addPerson("Tara TA");
    studentA = addPerson("Sam Student");
    studentA2 = addPerson("Zoë Student");
    studentB = addPerson("Bea Other");
    teacherB = addPerson("Teo Other Teacher");
    outsider = addPerson("Olu Outsider");

    // Everyone joined their course a month before, so every window below is theirs.
    clock.set(k_start - 30 * k_day);
    courseA = must(store->courses().createCourse({"WM5 · JS1", "Europe/London", 10, 60, {studentA.id, studentA2.id}}, teacher.id),
                   "add course A");
    courseB = must(store->courses().createCourse({"NW6 · React", "Europe/London", 10, 60, {studentB.id}}, teacherB.id),
                   "add course B");
    must(store->courses().setEnrollment(ta.id, courseA.id, sync::Role::Ta, teacher.id), "make the TA");
    clock.set(k_start);

    const std::int64_t now = clock.nowMs();
    openA = must(store->attendance().createWindow({newUuidV4(), courseA.id, "Week 2", now - k_minute, now - 2 * k_minute, teacher.id}),
                 "open a window in A");
    closedA = addWindow(courseA, "Week 1", now - 7 * k_day, now - 7 * k_day + 3 * 60 * k_minute);
    scheduledA = must(store->attendance().createWindow({newUuidV4(), courseA.id, "Week 3", now + 60 * k_minute, std::nullopt,
                                           teacher.id}),
                      "schedule a window in A");
    openB = must(store->attendance().createWindow({newUuidV4(), courseB.id, "Week 2", now - k_minute, now - 2 * k_minute,
                                      teacherB.id}),
                 "open a window in B");

    const IssuedToken token = issueToken(k_kioskTokenPrefix);
    kiosk = must(store->kiosks().createKiosk({"Room 1 door", token.lookup, token.hash, randomBytes(32), {courseA.id}, admin.id}),
                 "add the kiosk");
}

ServiceFixture::~ServiceFixture()
{
    services.reset(); // the check-in writer stops before the store closes
    store.reset();
}

void ServiceFixture::restart()
{
    services.reset();
    store.reset();
    store = must(programBackends().reopen(clock), "open the store again");
    services = std::make_unique<Services>(*store, clock);
}

Caller ServiceFixture::as(const Person& person)
{
    Principal principal;
    principal.kind = PrincipalKind::Session;
    principal.person = person;
    return Caller{person, PrincipalKind::Session, principal};
}

Caller ServiceFixture::asApiKey(const Person& person)
{
    Principal principal;
    principal.kind = PrincipalKind::ApiKey;
    principal.person = person;
    return Caller{person, PrincipalKind::ApiKey, principal};
}

Person ServiceFixture::addPerson(const std::string& name, std::optional<std::string> email,
                                 std::optional<std::string> password)
{
    std::optional<std::string> hash;
    if (password)
        hash = must(hashSecret(*password, k_passwordCost), "hash a password");
    return must(store->people().createPerson({name, std::move(email), std::nullopt, std::nullopt, std::move(hash),
                                     std::nullopt, false}),
                "add a person");
}

void ServiceFixture::addBadge(const Person& person, const std::string& uidHash)
{
    must(store->people().addBadge(person.id, uidHash), "add a badge");
}

Window ServiceFixture::addWindow(const Course& c, const std::string& title, std::int64_t openedAt,
                                 std::optional<std::int64_t> closedAt)
{
    Window w = must(store->attendance().createWindow({newUuidV4(), c.id, title, std::nullopt, openedAt, teacher.id}), "add a window");
    if (closedAt)
        w = must(store->attendance().closeWindow(w.id, *closedAt, teacher.id), "close a window");
    return w;
}

Course ServiceFixture::addCourse(const std::string& name, const Person& by)
{
    return must(store->courses().createCourse({name, "Europe/London", 10, 60, {}}, by.id), "add a course");
}

void ServiceFixture::enrol(const Person& person, const Course& c, sync::Role role)
{
    must(store->courses().setEnrollment(person.id, c.id, role, 0), "enrol a person");
}

void ServiceFixture::addCheckIn(const Person& person, const Window& w, std::int64_t at)
{
    must(store->attendance().addCheckIn({newUuidV4(), person.id, w.id, at, sync::CheckInSource::Nfc, person.id,
                                         std::nullopt}),
         "add a check-in");
}

Window ServiceFixture::window(const std::string& id)
{
    auto w = must(store->attendance().window(id), "read a window");
    if (!w)
        throw std::runtime_error("no window " + id);
    return *w;
}

std::optional<Course> ServiceFixture::course(const std::string& id)
{
    return must(store->courses().course(id), "read a course");
}

std::optional<Person> ServiceFixture::person(const std::string& publicId)
{
    return must(store->people().personByPublicId(publicId), "read a person");
}

std::optional<sync::Role> ServiceFixture::roleIn(const Person& p, const Course& c)
{
    return must(store->courses().roleIn(p.id, c.id), "read a role");
}

AttendanceRecord ServiceFixture::record(const Window& w, const Person& p)
{
    return must(recordOf(*services, w.id, p.id), "read a record");
}

bool ServiceFixture::hasCheckIn(const Person& p, const Window& w)
{
    return must(store->attendance().hasCheckIn(p.id, w.id), "look for a check-in");
}

bool ServiceFixture::hasSession(const std::string& sessionToken)
{
    return must(store->credentials().session(sha256(sessionToken), clock.nowMs()), "read a session").has_value();
}

std::optional<Kiosk> ServiceFixture::kioskById(std::uint32_t id)
{
    return must(store->kiosks().kioskById(id), "read a kiosk");
}

KioskInfo ServiceFixture::kioskInfo(std::uint32_t id)
{
    const auto kiosks = must(store->kiosks().listKiosks(), "list kiosks");
    const auto found = std::ranges::find(kiosks, id, &KioskInfo::id);
    if (found == kiosks.end())
        throw std::runtime_error("no kiosk " + std::to_string(id));
    return *found;
}

std::optional<std::int64_t> ServiceFixture::lastSyncOf(std::uint32_t id)
{
    return kioskInfo(id).lastSyncAt;
}

Bytes ServiceFixture::badgeKey()
{
    return must(store->people().badgeKey(), "read the badge key");
}

Result<std::optional<std::string>> ServiceFixture::rejection(const sync::Event& e)
{
    return rejection(kiosk, e);
}

Result<std::optional<std::string>> ServiceFixture::rejection(const Kiosk& from, const sync::Event& e)
{
    sync::SyncRequest request;
    request.kioskTimeMs = clock.nowMs();
    request.events.emplace_back(e);
    Result<std::optional<std::string>> out = std::optional<std::string>();
    const auto ingested = store->kiosks().ingestSync(from, request, [&](SyncBatch& batch) -> Result<void> {
        out = syncRejection(from, e, batch, clock.nowMs());
        return {};
    });
    if (!ingested)
        return std::unexpected(ingested.error());
    return out;
}

sync::Event ServiceFixture::event(const Person& actor, sync::EventBody body, std::optional<std::int64_t> at) const
{
    return sync::Event{newUuidV4(), at.value_or(clock.nowMs()), actor.publicId, std::move(body)};
}

sync::Event ServiceFixture::tap(const Person& p, const Window& w, std::optional<std::int64_t> at) const
{
    return event(p, sync::CheckIn{p.publicId, w.id, sync::CheckInSource::Nfc}, at);
}

} // namespace imhere::test
