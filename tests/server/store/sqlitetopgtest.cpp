// Moving a deployment from SQLite to PostgreSQL (store/sqlitetopg.h and
// `imhere-server migrate`): a school with rows in every table, filled
// through the services and the store, reads the same through PgStore after
// the copy; the kiosk's cursor carries on; a target with rows, a bad source
// or target and a copy that fails half-way leave the target as it was; and
// a table the copy does not know fails here first.
// On a throwaway cluster of its own (tests/support/pgcluster.h).

#include "tests/server/service/servicefixture.h"
#include "tests/server/servercommand.h"
#include "tests/server/testserver.h"
#include "tests/server/store/storeundertest.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/cli/databaselock.h"
#include "sync-server/service/kiosksync.h"
#include "sync-server/store/pgconnection.h"
#include "sync-server/store/pgschema.h"
#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitetopg.h"
#include "sync-server/store/sqliteschema.h"

#include "core/database.h"
#include "core/random.h"

#include "tests/support/pgcluster.h"
#include "tests/support/must.h"
#include "tests/support/qtestsupport.h"

#include <QTest>

#include <set>

#include <signal.h>
#include <sys/wait.h>

using namespace imhere;
using namespace imhere::server;
using namespace imhere::sync;
using namespace imhere::test;
using imhere::test::must;

