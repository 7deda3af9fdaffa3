// Credential shapes and the simulated reader's line protocol.

#include "hardware/credentialformat.h"
#include "hardware/simulatedinput.h"

#include <gtest/gtest.h>

using namespace imhere::hardware;

TEST(CredentialFormat, QrBadgeTokenNeedsPrefixAndEnoughRandomBits)
{
    const auto token = newQrBadgeToken();
    EXPECT_TRUE(isQrBadgeToken(token)) << token;
    EXPECT_NE(token, newQrBadgeToken());
    EXPECT_FALSE(isQrBadgeToken(token.substr(std::string_view("imhere:b1:").size())));
    EXPECT_FALSE(isQrBadgeToken("imhere:b2:" + token.substr(10)));
    EXPECT_FALSE(isQrBadgeToken("imhere:b1:AAAAAAAAAAAA"));          // 9 bytes < 80 bits
    EXPECT_TRUE(isQrBadgeToken("imhere:b1:AAAAAAAAAAAAAA"));         // 10 bytes
    EXPECT_FALSE(isQrBadgeToken("imhere:b1:AAAAAAAAAAAAAA=="));      // padding
    EXPECT_FALSE(isQrBadgeToken("https://example.org/q/AAAAAAAAAAAAAA"));
    EXPECT_FALSE(isQrBadgeToken("imhere:b1:" + std::string(90, 'A'))); // > 64 bytes
}

TEST(CredentialFormat, WedgeUidCharsetAndLength)
{
    EXPECT_TRUE(isWedgeUid("0012345678"));
    EXPECT_TRUE(isWedgeUid("04a2ff"));
    EXPECT_FALSE(isWedgeUid("123"));
    EXPECT_FALSE(isWedgeUid(std::string(21, '1')));
    EXPECT_FALSE(isWedgeUid("04A2FF")); // the parser lower-cases; upper here means it did not
    EXPECT_FALSE(isWedgeUid("12 34"));
}

TEST(CredentialFormat, NfcUidIsFourSevenOrTenBytes)
{
    EXPECT_EQ(parseNfcUidHex("04a224b2c35e80")->size(), 7U);
    EXPECT_EQ(parseNfcUidHex("DEADBEEF")->size(), 4U);
    EXPECT_FALSE(parseNfcUidHex("deadbeef00"));
    EXPECT_FALSE(parseNfcUidHex("deadbee"));
    EXPECT_FALSE(parseNfcUidHex("xyzxyzxy"));
}

TEST(SimulatedInput, LinesBecomeReadsOfTheRightSource)
{
    auto nfc = parseSimulatedLine("04a224b2c35e80\r\n");
    ASSERT_TRUE(nfc && *nfc);
    EXPECT_EQ((*nfc)->source, BadgeSource::Nfc);
    EXPECT_EQ((*nfc)->credential, QByteArray::fromHex("04a224b2c35e80"));

    const auto token = newQrBadgeToken();
    auto qr = parseSimulatedLine("qr:" + token);
    ASSERT_TRUE(qr && *qr);
    EXPECT_EQ((*qr)->source, BadgeSource::QrBadge);
    EXPECT_EQ((*qr)->credential.toStdString(), token);

    auto wedge = parseSimulatedLine("  wedge:0012345678 ");
    ASSERT_TRUE(wedge && *wedge);
    EXPECT_EQ((*wedge)->source, BadgeSource::Wedge);
    EXPECT_EQ((*wedge)->credential, QByteArray("0012345678"));

    EXPECT_FALSE(parseSimulatedLine(""));
    EXPECT_FALSE(parseSimulatedLine("# a comment"));
    auto bad = parseSimulatedLine("hello");
    ASSERT_TRUE(bad);
    EXPECT_FALSE(*bad);
    EXPECT_EQ(bad->error().code, "bad_line");
    auto badQr = parseSimulatedLine("qr:https://example.org");
    ASSERT_TRUE(badQr);
    EXPECT_FALSE(*badQr);
}

TEST(SimulatedInput, SplitterJoinsPartsAndDropsOverlongLines)
{
    LineSplitter splitter(8);
    EXPECT_TRUE(splitter.feed("0123").empty());
    auto lines = splitter.feed("45\nabc");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0], "012345");
    lines = splitter.feed("defghijklmnop\nok\n");
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_FALSE(lines[0]);     // "abcdefghijklmnop" is over the limit
    EXPECT_EQ(lines[1], "ok");
}
