// The kiosk's disk fills up (or stops writing) under a running
// CheckInService: a SQLite VFS shim (faultvfs.h) fails the store's writes.
// Taps are refused with feedback that says why, never acknowledged and
// lost; nothing half-written is left; and once writes work again the same
// service and store take taps again by themselves.
#include "faultvfs.h"
#include "testsupport.h"

#include "kiosk/checkinservice.h"

#include "core/database.h"

#include <QSignalSpy>
#include <QTest>

#include <sqlite3.h>

using namespace imhere;
using namespace imhere::kiosk;
using namespace imhere::kiosk::test;
using Kind = TapFeedback::Kind;

class DiskFullTest : public QObject {
    Q_OBJECT

    static TapFeedback tapAndWait(CheckInService& service, const QByteArray& badge)
    {
        QSignalSpy spy(&service, &CheckInService::feedback);
        service.handleRead(tap(badge));
        if (spy.count() != 1)
            return TapFeedback{Kind::Failed, QStringLiteral("no feedback"), {}, {}, {}, false, 0};
        return spy.at(0).at(0).value<TapFeedback>();
    }

private Q_SLOTS:
    void initTestCase() { FaultVfs::install(); }
    void cleanup() { FaultVfs::setFault(0); }

    void tapsAreRefusedWhileTheStoreCannotWriteAndResumeAfter_data()
    {
        QTest::addColumn<int>("sqliteError");
        QTest::addColumn<QString>("said");
        QTest::newRow("disk full") << SQLITE_FULL << QStringLiteral("storage is full");
        QTest::newRow("disk failing") << SQLITE_IOERR_WRITE << QStringLiteral("cannot save to its storage");
    }

    void tapsAreRefusedWhileTheStoreCannotWriteAndResumeAfter()
    {
        QFETCH(int, sqliteError);
        QFETCH(QString, said);
        TempStore temp;
        KioskStore store = temp.open();
        QVERIFY(store.applySync(schoolReply(k_t0 - 2 * 60'000), 0, k_t0).has_value());
        ManualClock clock{k_t0};
        CheckInService service(store, clock);

        FaultVfs::setFault(sqliteError);
        for (const QByteArray& badge : {adaBadge(), graceBadge()}) {
            const TapFeedback fb = tapAndWait(service, badge);
            QVERIFY2(fb.kind == Kind::Failed, qPrintable(fb.detail));
            QVERIFY2(fb.detail.contains(said), qPrintable(fb.detail));
            QVERIFY2(fb.detail.contains(QStringLiteral("Nothing was recorded")), qPrintable(fb.detail));
            clock.advance(5'000);
        }
        FaultVfs::setFault(0);
        QCOMPARE(store.outboxLength().value(), 0);
        {
            auto file = Database::open(temp.path, {.readOnly = true});
            QVERIFY(file);
            auto check = file->prepare("PRAGMA integrity_check");
            QVERIFY(check && *check->step());
            QCOMPARE(check->textAt(0), "ok");
        }

        // Space is back: the same service records the next taps, no restart.
        const TapFeedback ada = tapAndWait(service, adaBadge());
        QVERIFY2(ada.kind == Kind::CheckedIn, qPrintable(ada.detail));
        clock.advance(5'000);
        const TapFeedback grace = tapAndWait(service, graceBadge());
        QVERIFY2(grace.kind == Kind::CheckedIn, qPrintable(grace.detail));
        QCOMPARE(store.outboxLength().value(), 2);
    }
};

QTEST_GUILESS_MAIN(DiskFullTest)
#include "diskfulltest.moc"
