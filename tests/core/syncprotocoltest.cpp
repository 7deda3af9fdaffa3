// Sync protocol codec: round trips and a table of malformed input, each of
// which must give a clear error and never crash.

#include "core/syncprotocol.h"

#include "core/random.h"

#include <nlohmann/json.hpp>

#include <random>

#include <gtest/gtest.h>

using namespace imhere;
using namespace imhere::sync;

namespace {

const std::string k_person = "abcdefgh23";
const std::string k_teacher = "tttttttt77";
const std::string k_window = "0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0";
const std::string k_course = "11111111-2222-4333-8444-555555555555";
const std::string k_hash(64, 'a');

std::vector<Event> sampleEvents()
{
    const std::int64_t at = 1'790'000'000'000;
    return {
        {newUuidV4(), at, k_person, CheckIn{k_person, k_window, CheckInSource::Nfc}},
        {newUuidV4(), at + 1, k_teacher,
         Correction{k_person, k_window, true, "forgot to clock in", std::optional<std::string>(newUuidV4())}},
        {newUuidV4(), at + 2, k_teacher, Correction{k_person, k_window, false, "left after ten minutes", std::nullopt}},
        {newUuidV4(), at + 3, k_teacher, FlagChange{k_person, k_window, Flag::CameraOff, true, "camera off all class"}},
        {newUuidV4(), at + 4, k_teacher, WindowOpen{k_window, k_course, "JS1 · week 3", at - 600'000}},
        {newUuidV4(), at + 5, k_teacher, WindowOpen{newUuidV4(), k_course, "Ad hoc — Zoë's catch-up", std::nullopt}},
        {newUuidV4(), at + 6, k_teacher, WindowClose{k_window}},
        {newUuidV4(), at + 7, k_teacher, BadgeEnroll{k_person, k_hash}},
        {newUuidV4(), at + 8, k_teacher, RemoteConfirm{k_person, k_window, newUuidV4()}},
    };
}

SyncResponse sampleResponse()
{
    SyncResponse r;
    r.serverTimeMs = 1'790'000'123'456;
    r.acks = {{newUuidV4(), AckStatus::Stored, ""},
              {newUuidV4(), AckStatus::Duplicate, ""},
              {newUuidV4(), AckStatus::Rejected, "window_closed"}};
    r.changes.people = {{k_person, "Zoë Ağaoğlu", std::nullopt, false},
                        {k_teacher, "Tomás O'Neill", std::optional<std::string>("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"),
                         false}};
    r.changes.badges = {{k_hash, k_person, false}};
    r.changes.courses = {{k_course, "WM5 · JS1", "Europe/London", 10, 60, false}};
    r.changes.windows = {{k_window, k_course, "Week 3", 1'790'000'000'000, 1'789'999'000'000, std::nullopt}};
    r.changes.enrollments = {{k_person, k_course, Role::Student, false}, {k_teacher, k_course, Role::Ta, true}};
    r.changes.checkIns = {{newUuidV4(), k_person, k_window, 1'790'000'000'500, CheckInSource::QrRemote, false}};
    r.cursor = 42;
    r.more = true;
    r.kiosk = KioskIdentity{7, "Room 1 door", randomToken(32), randomToken(32)};
    return r;
}

std::string requestWith(const std::string& eventsJson)
{
    return R"({"protocol":1,"kiosk_time":1790000000000,"cursor":0,"events":[)" + eventsJson + "]}";
}

std::string checkInJson(const std::string& extra = "")
{
    return R"({"id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","type":"check_in","at":1790000000000,)"
           R"("actor":"abcdefgh23","person":"abcdefgh23","window":"0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0",)"
           R"("source":"nfc")"
        + extra + "}";
}

EventRejection rejectionOf(const std::string& eventJson)
{
    auto r = decodeRequest(requestWith(eventJson));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    if (!r || r->events.size() != 1)
        return {};
    const auto* rejection = std::get_if<EventRejection>(&r->events[0]);
    EXPECT_TRUE(rejection) << "accepted: " << eventJson;
    return rejection ? *rejection : EventRejection{};
}

} // namespace

TEST(SyncProtocol, RequestRoundTrips)
{
    SyncRequest request;
    request.kioskTimeMs = 1'790'000'000'999;
    request.cursor = 1234;
    for (auto& e : sampleEvents())
        request.events.emplace_back(e);
    const auto decoded = decodeRequest(encode(request));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, request);
}

TEST(SyncProtocol, ResponseRoundTrips)
{
    const auto response = sampleResponse();
    const auto decoded = decodeResponse(encode(response));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, response);
}

