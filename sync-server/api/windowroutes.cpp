// Attendance windows: teachers and TAs open and close them; students and
// TAs check themselves in while one is open; teachers and TAs may check in
// someone else by hand.

#include "apijson.h"
#include "routes.h"

#include "sync-server/tryresult.h"

#include "core/jsonreader.h"
#include "core/random.h"

namespace imhere::server {

namespace {

Result<Response> listWindows(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY(api.liveCourse(id));
    TRY_ASSIGN(access, api.access(caller, id));
    TRY(allow(access.member(), "you are not in this course"));
    TRY_ASSIGN(windows, api.store.windowsOf(id));
    nlohmann::json list = nlohmann::json::array();
    const auto now = api.clock.nowMs();
    for (const auto& w : windows)
        list.push_back(windowJson(w, now));
    return jsonResponse(200, {{"windows", list}});
}

Result<Response> createWindow(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY(api.liveCourse(id));
    TRY_ASSIGN(access, api.access(caller, id));
    TRY(allow(access.runsClass(), "only teachers and TAs open windows"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"title", "scheduled_start", "open"});
    NewWindow w{newUuidV4(), id, r.text("title", imhere::limits::k_maxNameBytes), r.optionalTimestamp("scheduled_start"),
                std::nullopt, caller.person.id};
    const bool openNow = r.optionalBoolean("open", true);
    if (r.ok() && !openNow && !w.scheduledStart)
        r.failAt("scheduled_start", "a window that is not opened now needs a scheduled start");
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    const auto now = api.clock.nowMs();
    if (openNow)
        w.openAt = now;
    TRY_ASSIGN(created, api.store.createWindow(w));
    return jsonResponse(201, {{"window", windowJson(created, now)}});
}

Result<Response> openOrClose(ApiContext& api, const Request& request, bool open)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY(allow(access.runsClass(), "only teachers and TAs open and close windows"));
    TRY(jsonBody(request)); // no fields, but a wrong content type is still refused
    const auto now = api.clock.nowMs();
    if (open && window.closedAt)
        return fail("window_closed", "this window has been closed; open a new one");
    TRY_ASSIGN(updated, open ? api.store.openWindow(id, now, caller.person.id)
                             : api.store.closeWindow(id, now, caller.person.id));
    return jsonResponse(200, {{"window", windowJson(updated, now)}});
}

Result<Response> checkIn(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY(allow(access.member(), "you are not in this course"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"person"});
    const auto other = r.optionalText("person", 10, TextKind::PublicId);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));

    Person person = caller.person;
    CheckInSource source = CheckInSource::Manual;
    if (other && *other != caller.person.publicId) {
        TRY(allow(access.runsClass(), "only teachers and TAs check in someone else"));
        TRY_ASSIGN(target, api.personById(*other));
        TRY_ASSIGN(role, api.store.roleIn(target.id, window.course));
        if (role != Role::Student && role != Role::Ta)
            return std::unexpected(invalid("person: not a student or TA of this course"));
        person = target;
    } else {
        TRY(allow(access.participates(), "only students and TAs check in"));
    }
    const auto now = api.clock.nowMs();
    if (!window.isOpenAt(now))
        return fail("window_closed", "this window is not open");
    TRY_ASSIGN(already, api.store.hasCheckIn(person.id, id));
    if (already)
        return fail("already_checked_in", person.displayName + " is already checked in");
    TRY(api.store.addCheckIn({newUuidV4(), person.id, id, now, source, caller.person.id, std::nullopt}));
    TRY_ASSIGN(record, api.store.record(id, person.id));
    return jsonResponse(201, {{"record", recordJson(record)}});
}

} // namespace

void addWindowRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/courses/{course}/windows",
               wrap([&api](const Request& r) { return listWindows(api, r); }));
    router.add("POST", "/api/v1/courses/{course}/windows",
               wrap([&api](const Request& r) { return createWindow(api, r); }));
    router.add("POST", "/api/v1/windows/{window}/open",
               wrap([&api](const Request& r) { return openOrClose(api, r, true); }));
    router.add("POST", "/api/v1/windows/{window}/close",
               wrap([&api](const Request& r) { return openOrClose(api, r, false); }));
    router.add("POST", "/api/v1/windows/{window}/check-ins",
               wrap([&api](const Request& r) { return checkIn(api, r); }));
}

} // namespace imhere::server
