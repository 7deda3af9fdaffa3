// `imhere-server demo-data`: a realistic synthetic school — 3 courses, 66
// trainees, TAs, teachers, 8 weeks of windows with check-ins (some late, some
// remote), flags and corrections — plus the file of badge UIDs and PINs the
// demo uses to tap in at the kiosk. It tells a story the reports show: in
// each course two trainees drift away week by week, one has missed the last
// two classes, one TA comes only now and then, the teachers come as
// volunteers, one trainee joined after three weeks (not enrolled before), and
// a few absences are excused.

#include "commands.h"
#include "demomilestones.h"
#include "demonames.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/auth/tokens.h"
#include "sync-server/service/slack.h"
#include "core/result.h"

#include "core/crypto.h"
#include "core/limits.h"
#include "core/random.h"
#include "core/timezone.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace imhere::server::cli {

namespace {

constexpr std::string_view k_adminEmail = "admin@imhere.demo";
constexpr std::string_view k_adminPassword = "imhere-demo-admin";
constexpr std::string_view k_staffPassword = "imhere-demo-staff";
// The first trainee of the first course signs in too (My milestones).
constexpr std::string_view k_traineePassword = "imhere-demo-trainee";
constexpr int k_weeks = 8;
constexpr int k_traineesPerCourse = 22;
constexpr std::int64_t k_minuteMs = 60'000;
constexpr std::int64_t k_dayMs = 24 * 60 * k_minuteMs;
// Every demo badge UID comes from this seed, so the same taps work after a
// fresh `demo-data` on any machine.
constexpr std::uint32_t k_seed = 20'260'101;

struct DemoCourse {
    std::string_view name;
    std::string_view timezone;
    int weekdayHour; // the evening class, local time
    std::string_view trackerCourse; // the trainee tracker's names (docs/INTEROP.md)
    std::string_view module;
    std::string_view region;
};

constexpr std::array<DemoCourse, 3> k_courses{{
    {"WM5 · JS1", "Europe/London", 18, "ITP-2026-10", "JS1", "West Midlands"},
    {"NW6 · React", "Europe/London", 19, "SDC-2026-10", "React", "North West"},
    {"CPT2 · SQL", "Africa/Johannesburg", 18, "SDC-2026-10", "SQL", "Cape Town"},
}};

struct DemoPerson {
    Person person;
    std::string uidHex;
    std::string role;
    std::string pin;
};

class DemoSchool {
public:
    // `clock` is the store's: joins are stamped with the day each person
    // joined, before the classes they came to.
    DemoSchool(Store& store, ManualClock& clock, std::optional<std::string> slackWebhook)
        : m_store(store), m_clock(clock), m_now(clock.nowMs()), m_rng(k_seed), m_slackWebhook(std::move(slackWebhook))
    {
    }

    Result<void> build(std::vector<DemoPerson>& people, std::vector<Course>& courses);
    std::optional<std::string> traineeLogin; // the email of the trainee who signs in

private:
    Result<DemoPerson> person(std::string name, std::string role, bool staff);
    Result<void> classes(const Course& course, int hour, const std::vector<PersonId>& participants, PersonId teacher);
    // How a person comes to class, for the story the reports tell.
    enum class Habit { Usual, Drifting, LatelyAway, Occasional };
    // `progress` runs from 0 at the first class to 1 at the last; `fromEnd`
    // counts the classes left after this one.
    Result<void> attend(const Window& w, PersonId person, PersonId teacher, double progress, int fromEnd);
    int roll(int below) { return std::uniform_int_distribution<int>(0, below - 1)(m_rng); }

