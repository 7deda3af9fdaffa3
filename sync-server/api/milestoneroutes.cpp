// Milestones (service/milestones.h): my own and my courses' milestones with
// their progress, a trainee's for their mentors, a course's overview, and
// setting, changing, deleting and confirming milestones.

#include "routes.h"

#include "sync-server/service/milestones.h"
#include "sync-server/serverlimits.h"

#include "core/jsonreader.h"

#include <charconv>
#include <cmath>

namespace imhere::server {

namespace {

nlohmann::json orNull(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json orNull(const std::optional<std::int64_t>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json milestoneJson(const Milestone& m)
{
    return {{"id", m.id},
            {"kind", m.course ? "course" : "personal"},
            {"title", m.fields.title},
            {"description", m.fields.description},
            {"metric", tokenOf(m.fields.metric)},
            {"scope", m.fields.scope},
            {"target", m.fields.target},
            {"starts_at", m.startsAt},
            {"due_at", m.fields.dueAt}};
}

nlohmann::json progressJson(const MilestoneProgress& p)
{
    nlohmann::json j = milestoneJson(p.milestone);
    j["course_name"] = p.courseName ? nlohmann::json(*p.courseName) : nlohmann::json(nullptr);
    j["value"] = orNull(p.value);
    j["measured_at"] = orNull(p.measuredAt);
    j["percent"] = std::round(p.percent * 10) / 10;
    j["reached"] = p.reached;
    j["state"] = tokenOf(p.state);
    if (p.confirmation)
        j["confirmation"] = {{"note", p.confirmation->note},
                             {"by", p.confirmation->actorName},
                             {"at", p.confirmation->at}};
    return j;
}

nlohmann::json traineeJson(const TraineeMilestones& t)
{
    nlohmann::json personal = nlohmann::json::array();
    for (const MilestoneProgress& p : t.personal)
        personal.push_back(progressJson(p));
    nlohmann::json course = nlohmann::json::array();
    for (const MilestoneProgress& p : t.course)
        course.push_back(progressJson(p));
    nlohmann::json history = nlohmann::json::object();
    for (const auto& [key, snapshots] : t.history) {
        nlohmann::json points = nlohmann::json::array();
        for (const MetricSnapshot& s : snapshots)
            points.push_back({{"at", s.at}, {"value", s.value}});
        history[key] = points;
    }
    nlohmann::json errors = nlohmann::json::array();
    for (const HarvestError& e : t.errors)
        errors.push_back({{"source", e.source}, {"message", e.message}, {"at", e.at}});
    auto orNullText = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); };
    return {{"person", {{"public_id", t.person.publicId},
                        {"display_name", t.person.displayName},
                        {"github", orNullText(t.person.github)},
                        {"codewars", orNullText(t.person.codewars)}}},
            {"personal", personal},
            {"course", course},
            {"history", history},
            {"harvest_errors", errors}};
}

Result<MilestoneInput> inputOf(const Request& request)
{
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"title", "description", "metric", "scope", "target", "due"});
    MilestoneInput in;
    in.title = r.text("title", 400, TextKind::Any, true);
    in.description = r.optionalText("description", 4000).value_or("");
    in.metric = r.text("metric", 40, TextKind::Token);
    in.scope = r.optionalText("scope", 200).value_or("");
    if (const auto* target = body.is_object() && body.contains("target") ? &body["target"] : nullptr) {
        if (target->is_number())
            in.target = target->dump();
        else if (target->is_string())
            in.target = target->get<std::string>().substr(0, 40);
        else
            r.failAt("target", "expected a number or a rank such as \"5 kyu\"");
    }
    in.due = r.text("due", 20, TextKind::Any);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    return in;
}

Result<std::int64_t> idParam(const Request& request)
{
    const std::string& text = request.param("id");
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return fail(Errc::InvalidId, "id must be a milestone's number");
    return id;
}

Result<Response> getMine(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(mine, myMilestones(api.services, caller));
    return jsonResponse(200, traineeJson(mine));
}

Result<Response> postMine(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(in, inputOf(request));
    TRY_ASSIGN(added, addPersonalMilestone(api.services, caller, in));
    return jsonResponse(201, {{"milestone", milestoneJson(added)}});
}

