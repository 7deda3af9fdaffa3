// Sync protocol codec: round trips and a table of malformed input, each of
// which must give a clear error and never crash.

#include "core/syncprotocol.h"

#include "core/random.h"

#include <nlohmann/json.hpp>

#include <random>

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::sync;

namespace {

const std::string k_person = "abcdefgh23";
const std::string k_teacher = "tttttttt77";
const std::string k_window = "0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0";
const std::string k_course = "11111111-2222-4333-8444-555555555555";
const std::string k_hash(64, 'a');
const std::string k_eventId = "6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0"; // the id in checkInJson()

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

// The rejection of the one event in a request; an error says why there is none.
Result<EventRejection> rejectionOf(const std::string& eventJson)
{
    auto r = decodeRequest(requestWith(eventJson));
    if (!r)
        return std::unexpected(Error{Errc::RequestFailed, r.error().message});
    if (r->events.size() != 1)
        return std::unexpected(Error{Errc::Internal, std::to_string(r->events.size()) + " events decoded"});
    const auto* rejection = std::get_if<EventRejection>(&r->events[0]);
    if (!rejection)
        return std::unexpected(Error{Errc::Internal, "accepted: " + eventJson});
    return *rejection;
}

} // namespace

class SyncProtocolTest : public QObject {
    Q_OBJECT
private slots:
    void requestRoundTrips();
    void outboxIsOptionalBothWays();
    void responseRoundTrips();
    void singleEventRoundTrips();
    void malformedDocumentsFailWhole_data();
    void malformedDocumentsFailWhole();
    void tooManyEventsIsRejected();
    void badEventsAreRejectedOneByOne_data();
    void badEventsAreRejectedOneByOne();
    void fieldLimitsAreEnforced();
    void goodAndBadEventsDecodeSideBySide();
    void malformedResponsesAreRejected();
    void randomMutationsNeverCrash();
};

void SyncProtocolTest::requestRoundTrips()
{
    SyncRequest request;
    request.kioskTimeMs = 1'790'000'000'999;
    request.cursor = 1234;
    for (auto& e : sampleEvents())
        request.events.emplace_back(e);
    const auto decoded = decodeRequest(encode(request));
    QVERIFY2(decoded, decoded ? "" : decoded.error().message.c_str());
    QCOMPARE(*decoded, request);
}

void SyncProtocolTest::outboxIsOptionalBothWays()
{
    // Kiosks from before `outbox` send none, and are read as before.
    auto old = decodeRequest(R"({"protocol":1,"kiosk_time":1790000000000,"cursor":0,"events":[]})");
    QVERIFY(old);
    QVERIFY(!old->outbox);
    QVERIFY(encode(*old).find("outbox") == std::string::npos);
    auto reported = decodeRequest(R"({"protocol":1,"kiosk_time":1790000000000,"cursor":0,"events":[],"outbox":42})");
    QVERIFY(reported);
    QCOMPARE(reported->outbox, std::optional<std::int64_t>(42));
    QCOMPARE(*decodeRequest(encode(*reported)), *reported);
    for (const char* bad : {R"({"protocol":1,"kiosk_time":1790000000000,"cursor":0,"events":[],"outbox":-1})",
                            R"({"protocol":1,"kiosk_time":1790000000000,"cursor":0,"events":[],"outbox":"3"})"}) {
        const auto refused = decodeRequest(bad);
        QVERIFY2(!refused && refused.error().code == Errc::InvalidRequest, bad);
    }
}

void SyncProtocolTest::responseRoundTrips()
{
    const auto response = sampleResponse();
    const auto decoded = decodeResponse(encode(response));
    QVERIFY2(decoded, decoded ? "" : decoded.error().message.c_str());
    QCOMPARE(*decoded, response);
}

void SyncProtocolTest::singleEventRoundTrips()
{
    for (const auto& e : sampleEvents()) {
        const auto decoded = decodeEvent(encodeEvent(e));
        QVERIFY2(decoded, decoded ? "" : decoded.error().message.c_str());
        QCOMPARE(*decoded, e);
    }
}