namespace {

std::string text(const std::optional<std::string>& v)
{
    return v ? "'" + *v + "'" : "null";
}

std::string text(const std::optional<std::int64_t>& v)
{
    return v ? std::to_string(*v) : "null";
}

std::string hex(const Bytes& bytes)
{
    std::string out;
    for (const auto b : bytes)
        out += "0123456789abcdef"[b >> 4], out += "0123456789abcdef"[b & 0xf];
    return out;
}

// What a store says about the school, as text to compare between stores.
std::string describe(Store& store, const ServiceFixture& fx)
{
    std::string out;
    for (const Person& p : must(store.people().listPeople(), "people"))
        out += "person " + std::to_string(p.id) + " " + p.publicId + " " + p.displayName + " " + text(p.email) + " "
            + text(p.github) + " " + text(p.codewars) + " " + text(p.pinHash) + " " + text(p.passwordHash) + " "
            + std::to_string(p.isAdmin) + std::to_string(p.isLead) + "\n";
    out += "badge key " + hex(must(store.people().badgeKey(), "badge key")) + "\n";
    out += "master key " + hex(must(store.people().masterKey(), "master key")) + "\n";
    out += "mark " + must(store.people().publicDataMark(), "mark") + "\n";
    for (const auto& id : must(store.people().publicOptOuts(), "opt-outs"))
        out += "opted out " + id + "\n";
    for (const Enrollment& e : must(store.courses().listEnrollments(), "enrollments"))
        out += "enrolled " + std::to_string(e.person) + " " + e.course + " " + std::string(toString(e.role)) + "\n";
    for (const Course* course : {&fx.courseA, &fx.courseB}) {
        const RecordInputs in = must(store.attendance().recordInputs(course->id, std::nullopt, std::nullopt), "inputs");
        out += "course " + in.course.id + " " + in.course.name + " " + std::to_string(in.course.alertBelowPercent) + "\n";
        for (const Window& w : in.windows)
            out += " window " + w.id + " " + w.title + " " + text(w.scheduledStart) + " " + text(w.openedAt) + " "
                + text(w.closedAt) + " " + text(w.openedBy) + " " + text(w.scheduledEnd) + "\n";
        for (const Member& m : in.members)
            out += " member " + m.publicId + " " + std::string(toString(m.role)) + "\n";
        for (const auto& [key, events] : in.events) {
            out += " events " + key.first + " " + key.second + ":";
            for (const auto& c : events.checkIns)
                out += " in " + c.id + "@" + std::to_string(c.at) + std::string(toString(c.source));
            for (const auto& c : events.corrections)
                out += " corr " + c.id + "@" + std::to_string(c.at) + std::to_string(c.present) + std::to_string(c.excused)
                    + text(c.base);
            for (const auto& f : events.flags)
                out += " flag " + f.id + "@" + std::to_string(f.at) + std::string(toString(f.flag)) + std::to_string(f.set);
            out += "\n";
        }
        for (const auto& [person, spans] : in.enrolment) {
            out += " spans " + person + ":";
            for (const auto& span : spans)
                out += " " + std::to_string(span.joined) + "-" + text(span.left);
            out += "\n";
        }
        for (const auto& f : must(store.courses().alertFollowUps(course->id), "follow-ups"))
            out += " follow-up " + f.person + " " + f.kind + " " + f.since + " " + f.note + " " + f.actorName + "\n";
        for (const auto& m : must(store.milestones().courseMilestones(course->id), "milestones"))
            out += " milestone " + std::to_string(m.id) + " " + m.fields.title + " " + std::to_string(m.fields.target) + "\n";
        for (const auto& [window, sprint] : must(store.tracker().windowSprints(course->id), "sprints"))
            out += " sprint " + window + " " + std::to_string(sprint) + "\n";
        for (const auto& id : must(store.tracker().importedCheckIns(course->id), "imported"))
            out += " imported " + id + "\n";
        for (const auto& p : must(store.tracker().trackerPeople(course->id), "tracker people"))
            out += " tracker " + p.publicId + " " + text(p.region) + "\n";
        const auto slack = must(store.outbox().slackOutboxOf(course->id), "slack");
        out += " slack " + std::to_string(slack.waiting) + " " + std::to_string(slack.delivered) + " "
            + text(must(store.outbox().slackWebhook(course->id), "webhook")) + "\n";
        for (const auto& [window, count] : must(store.remote().remoteReviewCounts(course->id), "reviews"))
            out += " reviews " + window + " " + std::to_string(count) + "\n";
    }
    for (const KioskInfo& k : must(store.kiosks().listKiosks(), "kiosks")) {
        out += "kiosk " + std::to_string(k.id) + " " + k.name + " " + std::to_string(k.createdAt) + " "
            + text(k.lastSyncAt) + " " + text(k.clockSkewMs) + " " + std::to_string(k.revoked);
        for (const auto& c : k.courses)
            out += " " + c;
        out += "\n";
    }
    for (const ApiKey& k : must(store.credentials().apiKeys(std::nullopt), "api keys"))
        out += "api key " + std::to_string(k.id) + " " + k.prefix + " " + hex(k.hash) + " " + k.name + " "
            + text(k.expiresAt) + " " + text(k.revokedAt) + "\n";
    const OutboxCounts mail = must(store.outbox().outboxCounts(), "mail");
    out += "mail " + std::to_string(mail.waiting) + " " + std::to_string(mail.sent) + "\n";
    for (const Person* p : {&fx.studentA, &fx.studentA2}) {
        for (const auto& c : must(store.milestones().confirmationsOf(p->id), "confirmations"))
            out += "confirmed " + std::to_string(c.milestone) + " " + c.note + " " + c.actorName + "\n";
        for (const auto& s : must(store.milestones().latestSnapshots(p->id), "snapshots"))
            out += "snapshot " + s.metric + " " + std::to_string(s.value) + " " + std::to_string(s.at) + "\n";
        for (const auto& h : must(store.attendance().recordHistory(fx.courseA.id, p->id), "history"))
            out += "history " + h.id + " " + h.actorName + " " + h.text + "\n";
        for (const auto& phone : must(store.remote().phonesOf(p->id, 0), "phones"))
            out += "phone " + std::to_string(phone.device.id) + " " + text(phone.device.course) + " "
                + text(phone.lastCheckInAt) + "\n";
    }
    for (const auto& e : must(store.milestones().harvestErrors(std::nullopt), "harvest errors"))
        out += "harvest error " + std::to_string(e.person) + " " + e.source + " " + e.message + "\n";
    if (const auto reply = must(store.milestones().cachedReply("https://api.github.com/x"), "reply"))
        out += "reply " + reply->etag + " " + reply->body + "\n";
    return out;
}

std::int64_t rowsIn(PgConnection& pg, std::string_view table)
{
    auto s = must(pg.query("SELECT count(*) FROM \"" + std::string(table) + "\""), "count");
    must(s->step(), "count");
    return s->int64At(0);
}

// Every table's rows, as one line each.
std::string pgCounts(const std::string& url)
{
    auto pg = must(PgConnection::connect(url), "connect");
    std::string out;
    for (const auto table : copiedTables())
        out += std::string(table) + " " + std::to_string(rowsIn(*pg, table)) + "\n";
    return out;
}

// What `imhere-server serve` over `db` answers the admin's API key about
// course A and the people, as one text; empty when it did not start.
std::string serverAnswers(const std::string& db, const std::string& key, const std::string& course)
{
    const ServerProcess server = startServerProcess(IMHERE_SERVER_BIN, db);
    if (server.url.empty()) {
        if (server.pid > 0)
            waitpid(server.pid, nullptr, 0);
        return {};
    }
    HttpClient client(server.url);
    client.skipContract(); // the API's own tests check it against docs/openapi.yaml
    std::string out;
    const std::vector<std::string> paths{"/api/v1/courses/" + course + "/records",
                                         "/api/v1/courses/" + course + "/members", "/api/v1/people", "/api/v1/courses"};
    for (const auto& path : paths) {
        const HttpResult r = client.get(path, bearer(key));
        out += path + " " + std::to_string(r.status) + " " + r.body + "\n";
    }
    kill(server.pid, SIGTERM);
    waitpid(server.pid, nullptr, 0);
    return out;
}

} // namespace

