// Attendance windows: teachers and TAs open and close them; students and
// TAs check themselves in while one is open; teachers and TAs may check in
// someone else by hand.

#include "apijson.h"
#include "routes.h"

#include "sync-server/service/attendance.h"
#include "sync-server/tryresult.h"

#include "core/jsonreader.h"

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
    auto title = r.text("title", imhere::limits::k_maxNameBytes);
    const auto scheduledStart = r.optionalTimestamp("scheduled_start");
    const bool openNow = r.optionalBoolean("open", true);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(created, openNewWindow(api, caller, id, std::move(title), scheduledStart, openNow));
    return jsonResponse(201, {{"window", windowJson(created, api.clock.nowMs())}});
}

Result<Response> openOrClose(ApiContext& api, const Request& request, bool open)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY(allow(access.runsClass(), "only teachers and TAs open and close windows"));
    TRY(jsonBody(request)); // no fields, but a wrong content type is still refused
    TRY_ASSIGN(updated, setWindowOpen(api, caller, id, open));
    return jsonResponse(200, {{"window", windowJson(updated, api.clock.nowMs())}});
}

Result<Response> postCheckIn(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY(allow(access.member(), "you are not in this course"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"person"});
    auto other = r.optionalText("person", 10, TextKind::PublicId);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(record, checkIn(api, caller, id, std::move(other)));
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
               wrap([&api](const Request& r) { return postCheckIn(api, r); }));
}

} // namespace imhere::server
