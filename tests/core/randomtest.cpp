// Identifiers, tokens and encodings.

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/random.h"

#include "tests/support/qtestsupport.h"

#include <set>

using namespace imhere;

class RandomTest : public QObject {
    Q_OBJECT
private slots:
    // Random
    void uuidV4IsCanonicalAndUnique();
    void uuidBytesRoundTrip();
    void publicIdsAreBase32AndUnique();
    void tokensHaveTheRequestedEntropy();
    // Encoding
    void base64UrlIsStrict();
    void hexIsStrict();
    void utf8Validation();
    // Crypto
    void badgeHashIsKeyedHmacOfTheUid();
};

void RandomTest::uuidV4IsCanonicalAndUnique()
{
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        const auto id = newUuidV4();
        QVERIFY2(isUuidV4(id), id.c_str());
        QVERIFY(seen.insert(id).second);
    }
    QVERIFY(!isUuidV4("123e4567-e89b-12d3-a456-426614174000")); // version 1
    QVERIFY(isUuid("123e4567-e89b-12d3-a456-426614174000"));
    QVERIFY(!isUuid("123E4567-E89B-12D3-A456-426614174000")); // not canonical
    QVERIFY(!isUuid("123e4567e89b12d3a456426614174000"));
    QVERIFY(!isUuid("../../etc/passwd"));
}

void RandomTest::uuidBytesRoundTrip()
{
    const auto id = newUuidV4();
    const auto bytes = uuidBytes(id);
    QVERIFY(bytes);
    QCOMPARE(bytes->size(), 16u);
    QCOMPARE(uuidFromBytes(*bytes), id);
    QVERIFY(!uuidBytes("not-a-uuid"));
}

void RandomTest::publicIdsAreBase32AndUnique()
{
    std::set<std::string> seen;
    std::set<char> chars;
    for (int i = 0; i < 5000; ++i) {
        const auto id = newPublicId();
        QVERIFY2(isPublicId(id), id.c_str());
        QVERIFY(seen.insert(id).second);
        chars.insert(id.begin(), id.end());
    }
    QCOMPARE(chars.size(), 32u); // every symbol of the alphabet turns up
    QVERIFY(!isPublicId("ABCDEFGHIJ"));
    QVERIFY(!isPublicId("abcdefgh1j")); // 1 is not base32
    QVERIFY(!isPublicId("abcdefghi"));
}

void RandomTest::tokensHaveTheRequestedEntropy()
{
    const auto t = randomToken(32);
    QCOMPARE(t.size(), 43u);
    QCOMPARE(base64UrlDecode(t)->size(), 32u);
    QCOMPARE_NE(randomToken(32), randomToken(32));
}

void RandomTest::base64UrlIsStrict()
{
    const Bytes data{0xfb, 0xff, 0x00, 0x10};
    QCOMPARE(base64UrlEncode(data), "-_8AEA");
    QCOMPARE(*base64UrlDecode("-_8AEA"), data);
    QVERIFY(!base64UrlDecode("-_8AEA=="));
    QVERIFY(!base64UrlDecode("+/8AEA"));
    QVERIFY(!base64UrlDecode("-_8 AEA"));
    QVERIFY(!base64UrlDecode("A"));
    QCOMPARE(base64UrlDecode("")->size(), 0u);
}

void RandomTest::hexIsStrict()
{
    QCOMPARE(hexEncode(Bytes{0x00, 0xab, 0xff}), "00abff");
    QCOMPARE(*hexDecode("00abff"), (Bytes{0x00, 0xab, 0xff}));
    QVERIFY(!hexDecode("00ABFF"));
    QVERIFY(!hexDecode("0"));
    QVERIFY(!hexDecode("zz"));
}

void RandomTest::utf8Validation()
{
    QVERIFY(isValidUtf8("plain"));
    QVERIFY(isValidUtf8("Zoë Ağaoğlu — 日本 🎉"));
    QVERIFY(!isValidUtf8("\xff"));
    QVERIFY(!isValidUtf8("\xc0\xaf"));         // overlong '/'
    QVERIFY(!isValidUtf8("\xed\xa0\x80"));     // surrogate
    QVERIFY(!isValidUtf8("\xe2\x82"));         // truncated
    QVERIFY(!isValidUtf8("\xf4\x90\x80\x80")); // above U+10FFFF
}

void RandomTest::badgeHashIsKeyedHmacOfTheUid()
{
    // Vector from Python: hmac.new(bytes(range(32)), bytes.fromhex('04a224b2c35e80'), sha256)
    Bytes key(32);
    for (std::size_t i = 0; i < key.size(); ++i)
        key[i] = static_cast<std::uint8_t>(i);
    const Bytes uid = *hexDecode("04a224b2c35e80");
    QCOMPARE(badgeHash(key, uid), "cde8f8b30e2d5002ea71fe993bc1b6c93c121204ce5f3f774350cbce00954455");
    Bytes otherKey = key;
    otherKey[0] = 1;
    QCOMPARE_NE(badgeHash(otherKey, uid), badgeHash(key, uid)); // another school, another hash
}

QTEST_GUILESS_MAIN(RandomTest)
#include "randomtest.moc"
