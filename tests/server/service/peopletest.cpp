// service/people: an org admin adds people and names org admins; everyone
// else is refused. Bad details are named by their field, so the form can
// show the message next to it.

#include "servicefixture.h"

#include "sync-server/service/people.h"

#include "tests/support/qtestsupport.h"

#include <algorithm>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

class PeopleTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    Services& services() { return *fx->services; }

    static PersonDetails named(std::string name)
    {
        PersonDetails d;
        d.displayName = std::move(name);
        return d;
    }

private slots:
    void init() { fx = std::make_unique<ServiceFixture>(); }
    void cleanup() { fx.reset(); }

    void onlyAnOrgAdminAddsPeople();
    void aPersonWithoutEmailHasNoPassword();
    void aPersonWithEmailGetsAGeneratedPasswordUnlessGiven();
    void usernamesLoseTheirAt();
    void badDetailsAreNamedByField();
    void everyProblemIsListed();
    void anEmailBelongsToOnePerson();
    void onlyAnOrgAdminNamesOrgAdmins();
    void nobodyRemovesTheirOwnAdminRights();
    void theAdminSeesEveryoneWithTheirCourses();
};

void PeopleTest::onlyAnOrgAdminAddsPeople()
{
    for (const Person* who : {&fx->teacher, &fx->ta, &fx->studentA, &fx->outsider}) {
        const auto r = addPerson(services(), fx->as(*who), named("Newcomer"));
        QVERIFY2(!r, who->displayName.c_str());
        QCOMPARE(r.error().code, Errc::Forbidden);
    }
    const auto added = addPerson(services(), fx->as(fx->admin), named("Newcomer"));
    QVERIFY2(added, added ? "" : added.error().message.c_str());
    QCOMPARE(added->person.displayName, "Newcomer");
    QVERIFY(!added->person.publicId.empty());
    QVERIFY(fx->person(added->person.publicId));
}

void PeopleTest::aPersonWithoutEmailHasNoPassword()
{
    const auto added = addPerson(services(), fx->as(fx->admin), named("Kiosk Only"));
    QVERIFY(added);
    QVERIFY(!added->generatedPassword);
    QVERIFY(!fx->person(added->person.publicId)->passwordHash);
    QVERIFY(!added->person.isAdmin);
}

void PeopleTest::aPersonWithEmailGetsAGeneratedPasswordUnlessGiven()
{
    PersonDetails d = named("Mo Mentor");
    d.email = "mo@example.org";
    const auto generated = addPerson(services(), fx->as(fx->admin), d);
    QVERIFY2(generated, generated ? "" : generated.error().message.c_str());
    QVERIFY(generated->generatedPassword);
    QVERIFY(generated->generatedPassword->size() >= 10);
    QVERIFY(fx->person(generated->person.publicId)->passwordHash);
    // The hash, never the password, is kept.
    QVERIFY(*fx->person(generated->person.publicId)->passwordHash != *generated->generatedPassword);

    PersonDetails chosen = named("Nia New");
    chosen.email = "nia@example.org";
    chosen.password = "correct horse battery";
    chosen.isAdmin = true;
    const auto given = addPerson(services(), fx->as(fx->admin), chosen);
    QVERIFY(given);
    QVERIFY(!given->generatedPassword);
    QVERIFY(given->person.isAdmin);
}

void PeopleTest::usernamesLoseTheirAt()
{
    PersonDetails d = named("Gil Hub");
    d.github = "@gil-hub";
    d.codewars = "@gil_cw";
    const auto added = addPerson(services(), fx->as(fx->admin), d);
    QVERIFY(added);
    QCOMPARE(added->person.github, std::optional<std::string>("gil-hub"));
    QCOMPARE(added->person.codewars, std::optional<std::string>("gil_cw"));
    // A lone "@" is no username at all.
    PersonDetails bare = named("Bare At");
    bare.github = "@";
    const auto none = addPerson(services(), fx->as(fx->admin), bare);
    QVERIFY(none);
    QCOMPARE(none->person.github, std::optional<std::string>());
}

void PeopleTest::badDetailsAreNamedByField()
{
    const auto refused = [&](PersonDetails d, const char* field) {
        const auto r = addPerson(services(), fx->as(fx->admin), std::move(d));
        QVERIFY2(!r, field);
        QCOMPARE(r.error().code, Errc::InvalidRequest);
        QVERIFY2(r.error().message.starts_with(std::string(field) + ":"), r.error().message.c_str());
    };
    refused(named(""), "display_name");
    refused(named(std::string(201, 'n')), "display_name");
    refused(named("Two\nLines"), "display_name");
    for (const char* email : {"no-at-sign", "@example.org", "a@b", "a b@example.org", "a@@example.org", "a@example."}) {
        PersonDetails d = named("Emma");
        d.email = email;
        refused(d, "email");
    }
    PersonDetails github = named("Gita");
    github.github = "not a username";
    refused(github, "github");
    PersonDetails codewars = named("Cody");
    codewars.codewars = "bad/name";
    refused(codewars, "codewars");
    PersonDetails shortPassword = named("Pat");
    shortPassword.email = "pat@example.org";
    shortPassword.password = "123456789";
    refused(shortPassword, "password");
    PersonDetails longPassword = shortPassword;
    longPassword.password = std::string(1025, 'p');
    refused(longPassword, "password");
    QVERIFY(!fx->person("zzzzzzzzzz"));
}