TEST(SyncProtocol, SingleEventRoundTrips)
{
    for (const auto& e : sampleEvents()) {
        const auto decoded = decodeEvent(encodeEvent(e));
        ASSERT_TRUE(decoded) << decoded.error().message;
        EXPECT_EQ(*decoded, e);
    }
}

TEST(SyncProtocol, MalformedDocumentsFailWhole)
{
    struct Case {
        std::string name;
        std::string json;
        std::string code;
    };
    const std::vector<Case> cases{
        {"empty", "", "malformed_json"},
        {"not json", "hello", "malformed_json"},
        {"truncated", R"({"protocol":1,"kiosk_time":)", "malformed_json"},
        {"array", "[]", "invalid_request"},
        {"string", R"("events")", "invalid_request"},
        {"missing events", R"({"protocol":1,"kiosk_time":1,"cursor":0})", "invalid_request"},
        {"missing kiosk_time", R"({"protocol":1,"cursor":0,"events":[]})", "invalid_request"},
        {"events not array", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":{}})", "invalid_request"},
        {"time as string", R"({"protocol":1,"kiosk_time":"1","cursor":0,"events":[]})", "invalid_request"},
        {"time as float", R"({"protocol":1,"kiosk_time":1.5,"cursor":0,"events":[]})", "invalid_request"},
        {"negative time", R"({"protocol":1,"kiosk_time":-5,"cursor":0,"events":[]})", "invalid_request"},
        {"huge integer", R"({"protocol":1,"kiosk_time":99999999999999999999999,"cursor":0,"events":[]})",
         "invalid_request"},
        {"float overflow", R"({"protocol":1,"kiosk_time":61e3080,"cursor":0,"events":[]})", "malformed_json"},
        {"uint64 overflow", R"({"protocol":1,"kiosk_time":18446744073709551615,"cursor":0,"events":[]})",
         "invalid_request"},
        {"bad cursor", R"({"protocol":1,"kiosk_time":1,"cursor":-1,"events":[]})", "invalid_request"},
        {"unknown field", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[],"admin":true})",
         "invalid_request"},
        {"future protocol", R"({"protocol":2,"kiosk_time":1,"cursor":0,"events":[]})", "unsupported_protocol"},
        {"invalid utf-8", "{\"protocol\":1,\"kiosk_time\":1,\"cursor\":0,\"events\":[],\"\xff\":1}",
         "malformed_json"},
        {"deep nesting", std::string(100'000, '[') + std::string(100'000, ']'), "malformed_json"},
        {"deep objects", R"({"events":)" + std::string(20, '[') + std::string(20, ']') + "}", "malformed_json"},
        {"trailing garbage", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]} x)", "malformed_json"},
        {"too large", "{\"x\":\"" + std::string(5 << 20, 'a') + "\"}", "too_large"},
    };
    for (const auto& c : cases) {
        const auto r = decodeRequest(c.json);
        ASSERT_FALSE(r) << c.name;
        EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
        EXPECT_FALSE(r.error().message.empty()) << c.name;
    }
}

TEST(SyncProtocol, TooManyEventsIsRejected)
{
    std::string events;
    for (int i = 0; i < 501; ++i)
        events += (i ? "," : "") + checkInJson();
    const auto r = decodeRequest(requestWith(events));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("more than 500"), std::string::npos) << r.error().message;
}

