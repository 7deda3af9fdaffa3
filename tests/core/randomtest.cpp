// Identifiers, tokens and encodings.

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/random.h"

#include <gtest/gtest.h>

#include <set>

using namespace imhere;

TEST(Random, UuidV4IsCanonicalAndUnique)
{
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        const auto id = newUuidV4();
        ASSERT_TRUE(isUuidV4(id)) << id;
        ASSERT_TRUE(seen.insert(id).second);
    }
    EXPECT_FALSE(isUuidV4("123e4567-e89b-12d3-a456-426614174000")); // version 1
    EXPECT_TRUE(isUuid("123e4567-e89b-12d3-a456-426614174000"));
    EXPECT_FALSE(isUuid("123E4567-E89B-12D3-A456-426614174000")); // not canonical
    EXPECT_FALSE(isUuid("123e4567e89b12d3a456426614174000"));
    EXPECT_FALSE(isUuid("../../etc/passwd"));
}

TEST(Random, UuidBytesRoundTrip)
{
    const auto id = newUuidV4();
    const auto bytes = uuidBytes(id);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->size(), 16u);
    EXPECT_EQ(uuidFromBytes(*bytes), id);
    EXPECT_FALSE(uuidBytes("not-a-uuid"));
}

TEST(Random, PublicIdsAreBase32AndUnique)
{
    std::set<std::string> seen;
    std::set<char> chars;
    for (int i = 0; i < 5000; ++i) {
        const auto id = newPublicId();
        ASSERT_TRUE(isPublicId(id)) << id;
        ASSERT_TRUE(seen.insert(id).second);
        chars.insert(id.begin(), id.end());
    }
    EXPECT_EQ(chars.size(), 32u); // every symbol of the alphabet turns up
    EXPECT_FALSE(isPublicId("ABCDEFGHIJ"));
    EXPECT_FALSE(isPublicId("abcdefgh1j")); // 1 is not base32
    EXPECT_FALSE(isPublicId("abcdefghi"));
}

TEST(Random, TokensHaveTheRequestedEntropy)
{
    const auto t = randomToken(32);
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(base64UrlDecode(t)->size(), 32u);
    EXPECT_NE(randomToken(32), randomToken(32));
}

TEST(Encoding, Base64UrlIsStrict)
{
    const Bytes data{0xfb, 0xff, 0x00, 0x10};
    EXPECT_EQ(base64UrlEncode(data), "-_8AEA");
    EXPECT_EQ(*base64UrlDecode("-_8AEA"), data);
    EXPECT_FALSE(base64UrlDecode("-_8AEA=="));
    EXPECT_FALSE(base64UrlDecode("+/8AEA"));
    EXPECT_FALSE(base64UrlDecode("-_8 AEA"));
    EXPECT_FALSE(base64UrlDecode("A"));
    EXPECT_EQ(base64UrlDecode("")->size(), 0u);
}

TEST(Encoding, HexIsStrict)
{
    EXPECT_EQ(hexEncode(Bytes{0x00, 0xab, 0xff}), "00abff");
    EXPECT_EQ(*hexDecode("00abff"), (Bytes{0x00, 0xab, 0xff}));
    EXPECT_FALSE(hexDecode("00ABFF"));
    EXPECT_FALSE(hexDecode("0"));
    EXPECT_FALSE(hexDecode("zz"));
}

TEST(Encoding, Utf8Validation)
{
    EXPECT_TRUE(isValidUtf8("plain"));
    EXPECT_TRUE(isValidUtf8("Zoë Ağaoğlu — 日本 🎉"));
    EXPECT_FALSE(isValidUtf8("\xff"));
    EXPECT_FALSE(isValidUtf8("\xc0\xaf"));         // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));     // surrogate
    EXPECT_FALSE(isValidUtf8("\xe2\x82"));         // truncated
    EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80")); // above U+10FFFF
}

TEST(Crypto, BadgeHashIsKeyedHmacOfTheUid)
{
    // Vector from Python: hmac.new(bytes(range(32)), bytes.fromhex('04a224b2c35e80'), sha256)
    Bytes key(32);
    for (std::size_t i = 0; i < key.size(); ++i)
        key[i] = static_cast<std::uint8_t>(i);
    const Bytes uid = *hexDecode("04a224b2c35e80");
    EXPECT_EQ(badgeHash(key, uid), "cde8f8b30e2d5002ea71fe993bc1b6c93c121204ce5f3f774350cbce00954455");
    Bytes otherKey = key;
    otherKey[0] = 1;
    EXPECT_NE(badgeHash(otherKey, uid), badgeHash(key, uid)); // another school, another hash
}
