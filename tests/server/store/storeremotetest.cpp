// The store's contract, continued: phones linked for remote check-in, the
// review of check-ins from one phone or network, and the trainee tracker's
// names, regions, sprints and register imports, the same for SQLite and
// PostgreSQL (storeundertest.h chooses the backend; CTest runs this program
// once for each).

#include "storeundertest.h"

#include "core/random.h"

#include "tests/support/must.h"
#include "tests/support/qtestsupport.h"

#include <QTest>

#include <stdexcept>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;
using imhere::test::must;

namespace {

constexpr std::int64_t k_start = 1'760'001'600'000; // 2025-10-09 09:20 UTC
constexpr std::int64_t k_minute = 60'000;

Bytes token(std::uint8_t fill)
{
    return Bytes(32, fill);
}

} // namespace

class StoreRemoteTest : public QObject {
    Q_OBJECT

    std::unique_ptr<Backends> backends;
    ManualClock clock{k_start};
    std::unique_ptr<Store> store;
    Person teacher, sam, zoe;
    Course course;
    Window window;

    RemoteRepository& remote() { return store->remote(); }
    TrackerRepository& tracker() { return store->tracker(); }
    Person person(const std::string& name, std::optional<std::string> email = std::nullopt)
    {
        return must(store->people().createPerson({name, std::move(email), {}, {}, {}, {}, false}), "person");
    }
    RemoteCheckIn remoteCheckIn(const Person& who, std::int64_t device, const std::string& address)
    {
        return {{newUuidV4(), who.id, window.id, clock.nowMs(), CheckInSource::QrRemote, who.id, std::nullopt},
                device, address, 1};
    }

private slots:
    void initTestCase()
    {
        backends = std::make_unique<Backends>();
        qInfo("backend: %s", backends->name());
        QVERIFY2(backends->problem().empty(), backends->problem().c_str());
    }
    void cleanupTestCase() { backends.reset(); }
    void init()
    {
        clock.set(k_start);
        auto opened = backends->open(clock);
        QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
        store = std::move(*opened);
        teacher = person("Tomás");
        sam = person("Sam", "sam@example.org");
        zoe = person("Zoë");
        course = must(store->courses().createCourse({"C", "UTC", 10, 60, {sam.id, zoe.id}}, teacher.id), "course");
        window = must(store->attendance().createWindow({newUuidV4(), course.id, "W", std::nullopt, k_start,
                                                        teacher.id}),
                      "window");
    }
    void cleanup() { store.reset(); }

    void aLinkCodeLinksOnePhoneOnce()
    {
        must(remote().createLinkCode(token(1), sam.id, teacher.id, k_start + 10 * k_minute, course.id), "code");
        const auto linked = must(remote().linkDevice(token(1), token(9), k_start + k_minute), "link");
        QVERIFY(linked);
        QCOMPARE(linked->person, sam.id);
        QCOMPARE(linked->course, std::optional<std::string>(course.id));
        QVERIFY(!must(remote().linkDevice(token(1), token(8), k_start + k_minute), "spent"));
        must(remote().createLinkCode(token(2), sam.id, teacher.id, k_start + k_minute, std::nullopt), "short");
        QVERIFY(!must(remote().linkDevice(token(2), token(7), k_start + 2 * k_minute), "expired"));

        const auto device = must(remote().deviceByToken(token(9), k_start - 1), "by token");
        QVERIFY(device);
        QCOMPARE(device->id, linked->id);
        QVERIFY(!must(remote().deviceByToken(token(9), k_start + k_minute), "linked too long ago"));
        const auto phones = must(remote().phonesOf(sam.id, 0), "phones");
        QCOMPARE(phones.size(), std::size_t{1});
        QCOMPARE(phones[0].courseName, std::optional<std::string>("C"));
        QVERIFY(!phones[0].lastCheckInAt);

        QVERIFY(!must(remote().unlinkPhone(zoe.id, linked->id, k_start), "not hers"));
        QVERIFY(must(remote().unlinkPhone(sam.id, linked->id, k_start), "unlink"));
        QVERIFY(!must(remote().unlinkPhone(sam.id, linked->id, k_start), "again"));
        QVERIFY(!must(remote().deviceByToken(token(9), 0), "unlinked"));
    }

    void aRemoteCheckInIsStoredOncePerPersonAndWindow()
    {
        must(remote().createLinkCode(token(1), sam.id, teacher.id, k_start + 10 * k_minute, std::nullopt), "code");
        const auto phone = must(remote().linkDevice(token(1), token(9), k_start), "link").value();
        const RemoteCheckIn first = remoteCheckIn(sam, phone.id, "net-a");
        QVERIFY(must(remote().addRemoteCheckIn(first), "first"));
        QVERIFY(!must(remote().addRemoteCheckIn(first), "replayed"));
        QVERIFY(!must(remote().addRemoteCheckIn(remoteCheckIn(sam, phone.id, "net-a")), "a second of hers"));
        QVERIFY(must(store->attendance().hasCheckIn(sam.id, window.id), "stored"));
        QCOMPARE(must(remote().phonesOf(sam.id, 0), "phones")[0].lastCheckInAt, std::optional<std::int64_t>(k_start));
    }

