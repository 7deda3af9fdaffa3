// JSON codec for the sync protocol (see syncprotocol.h).

#include "jsonreader.h"
#include "limits.h"
#include "syncprotocol.h"

#include <array>
#include <utility>

namespace imhere::sync {

using nlohmann::json;

namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s)
{
    for (const auto& [value, name] : table) {
        if (name == s)
            return value;
    }
    return std::nullopt;
}

template <class E, std::size_t N>
std::string_view nameOf(const std::array<std::pair<E, std::string_view>, N>& table, E v)
{
    for (const auto& [value, name] : table) {
        if (value == v)
            return name;
    }
    return "unknown";
}

constexpr std::array<std::pair<CheckInSource, std::string_view>, 5> k_sources{{
    {CheckInSource::Nfc, "nfc"},
    {CheckInSource::Wedge, "wedge"},
    {CheckInSource::QrBadge, "qr_badge"},
    {CheckInSource::QrRemote, "qr_remote"},
    {CheckInSource::Manual, "manual"},
}};
constexpr std::array<std::pair<Flag, std::string_view>, 4> k_flags{{
    {Flag::LeftEarly, "LEFT_EARLY"},
    {Flag::CameraOff, "CAMERA_OFF"},
    {Flag::LowParticipation, "LOW_PARTICIPATION"},
    {Flag::Absent, "ABSENT"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 3> k_roles{{
    {Role::Student, "student"},
    {Role::Ta, "ta"},
    {Role::Teacher, "teacher"},
}};
constexpr std::array<std::pair<AckStatus, std::string_view>, 3> k_ackStatuses{{
    {AckStatus::Stored, "stored"},
    {AckStatus::Duplicate, "duplicate"},
    {AckStatus::Rejected, "rejected"},
}};

std::string dump(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

template <class T>
void putOptional(json& j, const char* key, const std::optional<T>& v)
{
    if (v)
        j[key] = *v;
}

Result<json> parseBounded(std::string_view text)
{
    if (text.size() > limits::k_maxSyncBodyBytes)
        return fail(Errc::TooLarge, "document larger than " + std::to_string(limits::k_maxSyncBodyBytes) + " bytes");
    if (!jsonDepthWithin(text, limits::k_maxJsonDepth))
        return fail(Errc::MalformedJson, "nested deeper than " + std::to_string(limits::k_maxJsonDepth) + " levels");
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        // parse_error for syntax, out_of_range for numbers beyond a double.
        return fail(Errc::MalformedJson, describeJsonFailure(e));
    }
}

// ---- events -------------------------------------------------------------------

json bodyJson(const EventBody& body)
{
    return std::visit(
        [](const auto& b) -> json {
            using T = std::decay_t<decltype(b)>;
            json j;
            if constexpr (std::is_same_v<T, CheckIn>) {
                j = {{"person", b.person}, {"window", b.window}, {"source", toString(b.source)}};
            } else if constexpr (std::is_same_v<T, Correction>) {
                j = {{"person", b.person}, {"window", b.window}, {"present", b.present}, {"reason", b.reason}};
                putOptional(j, "base", b.base);
            } else if constexpr (std::is_same_v<T, FlagChange>) {
                j = {{"person", b.person}, {"window", b.window}, {"flag", toString(b.flag)}, {"set", b.set},
                     {"note", b.note}};
            } else if constexpr (std::is_same_v<T, WindowOpen>) {
                j = {{"window", b.window}, {"course", b.course}, {"title", b.title}};
                putOptional(j, "scheduled_start", b.scheduledStart);
            } else if constexpr (std::is_same_v<T, WindowClose>) {
                j = {{"window", b.window}};
            } else if constexpr (std::is_same_v<T, BadgeEnroll>) {
                j = {{"person", b.person}, {"uid_hash", b.uidHash}};
            } else if constexpr (std::is_same_v<T, RemoteConfirm>) {
                j = {{"person", b.person}, {"window", b.window}, {"check_in", b.checkIn}};
            }
            return j;
        },
        body);
}

json eventJson(const Event& e)
{
    json j = bodyJson(e.body);
    j["id"] = e.id;
    j["type"] = eventTypeName(e.body);
    j["at"] = e.at;
    j["actor"] = e.actor;
    return j;
}

// Reads one event; any problem becomes a rejection carrying the id if readable.
DecodedEvent readEvent(const json& j, const std::string& path)
{
    JsonReader r(j, path);
    std::string id = r.text("id", 36, TextKind::UuidV4);
    if (!r.ok())
        return EventRejection{{}, r.error()};
    const std::string type = r.text("type", 40, TextKind::Token);
    const std::int64_t at = r.timestamp("at");
    const std::string actor = r.text("actor", 10, TextKind::PublicId);
    if (!r.ok())
        return EventRejection{id, r.error()};

    auto person = [&] { return r.text("person", 10, TextKind::PublicId); };
    auto window = [&] { return r.text("window", 36, TextKind::Uuid); };
    EventBody body;
    if (type == "check_in") {
        r.allowOnly({"id", "type", "at", "actor", "person", "window", "source"});
        CheckIn b{person(), window(), CheckInSource::Nfc};
        const auto source = checkInSourceFromString(r.text("source", 20, TextKind::Token));
        if (r.ok() && !source)
            r.failAt("source", "unknown check-in source");
        b.source = source.value_or(CheckInSource::Nfc);
        body = b;
    } else if (type == "correction") {
        r.allowOnly({"id", "type", "at", "actor", "person", "window", "present", "reason", "base"});
        Correction b{person(), window(), r.boolean("present"), r.text("reason", limits::k_maxReasonBytes),
                     r.optionalText("base", 36, TextKind::Uuid)};
        body = b;
    } else if (type == "flag") {
        r.allowOnly({"id", "type", "at", "actor", "person", "window", "flag", "set", "note"});
        FlagChange b{person(), window(), Flag::LeftEarly, false, {}};
        const auto flag = flagFromString(r.text("flag", 40, TextKind::Token));
        if (r.ok() && !flag)
            r.failAt("flag", "unknown flag");
        b.flag = flag.value_or(Flag::LeftEarly);
        b.set = r.boolean("set");
        b.note = r.text("note", limits::k_maxNoteBytes, TextKind::Any, true);
        body = b;
    } else if (type == "window_open") {
        r.allowOnly({"id", "type", "at", "actor", "window", "course", "title", "scheduled_start"});
        WindowOpen b{window(), r.text("course", 36, TextKind::Uuid), r.text("title", limits::k_maxNameBytes),
                     r.optionalTimestamp("scheduled_start")};
        body = b;
    } else if (type == "window_close") {
        r.allowOnly({"id", "type", "at", "actor", "window"});
        body = WindowClose{window()};
    } else if (type == "badge_enroll") {
        r.allowOnly({"id", "type", "at", "actor", "person", "uid_hash"});
        body = BadgeEnroll{person(), r.text("uid_hash", 64, TextKind::Hex64)};
    } else if (type == "remote_confirm") {
        r.allowOnly({"id", "type", "at", "actor", "person", "window", "check_in"});
        body = RemoteConfirm{person(), window(), r.text("check_in", 36, TextKind::Uuid)};
    } else {
        return EventRejection{id, path + ".type: unknown event type \"" + type + "\""};
    }
    if (!r.ok())
        return EventRejection{id, r.error()};
    return Event{std::move(id), at, actor, std::move(body)};
}

// ---- changes ------------------------------------------------------------------

json changesJson(const Changes& c)
{
    json people = json::array();
    for (const auto& p : c.people) {
        json j = {{"public_id", p.publicId}, {"display_name", p.displayName}, {"removed", p.removed}};
        putOptional(j, "pin_hash", p.pinHash);
        people.push_back(std::move(j));
    }
    json badges = json::array();
    for (const auto& b : c.badges)
        badges.push_back({{"uid_hash", b.uidHash}, {"person", b.person}, {"revoked", b.revoked}});
    json courses = json::array();
    for (const auto& k : c.courses)
        courses.push_back({{"id", k.id},
                           {"name", k.name},
                           {"timezone", k.timezone},
                           {"late_after_min", k.lateAfterMin},
                           {"absent_after_min", k.absentAfterMin},
                           {"removed", k.removed}});
    json windows = json::array();
    for (const auto& w : c.windows) {
        json j = {{"id", w.id}, {"course", w.course}, {"title", w.title}};
        putOptional(j, "scheduled_start", w.scheduledStart);
        putOptional(j, "opened_at", w.openedAt);
        putOptional(j, "closed_at", w.closedAt);
        windows.push_back(std::move(j));
    }
    json enrollments = json::array();
    for (const auto& e : c.enrollments)
        enrollments.push_back(
            {{"person", e.person}, {"course", e.course}, {"role", toString(e.role)}, {"removed", e.removed}});
    json checkIns = json::array();
    for (const auto& k : c.checkIns)
        checkIns.push_back({{"id", k.id},
                            {"person", k.person},
                            {"window", k.window},
                            {"at", k.at},
                            {"source", toString(k.source)},
                            {"confirmed", k.confirmed}});
    return {{"people", people},   {"badges", badges},           {"courses", courses},
            {"windows", windows}, {"enrollments", enrollments}, {"check_ins", checkIns}};
}

template <class F>
bool readEach(JsonReader& parent, std::string_view key, const std::string& path, F&& readOne)
{
    const json& items = parent.array(key, limits::k_maxSyncChanges, true);
    for (std::size_t i = 0; i < items.size() && parent.ok(); ++i) {
        JsonReader r(items[i], path + "." + std::string(key) + "[" + std::to_string(i) + "]");
        readOne(r);
        if (!r.ok()) {
            parent.failAt(key, r.error());
            return false;
        }
    }
    return parent.ok();
}

Result<Changes> readChanges(JsonReader& r)
{
    Changes c;
    const std::string path = "changes";
    readEach(r, "people", path, [&](JsonReader& p) {
        p.allowOnly({"public_id", "display_name", "pin_hash", "removed"});
        c.people.push_back({p.text("public_id", 10, TextKind::PublicId), p.text("display_name", limits::k_maxNameBytes),
                            p.optionalText("pin_hash", limits::k_maxPinHashBytes), p.optionalBoolean("removed", false)});
    });
    readEach(r, "badges", path, [&](JsonReader& p) {
        p.allowOnly({"uid_hash", "person", "revoked"});
        c.badges.push_back({p.text("uid_hash", 64, TextKind::Hex64), p.text("person", 10, TextKind::PublicId),
                            p.optionalBoolean("revoked", false)});
    });
    readEach(r, "courses", path, [&](JsonReader& p) {
        p.allowOnly({"id", "name", "timezone", "late_after_min", "absent_after_min", "removed"});
        c.courses.push_back({p.text("id", 36, TextKind::Uuid), p.text("name", limits::k_maxNameBytes),
                             p.text("timezone", limits::k_maxTimezoneBytes),
                             static_cast<int>(p.integer("late_after_min", 0, 24 * 60)),
                             static_cast<int>(p.integer("absent_after_min", 0, 24 * 60)),
                             p.optionalBoolean("removed", false)});
    });
    readEach(r, "windows", path, [&](JsonReader& p) {
        p.allowOnly({"id", "course", "title", "scheduled_start", "opened_at", "closed_at"});
        c.windows.push_back({p.text("id", 36, TextKind::Uuid), p.text("course", 36, TextKind::Uuid),
                             p.text("title", limits::k_maxNameBytes), p.optionalTimestamp("scheduled_start"),
                             p.optionalTimestamp("opened_at"), p.optionalTimestamp("closed_at")});
    });
    readEach(r, "enrollments", path, [&](JsonReader& p) {
        p.allowOnly({"person", "course", "role", "removed"});
        EnrollmentChange e{p.text("person", 10, TextKind::PublicId), p.text("course", 36, TextKind::Uuid),
                           Role::Student, p.optionalBoolean("removed", false)};
        const auto role = roleFromString(p.text("role", 20, TextKind::Token));
        if (p.ok() && !role)
            p.failAt("role", "unknown role");
        e.role = role.value_or(Role::Student);
        c.enrollments.push_back(std::move(e));
    });
    readEach(r, "check_ins", path, [&](JsonReader& p) {
        p.allowOnly({"id", "person", "window", "at", "source", "confirmed"});
        CheckInChange k{p.text("id", 36, TextKind::Uuid), p.text("person", 10, TextKind::PublicId),
                        p.text("window", 36, TextKind::Uuid), p.timestamp("at"), CheckInSource::QrRemote,
                        p.optionalBoolean("confirmed", false)};
        const auto source = checkInSourceFromString(p.text("source", 20, TextKind::Token));
        if (p.ok() && !source)
            p.failAt("source", "unknown check-in source");
        k.source = source.value_or(CheckInSource::QrRemote);
        c.checkIns.push_back(std::move(k));
    });
    if (!r.ok())
        return fail(Errc::InvalidResponse, r.error());
    return c;
}

} // namespace

std::string_view toString(CheckInSource v) { return nameOf(k_sources, v); }
std::string_view toString(Flag v) { return nameOf(k_flags, v); }
std::string_view toString(Role v) { return nameOf(k_roles, v); }
std::string_view toString(AckStatus v) { return nameOf(k_ackStatuses, v); }
std::optional<CheckInSource> checkInSourceFromString(std::string_view s) { return lookup(k_sources, s); }
std::optional<Flag> flagFromString(std::string_view s) { return lookup(k_flags, s); }
std::optional<Role> roleFromString(std::string_view s) { return lookup(k_roles, s); }

std::string_view eventTypeName(const EventBody& body)
{
    static constexpr std::array<std::string_view, std::variant_size_v<EventBody>> names{
        "check_in", "correction", "flag", "window_open", "window_close", "badge_enroll", "remote_confirm"};
    return names[body.index()];
}

std::string encodeEvent(const Event& event)
{
    return dump(eventJson(event));
}

std::string encode(const SyncRequest& request)
{
    json events = json::array();
    for (const auto& e : request.events) {
        if (const auto* event = std::get_if<Event>(&e))
            events.push_back(eventJson(*event));
    }
    json j = {{"protocol", request.protocol},
              {"kiosk_time", request.kioskTimeMs},
              {"cursor", request.cursor},
              {"events", events}};
    if (request.outbox)
        j["outbox"] = *request.outbox;
    return dump(j);
}

std::string encode(const SyncResponse& response)
{
    json acks = json::array();
    for (const auto& a : response.acks) {
        json j = {{"id", a.id}, {"status", toString(a.status)}};
        if (!a.reason.empty())
            j["reason"] = a.reason;
        acks.push_back(std::move(j));
    }
    json j = {{"protocol", response.protocol},
              {"server_time", response.serverTimeMs},
              {"acks", acks},
              {"changes", changesJson(response.changes)},
              {"cursor", response.cursor},
              {"more", response.more}};
    if (response.kiosk)
        j["kiosk"] = {{"id", response.kiosk->id},
                     {"name", response.kiosk->name},
                     {"secret", response.kiosk->secret},
                     {"badge_key", response.kiosk->badgeKey}};
    return dump(j);
}

Result<SyncRequest> decodeRequest(std::string_view text)
{
    TRY_ASSIGN(parsed, parseBounded(text));
    JsonReader r(parsed, "");
    r.allowOnly({"protocol", "kiosk_time", "cursor", "events", "outbox"});
    SyncRequest request;
    request.protocol = static_cast<int>(r.integer("protocol", 1, 1000));
    if (r.ok() && request.protocol != k_protocolVersion)
        return fail(Errc::UnsupportedProtocol, "protocol " + std::to_string(request.protocol) + " is not supported; "
                                                "this server speaks " + std::to_string(k_protocolVersion));
    request.kioskTimeMs = r.timestamp("kiosk_time");
    request.cursor = r.integer("cursor", 0, limits::k_maxTimestampMs);
    request.outbox = r.optionalInteger("outbox", 0, limits::k_maxOutboxReport);
    const json& events = r.array("events", limits::k_maxSyncEvents);
    if (!r.ok())
        return fail(Errc::InvalidRequest, r.error());
    request.events.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i)
        request.events.push_back(readEvent(events[i], "events[" + std::to_string(i) + "]"));
    return request;
}

Result<Event> decodeEvent(std::string_view text)
{
    TRY_ASSIGN(parsed, parseBounded(text));
    auto decoded = readEvent(parsed, "event");
    if (auto* rejection = std::get_if<EventRejection>(&decoded))
        return fail(Errc::InvalidEvent, rejection->reason);
    return std::get<Event>(std::move(decoded));
}

Result<SyncResponse> decodeResponse(std::string_view text)
{
    TRY_ASSIGN(parsed, parseBounded(text));
    JsonReader r(parsed, "");
    r.allowOnly({"protocol", "server_time", "acks", "changes", "cursor", "more", "kiosk"});
    SyncResponse response;
    response.protocol = static_cast<int>(r.integer("protocol", 1, 1000));
    response.serverTimeMs = r.timestamp("server_time");
    response.cursor = r.integer("cursor", 0, limits::k_maxTimestampMs);
    response.more = r.boolean("more");
    readEach(r, "acks", "", [&](JsonReader& a) {
        a.allowOnly({"id", "status", "reason"});
        Ack ack{a.text("id", 36, TextKind::Any, true), AckStatus::Stored, {}};
        const auto status = lookup(k_ackStatuses, a.text("status", 20, TextKind::Token));
        if (a.ok() && !status)
            a.failAt("status", "unknown ack status");
        ack.status = status.value_or(AckStatus::Rejected);
        ack.reason = a.optionalText("reason", limits::k_maxReasonBytes).value_or("");
        response.acks.push_back(std::move(ack));
    });
    if (const json* kiosk = r.object("kiosk", true)) {
        JsonReader k(*kiosk, "kiosk");
        k.allowOnly({"id", "name", "secret", "badge_key"});
        response.kiosk = KioskIdentity{static_cast<std::uint32_t>(k.integer("id", 1, 0xffffffff)),
                                       k.text("name", limits::k_maxNameBytes), k.text("secret", 64, TextKind::Token),
                                       k.text("badge_key", 64, TextKind::Token)};
        if (!k.ok())
            r.failAt("kiosk", k.error());
    }
    if (!r.ok())
        return fail(Errc::InvalidResponse, r.error());
    if (const json* changes = r.object("changes")) {
        JsonReader c(*changes, "changes");
        c.allowOnly({"people", "badges", "courses", "windows", "enrollments", "check_ins"});
        TRY_ASSIGN(decoded, readChanges(c));
        response.changes = std::move(decoded);
    }
    if (!r.ok())
        return fail(Errc::InvalidResponse, r.error());
    return response;
}

} // namespace imhere::sync
