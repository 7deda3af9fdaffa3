// Attendance windows: teachers and TAs open and close them; students and
// TAs check themselves in while one is open; teachers and TAs may check in
// someone else by hand.

#include "apijson.h"
#include "routes.h"

#include "sync-server/service/attendance.h"
#include "sync-server/service/courseviews.h"
#include "core/result.h"

#include "core/jsonreader.h"

#include <future>
#include <memory>

namespace imhere::server {

namespace {

Result<Response> listWindows(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(windows, windowsOf(api.services, caller, id));
    nlohmann::json list = nlohmann::json::array();
    const auto now = api.services.clock.nowMs();
    for (const auto& w : windows)
        list.push_back(windowJson(w, now));
    return jsonResponse(200, {{"windows", list}});
}

Result<Response> createWindow(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY(courseAs(api.services, caller, id, Standing::RunsClass, "only teachers and TAs open windows"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"title", "scheduled_start", "open", "sprint", "length_min", "alongside"});
    auto title = r.text("title", imhere::limits::k_maxNameBytes);
    const auto scheduledStart = r.optionalTimestamp("scheduled_start");
    const bool openNow = r.optionalBoolean("open", true);
    const auto sprint = r.optionalInteger("sprint", 1, 20);
    const auto length = r.optionalInteger("length_min", 1, 24 * 60);
    const bool alongside = r.optionalBoolean("alongside", false);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(created, openNewWindow(api.services, caller, id, std::move(title), scheduledStart, openNow,
                                      sprint ? std::optional(static_cast<int>(*sprint)) : std::nullopt,
                                      length ? std::optional(static_cast<int>(*length)) : std::nullopt, alongside));
    return jsonResponse(201, {{"window", windowJson(created, api.services.clock.nowMs())}});
}

Result<Response> openOrClose(ApiContext& api, const Request& request, bool open)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY(windowAs(api.services, caller, id, Standing::RunsClass, "only teachers and TAs open and close windows"));
    TRY(jsonBody(request)); // no fields, but a wrong content type is still refused
    TRY_ASSIGN(updated, setWindowOpen(api.services, caller, id, open));
    return jsonResponse(200, {{"window", windowJson(updated, api.services.clock.nowMs())}});
}

// The reply to a check-in once the writer has committed the group holding
// it: the connection waits without holding an HTTP thread, and `answer`
// makes the response from the outcome on an HTTP thread.
Reply afterCheckIn(ApiContext& api, CheckInEvent event, std::function<Result<Response>(CheckInOutcome)> answer)
{
    // Shared by the writer's callback (which may still be returning) and `finish`.
    auto outcome = std::make_shared<std::promise<Result<CheckInOutcome>>>();
    return Deferred{
        [&api, outcome, event = std::move(event)](std::function<void()> ready) {
            api.services.checkIns.submit(event, [outcome, ready = std::move(ready)](Result<CheckInOutcome> r) {
                outcome->set_value(std::move(r));
                ready();
            });
        },
        [outcome, answer = std::move(answer)]() -> Response {
            auto stored = outcome->get_future().get(); // set before `ready`
            auto response = stored ? answer(*stored) : Result<Response>(std::unexpected(stored.error()));
            return response ? std::move(*response) : errorResponse(response.error());
        }};
}

Result<Reply> postCheckIn(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(view, windowAs(api.services, caller, id, Standing::Member, "you are not in this course"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"person"});
    auto other = r.optionalText("person", 10, TextKind::PublicId);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(prepared, prepareCheckIn(api.services, caller, view.window, view.access, std::move(other)));
    return afterCheckIn(api, std::move(prepared.event),
                        [&api, person = std::move(prepared.person), id](CheckInOutcome outcome) -> Result<Response> {
                            TRY_ASSIGN(record, checkedInRecord(api.services, outcome, person, id));
                            return jsonResponse(201, {{"record", recordJson(record)}});
                        });
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
               wrapDeferring([&api](const Request& r) { return postCheckIn(api, r); }));
}

} // namespace imhere::server