    void checkInsFromOnePhoneOrNetworkAreReviewed()
    {
        const Person ola = person("Ola");
        must(store->courses().setEnrollment(ola.id, course.id, Role::Student, teacher.id), "enrol");
        must(remote().createLinkCode(token(1), sam.id, teacher.id, k_start + k_minute, std::nullopt), "sam's code");
        must(remote().createLinkCode(token(2), ola.id, teacher.id, k_start + k_minute, std::nullopt), "ola's code");
        const auto samsPhone = must(remote().linkDevice(token(1), token(8), k_start), "sam's phone").value();
        const auto olasPhone = must(remote().linkDevice(token(2), token(9), k_start), "ola's phone").value();
        QVERIFY(must(remote().addRemoteCheckIn(remoteCheckIn(sam, samsPhone.id, "net-a")), "sam"));
        clock.advance(k_minute);
        QVERIFY(must(remote().addRemoteCheckIn(remoteCheckIn(zoe, samsPhone.id, "net-b")), "zoe on sam's phone"));
        clock.advance(k_minute);
        QVERIFY(must(remote().addRemoteCheckIn(remoteCheckIn(ola, olasPhone.id, "net-c")), "ola alone"));
        const auto reviews = must(remote().remoteReviews(window.id), "reviews");
        QCOMPARE(reviews.size(), std::size_t{1});
        QVERIFY(reviews[0].source == RemoteReview::Source::Device);
        QCOMPARE(reviews[0].people, (std::vector<std::string>{"Sam", "Zoë"}));
        QCOMPARE(reviews[0].firstAt, k_start);
        QCOMPARE(reviews[0].lastAt, k_start + k_minute);
        const auto counts = must(remote().remoteReviewCounts(course.id), "counts");
        QCOMPARE(counts.size(), std::size_t{1});
        QCOMPARE(counts.at(window.id), std::size_t{2});
    }

    void theTrackerKnowsNamesRegionsAndSprints()
    {
        QVERIFY(!must(tracker().trackerIdentity(course.id), "none"));
        must(tracker().setTrackerIdentity(course.id, TrackerIdentity{"WM5", "JS1", "2025-09-01"}), "set");
        must(tracker().setTrackerIdentity(course.id, TrackerIdentity{"WM5", "JS2", std::nullopt}), "replace");
        const auto identity = must(tracker().trackerIdentity(course.id), "read");
        QVERIFY(identity);
        QCOMPARE(identity->module, "JS2");
        QVERIFY(!identity->firstSprintDay);
        must(tracker().setTrackerIdentity(course.id, std::nullopt), "clear");
        QVERIFY(!must(tracker().trackerIdentity(course.id), "cleared"));

        must(tracker().setRegion(sam.id, std::string("West Midlands")), "region");
        const auto people = must(tracker().trackerPeople(course.id), "people");
        QCOMPARE(people.size(), std::size_t{3});
        QCOMPARE(people[0].displayName, "Sam");
        QCOMPARE(people[0].region, std::optional<std::string>("West Midlands"));
        QCOMPARE(people[0].email, std::optional<std::string>("sam@example.org"));
        QVERIFY(!people[1].region);
        must(tracker().setRegion(sam.id, std::nullopt), "no region");
        QVERIFY(!must(tracker().trackerPeople(course.id), "people")[0].region);

        must(tracker().setWindowSprint(window.id, 3), "sprint");
        must(tracker().setWindowSprint(window.id, 4), "another sprint");
        QCOMPARE(must(tracker().windowSprints(course.id), "sprints"), (std::map<std::string, int>{{window.id, 4}}));
        must(tracker().setWindowSprint(window.id, std::nullopt), "no sprint");
        QVERIFY(must(tracker().windowSprints(course.id), "sprints").empty());
    }

    void aRegisterImportKeepsItsLines()
    {
        const CheckInEvent a{newUuidV4(), sam.id, window.id, k_start, CheckInSource::Manual, teacher.id, {}};
        const CheckInEvent b{newUuidV4(), zoe.id, window.id, k_start, CheckInSource::Manual, teacher.id, {}};
        QVERIFY(must(store->attendance().addCheckIn(a), "a"));
        QVERIFY(must(store->attendance().addCheckIn(b), "b"));
        const auto first = must(tracker().recordRegisterImport({course.id, teacher.id, k_start, 2, "abc",
                                                                {{a.id, 2}, {b.id, 3}}}),
                                "import");
        const auto second = must(tracker().recordRegisterImport({course.id, std::nullopt, k_start, 1, "def",
                                                                 {{a.id, 2}}}),
                                 "the same line again");
        QVERIFY(second != first);
        auto expected = std::vector<std::string>{a.id, b.id};
        std::ranges::sort(expected);
        QCOMPARE(must(tracker().importedCheckIns(course.id), "imported"), expected);
    }
};

QTEST_GUILESS_MAIN(StoreRemoteTest)
#include "storeremotetest.moc"