    Store& m_store;
    ManualClock& m_clock;
    std::int64_t m_now;
    std::map<PersonId, std::int64_t> m_joined; // those who joined after the first class
    std::mt19937 m_rng;
    Bytes m_badgeKey;
    int m_nameIndex = 0;
    std::map<PersonId, Habit> m_habits;
    // Every course's Slack webhook, set before its latest class closes, so
    // that class's summary waits in the outbox for the first `serve`.
    std::optional<std::string> m_slackWebhook;
};

Result<DemoPerson> DemoSchool::person(std::string name, std::string role, bool staff)
{
    if (name.empty()) {
        const auto given = k_givenNames[static_cast<std::size_t>(m_nameIndex) % k_givenNames.size()];
        const auto family = k_familyNames[static_cast<std::size_t>(m_nameIndex * 7 + 3) % k_familyNames.size()];
        name = std::string(given) + " " + std::string(family);
        ++m_nameIndex;
    }
    std::string local;
    for (const char c : name) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            local.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
        else if (c == ' ')
            local.push_back('.');
    }
    NewPerson p{name, local + std::to_string(m_nameIndex) + "@imhere.demo", std::nullopt, std::nullopt,
                std::nullopt, std::nullopt, false};
    std::string pin;
    if (staff) {
        TRY_ASSIGN(hash, hashSecret(k_staffPassword, k_passwordCost));
        p.passwordHash = hash;
        pin = std::to_string(10'000'000 + roll(90'000'000)); // k_pinDigits digits
        TRY_ASSIGN(pinHash, hashSecret(pin, k_pinCost));
        p.pinHash = pinHash;
    }
    TRY_ASSIGN(created, m_store.people().createPerson(p));
    Bytes uid{0x04};
    for (int i = 0; i < 6; ++i)
        uid.push_back(static_cast<std::uint8_t>(roll(256)));
    TRY(m_store.people().addBadge(created.id, badgeHash(m_badgeKey, uid)));
    return DemoPerson{created, hexEncode(uid), std::move(role), pin};
}

