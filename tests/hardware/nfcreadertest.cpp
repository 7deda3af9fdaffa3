// NfcReader through libnfc's real pn532_uart driver, talking to the PN532
// emulator on a pseudo-terminal: taps, a card left on the reader, an absent
// reader, broken readers (bad checksums, silence, garbage) and unplugging.

#include "hardware/emulator/pn532emulator.h"
#include "hardware/hardwarelimits.h"
#include "hardware/nfcreader.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace imhere::hardware;
using emulator::Pn532Emulator;

namespace {

constexpr int k_waitMs = 8000;
const std::vector<std::uint8_t> k_uid{0x04, 0xa2, 0x24, 0xb2, 0xc3, 0x5e, 0x80};
const QByteArray k_uidBytes = QByteArray::fromHex("04a224b2c35e80");

std::unique_ptr<Pn532Emulator> startEmulator()
{
    auto emulator = Pn532Emulator::start();
    if (!emulator) {
        qFatal("emulator: %s", emulator.error().message.c_str());
    }
    return std::move(*emulator);
}

} // namespace

class NfcReaderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tapReachesBadgeReadOncePerArrival();
    void absentReaderIsReportedAndStopIsPrompt();
    void brokenReaderIsReportedAndRecovers_data();
    void brokenReaderIsReportedAndRecovers();
    void unpluggedReaderIsReopened();
};

void NfcReaderTest::tapReachesBadgeReadOncePerArrival()
{
    auto chip = startEmulator();
    NfcReader reader(QString::fromStdString(chip->connstring()));
    QSignalSpy reads(&reader, &BadgeReader::badgeRead);
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT(reader.isReady(), k_waitMs);

    chip->presentCard(k_uid);
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 1, k_waitMs);
    const auto read = reads.at(0).at(0).value<BadgeRead>();
    QCOMPARE(read.credential, k_uidBytes);
    QCOMPARE(read.source, BadgeSource::Nfc);

    // A card resting on the reader is one read, however many polls see it.
    QTest::qWait(1000);
    QCOMPARE(reads.count(), 1);

    chip->removeCard();
    QTest::qWait(700);
    chip->presentCard({0xde, 0xad, 0xbe, 0xef});
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 2, k_waitMs);
    QCOMPARE(reads.at(1).at(0).value<BadgeRead>().credential, QByteArray::fromHex("deadbeef"));

    // The reader went through libnfc's real open, init and poll sequence.
    const auto commands = chip->commandsSeen();
    for (const int expected : {0x14, 0x00, 0x02, 0x12, 0x32, 0x60, 0x44}) {
        QVERIFY2(std::ranges::find(commands, static_cast<std::uint8_t>(expected)) != commands.end(), qPrintable(QString::number(expected, 16)));
    }
    QElapsedTimer timer;
    timer.start();
    reader.stop();
    QVERIFY(timer.elapsed() < 1500);
    QVERIFY(!reader.isReady() || QTest::qWaitFor([&] { return !reader.isReady(); }, 1000));
}

void NfcReaderTest::absentReaderIsReportedAndStopIsPrompt()
{
    QTemporaryDir dir;
    NfcReader reader(QStringLiteral("pn532_uart:%1").arg(dir.filePath(QStringLiteral("ttyNone"))));
    QSignalSpy errors(&reader, &BadgeReader::errorOccurred);
    reader.start();
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, k_waitMs);
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("no NFC reader answers")));
    QTest::qWait(static_cast<int>(limits::k_reconnectInterval.count() * 2));
    QCOMPARE(errors.count(), 1); // retries are quiet
    QElapsedTimer timer;
    timer.start();
    reader.stop();
    QVERIFY(timer.elapsed() < 1500);
}

void NfcReaderTest::brokenReaderIsReportedAndRecovers_data()
{
    QTest::addColumn<int>("fault");
    QTest::newRow("bad checksums") << static_cast<int>(Pn532Emulator::Fault::BadChecksum);
    QTest::newRow("silence") << static_cast<int>(Pn532Emulator::Fault::Silence);
    QTest::newRow("garbage") << static_cast<int>(Pn532Emulator::Fault::Garbage);
}

void NfcReaderTest::brokenReaderIsReportedAndRecovers()
{
    QFETCH(int, fault);
    auto chip = startEmulator();
    NfcReader reader(QString::fromStdString(chip->connstring()));
    QSignalSpy reads(&reader, &BadgeReader::badgeRead);
    QSignalSpy errors(&reader, &BadgeReader::errorOccurred);
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT(reader.isReady(), k_waitMs);

    chip->setFault(static_cast<Pn532Emulator::Fault>(fault));
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 1, k_waitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!reader.isReady(), k_waitMs);
    QCOMPARE(reads.count(), 0);

    chip->setFault(Pn532Emulator::Fault::None);
    QTRY_VERIFY_WITH_TIMEOUT(reader.isReady(), k_waitMs);
    chip->presentCard(k_uid);
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 1, k_waitMs);
    QCOMPARE(reads.at(0).at(0).value<BadgeRead>().credential, k_uidBytes);

    // Stopping while the reader is broken never hangs either.
    chip->setFault(static_cast<Pn532Emulator::Fault>(fault));
    QTest::qWait(300);
    QElapsedTimer timer;
    timer.start();
    reader.stop();
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

void NfcReaderTest::unpluggedReaderIsReopened()
{
    QTemporaryDir dir;
    const QString link = dir.filePath(QStringLiteral("ttyNFC"));
    auto chip = startEmulator();
    QVERIFY(QFile::link(QString::fromStdString(chip->devicePath()), link));
    NfcReader reader(QStringLiteral("pn532_uart:%1").arg(link));
    QSignalSpy reads(&reader, &BadgeReader::badgeRead);
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT(reader.isReady(), k_waitMs);

    chip->unplug();
    QTRY_VERIFY_WITH_TIMEOUT(!reader.isReady(), k_waitMs);

    // Plugged back in (the port keeps its stable name, as a by-id path does).
    auto replugged = startEmulator();
    QVERIFY(QFile::remove(link));
    QVERIFY(QFile::link(QString::fromStdString(replugged->devicePath()), link));
    QTRY_VERIFY_WITH_TIMEOUT(reader.isReady(), k_waitMs);
    replugged->presentCard(k_uid);
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 1, k_waitMs);
    reader.stop();
}

QTEST_GUILESS_MAIN(NfcReaderTest)
#include "nfcreadertest.moc"