class SqliteToPgTest : public QObject {
    Q_OBJECT

    std::unique_ptr<PgCluster> cluster;
    int databases = 0;
    std::unique_ptr<ServiceFixture> fx;
    std::string sqlitePath;
    std::string adminKey; // an API key of the admin, scope write

    std::string freshDatabase()
    {
        const std::string name = "m" + std::to_string(++databases);
        if (!cluster->createDatabase(name))
            qFatal("createdb: %s", cluster->error().c_str());
        return cluster->url(name);
    }

    SyncResponse sync(Services& services, const Kiosk& kiosk, std::int64_t cursor, std::vector<Event> events)
    {
        SyncRequest request;
        request.kioskTimeMs = fx->clock.nowMs();
        request.cursor = cursor;
        for (auto& e : events)
            request.events.emplace_back(std::move(e));
        return must(syncKiosk(services, kiosk, request), "sync");
    }

    // Everything a school does, so that every table has rows.
    void fill();

private slots:
    void initTestCase()
    {
        if (PgCluster::binDir().empty())
            QSKIP("PostgreSQL is not installed (scripts/install-deps.sh installs it)");
        cluster = std::make_unique<PgCluster>("imhere");
        QVERIFY2(cluster->ok(), cluster->error().c_str());
    }
    void cleanupTestCase() { cluster.reset(); }
    void init()
    {
        fx = std::make_unique<ServiceFixture>();
        sqlitePath = programBackends().lastOpened();
        QVERIFY(!programBackends().postgres());
        fill();
    }
    void cleanup() { fx.reset(); }

    void theCopyKnowsEveryTableOfBothSchemas();
    void aSchoolReadsTheSameFromPostgreSQL();
    void theKioskCarriesOnFromItsCursor();
    void aTargetWithRowsIsRefusedAndKeptAsItWas();
    void aCopyThatFailsLeavesTheTargetEmpty();
    void aCopyThatDiffersIsRolledBack();
    void anOlderSqliteSchemaIsRefused();
    void theCommandMigratesAndPrintsTheVerification();
    void theCommandRefusesBadSourcesAndTargets();
};

