// The school's trainee tracker (docs/INTEROP.md): a course's tracker names,
// regions and sprints, its register sheet out, and old registers in.

#include "apijson.h"
#include "routes.h"

#include "sync-server/service/tracker.h"
#include "core/result.h"

#include "core/jsonreader.h"
#include "core/random.h"

#include <cmath>

namespace imhere::server {

namespace {

constexpr std::size_t k_maxRegisterBodyBytes = 2 << 20;

nlohmann::json percentOrNull(int part, int whole)
{
    if (whole == 0)
        return nullptr;
    return std::round(1000.0 * part / whole) / 10.0;
}

nlohmann::json trackerJson(const TrackerView& view)
{
    nlohmann::json identity = nullptr;
    if (view.identity) {
        identity = {{"course", view.identity->course},
                    {"module", view.identity->module},
                    {"first_sprint_day", view.identity->firstSprintDay ? nlohmann::json(*view.identity->firstSprintDay)
                                                                       : nlohmann::json(nullptr)}};
    }
    nlohmann::json windows = nlohmann::json::array();
    for (const auto& w : view.windows) {
        const auto sprint = view.windowSprint.find(w.id);
        windows.push_back({{"id", w.id},
                           {"title", w.title},
                           {"sprint", sprint == view.windowSprint.end() ? nlohmann::json(nullptr)
                                                                        : nlohmann::json(sprint->second)},
                           {"sprint_set", view.explicitSprint.contains(w.id)}});
    }
    nlohmann::json trainees = nlohmann::json::array();
    for (const auto& t : view.trainees) {
        nlohmann::json sprints = nlohmann::json::object();
        for (const auto& [n, a] : t.sprints)
            sprints[std::to_string(n)] = tokenOf(a);
        trainees.push_back(
            {{"person", t.person.publicId},
             {"name", t.person.displayName},
             {"region", t.person.region ? nlohmann::json(*t.person.region) : nlohmann::json(nullptr)},
             {"in_register", t.person.email.has_value()},
             {"attendance_percent", percentOrNull(t.present, t.counted)},
             {"on_time_percent", percentOrNull(t.onTime, t.counted)},
             {"tracker_score", t.score.basisPoints ? nlohmann::json(*t.score.basisPoints / 100.0)
                                                   : nlohmann::json(nullptr)},
             {"tracker_label", t.score.label ? nlohmann::json(tokenOf(*t.score.label)) : nlohmann::json(nullptr)},
             {"sprints", sprints}});
    }
    return {{"tracker",
             {{"identity", identity},
              {"first_sprint_day", view.firstSprintDay.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(view.firstSprintDay)},
              {"windows", windows},
              {"trainees", trainees}}}};
}

nlohmann::json importJson(const RegisterImportReport& report)
{
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& s : report.skipped)
        skipped.push_back({{"line", s.line}, {"message", s.message}});
    return {{"import",
             {{"dry_run", report.dryRun},
              {"rows", report.rows},
              {"recorded", report.recorded},
              {"already_recorded", report.alreadyRecorded},
              {"new_windows", report.newWindows},
              {"skipped", skipped}}}};
}

Result<Response> getTracker(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(view, trackerViewOf(api.services, caller, id));
    return jsonResponse(200, trackerJson(view));
}

Result<Response> putTracker(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"identity", "regions", "sprints"});
    TrackerChange change;
    if (body.contains("identity") && body["identity"].is_null()) {
        change.clearIdentity = true;
    } else if (const auto* identity = r.object("identity", true)) {
        JsonReader i(*identity, "identity");
        i.allowOnly({"course", "module", "first_sprint_day"});
        TrackerIdentity t{i.text("course", imhere::limits::k_maxNameBytes),
                          i.text("module", imhere::limits::k_maxNameBytes),
                          i.optionalText("first_sprint_day", 10)};
        if (!i.ok())
            return std::unexpected(invalid(i.error()));
        change.identity = std::move(t);
    }
    if (const auto* regions = r.object("regions", true)) {
        for (const auto& [person, region] : regions->items()) {
            if (!isPublicId(person))
                r.failAt("regions", "keys are public ids");
            else if (!region.is_null() && !region.is_string())
                r.failAt("regions." + person, "a region or null");
            else
                change.regions[person] = region.is_null() ? std::nullopt : std::optional(region.get<std::string>());
        }
    }
    if (const auto* sprints = r.object("sprints", true)) {
        for (const auto& [window, sprint] : sprints->items()) {
            if (!isUuid(window))
                r.failAt("sprints", "keys are window ids");
            else if (!sprint.is_null() && !sprint.is_number_integer())
                r.failAt("sprints." + window, "a sprint from 1 to 20 or null");
            else
                change.sprints[window] = sprint.is_null() ? std::nullopt : std::optional(sprint.get<int>());
        }
    }
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY(changeTracker(api.services, caller, id, change));
    TRY_ASSIGN(view, trackerViewOf(api.services, caller, id));
    return jsonResponse(200, trackerJson(view));
}

Result<Response> getRegister(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(view, trackerViewOf(api.services, caller, id));
    Response response{200, "text/csv; charset=utf-8", registerCsv(view), {}};
    response.withHeader("Content-Disposition", "attachment; filename=\"register.csv\"");
    return response;
}

Result<Response> postRegister(ApiContext& api, const Request& request, bool dryRun)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    const auto type = request.header("content-type").value_or("");
    if (type.substr(0, type.find(';')) != "text/csv")
        return fail(Errc::UnsupportedMediaType, "send the register as Content-Type: text/csv");
    std::optional<int> classStart;
    if (const auto it = request.query.find("class_start"); it != request.query.end()) {
        classStart = parseClassStart(it->second);
        if (!classStart)
            return std::unexpected(invalid("class_start: expected HH:MM, such as 18:00"));
    }
    TRY_ASSIGN(report, importRegisterAs(api.services, caller, id, request.body, dryRun, classStart));
    return jsonResponse(200, importJson(report));
}

} // namespace

void addTrackerRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/courses/{course}/tracker", wrap([&api](const Request& r) { return getTracker(api, r); }));
    router.add("PUT", "/api/v1/courses/{course}/tracker", wrap([&api](const Request& r) { return putTracker(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/register.csv",
               wrap([&api](const Request& r) { return getRegister(api, r); }));
    router.add("POST", "/api/v1/courses/{course}/register",
               wrap([&api](const Request& r) { return postRegister(api, r, false); }),
               RouteOptions{k_maxRegisterBodyBytes});
    router.add("POST", "/api/v1/courses/{course}/register/dry-run",
               wrap([&api](const Request& r) { return postRegister(api, r, true); }),
               RouteOptions{k_maxRegisterBodyBytes});
}

} // namespace imhere::server
