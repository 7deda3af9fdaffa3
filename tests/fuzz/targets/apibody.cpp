// Fuzz target: JSON API request bodies (sync-server/api/jsonbody.h) read the
// way the /api/v1 routes read them (core/jsonreader.h). Input: the
// Content-Type on the first line, the body after it.
//
// Properties: a body is an object, or refused with 415, 400 malformed_json or
// 422; when a reader accepts it, every value it handed out keeps the kind,
// length and range it was asked for, and no unknown key got through.

#include "sync-server/api/jsonbody.h"

#include "core/random.h"
#include "core/encoding.h"
#include "core/jsonreader.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace imhere;
using namespace imhere::server;

namespace {

// POST /api/v1/courses
void readCourse(const nlohmann::json& body)
{
    JsonReader r(body, "");
    r.allowOnly({"name", "timezone", "late_after_min", "absent_after_min", "window_length_min", "close_grace_min",
                 "students"});
    const auto name = r.text("name", 200);
    const auto timezone = r.text("timezone", 64);
    const auto late = r.optionalInteger("late_after_min", 0, 24 * 60);
    const auto& students = r.array("students", 500, true);
    if (!r.ok())
        return;
    if (name.empty() || name.size() > 200 || timezone.size() > 64 || !isValidUtf8(name))
        std::abort();
    if (late && (*late < 0 || *late > 24 * 60))
        std::abort();
    if (!students.is_array() || students.size() > 500)
        std::abort();
    for (const auto& [key, value] : body.items()) {
        (void)value;
        if (key != "name" && key != "timezone" && key != "late_after_min" && key != "absent_after_min"
            && key != "window_length_min" && key != "close_grace_min" && key != "students")
            std::abort();
    }
}

// POST /api/v1/windows/{window}/people/{person}/corrections and the like
void readCorrection(const nlohmann::json& body)
{
    JsonReader r(body, "");
    r.allowOnly({"present", "reason", "at", "id", "person", "token"});
    const bool present = r.optionalBoolean("present", true);
    const auto reason = r.optionalText("reason", 500);
    const auto at = r.optionalTimestamp("at");
    const auto id = r.optionalText("id", 36, TextKind::Uuid);
    const auto person = r.optionalText("person", 10, TextKind::PublicId);
    const auto token = r.optionalText("token", 64, TextKind::Hex64);
    if (!r.ok())
        return;
    (void)present;
    if (reason && (reason->size() > 500 || !isValidUtf8(*reason)))
        std::abort();
    if (at && (*at < 0 || *at > limits::k_maxTimestampMs))
        std::abort();
    if (id && !isUuid(*id))
        std::abort();
    if (person && !isPublicId(*person))
        std::abort();
    if (token && token->size() != 64)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    const auto newline = rest.find('\n');
    Request request;
    request.method = "POST";
    request.path = "/api/v1/courses";
    if (newline != std::string_view::npos) {
        request.headers.emplace("content-type", std::string(rest.substr(0, newline)));
        rest.remove_prefix(newline + 1);
    }
    request.body = std::string(rest);

    const auto body = jsonBody(request);
    if (!body) {
        const auto code = body.error().code;
        if (code != Errc::UnsupportedMediaType && code != Errc::MalformedJson && code != Errc::InvalidRequest)
            std::abort();
        if (body.error().message.empty())
            std::abort();
        return 0;
    }
    if (!body->is_object())
        std::abort();
    readCourse(*body);
    readCorrection(*body);
    return 0;
}
