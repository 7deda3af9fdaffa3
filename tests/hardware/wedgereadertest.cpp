// WedgeReader without a device: a missing or wrong device is reported once
// (not on every retry), and stop() returns promptly while it keeps looking.

#include "hardware/hardwarelimits.h"
#include "hardware/wedgereader.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace imhere::hardware;

class WedgeReaderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void missingDeviceIsReportedOnceAndStopIsPrompt();
    void aFileThatIsNotAnInputDeviceIsRefused();
};

void WedgeReaderTest::missingDeviceIsReportedOnceAndStopIsPrompt()
{
    QTemporaryDir dir;
    WedgeReader reader(dir.filePath(QStringLiteral("event-kbd")));
    QSignalSpy errors(&reader, &BadgeReader::errorOccurred);
    reader.start();
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("No such file")));
    // Several reconnect attempts later there is still just the one report.
    QTest::qWait(static_cast<int>(2 * limits::k_reconnectInterval.count() + 200));
    QCOMPARE(errors.count(), 1);
    QVERIFY(!reader.isReady());
    QElapsedTimer timer;
    timer.start();
    reader.stop();
    QVERIFY(timer.elapsed() < 500);
}

void WedgeReaderTest::aFileThatIsNotAnInputDeviceIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fifo"));
    QCOMPARE(::mkfifo(path.toLocal8Bit().constData(), 0600), 0);
    WedgeReader reader(path);
    QSignalSpy errors(&reader, &BadgeReader::errorOccurred);
    reader.start();
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("not an input event device")));
    QVERIFY(!reader.isReady());
}

QTEST_GUILESS_MAIN(WedgeReaderTest)
#include "wedgereadertest.moc"