void SyncProtocolTest::malformedDocumentsFailWhole_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("code");
    const auto row = [](const char* name, std::string json, std::string code) {
        QTest::newRow(name) << std::move(json) << std::move(code);
    };
    row("empty", "", "malformed_json");
    row("not json", "hello", "malformed_json");
    row("truncated", R"({"protocol":1,"kiosk_time":)", "malformed_json");
    row("array", "[]", "invalid_request");
    row("string", R"("events")", "invalid_request");
    row("missing events", R"({"protocol":1,"kiosk_time":1,"cursor":0})", "invalid_request");
    row("missing kiosk_time", R"({"protocol":1,"cursor":0,"events":[]})", "invalid_request");
    row("events not array", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":{}})", "invalid_request");
    row("time as string", R"({"protocol":1,"kiosk_time":"1","cursor":0,"events":[]})", "invalid_request");
    row("time as float", R"({"protocol":1,"kiosk_time":1.5,"cursor":0,"events":[]})", "invalid_request");
    row("negative time", R"({"protocol":1,"kiosk_time":-5,"cursor":0,"events":[]})", "invalid_request");
    row("huge integer", R"({"protocol":1,"kiosk_time":99999999999999999999999,"cursor":0,"events":[]})",
        "invalid_request");
    row("float overflow", R"({"protocol":1,"kiosk_time":61e3080,"cursor":0,"events":[]})", "malformed_json");
    row("uint64 overflow", R"({"protocol":1,"kiosk_time":18446744073709551615,"cursor":0,"events":[]})",
        "invalid_request");
    row("bad cursor", R"({"protocol":1,"kiosk_time":1,"cursor":-1,"events":[]})", "invalid_request");
    row("unknown field", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[],"admin":true})",
        "invalid_request");
    row("future protocol", R"({"protocol":2,"kiosk_time":1,"cursor":0,"events":[]})", "unsupported_protocol");
    row("invalid utf-8", "{\"protocol\":1,\"kiosk_time\":1,\"cursor\":0,\"events\":[],\"\xff\":1}",
        "malformed_json");
    row("deep nesting", std::string(100'000, '[') + std::string(100'000, ']'), "malformed_json");
    row("deep objects", R"({"events":)" + std::string(20, '[') + std::string(20, ']') + "}", "malformed_json");
    row("trailing garbage", R"({"protocol":1,"kiosk_time":1,"cursor":0,"events":[]} x)", "malformed_json");
    row("too large", "{\"x\":\"" + std::string(5 << 20, 'a') + "\"}", "too_large");
}

void SyncProtocolTest::malformedDocumentsFailWhole()
{
    QFETCH(std::string, json);
    QFETCH(std::string, code);
    const auto r = decodeRequest(json);
    QVERIFY(!r);
    const std::string got(errorCodeName(r.error().code));
    QVERIFY2(got == code, ("got " + got + " (" + r.error().message + "), expected " + code).c_str());
    QVERIFY(!r.error().message.empty());
}

void SyncProtocolTest::tooManyEventsIsRejected()
{
    std::string events;
    for (int i = 0; i < 501; ++i)
        events += (i ? "," : "") + checkInJson();
    const auto r = decodeRequest(requestWith(events));
    QVERIFY(!r);
    QVERIFY2(r.error().message.find("more than 500") != std::string::npos, r.error().message.c_str());
}