void SqliteToPgTest::fill()
{
    Store& store = *fx->store;
    const std::int64_t now = fx->clock.nowMs();
    const std::int64_t minute = ServiceFixture::k_minute;
    const Person& teacher = fx->teacher;

    // People: badges, roles and their history, a leave and a return, the public API's opt-outs.
    fx->addBadge(fx->studentA, std::string(64, 'a'));
    must(store.people().replaceQrBadge(fx->studentA2.id, std::string(64, 'b')), "qr badge");
    must(store.people().setAdmin(fx->ta.id, true, fx->admin.id), "admin");
    must(store.people().setLead(fx->teacherB.id, true, fx->admin.id), "lead");
    must(store.people().setPublicOptOut(fx->studentB.id, true, "admin@example.org"), "opt out");
    must(store.people().setPinHash(fx->ta.id, "$argon2id$v=19$pin"), "pin");
    must(store.courses().removeEnrollment(fx->studentA2.id, fx->courseA.id, teacher.id), "leave");
    must(store.courses().setEnrollment(fx->studentA2.id, fx->courseA.id, Role::Student, teacher.id), "return");

    // Events: a kiosk's sync with taps, a correction, a flag and a rejected event; single check-ins.
    fx->addBadge(fx->studentA2, std::string(64, 'c'));
    const std::string remoteId = newUuidV4();
    {
        std::vector<Event> events{
            fx->tap(fx->studentA, fx->openA),
            fx->event(teacher, Correction{fx->studentA2.publicId, fx->closedA.id, false, "ill, told us", std::nullopt}),
            fx->event(fx->ta, FlagChange{fx->studentA.publicId, fx->openA.id, Flag::CameraOff, true, "camera off"}),
            fx->tap(fx->studentB, fx->openA), // not in course A: rejected, its outcome kept
        };
        sync(*fx->services, fx->kiosk, 0, std::move(events));
    }
    must(store.kiosks().noteKioskSync(fx->kiosk.id, now, 1'500, 1, 1), "note sync");
    fx->addCheckIn(fx->studentB, fx->openB, now);
    must(store.attendance().addCorrection({newUuidV4(), fx->studentA.id, fx->closedA.id, false, "hospital", std::nullopt,
                                           teacher.id, now, std::nullopt, true}),
         "excused");
    must(store.attendance().addFlag({newUuidV4(), fx->studentA.id, fx->closedA.id, Flag::LeftEarly, true, "left\tat\nthe break \\o/",
                                     teacher.id, now, std::nullopt}),
         "flag with awkward text");

    // A phone linked by a link code checks in remotely, and the kiosk confirms it.
    const Bytes code = randomBytes(32);
    must(store.remote().createLinkCode(code, fx->studentA2.id, teacher.id, now + 10 * minute, fx->courseA.id), "link code");
    const auto device = must(store.remote().linkDevice(code, randomBytes(32), now), "link");
    QVERIFY(device);
    RemoteCheckIn remote{{remoteId, fx->studentA2.id, fx->openA.id, now, CheckInSource::QrRemote, fx->studentA2.id,
                          std::nullopt},
                         device->id, std::string(64, 'd'), fx->kiosk.id};
    QVERIFY(must(store.remote().addRemoteCheckIn(remote), "remote check-in"));
    sync(*fx->services, fx->kiosk, 0,
         {fx->event(fx->ta, RemoteConfirm{fx->studentA2.publicId, fx->openA.id, remoteId})});

    // Windows: a reopened one, and one closed with Slack set up (a post waits).
    // On loopback where nothing listens: the `serve` below posts nowhere.
    must(store.outbox().setSlackWebhook(fx->courseB.id, "http://127.0.0.1:9/services/T0/B0/x", fx->teacherB.id), "slack");
    must(store.attendance().closeWindow(fx->openB.id, now + minute, fx->teacherB.id), "close B");
    must(store.attendance().reopenWindow(fx->closedA.id, now, now + 30 * minute, teacher.id), "reopen");

    // Accounts: a session, an invitation with its mail, an API key.
    must(store.credentials().createSession(randomBytes(32), {teacher.id, "csrf-token", now + 60 * minute, now}), "session");
    must(store.credentials().createAccountLink(randomBytes(32), fx->studentA.id, AccountLinkPurpose::Invitation, fx->admin.id,
                                               now + 7 * 24 * 60 * minute,
                                               NewMail{"sam@example.org", "Your account", "Open the link"}),
         "invitation");
    must(store.outbox().queueMail({"tomas@example.org", "Report", "Attendance this week"}), "mail");
    const IssuedToken key = issueToken(k_apiKeyPrefix);
    must(store.credentials().createApiKey(fx->admin.id, key.lookup, key.hash, ApiScope::Write,
                                          {"reports", std::nullopt}), // no expiry: `serve` runs on today's clock
         "api key");
    adminKey = key.token;

    // The tracker, register imports, follow-ups.
    must(store.tracker().setTrackerIdentity(fx->courseA.id, TrackerIdentity{"WM5", "JS1", "2025-09-29"}), "tracker");
    must(store.tracker().setRegion(fx->studentA.id, "West Midlands"), "region");
    must(store.tracker().setWindowSprint(fx->closedA.id, 2), "sprint");
    const std::string imported = newUuidV4();
    fx->clock.advance(minute);
    must(store.attendance().addCheckIn({imported, fx->studentA2.id, fx->closedA.id, fx->closedA.openedAt.value() + minute,
                                        CheckInSource::Manual, teacher.id, std::nullopt}),
         "imported check-in");
    must(store.tracker().recordRegisterImport({fx->courseA.id, teacher.id, now, 1, std::string(64, 'e'), {{imported, 2}}}),
         "register import");
    must(store.courses().followUpAlert(fx->courseA.id, fx->studentA.id, "absent_run", "2025-10-01", "called home",
                                       teacher.id),
         "follow-up");

    // Milestones and what the harvester saw.
    Milestone set;
    set.course = fx->courseA.id;
    set.fields = {"Ten katas", "", MilestoneMetric::Manual, "", 10.5, now + 7 * 24 * 60 * minute};
    set.startsAt = now;
    set.createdBy = teacher.id;
    const Milestone milestone = must(store.milestones().createMilestone(set), "milestone");
    must(store.milestones().confirmMilestone({milestone.id, fx->studentA.id, "done in class", teacher.id, {}, now}), "confirm");
    QVERIFY(must(store.milestones().addSnapshot(fx->studentA.id, {"codewars_honor", 0.1 + 0.2, now}, now - minute), "snapshot"));
    must(store.milestones().setHarvestError(fx->studentA2.id, "github", std::string("404 user not found"), now), "harvest error");
    must(store.milestones().storeReply("https://api.github.com/x", {"W/\"etag\"", "{\"a\": 1}"}, now), "reply");
}

void SqliteToPgTest::theCopyKnowsEveryTableOfBothSchemas()
{
    // The fixture's file has every SQLite migration; a table a new migration
    // adds must be added to the copy (and to PostgreSQL's schema) too.
    auto sqlite = must(Database::open(sqlitePath, {.readOnly = true}), "open");
    auto tables = must(sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"),
                       "tables");
    std::set<std::string> inSqlite;
    for (const auto& name : must(tables.collect([](Statement& row) { return row.textAt(0); }), "tables"))
        inSqlite.insert(name);
    const std::set<std::string> copied(copiedTables().begin(), copiedTables().end());
    QCOMPARE(copied.size(), copiedTables().size());
    QCOMPARE(inSqlite, copied);

    const std::string url = freshDatabase();
    must(PgStore::open(url, fx->clock, {.connections = 1}), "open PostgreSQL");
    auto pg = must(PgConnection::connect(url), "connect");
    auto names = must(pg->query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                                " AND table_name <> 'schema_version'"),
                      "tables");
    std::set<std::string> inPg;
    for (const auto& name : must(names->collect([](PgStatement& row) { return row.textAt(0); }), "tables"))
        inPg.insert(name);
    std::set<std::string> expectedInPg = copied;
    for (const auto table : postgresOnlyTables())
        expectedInPg.emplace(table);
    QCOMPARE(inPg, expectedInPg);
    for (const auto table : eventLogTables())
        QVERIFY(copied.contains(std::string(table)));
}

void SqliteToPgTest::aSchoolReadsTheSameFromPostgreSQL()
{
    const std::string before = describe(*fx->store, *fx);
    fx->services.reset();
    fx->store.reset();

    const std::string url = freshDatabase();
    std::vector<std::string> progress;
    const auto report = copySqliteToPg(sqlitePath, url, [&](const TableCount& t, bool done) {
        if (done)
            progress.push_back(t.table);
    });
    QVERIFY2(report, report ? "" : report.error().message.c_str());
    QCOMPARE(progress.size(), copiedTables().size());
    QCOMPARE(report->tables.size(), copiedTables().size());
    std::int64_t rows = 0;
    for (const auto& t : report->tables) {
        // The school fills every table, so a table copied wrongly cannot hide as an empty one.
        QVERIFY2(t.sqliteRows > 0, (t.table + " has no rows in the school").c_str());
        QCOMPARE(t.pgRows, t.sqliteRows);
        rows += t.sqliteRows;
    }
    QCOMPARE(report->rows, rows);
    QCOMPARE(report->sqliteChecksum.size(), std::size_t{64});
    QCOMPARE(report->pgChecksum, report->sqliteChecksum);
    QCOMPARE(report->sqliteSchema, static_cast<int>(sqliteMigrations().size()));

    auto pg = must(PgStore::open(url, fx->clock, {.connections = 2}), "open PostgreSQL");
    const std::string after = describe(*pg, *fx);
    QCOMPARE(after, before);

    // New rows continue after the copied ones.
    const Person added = must(pg->createPerson({"New Person", std::nullopt, {}, {}, {}, {}, false}), "new person");
    std::int64_t largest = 0;
    for (const Person& p : must(pg->listPeople(), "people"))
        if (p.id != added.id)
            largest = std::max(largest, p.id);
    QCOMPARE(added.id, largest + 1);
    const auto keyId = must(pg->createApiKey(added.id, "ik_newkey01", randomBytes(32), ApiScope::Read), "api key");
    QVERIFY(keyId > 1);
}

void SqliteToPgTest::theKioskCarriesOnFromItsCursor()
{
    // The kiosk pulls everything from SQLite and holds the cursor.
    std::int64_t cursor = 0;
    for (SyncResponse r = sync(*fx->services, fx->kiosk, cursor, {});; r = sync(*fx->services, fx->kiosk, cursor, {})) {
        cursor = r.cursor;
        if (!r.more)
            break;
    }
    QVERIFY(cursor > 0);
    const Kiosk kiosk = fx->kiosk;
    fx->services.reset();
    fx->store.reset();

    const std::string url = freshDatabase();
    QVERIFY(copySqliteToPg(sqlitePath, url, {}));
    fx->store = must(PgStore::open(url, fx->clock, {.connections = 2}), "open PostgreSQL");
    fx->services = std::make_unique<Services>(*fx->store, fx->clock);

    // Nothing new since its cursor...
    const SyncResponse quiet = sync(*fx->services, kiosk, cursor, {});
    QCOMPARE(quiet.cursor, cursor);
    QVERIFY(quiet.changes.people.empty() && quiet.changes.checkIns.empty() && quiet.changes.windows.empty());
    // ... and a change made on PostgreSQL comes next, past it.
    fx->clock.advance(ServiceFixture::k_minute);
    must(fx->store->courses().setEnrollment(fx->outsider.id, fx->courseA.id, Role::Student, fx->teacher.id), "enrol");
    const SyncResponse next = sync(*fx->services, kiosk, cursor, {});
    QVERIFY(next.cursor > cursor);
    QVERIFY(std::ranges::any_of(next.changes.people, [&](const auto& p) { return p.publicId == fx->outsider.publicId; }));
    // A tap through the kiosk is stored after the copied check-ins, and
    // another kiosk's pull would start from there.
    const SyncResponse tapped = sync(*fx->services, kiosk, next.cursor, {fx->tap(fx->outsider, fx->openA)});
    QCOMPARE(tapped.acks.size(), std::size_t{1});
    QCOMPARE(static_cast<int>(tapped.acks[0].status), static_cast<int>(AckStatus::Stored));
    auto pg = must(PgConnection::connect(url), "connect");
    auto s = must(pg->query("SELECT c.seq = (SELECT max(seq) FROM check_in), p.public_id FROM check_in c"
                            " JOIN person p ON p.id = c.person WHERE c.id = $1"),
                  "query");
    QVERIFY(must(s->bind(1, tapped.acks[0].id).step(), "step"));
    QVERIFY(s->boolAt(0));
    QCOMPARE(s->textAt(1), fx->outsider.publicId);
}

void SqliteToPgTest::aTargetWithRowsIsRefusedAndKeptAsItWas()
{
    fx->services.reset();
    fx->store.reset();
    const std::string url = freshDatabase();
    QVERIFY(copySqliteToPg(sqlitePath, url, {}));
    const std::string counts = pgCounts(url);

    const auto again = copySqliteToPg(sqlitePath, url, {});
    QVERIFY(!again);
    QCOMPARE(again.error().code, Errc::Conflict);
    QVERIFY2(again.error().message.find("not empty") != std::string::npos, again.error().message.c_str());
    QCOMPARE(pgCounts(url), counts);

    // A database a server has opened once holds the org's keys: not empty either.
    const std::string used = freshDatabase();
    must(PgStore::open(used, fx->clock, {.connections = 1}), "open");
    const std::string usedCounts = pgCounts(used);
    const auto refused = copySqliteToPg(sqlitePath, used, {});
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.find("org 1") != std::string::npos, refused.error().message.c_str());
    QCOMPARE(pgCounts(used), usedCounts);

    // A database with tables of its own gets no schema added.
    const std::string other = freshDatabase();
    {
        auto pg = must(PgConnection::connect(other), "connect");
        must(pg->exec("CREATE TABLE ledger(entry integer)"), "other table");
    }
    const auto foreign = copySqliteToPg(sqlitePath, other, {});
    QVERIFY(!foreign);
    QVERIFY2(foreign.error().message.find("ledger") != std::string::npos, foreign.error().message.c_str());
    auto pg = must(PgConnection::connect(other), "connect");
    QCOMPARE(must(pgSchemaVersion(*pg), "version"), 0);
}

