// Attendance records and the events that change them: teachers and TAs see
// records, a student only their own; teachers toggle presence (a correction
// with a reason); teachers and TAs set and clear mentor flags.

#include "apijson.h"
#include "routes.h"

#include "core/result.h"

#include "core/jsonreader.h"
#include "core/random.h"

namespace imhere::server {

namespace {

Response recordsResponse(const std::vector<AttendanceRecord>& records)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : records)
        list.push_back(recordJson(r));
    return jsonResponse(200, {{"records", list}});
}

Result<Response> windowRecords(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(window, api.services.windowById(id));
    TRY_ASSIGN(access, api.services.access(caller, window.course));
    TRY(allow(access.runsClass(), "only teachers and TAs see everyone's records"));
    TRY_ASSIGN(records, api.services.store.attendance().windowRecords(id));
    return recordsResponse(records);
}

Result<Response> courseRecords(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY(api.services.liveCourse(id));
    TRY_ASSIGN(access, api.services.access(caller, id));
    TRY(allow(access.runsClass(), "only teachers and TAs see everyone's records"));
    TRY_ASSIGN(records, api.services.store.attendance().courseRecords(id));
    return recordsResponse(records);
}

Result<Response> personRecords(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    TRY(api.services.liveCourse(id));
    TRY_ASSIGN(access, api.services.access(caller, id));
    const bool self = personId == caller.person.publicId;
    TRY(allow(access.runsClass() || (self && access.member()), "you may only see your own records"));
    TRY_ASSIGN(person, api.services.personById(personId));
    TRY_ASSIGN(role, api.services.store.courses().roleIn(person.id, id));
    if (role != Role::Student && role != Role::Ta)
        return fail(Errc::NotFound, "this person does not take part in the course");
    TRY_ASSIGN(records, api.services.store.attendance().personRecords(id, person.id));
    return recordsResponse(records);
}

// The window and participant a per-record change is about, and the caller's
// standing in that course.
struct RecordTarget {
    Caller caller;
    Window window;
    Person person;
    CourseAccess access;
};

Result<RecordTarget> recordTarget(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY(publicIdParam(request, "person"));
    TRY_ASSIGN(window, api.services.windowById(id));
    TRY_ASSIGN(access, api.services.access(caller, window.course));
    return RecordTarget{std::move(caller), std::move(window), Person{}, access};
}

Result<Person> participant(ApiContext& api, const Request& request, const Window& window)
{
    TRY_ASSIGN(person, api.services.personById(request.param("person")));
    TRY_ASSIGN(role, api.services.store.courses().roleIn(person.id, window.course));
    if (role != Role::Student && role != Role::Ta)
        return fail(Errc::NotFound, "this person does not take part in the course");
    return person;
}

Result<Response> correct(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(t, recordTarget(api, request));
    TRY(allow(t.access.teaches(), "only the course's teachers change attendance"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"present", "reason", "base"});
    CorrectionEvent e{newUuidV4(), 0, t.window.id, r.boolean("present"), r.text("reason", imhere::limits::k_maxReasonBytes),
                      r.optionalText("base", 36, TextKind::Uuid), t.caller.person.id, api.services.clock.nowMs(), std::nullopt};
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(person, participant(api, request, t.window));
    e.person = person.id;
    TRY(api.services.store.attendance().addCorrection(e));
    TRY_ASSIGN(record, api.services.store.attendance().record(t.window.id, person.id));
    return jsonResponse(201, {{"record", recordJson(record)}, {"event", e.id}});
}

Result<Response> flag(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(t, recordTarget(api, request));
    TRY(allow(t.access.runsClass(), "only teachers and TAs set flags"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"flag", "set", "note"});
    const auto which = sync::flagFromString(r.text("flag", 40, TextKind::Token));
    if (r.ok() && !which)
        r.failAt("flag", "expected LEFT_EARLY, CAMERA_OFF, LOW_PARTICIPATION or ABSENT");
    FlagEvent e{newUuidV4(), 0, t.window.id, which.value_or(Flag::LeftEarly), r.boolean("set"),
                r.optionalText("note", imhere::limits::k_maxNoteBytes).value_or(""), t.caller.person.id,
                api.services.clock.nowMs(), std::nullopt};
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(person, participant(api, request, t.window));
    e.person = person.id;
    TRY(api.services.store.attendance().addFlag(e));
    TRY_ASSIGN(record, api.services.store.attendance().record(t.window.id, person.id));
    return jsonResponse(201, {{"record", recordJson(record)}, {"event", e.id}});
}

} // namespace

void addRecordRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/windows/{window}/records",
               wrap([&api](const Request& r) { return windowRecords(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/records",
               wrap([&api](const Request& r) { return courseRecords(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/people/{person}/records",
               wrap([&api](const Request& r) { return personRecords(api, r); }));
    router.add("POST", "/api/v1/windows/{window}/people/{person}/corrections",
               wrap([&api](const Request& r) { return correct(api, r); }));
    router.add("POST", "/api/v1/windows/{window}/people/{person}/flags",
               wrap([&api](const Request& r) { return flag(api, r); }));
}

} // namespace imhere::server
