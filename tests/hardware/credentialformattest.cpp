// Credential shapes and the simulated reader's line protocol.

#include "hardware/credentialformat.h"
#include "hardware/simulatedinput.h"

#include "tests/support/qtestsupport.h"

using namespace imhere::hardware;

class CredentialFormatTest : public QObject {
    Q_OBJECT
private slots:
    // CredentialFormat
    void qrBadgeTokenNeedsPrefixAndEnoughRandomBits();
    void wedgeUidCharsetAndLength();
    void nfcUidIsFourSevenOrTenBytes();
    // SimulatedInput
    void linesBecomeReadsOfTheRightSource();
    void splitterJoinsPartsAndDropsOverlongLines();
};

void CredentialFormatTest::qrBadgeTokenNeedsPrefixAndEnoughRandomBits()
{
    const auto token = newQrBadgeToken();
    QVERIFY2(isQrBadgeToken(token), token.c_str());
    QCOMPARE_NE(token, newQrBadgeToken());
    QVERIFY(!isQrBadgeToken(token.substr(std::string_view("imhere:b1:").size())));
    QVERIFY(!isQrBadgeToken("imhere:b2:" + token.substr(10)));
    QVERIFY(!isQrBadgeToken("imhere:b1:AAAAAAAAAAAA"));            // 9 bytes < 80 bits
    QVERIFY(isQrBadgeToken("imhere:b1:AAAAAAAAAAAAAA"));            // 10 bytes
    QVERIFY(!isQrBadgeToken("imhere:b1:AAAAAAAAAAAAAA=="));        // padding
    QVERIFY(!isQrBadgeToken("https://example.org/q/AAAAAAAAAAAAAA"));
    QVERIFY(!isQrBadgeToken("imhere:b1:" + std::string(90, 'A'))); // > 64 bytes
}

void CredentialFormatTest::wedgeUidCharsetAndLength()
{
    QVERIFY(isWedgeUid("0012345678"));
    QVERIFY(isWedgeUid("04a2ff"));
    QVERIFY(!isWedgeUid("123"));
    QVERIFY(!isWedgeUid(std::string(21, '1')));
    QVERIFY(!isWedgeUid("04A2FF")); // the parser lower-cases; upper here means it did not
    QVERIFY(!isWedgeUid("12 34"));
}

void CredentialFormatTest::nfcUidIsFourSevenOrTenBytes()
{
    QCOMPARE(parseNfcUidHex("04a224b2c35e80")->size(), 7U);
    QCOMPARE(parseNfcUidHex("DEADBEEF")->size(), 4U);
    QVERIFY(!parseNfcUidHex("deadbeef00"));
    QVERIFY(!parseNfcUidHex("deadbee"));
    QVERIFY(!parseNfcUidHex("xyzxyzxy"));
}

void CredentialFormatTest::linesBecomeReadsOfTheRightSource()
{
    auto nfc = parseSimulatedLine("04a224b2c35e80\r\n");
    QVERIFY(nfc && *nfc);
    QCOMPARE((*nfc)->source, BadgeSource::Nfc);
    QCOMPARE((*nfc)->credential, QByteArray::fromHex("04a224b2c35e80"));

    const auto token = newQrBadgeToken();
    auto qr = parseSimulatedLine("qr:" + token);
    QVERIFY(qr && *qr);
    QCOMPARE((*qr)->source, BadgeSource::QrBadge);
    QCOMPARE((*qr)->credential.toStdString(), token);

    auto wedge = parseSimulatedLine("  wedge:0012345678 ");
    QVERIFY(wedge && *wedge);
    QCOMPARE((*wedge)->source, BadgeSource::Wedge);
    QCOMPARE((*wedge)->credential, QByteArray("0012345678"));

    QVERIFY(!parseSimulatedLine(""));
    QVERIFY(!parseSimulatedLine("# a comment"));
    auto bad = parseSimulatedLine("hello");
    QVERIFY(bad);
    QVERIFY(!*bad);
    QCOMPARE(bad->error().code, imhere::Errc::BadLine);
    auto badQr = parseSimulatedLine("qr:https://example.org");
    QVERIFY(badQr);
    QVERIFY(!*badQr);
}

void CredentialFormatTest::splitterJoinsPartsAndDropsOverlongLines()
{
    LineSplitter splitter(8);
    QVERIFY(splitter.feed("0123").empty());
    auto lines = splitter.feed("45\nabc");
    QCOMPARE(lines.size(), 1U);
    QCOMPARE(lines[0], "012345");
    lines = splitter.feed("defghijklmnop\nok\n");
    QCOMPARE(lines.size(), 2U);
    QVERIFY(!lines[0]); // "abcdefghijklmnop" is over the limit
    QCOMPARE(lines[1], "ok");
}

QTEST_GUILESS_MAIN(CredentialFormatTest)
#include "credentialformattest.moc"
