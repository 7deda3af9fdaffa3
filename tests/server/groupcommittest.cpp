// Group commit over real HTTP: many concurrent POST /api/v1/windows/{w}/check-ins,
// refusals mixed in, each request answered for itself and every stored
// check-in stored exactly once; a group whose commit fails is answered 503
// with Retry-After and stores nothing.

#include "testserver.h"

#include "tests/support/qtestsupport.h"

#include <map>
#include <mutex>
#include <thread>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {

constexpr int k_students = 40;
constexpr int k_clients = 6; // not a divisor of k_students: a person's two tries go to different clients

struct Attempt {
    std::string window;
    std::string person; // public id
};

struct Answer {
    long status = 0;
    std::string code;  // error code, when refused
    std::string whom;  // record.person, when stored
};

} // namespace

class GroupCommitTest : public QObject {
    Q_OBJECT

    // Each attempt once, spread over concurrent clients (keep-alive
    // connections, as the admin's API key).
    std::vector<Answer> send(const std::vector<Attempt>& attempts)
    {
        std::vector<Answer> answers(attempts.size());
        std::vector<std::thread> clients;
        for (int c = 0; c < k_clients; ++c) {
            clients.emplace_back([&, c] {
                HttpClient client = server->client();
                for (std::size_t i = static_cast<std::size_t>(c); i < attempts.size(); i += k_clients) {
                    const auto r = client.json("POST", "/api/v1/windows/" + attempts[i].window + "/check-ins",
                                               nlohmann::json{{"person", attempts[i].person}}.dump(),
                                               bearer(school.writeKey));
                    answers[i].status = r.status;
                    if (r.status == 201)
                        answers[i].whom = r.json()["record"]["person"];
                    else if (r.status != 0)
                        answers[i].code = r.errorCode();
                    if (r.status == 503)
                        answers[i].code += " retry-after:" + r.header("retry-after");
                }
            });
        }
        for (auto& c : clients)
            c.join();
        return answers;
    }

    std::optional<TestServer> server;
    School school;
    std::vector<Person> students;

private slots:
    void init()
    {
        server.emplace();
        school = School::build(*server);
        students.clear();
        for (int i = 0; i < k_students; ++i) {
            students.push_back(addPerson(*server->store, "Student " + std::to_string(i)));
            QVERIFY(server->store->courses().setEnrollment(students.back().id, school.courseA.id, sync::Role::Student,
                                                 school.teacherA.id));
        }
    }
    void cleanup() { server.reset(); }

    void concurrentCheckInsAreStoredOnceWithTheirOwnAnswers();
    void aFailedCommitIsA503WithRetryAfterAndStoresNothing();
};

void GroupCommitTest::concurrentCheckInsAreStoredOnceWithTheirOwnAnswers()
{
    std::vector<Attempt> attempts;
    for (int round = 0; round < 2; ++round) {
        for (const Person& s : students)
            attempts.push_back({school.openA.id, s.publicId});
    }
    for (int i = 0; i < k_students; i += 4)
        attempts.push_back({school.closedA.id, students[static_cast<std::size_t>(i)].publicId});
    for (int i = 0; i < 4; ++i)
        attempts.push_back({school.openA.id, school.outsider.publicId});

    const auto answers = send(attempts);

    std::map<std::string, std::vector<const Answer*>> openByPerson;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        const Answer& a = answers[i];
        if (attempts[i].person == school.outsider.publicId) {
            QVERIFY2(a.status == 422, a.code.c_str());
            QCOMPARE(a.code, "invalid_request");
        } else if (attempts[i].window == school.closedA.id) {
            QCOMPARE(a.status, 409);
            QCOMPARE(a.code, "window_closed");
        } else {
            openByPerson[attempts[i].person].push_back(&a);
        }
    }
    QCOMPARE(openByPerson.size(), static_cast<std::size_t>(k_students));
    for (const auto& [person, tries] : openByPerson) {
        QCOMPARE(tries.size(), 2u);
        // One of the two is stored and says whose record it is; the other,
        // in the same group or a later one, is told it came second.
        const Answer& first = tries[0]->status == 201 ? *tries[0] : *tries[1];
        const Answer& second = tries[0]->status == 201 ? *tries[1] : *tries[0];
        QVERIFY2(first.status == 201, (person + ": " + std::to_string(first.status)).c_str());
        QCOMPARE(first.whom, person);
        QVERIFY2(second.status == 409, (person + ": " + std::to_string(second.status)).c_str());
        QVERIFY2(second.code == "already_checked_in", (person + ": " + second.code).c_str());
    }

    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in WHERE window_id = '" + school.openA.id + "'"), k_students);
    QCOMPARE(server->countInFile("SELECT count(*) FROM (SELECT person FROM check_in GROUP BY window_id, person"
                    " HAVING count(*) > 1) AS twice"),
             0);
    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in WHERE window_id = '" + school.closedA.id + "'"), 0);
    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in WHERE person = " + std::to_string(school.outsider.id)), 0);
}

void GroupCommitTest::aFailedCommitIsA503WithRetryAfterAndStoresNothing()
{
    QVERIFY(server->refuseInserts("check_in"));
    std::vector<Attempt> attempts;
    for (int i = 0; i < 18; ++i)
        attempts.push_back({school.openA.id, students[static_cast<std::size_t>(i)].publicId});

    for (const Answer& a : send(attempts)) {
        QCOMPARE(a.status, 503);
        QCOMPARE(a.code, "unavailable retry-after:1");
    }
    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in"), 0);
    QCOMPARE(server->countInFile("SELECT count(*) FROM change_log WHERE kind = 'check_in'"), 0);

    // Trying again once the disk takes writes again stores the check-in.
    QVERIFY(server->allowInserts("check_in"));
    const auto again = send({attempts.front()});
    QCOMPARE(again.front().status, 201);
    QCOMPARE(server->countInFile("SELECT count(*) FROM check_in"), 1);
}

QTEST_GUILESS_MAIN(GroupCommitTest)
#include "groupcommittest.moc"