void SyncProtocolTest::badEventsAreRejectedOneByOne_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("reasonContains");
    QTest::addColumn<bool>("idKnown");
    const std::string& id = k_eventId;
    auto replaced = [&](const std::string& from, const std::string& to) {
        auto s = checkInJson();
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    const auto row = [](const char* name, std::string json, std::string reasonContains, bool idKnown = true) {
        QTest::newRow(name) << std::move(json) << std::move(reasonContains) << idKnown;
    };
    row("unknown type", replaced(R"("check_in")", R"("teleport")"), "unknown event type", true);
    row("missing id", replaced(R"("id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0",)", ""), "id: missing", false);
    row("id not v4", replaced(id, "6f1e2d3c-4b5a-1978-8796-a5b4c3d2e1f0"), "version 4", false);
    row("path traversal id", replaced(id, "../../../../etc/passwd"), "id", false);
    row("wrong person type", replaced(R"("person":"abcdefgh23")", R"("person":12)"), "person: expected a string");
    row("sql in person", replaced(R"("person":"abcdefgh23")", R"("person":"a' OR 1=1-")"), "public id");
    row("bad window", replaced(R"("window":"0f1e)", R"("window":"Xf1e)"), "window: expected a UUID");
    row("unknown source", replaced(R"("nfc")", R"("telepathy")"), "unknown check-in source");
    row("extra field", checkInJson(R"(,"admin":true)"), "unknown field");
    row("null at", replaced("1790000000000", "null"), "at: expected an integer");
    row("not an object", "42", "expected an object", false);
    row("nested object", "[1,2]", "expected an object", false);
}

void SyncProtocolTest::badEventsAreRejectedOneByOne()
{
    QFETCH(std::string, json);
    QFETCH(std::string, reasonContains);
    QFETCH(bool, idKnown);
    const auto rejection = rejectionOf(json);
    QVERIFY2(rejection, rejection ? "" : rejection.error().message.c_str());
    QVERIFY2(rejection->reason.find(reasonContains) != std::string::npos,
             ("reason was \"" + rejection->reason + "\"").c_str());
    QCOMPARE(rejection->id, idKnown ? k_eventId : "");
}

void SyncProtocolTest::fieldLimitsAreEnforced()
{
    const std::string longReason(501, 'r');
    const std::string correction = R"({"id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","type":"correction","at":1,)"
                                   R"("actor":"abcdefgh23","person":"abcdefgh23",)"
                                   R"("window":"0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","present":true,"reason":")"
        + longReason + R"("})";
    const auto tooLong = rejectionOf(correction);
    QVERIFY2(tooLong, tooLong ? "" : tooLong.error().message.c_str());
    QVERIFY2(tooLong->reason.find("longer than 500") != std::string::npos, tooLong->reason.c_str());

    const std::string control = R"({"id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","type":"correction","at":1,)"
                                R"("actor":"abcdefgh23","person":"abcdefgh23",)"
                                R"("window":"0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","present":true,)"
                                R"("reason":"bell\u0007\u0000"})";
    const auto controlChars = rejectionOf(control);
    QVERIFY2(controlChars, controlChars ? "" : controlChars.error().message.c_str());
    QVERIFY2(controlChars->reason.find("invalid characters") != std::string::npos, controlChars->reason.c_str());

    const std::string emptyReason = R"({"id":"6f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","type":"correction","at":1,)"
                                    R"("actor":"abcdefgh23","person":"abcdefgh23",)"
                                    R"("window":"0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0","present":"yes","reason":"x"})";
    const auto notABool = rejectionOf(emptyReason);
    QVERIFY2(notABool, notABool ? "" : notABool.error().message.c_str());
    QVERIFY2(notABool->reason.find("present: expected true or false") != std::string::npos,
             notABool->reason.c_str());
}

void SyncProtocolTest::goodAndBadEventsDecodeSideBySide()
{
    const auto r = decodeRequest(requestWith(checkInJson() + "," + checkInJson(R"(,"x":1)") + "," + checkInJson()));
    QVERIFY(r);
    QCOMPARE(r->events.size(), 3u);
    QVERIFY(std::holds_alternative<Event>(r->events[0]));
    QVERIFY(std::holds_alternative<EventRejection>(r->events[1]));
    QVERIFY(std::holds_alternative<Event>(r->events[2]));
}

void SyncProtocolTest::malformedResponsesAreRejected()
{
    auto good = nlohmann::json::parse(encode(sampleResponse()));
    auto broken = [&](auto mutate) {
        auto j = good;
        mutate(j);
        return decodeResponse(j.dump());
    };
    QVERIFY(!broken([](auto& j) { j.erase("server_time"); }));
    QVERIFY(!broken([](auto& j) { j["acks"][0]["status"] = "maybe"; }));
    QVERIFY(!broken([](auto& j) { j["changes"]["people"][0]["public_id"] = "Robert'); DROP TABLE"; }));
    QVERIFY(!broken([](auto& j) { j["changes"]["courses"][0]["late_after_min"] = 1e9; }));
    QVERIFY(!broken([](auto& j) { j["changes"]["enrollments"][0]["role"] = "admin"; }));
    QVERIFY(!broken([](auto& j) { j["kiosk"]["id"] = 0; }));
    QVERIFY(!broken([](auto& j) { j["changes"]["badges"][0]["uid_hash"] = "zz"; }));
    QVERIFY(!broken([](auto& j) { j["changes"]["windows"] = nlohmann::json::array({1}); }));
    const auto ok = broken([](auto& j) { j["changes"].erase("check_ins"); }); // optional list
    QVERIFY2(ok, ok ? "" : ok.error().message.c_str());
}

void SyncProtocolTest::randomMutationsNeverCrash()
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
    QCOMPARE_LT(decoded, 3000); // mutations are noticed
}

QTEST_GUILESS_MAIN(SyncProtocolTest)
#include "syncprotocoltest.moc"