void SqliteToPgTest::aCopyThatFailsLeavesTheTargetEmpty()
{
    fx->services.reset();
    fx->store.reset();
    {
        // Text PostgreSQL cannot hold (a NUL byte), late in the copy.
        auto db = must(Database::open(sqlitePath), "open");
        must(db.exec("UPDATE harvest_reply SET body = CAST(x'7b00' AS TEXT)"), "spoil");
    }
    const std::string url = freshDatabase();
    const auto failed = copySqliteToPg(sqlitePath, url, {});
    QVERIFY(!failed);
    QVERIFY2(failed.error().message.find("harvest_reply") != std::string::npos, failed.error().message.c_str());
    auto pg = must(PgConnection::connect(url), "connect");
    for (const auto table : copiedTables()) {
        const std::int64_t expected = table == "milestone_mark" ? 1 : 0; // the schema's own row
        QCOMPARE(rowsIn(*pg, table), expected);
    }
    // And it can be used once the source is put right.
    {
        auto db = must(Database::open(sqlitePath), "open");
        must(db.exec("UPDATE harvest_reply SET body = '{}'"), "mend");
    }
    const auto mended = copySqliteToPg(sqlitePath, url, {});
    QVERIFY2(mended, mended ? "" : mended.error().message.c_str());
}

