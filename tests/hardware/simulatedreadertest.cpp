// SimulatedReader end to end: lines on a pipe or a Unix socket become
// badgeRead signals on the test's thread; bad lines become errors.

#include "hardware/credentialformat.h"
#include "hardware/readerfactory.h"
#include "hardware/simulatedreader.h"
#include "hardware/uniquefd.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace imhere::hardware;

namespace {

UniqueFd connectTo(const QString& path)
{
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray native = path.toLocal8Bit();
    std::memcpy(address.sun_path, native.constData(), static_cast<std::size_t>(native.size()));
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        return {};
    }
    return fd;
}

void send(int fd, const std::string& text)
{
    QVERIFY(writeAll(fd, text.data(), text.size()));
}

BadgeRead readAt(const QSignalSpy& spy, qsizetype i)
{
    return spy.at(i).at(0).value<BadgeRead>();
}

} // namespace

class SimulatedReaderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void streamLinesBecomeReads();
    void endOfStreamMeansNotReady();
    void socketClientsFeedOneReader();
    void socketRefusesToReplaceARegularFile();
    void factoryParsesSpecs();
};

void SimulatedReaderTest::streamLinesBecomeReads()
{
    auto pipe = makePipe();
    QVERIFY(pipe);
    auto reader = SimulatedReader::fromStream(pipe->readEnd.get());
    QSignalSpy reads(reader.get(), &BadgeReader::badgeRead);
    QSignalSpy errors(reader.get(), &BadgeReader::errorOccurred);
    reader->start();
    const auto token = newQrBadgeToken();
    send(pipe->writeEnd.get(), "04a224b2c35e80\nnot a uid\nqr:");
    send(pipe->writeEnd.get(), token + "\n");
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
    QCOMPARE(readAt(reads, 0).credential, QByteArray::fromHex("04a224b2c35e80"));
    QCOMPARE(readAt(reads, 0).source, BadgeSource::Nfc);
    QCOMPARE(readAt(reads, 1).credential.toStdString(), token);
    QCOMPARE(readAt(reads, 1).source, BadgeSource::QrBadge);
    QVERIFY(reader->isReady());
    reader->stop();
    reader->stop(); // twice is harmless
}

void SimulatedReaderTest::endOfStreamMeansNotReady()
{
    auto pipe = makePipe();
    QVERIFY(pipe);
    auto reader = SimulatedReader::fromStream(pipe->readEnd.get());
    QSignalSpy ready(reader.get(), &BadgeReader::readyChanged);
    reader->start();
    QTRY_VERIFY_WITH_TIMEOUT(reader->isReady(), 5000);
    pipe->writeEnd.reset();
    QTRY_VERIFY_WITH_TIMEOUT(!reader->isReady(), 5000);
    QCOMPARE(ready.count(), 2);
}

void SimulatedReaderTest::socketClientsFeedOneReader()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("taps.sock"));
    auto reader = SimulatedReader::fromSocket(path);
    QSignalSpy reads(reader.get(), &BadgeReader::badgeRead);
    reader->start();
    UniqueFd first = connectTo(path);
    UniqueFd second = connectTo(path);
    QVERIFY(first.valid() && second.valid());
    send(first.get(), "deadbe");
    send(second.get(), "wedge:0012345678\n");
    send(first.get(), "ef\n");
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 2, 5000);
    QSet<QByteArray> seen{readAt(reads, 0).credential, readAt(reads, 1).credential};
    QCOMPARE(seen, (QSet<QByteArray>{QByteArray::fromHex("deadbeef"), QByteArray("0012345678")}));

    // A client that leaves does not disturb the others.
    first.reset();
    send(second.get(), "01020304\n");
    QTRY_COMPARE_WITH_TIMEOUT(reads.count(), 3, 5000);
    reader->stop();
    QVERIFY(!QFile::exists(path));

    // A socket file left behind by a crash is replaced on the next start.
    { auto again = SimulatedReader::fromSocket(path); again->start(); QVERIFY(connectTo(path).valid()); }
}

void SimulatedReaderTest::socketRefusesToReplaceARegularFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("notes.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("keep me");
    file.close();
    auto reader = SimulatedReader::fromSocket(path);
    QSignalSpy errors(reader.get(), &BadgeReader::errorOccurred);
    reader->start();
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("not a socket")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("keep me"));
}

void SimulatedReaderTest::factoryParsesSpecs()
{
    auto nfc = parseReaderSpec(QStringLiteral("nfc:pn532_uart:/dev/ttyUSB0"));
    QVERIFY(nfc);
    QCOMPARE(nfc->kind, ReaderKind::Nfc);
    QCOMPARE(nfc->argument, QStringLiteral("pn532_uart:/dev/ttyUSB0"));
    QCOMPARE(parseReaderSpec(QStringLiteral("camera"))->kind, ReaderKind::Camera);
    QCOMPARE(parseReaderSpec(QStringLiteral("sim:/tmp/x.sock"))->argument, QStringLiteral("/tmp/x.sock"));
    QVERIFY(!parseReaderSpec(QStringLiteral("wedge")));
    QVERIFY(!parseReaderSpec(QStringLiteral("nfc:")));
    const auto unknown = parseReaderSpec(QStringLiteral("barcode"));
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, imhere::Errc::BadReaderSpec);

    auto sim = createBadgeReader(QStringLiteral("sim"));
    QVERIFY(sim);
    QVERIFY((*sim)->description().contains(QStringLiteral("stdin")));
}

QTEST_GUILESS_MAIN(SimulatedReaderTest)
#include "simulatedreadertest.moc"
