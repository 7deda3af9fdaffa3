// Attendance records and the events that change them: teachers and TAs see
// records, a student only their own; teachers toggle presence (a correction
// with a reason); teachers and TAs set and clear mentor flags.

#include "apijson.h"
#include "routes.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/courseviews.h"

#include "core/result.h"

#include "core/jsonreader.h"

namespace imhere::server {

namespace {

Response recordsResponse(const std::vector<AttendanceRecord>& records)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : records)
        list.push_back(recordJson(r));
    return jsonResponse(200, {{"records", list}});
}

Result<Response> windowRecordsRoute(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(records, windowRecords(api.services, caller, id));
    return recordsResponse(records);
}

Result<Response> courseRecordsRoute(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(records, courseRecords(api.services, caller, id));
    return recordsResponse(records);
}

Result<Response> personRecordsRoute(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    TRY_ASSIGN(records, personRecords(api.services, caller, id, personId));
    return recordsResponse(records);
}

// The caller and the window a per-record change is about, checked before
// the body is read (a change the caller may not make is refused whatever it says).
struct RecordTarget {
    Caller caller;
    std::string window;
    std::string person;
};

Result<RecordTarget> recordTarget(ApiContext& api, const Request& request, Standing need, std::string_view refusal)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(person, publicIdParam(request, "person"));
    TRY(windowAs(api.services, caller, id, need, refusal));
    return RecordTarget{std::move(caller), std::move(id), std::move(person)};
}

Result<Response> correct(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(t, recordTarget(api, request, Standing::Teaches, "only the course's teachers change attendance"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"present", "reason", "base", "excused"});
    const bool present = r.boolean("present");
    const bool excused = r.optionalBoolean("excused", false);
    auto reason = r.text("reason", imhere::limits::k_maxReasonBytes);
    auto base = r.optionalText("base", 36, TextKind::Uuid);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(changed, correctPresence(api.services, t.caller, t.window, t.person, present, std::move(reason),
                                        std::move(base), excused));
    return jsonResponse(201, {{"record", recordJson(changed.record)}, {"event", changed.event}});
}

Result<Response> flag(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(t, recordTarget(api, request, Standing::RunsClass, "only teachers and TAs set flags"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"flag", "set", "note"});
    const auto which = sync::flagFromString(r.text("flag", 40, TextKind::Token));
    if (r.ok() && !which)
        r.failAt("flag", "expected LEFT_EARLY, CAMERA_OFF, LOW_PARTICIPATION or ABSENT");
    const bool set = r.boolean("set");
    auto note = r.optionalText("note", imhere::limits::k_maxNoteBytes).value_or("");
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(changed, changeFlag(api.services, t.caller, t.window, t.person, *which, set, std::move(note)));
    return jsonResponse(201, {{"record", recordJson(changed.record)}, {"event", changed.event}});
}

} // namespace

void addRecordRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/windows/{window}/records",
               wrap([&api](const Request& r) { return windowRecordsRoute(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/records",
               wrap([&api](const Request& r) { return courseRecordsRoute(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/people/{person}/records",
               wrap([&api](const Request& r) { return personRecordsRoute(api, r); }));
    router.add("POST", "/api/v1/windows/{window}/people/{person}/corrections",
               wrap([&api](const Request& r) { return correct(api, r); }));
    router.add("POST", "/api/v1/windows/{window}/people/{person}/flags",
               wrap([&api](const Request& r) { return flag(api, r); }));
}

} // namespace imhere::server