void SqliteToPgTest::aCopyThatDiffersIsRolledBack()
{
    fx->services.reset();
    fx->store.reset();
    // Triggers in the target change what arrives: one alters every flag's
    // note, one drops window closes. The copy itself goes through.
    struct Case {
        std::string sql;
        std::string says;
    };
    const Case cases[] = {
        {"CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := NEW.note || '!';"
         " RETURN NEW; END $$;"
         "CREATE TRIGGER tamper BEFORE INSERT ON flag_event FOR EACH ROW EXECUTE FUNCTION tamper();",
         "differs from the SQLite database in the event log's checksum"},
        {"CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
         " IF NEW.kind = 'close' THEN RETURN NULL; END IF; RETURN NEW; END $$;"
         "CREATE TRIGGER tamper BEFORE INSERT ON window_event FOR EACH ROW EXECUTE FUNCTION tamper();",
         " window_event ("},
    };
    for (const Case& c : cases) {
        const std::string url = freshDatabase();
        auto pg = must(PgConnection::connect(url), "connect");
        must(migratePg(*pg, pgMigrations()), "schema");
        must(pg->exec(c.sql), "trigger");
        const auto differs = copySqliteToPg(sqlitePath, url, {});
        QVERIFY(!differs);
        QCOMPARE(differs.error().code, Errc::Corrupt);
        QVERIFY2(differs.error().message.find(c.says) != std::string::npos, differs.error().message.c_str());
        for (const auto table : copiedTables())
            QCOMPARE(rowsIn(*pg, table), table == "milestone_mark" ? 1 : 0);
    }
}