Result<Response> putUsernames(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"github", "codewars"});
    std::string github = r.optionalText("github", limits::k_maxUsernameBytes + 1).value_or("");
    std::string codewars = r.optionalText("codewars", limits::k_maxUsernameBytes + 1).value_or("");
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(person, setMyUsernames(api.services, caller, std::move(github), std::move(codewars)));
    auto orNullText = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); };
    return jsonResponse(200, {{"github", orNullText(person.github)}, {"codewars", orNullText(person.codewars)}});
}

Result<Response> putMilestone(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, idParam(request));
    TRY_ASSIGN(in, inputOf(request));
    TRY_ASSIGN(edited, editMilestone(api.services, caller, id, in));
    return jsonResponse(200, {{"milestone", milestoneJson(edited)}});
}

Result<Response> deleteOne(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, idParam(request));
    TRY(deleteMilestone(api.services, caller, id));
    return jsonResponse(200, {{"deleted", id}});
}

Result<Response> postConfirmation(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, idParam(request));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"person", "note"});
    const std::string person = r.text("person", 64, TextKind::PublicId);
    const std::string note = r.text("note", 4000, TextKind::Any, true);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY(confirmManualMilestone(api.services, caller, id, person, note));
    return jsonResponse(200, {{"confirmed", id}, {"person", person}});
}

Result<Response> getTrainee(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(seen, traineeMilestones(api.services, caller, request.param("person")));
    return jsonResponse(200, traineeJson(seen));
}

Result<Response> getCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    const auto sort = request.query.find("sort");
    const bool byName = sort != request.query.end() && sort->second == "name";
    if (sort != request.query.end() && !byName && sort->second != "need")
        return std::unexpected(invalid("sort: expected need or name"));
    TRY_ASSIGN(overview, courseMilestoneOverview(api.services, caller, request.param("course"), byName));
    nlohmann::json milestones = nlohmann::json::array();
    for (const Milestone& m : overview.milestones)
        milestones.push_back(milestoneJson(m));
    nlohmann::json rows = nlohmann::json::array();
    for (const MilestoneRow& row : overview.rows) {
        nlohmann::json progress = nlohmann::json::array();
        for (const MilestoneProgress& p : row.progress)
            progress.push_back({{"milestone", p.milestone.id},
                                {"value", orNull(p.value)},
                                {"percent", std::round(p.percent * 10) / 10},
                                {"state", tokenOf(p.state)}});
        rows.push_back({{"person", {{"public_id", row.member.publicId}, {"display_name", row.member.displayName}}},
                        {"progress", progress},
                        {"personal", {{"count", row.personalCount}, {"on_track", row.personalOnTrack}}},
                        {"at_risk", row.atRisk},
                        {"behind", row.behind}});
    }
    return jsonResponse(200, {{"course", {{"id", overview.course.id}, {"name", overview.course.name}}},
                              {"milestones", milestones},
                              {"trainees", rows}});
}

Result<Response> postCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(in, inputOf(request));
    TRY_ASSIGN(added, addCourseMilestone(api.services, caller, request.param("course"), in));
    return jsonResponse(201, {{"milestone", milestoneJson(added)}});
}

} // namespace

void addMilestoneRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/me/milestones", wrap([&api](const Request& r) { return getMine(api, r); }));
    router.add("POST", "/api/v1/me/milestones", wrap([&api](const Request& r) { return postMine(api, r); }));
    router.add("PUT", "/api/v1/me/usernames", wrap([&api](const Request& r) { return putUsernames(api, r); }));
    router.add("PUT", "/api/v1/milestones/{id}", wrap([&api](const Request& r) { return putMilestone(api, r); }));
    router.add("DELETE", "/api/v1/milestones/{id}", wrap([&api](const Request& r) { return deleteOne(api, r); }));
    router.add("POST", "/api/v1/milestones/{id}/confirmations",
               wrap([&api](const Request& r) { return postConfirmation(api, r); }));
    router.add("GET", "/api/v1/people/{person}/milestones", wrap([&api](const Request& r) { return getTrainee(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/milestones", wrap([&api](const Request& r) { return getCourse(api, r); }));
    router.add("POST", "/api/v1/courses/{course}/milestones",
               wrap([&api](const Request& r) { return postCourse(api, r); }));
}

} // namespace imhere::server