TEST(SyncProtocol, BadEventsAreRejectedOneByOne)
{
    struct Case {
        std::string name;
        std::string json;
        std::string reasonContains;
        bool idKnown = true;
    };
    const std::string id = "6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0";
    auto replaced = [&](const std::string& from, const std::string& to) {
        auto s = checkInJson();
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    const std::vector<Case> cases{
        {"unknown type", replaced(R"("check_in")", R"("teleport")"), "unknown event type", true},
        {"missing id", replaced(R"("id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0",)", ""), "id: missing", false},
        {"id not v4", replaced(id, "6f1e2d3c-4b5a-1978-8796-a5b4c3d2e1f0"), "version 4", false},
        {"path traversal id", replaced(id, "../../../../etc/passwd"), "id", false},
        {"wrong person type", replaced(R"("person":"abcdefgh23")", R"("person":12)"), "person: expected a string"},
        {"sql in person", replaced(R"("person":"abcdefgh23")", R"("person":"a' OR 1=1-")"), "public id"},
        {"bad window", replaced(R"("window":"0f1e)", R"("window":"Xf1e)"), "window: expected a UUID"},
        {"unknown source", replaced(R"("nfc")", R"("telepathy")"), "unknown check-in source"},
        {"extra field", checkInJson(R"(,"admin":true)"), "unknown field"},
        {"null at", replaced("1790000000000", "null"), "at: expected an integer"},
        {"not an object", "42", "expected an object", false},
        {"nested object", "[1,2]", "expected an object", false},
    };
    for (const auto& c : cases) {
        const auto rejection = rejectionOf(c.json);
        EXPECT_NE(rejection.reason.find(c.reasonContains), std::string::npos)
            << c.name << ": reason was \"" << rejection.reason << "\"";
        EXPECT_EQ(rejection.id, c.idKnown ? id : "") << c.name;
    }
}

TEST(SyncProtocol, FieldLimitsAreEnforced)
{
    const std::string longReason(501, 'r');
    const std::string correction = R"({"id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","type":"correction","at":1,)"
                                   R"("actor":"abcdefgh23","person":"abcdefgh23",)"
                                   R"("window":"0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","present":true,"reason":")"
        + longReason + R"("})";
    EXPECT_NE(rejectionOf(correction).reason.find("longer than 500"), std::string::npos);

    const std::string control = R"({"id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","type":"correction","at":1,)"
                                R"("actor":"abcdefgh23","person":"abcdefgh23",)"
                                R"("window":"0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","present":true,)"
                                R"("reason":"bell\u0007\u0000"})";
    EXPECT_NE(rejectionOf(control).reason.find("invalid characters"), std::string::npos);

    const std::string emptyReason = R"({"id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","type":"correction","at":1,)"
                                    R"("actor":"abcdefgh23","person":"abcdefgh23",)"
                                    R"("window":"0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","present":"yes","reason":"x"})";
    EXPECT_NE(rejectionOf(emptyReason).reason.find("present: expected true or false"), std::string::npos);
}

TEST(SyncProtocol, GoodAndBadEventsDecodeSideBySide)
{
    const auto r = decodeRequest(requestWith(checkInJson() + "," + checkInJson(R"(,"x":1)") + "," + checkInJson()));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->events.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<Event>(r->events[0]));
    EXPECT_TRUE(std::holds_alternative<EventRejection>(r->events[1]));
    EXPECT_TRUE(std::holds_alternative<Event>(r->events[2]));
}

TEST(SyncProtocol, MalformedResponsesAreRejected)
{
    auto good = nlohmann::json::parse(encode(sampleResponse()));
    auto broken = [&](auto mutate) {
        auto j = good;
        mutate(j);
        return decodeResponse(j.dump());
    };
    EXPECT_FALSE(broken([](auto& j) { j.erase("server_time"); }));
    EXPECT_FALSE(broken([](auto& j) { j["acks"][0]["status"] = "maybe"; }));
    EXPECT_FALSE(broken([](auto& j) { j["changes"]["people"][0]["public_id"] = "Robert'); DROP TABLE"; }));
    EXPECT_FALSE(broken([](auto& j) { j["changes"]["courses"][0]["late_after_min"] = 1e9; }));
    EXPECT_FALSE(broken([](auto& j) { j["changes"]["enrollments"][0]["role"] = "admin"; }));
    EXPECT_FALSE(broken([](auto& j) { j["kiosk"]["id"] = 0; }));
    EXPECT_FALSE(broken([](auto& j) { j["changes"]["badges"][0]["uid_hash"] = "zz"; }));
    EXPECT_FALSE(broken([](auto& j) { j["changes"]["windows"] = nlohmann::json::array({1}); }));
    const auto ok = broken([](auto& j) { j["changes"].erase("check_ins"); }); // optional list
    EXPECT_TRUE(ok) << ok.error().message;
}

TEST(SyncProtocol, RandomMutationsNeverCrash)
{
    // A cheap, bounded fuzz pass; the libFuzzer target in tests/fuzz goes further.
    SyncRequest request;
    request.kioskTimeMs = 1;
    for (auto& e : sampleEvents())
        request.events.emplace_back(e);
    const std::string base = encode(request);
    std::mt19937 rng(7);
    int decoded = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string s = base;
        const int edits = std::uniform_int_distribution<int>(1, 8)(rng);
        for (int k = 0; k < edits; ++k) {
            const auto pos = std::uniform_int_distribution<std::size_t>(0, s.size() - 1)(rng);
            switch (rng() % 3) {
            case 0: s[pos] = static_cast<char>(rng() % 256); break;
            case 1: s.erase(pos, 1); break;
            default: s.insert(pos, 1, "{}[]\",:0\\"[rng() % 9]); break;
            }
        }
        if (decodeRequest(s))
            ++decoded;
    }
    EXPECT_LT(decoded, 3000); // mutations are noticed
}