void SqliteToPgTest::anOlderSqliteSchemaIsRefused()
{
    TempDir dir("imhere-migrate-old");
    const std::string old = dir.file("old.db");
    const auto migrations = sqliteMigrations();
    must(Database::open(old, {.migrations = migrations.first(migrations.size() - 1)}), "old file");
    const std::string url = freshDatabase();
    const auto refused = copySqliteToPg(old, url, {});
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.find("imhere-server init --db " + old) != std::string::npos,
             refused.error().message.c_str());

    const auto missing = copySqliteToPg(dir.file("missing.db"), url, {});
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.find("no such database file") != std::string::npos, missing.error().message.c_str());
}

void SqliteToPgTest::theCommandMigratesAndPrintsTheVerification()
{
    // The windows are closed first: a server closes those whose time has
    // passed as it starts, perhaps after answering, and the answers of the
    // two servers below are to be compared.
    for (const Window* w : {&fx->openA, &fx->closedA})
        must(fx->store->attendance().closeWindow(w->id, fx->clock.nowMs(), fx->teacher.id), "close");
    fx->services.reset();
    fx->store.reset();
    TempDir dir("imhere-migrate-cli");
    // A server over the file answers, and is stopped.
    const std::string beforeMove = serverAnswers(sqlitePath, adminKey, fx->courseA.id);
    QVERIFY2(beforeMove.find("/records 200 ") != std::string::npos, beforeMove.substr(0, 400).c_str());

    const std::string url = freshDatabase();
    const CommandOutcome r = runServerCommand(dir, "migrate --from sqlite:" + sqlitePath + " --to '" + url + "'");
    QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
    for (const auto table : copiedTables())
        QVERIFY2(r.out.find("  " + std::string(table) + " ") != std::string::npos, std::string(table).c_str());
    QVERIFY2(r.out.find("verified") != std::string::npos, r.out.c_str());
    QVERIFY2(r.out.find("event log SHA-256") != std::string::npos, r.out.c_str());

    // The same checksum twice, from both sides.
    const auto sqliteLine = r.out.find("  SQLite      ");
    const auto pgLine = r.out.find("  PostgreSQL  ");
    QVERIFY(sqliteLine != std::string::npos && pgLine != std::string::npos);
    QCOMPARE(r.out.substr(sqliteLine + 14, 64), r.out.substr(pgLine + 14, 64));

    // A server over PostgreSQL answers the same.
    QCOMPARE(serverAnswers(url, adminKey, fx->courseA.id), beforeMove);

    // Again into the same database: refused, exit 1, nothing changed.
    const std::string counts = pgCounts(url);
    const CommandOutcome again = runServerCommand(dir, "migrate --from sqlite:" + sqlitePath + " --to '" + url + "'");
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.find("not empty") != std::string::npos, again.err.c_str());
    QCOMPARE(pgCounts(url), counts);
}

