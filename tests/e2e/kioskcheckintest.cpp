// End to end, two real programs on loopback: imhere-server on a SQLite file
// and imhere-kiosk (offscreen, simulated reader on a Unix socket). A kiosk is
// provisioned with a token, a badge is tapped, and the server's database
// holds the check-in; the remote check-in made on a phone reaches the kiosk
// for a mentor; after a restart with only --data the kiosk carries on.
#include "processes.h"
#include "schoolseed.h"

#include <QTemporaryDir>
#include <QTest>

using namespace imhere;
using namespace imhere::e2e;

namespace {
const std::string k_checkInsOf = "SELECT COUNT(*) FROM check_in c JOIN person p ON p.id = c.person "
                                 "WHERE p.public_id = ?";
}

class KioskCheckInTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_db;
    SeededSchool m_school;
    std::unique_ptr<ServerProcess> m_server;

    std::int64_t serverCount(const std::string& sql, const std::string& arg = {})
    {
        return queryInt(m_db, sql, arg).value_or(-1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("imhere.db")).toStdString();
        m_school = seedSchool(m_db, 3);
        m_server = std::make_unique<ServerProcess>(m_db);
        QVERIFY(m_server->start());
    }

    void aTapAtAProvisionedKioskReachesTheServer()
    {
        const QString data = m_dir.filePath(QStringLiteral("kiosk"));
        KioskProcess kiosk(data);
        QVERIFY(kiosk.start({QStringLiteral("--server"), QString::fromStdString(m_server->url()),
                             QStringLiteral("--token"), QString::fromStdString(m_school.kioskToken)}));
        const std::string store = kiosk.storePath().toStdString();
        // The first sync brings the kiosk its keys and the roster.
        QVERIFY2(waitUntil([&] { return queryInt(store, "SELECT COUNT(*) FROM meta WHERE key = 'badge_key'") == 1; }),
                 qPrintable(kiosk.output()));
        QVERIFY(queryInt(store, "SELECT COUNT(*) FROM people").value_or(0) >= 5);

        // The check-in made on a phone is on the kiosk, waiting for a mentor.
        QVERIFY2(waitUntil([&] {
                     return queryInt(store, "SELECT confirmed FROM check_ins WHERE id = ? AND source = 'qr_remote'",
                                     m_school.remoteCheckIn) == 0;
                 }),
                 qPrintable(kiosk.output()));

        const Member& ada = m_school.trainees.at(0);
        QVERIFY(kiosk.tap(ada.uid));
        QVERIFY2(waitUntil([&] { return serverCount(k_checkInsOf, ada.publicId) == 1; }), qPrintable(kiosk.output()));
        QCOMPARE(serverCount("SELECT COUNT(*) FROM check_in WHERE kiosk = ? AND source = 'nfc'",
                             std::to_string(m_school.kioskId)),
                 1);
        QCOMPARE(serverCount("SELECT COUNT(*) FROM check_in c JOIN person p ON p.id = c.person "
                             "WHERE p.public_id = ? AND c.window_id = '" + m_school.window + "'",
                             ada.publicId),
                 1);

        // An unknown badge and a second tap of the same badge add nothing;
        // a tap by the next trainee shows they were read in order.
        QVERIFY(kiosk.tap(uidFor(999'999)));
        QVERIFY(kiosk.tap(ada.uid));
        const Member& grace = m_school.trainees.at(1);
        QVERIFY(kiosk.tap(grace.uid));
        QVERIFY2(waitUntil([&] { return serverCount(k_checkInsOf, grace.publicId) == 1; }), qPrintable(kiosk.output()));
        QVERIFY(waitUntil([&] { return queryInt(store, "SELECT COUNT(*) FROM outbox") == 0; }));
        QCOMPARE(serverCount(k_checkInsOf, ada.publicId), 1);
        QCOMPARE(serverCount("SELECT COUNT(*) FROM check_in WHERE kiosk = ?", std::to_string(m_school.kioskId)), 2);
        QVERIFY2(kiosk.stop(), qPrintable(kiosk.output())); // SIGTERM: a clean exit
    }

    void laterStartsNeedOnlyTheDataDirectory()
    {
        const QString data = m_dir.filePath(QStringLiteral("kiosk"));
        KioskProcess kiosk(data);
        QVERIFY(kiosk.start());
        const Member& alan = m_school.trainees.at(2);
        // Keys and roster are already in its store: taps need no first sync.
        QVERIFY(kiosk.tap(alan.uid));
        QVERIFY2(waitUntil([&] { return serverCount(k_checkInsOf, alan.publicId) == 1; }), qPrintable(kiosk.output()));
        QVERIFY2(kiosk.stop(), qPrintable(kiosk.output()));
    }

    void cleanupTestCase()
    {
        m_server.reset();
    }
};

QTEST_GUILESS_MAIN(KioskCheckInTest)
#include "kioskcheckintest.moc"