Result<void> DemoSchool::attend(const Window& w, PersonId person, PersonId teacher, double progress, int fromEnd)
{
    const std::int64_t start = *w.scheduledStart;
    const auto habit = m_habits.find(person);
    const Habit h = habit == m_habits.end() ? Habit::Usual : habit->second;
    int r = roll(100);
    if (h == Habit::Drifting && roll(100) < static_cast<int>(10 + 60 * progress))
        r = 0;
    if (h == Habit::LatelyAway && fromEnd < 2)
        r = 0;
    if (h == Habit::Occasional && roll(100) < 45)
        r = 0;
    if (r < 8) {
        // Absent; now and then a teacher later marks a forgotten tap present,
        // or excuses an absence they were told of.
        const int why = roll(6);
        if (h == Habit::Usual && why < 2)
            TRY(m_store.attendance().addCorrection({newUuidV4(), person, w.id, true, "forgot to clock in", std::nullopt, teacher,
                                       start + 2 * 60 * k_minuteMs, std::nullopt}));
        else if (h == Habit::Usual && why == 2)
            TRY(m_store.attendance().addCorrection({newUuidV4(), person, w.id, false, "hospital appointment, told us",
                                                    std::nullopt, teacher, start + 2 * 60 * k_minuteMs, std::nullopt,
                                                    true}));
        return {};
    }
    const std::int64_t offset = r < 78 ? (roll(19) - 10) * k_minuteMs : (11 + roll(45)) * k_minuteMs;
    const bool remote = roll(100) < 12;
    const CheckInSource source = remote ? CheckInSource::QrRemote
                                        : (roll(10) == 0 ? CheckInSource::QrBadge : CheckInSource::Nfc);
    const std::string id = newUuidV4();
    TRY(m_store.attendance().addCheckIn({id, person, w.id, start + offset + roll(60'000), source, person, std::nullopt}));
    const int f = roll(100);
    if (remote && f < 15)
        TRY(m_store.attendance().addFlag({newUuidV4(), person, w.id, Flag::CameraOff, true, "camera off most of the class",
                             teacher, start + 90 * k_minuteMs, std::nullopt}));
    else if (f < 4)
        TRY(m_store.attendance().addFlag({newUuidV4(), person, w.id, Flag::LeftEarly, true, "left at the break", teacher,
                             start + 100 * k_minuteMs, std::nullopt}));
    else if (f < 6)
        TRY(m_store.attendance().addFlag({newUuidV4(), person, w.id, Flag::LowParticipation, true, "", teacher,
                             start + 110 * k_minuteMs, std::nullopt}));
    else if (f == 6)
        // Two volunteers corrected the same record from the same view: kept
        // for review.
        for (const bool present : {false, true})
            TRY(m_store.attendance().addCorrection({newUuidV4(), person, w.id, present,
                                       present ? "was there, I saw them" : "left after ten minutes", id, teacher,
                                       start + (present ? 130 : 120) * k_minuteMs, std::nullopt}));
    return {};
}

Result<void> DemoSchool::classes(const Course& course, int hour, const std::vector<PersonId>& participants,
                                 PersonId teacher)
{
    TRY_ASSIGN(today, localFromUtc(course.timezone, m_now));
    int total = 0;
    for (int day = k_weeks * 7; day >= 1; --day)
        total += day % 7 == 3 || day % 7 == 0 ? 1 : 0;
    int index = 0;
    for (int day = k_weeks * 7; day >= 1; --day) {
        TRY_ASSIGN(date, localFromUtc(course.timezone, m_now - day * k_dayMs));
        // Two classes a week: an evening on Tuesday-ish and Saturday morning.
        const bool evening = day % 7 == 3;
        const bool saturday = day % 7 == 0;
        if (!evening && !saturday)
            continue;
        LocalDateTime at{date.year, date.month, date.day, evening ? hour : 10, evening ? 0 : 30, 0};
        TRY_ASSIGN(start, utcFromLocal(course.timezone, at));
        const std::string title = std::string(evening ? "Evening class " : "Saturday workshop ")
            + std::to_string(date.day) + "/" + std::to_string(date.month);
        TRY_ASSIGN(w, m_store.attendance().createWindow({newUuidV4(), course.id, title, start, start - 15 * k_minuteMs, teacher}));
        const double progress = total > 1 ? static_cast<double>(index) / (total - 1) : 1.0;
        for (const PersonId p : participants) {
            if (const auto joined = m_joined.find(p); joined != m_joined.end() && joined->second > start)
                continue; // not enrolled yet
            TRY(attend(w, p, teacher, progress, total - 1 - index));
        }
        ++index;
        if (index == total && m_slackWebhook)
            TRY(m_store.outbox().setSlackWebhook(course.id, *m_slackWebhook, teacher));
        TRY(m_store.attendance().closeWindow(w.id, start + 3 * 60 * k_minuteMs, teacher));
    }
    (void)today;
    // Today's class is open, so the kiosk demo can check people in.
    TRY(m_store.attendance().createWindow({newUuidV4(), course.id, "Today's class", m_now - 5 * k_minuteMs,
                              m_now - 10 * k_minuteMs, teacher}));
    return {};
}

Result<void> DemoSchool::build(std::vector<DemoPerson>& people, std::vector<Course>& courses)
{
    TRY_ASSIGN(key, m_store.people().badgeKey());
    m_badgeKey = std::move(key);
    TRY_ASSIGN(adminHash, hashSecret(k_adminPassword, k_passwordCost));
    TRY_ASSIGN(admin, m_store.people().createPerson({"Programme Admin", std::string(k_adminEmail), std::nullopt, std::nullopt,
                                            adminHash, std::nullopt, true}));
    (void)admin;
    for (const DemoCourse& spec : k_courses) {
        // Everyone joins the day before the first class (the teacher as the
        // course is made) but one trainee, three weeks in.
        m_clock.set(m_now - (k_weeks * 7 + 1) * k_dayMs);
        TRY_ASSIGN(teacher, person("", "teacher", true));
        TRY_ASSIGN(course, m_store.courses().createCourse({std::string(spec.name), std::string(spec.timezone), 10, 60, {}},
                                                teacher.person.id));
        people.push_back(teacher);
        std::vector<PersonId> participants;
        for (int t = 0; t < 2; ++t) {
            TRY_ASSIGN(ta, person("", "ta", true));
            TRY(m_store.courses().setEnrollment(ta.person.id, course.id, Role::Ta, teacher.person.id));
            if (t == 1)
                m_habits[ta.person.id] = Habit::Occasional;
            participants.push_back(ta.person.id);
            people.push_back(ta);
        }
        for (int s = 0; s < k_traineesPerCourse; ++s) {
            TRY_ASSIGN(trainee, person("", "student", false));
            const bool joinsLate = s == k_traineesPerCourse - 4;
            if (joinsLate) {
                m_clock.set(m_now - (k_weeks * 7 - 21) * k_dayMs);
                m_joined[trainee.person.id] = m_clock.nowMs();
            }
            TRY(m_store.courses().setEnrollment(trainee.person.id, course.id, Role::Student, teacher.person.id));
            if (joinsLate)
                m_clock.set(m_now - (k_weeks * 7 + 1) * k_dayMs);
            // The story: the last three trainees of each course.
            if (s >= k_traineesPerCourse - 2)
                m_habits[trainee.person.id] = Habit::Drifting;
            else if (s == k_traineesPerCourse - 3)
                m_habits[trainee.person.id] = Habit::LatelyAway;
            TRY(m_store.tracker().setRegion(trainee.person.id, std::string(spec.region)));
            if (courses.empty() && s == 0) {
                TRY_ASSIGN(hash, hashSecret(k_traineePassword, k_passwordCost));
                TRY(m_store.people().setPasswordHash(trainee.person.id, hash));
                traineeLogin = trainee.person.email;
            }
            participants.push_back(trainee.person.id);
            people.push_back(trainee);
        }
        participants.push_back(teacher.person.id); // teachers check in too, as volunteers
        TRY(m_store.tracker().setTrackerIdentity(
            course.id, TrackerIdentity{std::string(spec.trackerCourse), std::string(spec.module), std::nullopt}));
        m_clock.set(m_now);
        TRY(classes(course, spec.weekdayHour, participants, teacher.person.id));
        courses.push_back(course);
    }
    return {};
}

} // namespace

int demoDataCommand(const CommandLine&, const Settings& settings)
{
    ManualClock clock(SystemClock().nowMs());
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    auto existing = store->people().personByEmail(k_adminEmail);
    if (!existing || *existing)
        return failWith("this database already has the demo school");

    std::vector<DemoPerson> people;
    std::vector<Course> courses;
    const auto slackWebhook = settings.get("slack-webhook");
    if (slackWebhook) {
        if (auto checked = checkSlackWebhook(*slackWebhook, true); !checked)
            return failWith(checked.error().message);
    }
    DemoSchool school(*store, clock, slackWebhook);
    // The files go beside a database file, or where --badges says.
    const std::string db = *settings.get("db");
    const auto badgesSetting = settings.get("badges");
    if (isPostgresUrl(db) && !badgesSetting)
        return failWith("with a postgresql:// database, --badges FILE says where the demo's files go");
    const std::filesystem::path badges =
        badgesSetting.value_or((std::filesystem::path(db).parent_path() / "demo-badges.txt").string());
    const std::string coderFile = (badges.parent_path() / "demo-code-sites.tsv").string();
    if (auto built = store->inTransaction([&]() -> Result<void> {
            people.clear(); // the store may run this again (store.h)
            courses.clear();
            TRY(school.build(people, courses));
            return addDemoMilestones(*store, clock.nowMs(), courses, coderFile);
        });
        !built)
        return failWith("demo data not written: " + built.error().message);

    const IssuedToken token = issueToken(k_kioskTokenPrefix);
    std::vector<std::string> courseIds;
    for (const auto& c : courses)
        courseIds.push_back(c.id);
    auto kiosk = store->kiosks().createKiosk({"Demo classroom door", token.lookup, token.hash,
                                     randomBytes(imhere::limits::k_kioskKeyBytes), courseIds});
    if (!kiosk)
        return failWith(kiosk.error().message);

    std::ofstream out(badges);
    out << "# imhere demo badges: raw NFC UID (hex), public id, role, PIN (- for none), name\n";
    for (const auto& p : people)
        out << p.uidHex << '\t' << p.person.publicId << '\t' << p.role << '\t' << (p.pin.empty() ? "-" : p.pin)
            << '\t' << p.person.displayName << '\n';
    const std::filesystem::path kioskFile = badges.parent_path() / "demo-kiosk-token.txt";
    std::ofstream(kioskFile) << token.token << '\n';
    if (!out)
        return failWith("could not write " + badges.string());

    std::printf("demo school written: %zu courses, %zu people\n", courses.size(), people.size() + 1);
    std::printf("badges and PINs: %s\nkiosk token: %s\n", badges.c_str(), kioskFile.c_str());
    std::printf("admin login: %s / %s\nteachers and TAs: their email in %s / %s\n", k_adminEmail.data(),
                k_adminPassword.data(), "GET /api/v1/people", k_staffPassword.data());
    if (school.traineeLogin)
        std::printf("a trainee: %s / %s\n", school.traineeLogin->c_str(), k_traineePassword.data());
    std::printf("GitHub and Codewars coders for imhere-demo-code-sites: %s\n", coderFile.c_str());
    return 0;
}

} // namespace imhere::server::cli