void SqliteToPgTest::theCommandRefusesBadSourcesAndTargets()
{
    TempDir dir("imhere-migrate-cli");
    const std::string url = freshDatabase();
    const std::string from = " --from sqlite:" + sqlitePath;
    struct Case {
        std::string args;
        int exitCode;
        std::string says;
    };
    const Case cases[] = {
        {"migrate --to '" + url + "'", 2, "--from sqlite:PATH is required"},
        {"migrate --from " + sqlitePath + " --to '" + url + "'", 2, "--from sqlite:PATH is required"},
        {"migrate" + from, 2, "--to postgresql://... is required"},
        {"migrate" + from + " --to mysql://x/y", 2, "--to postgresql://... is required"},
        {"migrate --from sqlite:" + dir.file("none.db") + " --to '" + url + "'", 1, "no such database file"},
        // Nothing listens on port 1.
        {"migrate" + from + " --to 'postgresql://imhere:secret@127.0.0.1:1/imhere?connect_timeout=2'", 1, "127.0.0.1"},
    };
    for (const Case& c : cases) {
        const CommandOutcome r = runServerCommand(dir, c.args);
        QVERIFY2(r.exitCode == c.exitCode, (c.args + ": exit " + std::to_string(r.exitCode) + ": " + r.err).c_str());
        QVERIFY2(r.err.find(c.says) != std::string::npos, (c.args + ": " + r.err).c_str());
        QVERIFY2((r.out + r.err).find("secret") == std::string::npos, (r.out + r.err).c_str());
    }
    // While a server holds the file (its lock), it is not copied.
    {
        auto held = cli::DatabaseLock::acquire(sqlitePath);
        QVERIFY(held);
        const CommandOutcome r = runServerCommand(dir, "migrate" + from + " --to '" + url + "'");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("stop imhere-server first") != std::string::npos, r.err.c_str());
    }
    // None of them touched the target.
    auto pg = must(PgConnection::connect(url), "connect");
    QCOMPARE(must(pgSchemaVersion(*pg), "version"), 0);

    const CommandOutcome help = runServerCommand(dir, "migrate --help");
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.find("usage: imhere-server migrate --from sqlite:PATH") != std::string::npos);
}

QTEST_GUILESS_MAIN(SqliteToPgTest)
#include "sqlitetopgtest.moc"