void PeopleTest::everyProblemIsListed()
{
    PersonDetails d = named("");
    d.email = "nope";
    d.github = "a b";
    d.codewars = "c d";
    d.password = "short";
    const auto problems = personProblems(services(), d);
    QVERIFY(problems);
    std::vector<std::string> fields;
    for (const auto& [field, message] : *problems)
        fields.push_back(field);
    QCOMPARE(fields, (std::vector<std::string>{"display_name", "email", "github", "codewars", "password"}));

    PersonDetails good = named("Fine Person");
    good.email = "fine@example.org";
    const auto none = personProblems(services(), good);
    QVERIFY(none);
    QVERIFY(none->empty());
}

void PeopleTest::anEmailBelongsToOnePerson()
{
    PersonDetails d = named("Tomás Again");
    d.email = "tomas@example.org"; // the teacher's
    const auto problems = personProblems(services(), d);
    QVERIFY(problems);
    QCOMPARE(problems->size(), std::size_t(1));
    QCOMPARE(problems->front().first, "email");

    const auto r = addPerson(services(), fx->as(fx->admin), d);
    QVERIFY(!r);
    QCOMPARE(r.error().code, Errc::AlreadyExists);
    QVERIFY2(r.error().message.starts_with("email:"), r.error().message.c_str());
}

void PeopleTest::onlyAnOrgAdminNamesOrgAdmins()
{
    const auto byTeacher = setOrgAdmin(services(), fx->as(fx->teacher), fx->teacher.publicId, true);
    QVERIFY(!byTeacher);
    QCOMPARE(byTeacher.error().code, Errc::Forbidden);
    QVERIFY(!fx->person(fx->teacher.publicId)->isAdmin);

    const auto promoted = setOrgAdmin(services(), fx->as(fx->admin), fx->teacher.publicId, true);
    QVERIFY2(promoted, promoted ? "" : promoted.error().message.c_str());
    QVERIFY(promoted->isAdmin);
    QVERIFY(fx->person(fx->teacher.publicId)->isAdmin);

    // The new admin may take it back from the first.
    const Person newAdmin = *fx->person(fx->teacher.publicId);
    const auto removed = setOrgAdmin(services(), fx->as(newAdmin), fx->admin.publicId, false);
    QVERIFY(removed);
    QVERIFY(!fx->person(fx->admin.publicId)->isAdmin);

    const auto nobody = setOrgAdmin(services(), fx->as(newAdmin), "zzzzzzzzzz", true);
    QVERIFY(!nobody);
    QCOMPARE(nobody.error().code, Errc::NotFound);
}

void PeopleTest::nobodyRemovesTheirOwnAdminRights()
{
    const auto own = setOrgAdmin(services(), fx->as(fx->admin), fx->admin.publicId, false);
    QVERIFY(!own);
    QCOMPARE(own.error().code, Errc::Conflict);
    QVERIFY(fx->person(fx->admin.publicId)->isAdmin);
    // Saying again that one is an admin is harmless.
    QVERIFY(setOrgAdmin(services(), fx->as(fx->admin), fx->admin.publicId, true));
}

void PeopleTest::theAdminSeesEveryoneWithTheirCourses()
{
    const auto refused = peopleWithCourses(services(), fx->as(fx->teacher));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Errc::Forbidden);

    const auto people = peopleWithCourses(services(), fx->as(fx->admin));
    QVERIFY(people);
    QCOMPARE(people->size(), std::size_t(8));
    const auto of = [&](const Person& p) -> const PersonWithCourses& {
        return *std::ranges::find_if(*people, [&](const PersonWithCourses& x) { return x.person.id == p.id; });
    };
    QCOMPARE(of(fx->studentA).courses.size(), std::size_t(1));
    QCOMPARE(of(fx->studentA).courses.front().first.id, fx->courseA.id);
    QVERIFY(of(fx->studentA).courses.front().second == Role::Student);
    QVERIFY(of(fx->ta).courses.front().second == Role::Ta);
    QVERIFY(of(fx->teacherB).courses.front().second == Role::Teacher);
    QVERIFY(of(fx->outsider).courses.empty());
    QVERIFY(of(fx->admin).courses.empty());
}

QTEST_GUILESS_MAIN(PeopleTest)
#include "peopletest.moc"
