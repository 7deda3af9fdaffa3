// Reports (docs/REPORTS.md): a course's, a window's, a person's record, the
// cohort's view, the overview across courses, their CSV exports, and what
// staff change around them (alert follow-ups, course settings, reopening a
// window, the lead role).

#include "apijson.h"
#include "routes.h"

#include "sync-server/service/reportviews.h"
#include "sync-server/service/slack.h"
#include "sync-server/serverlimits.h"

#include "core/jsonreader.h"
#include "core/result.h"

#include <cmath>

namespace imhere::server {

namespace {

nlohmann::json rounded(std::optional<double> v)
{
    if (!v)
        return nullptr;
    return std::round(*v * 10.0) / 10.0;
}

nlohmann::json tallyJson(const Tally& t)
{
    nlohmann::json flags = nlohmann::json::object();
    for (const auto& [flag, n] : t.flags)
        flags[std::string(sync::toString(flag))] = n;
    return {{"records", t.records},
            {"people", t.people},
            {"present", t.present},
            {"on_time", t.onTime},
            {"late", t.late},
            {"absent", t.absent},
            {"excused", t.excused},
            {"undecided", t.undecided},
            {"remote", t.remote},
            {"mean_minutes_late", rounded(t.meanMinutesLate)},
            {"median_minutes_late", rounded(t.medianMinutesLate)},
            {"attendance_percent", rounded(t.attendancePercent())},
            {"on_time_percent", rounded(t.onTimePercent())},
            {"flags", flags}};
}

nlohmann::json dayJson(const std::optional<CivilDate>& d)
{
    return d ? nlohmann::json(isoDate(*d)) : nlohmann::json(nullptr);
}

nlohmann::json rangeJson(const DateRange& r) { return {{"from", dayJson(r.from)}, {"to", dayJson(r.to)}}; }

nlohmann::json personFiguresJson(const PersonFigures& p)
{
    return {{"person", p.member.publicId},
            {"name", p.member.displayName},
            {"role", sync::toString(p.member.role)},
            {"figures", tallyJson(p.tally)},
            {"absent_run", p.absentRun}};
}

nlohmann::json weeksJson(const std::vector<WeekFigures>& weeks)
{
    nlohmann::json out = nlohmann::json::array();
    for (const WeekFigures& w : weeks)
        out.push_back({{"week", isoDate(w.monday)}, {"trainees", tallyJson(w.trainees)}});
    return out;
}

nlohmann::json alertJson(const Alert& a, const AlertFollowUp* followUp, const std::string& timezone)
{
    nlohmann::json days = nlohmann::json::array();
    for (std::int64_t d : a.days)
        if (const auto day = localDate(timezone, d))
            days.push_back(isoDate(*day));
    nlohmann::json j = {{"kind", tokenOf(a.kind)},
                        {"person", a.member.publicId},
                        {"name", a.member.displayName},
                        {"attendance_percent", rounded(a.attendancePercent)},
                        {"absent_run", a.absentRun},
                        {"since", a.since},
                        {"days", days},
                        {"followed_up", nullptr}};
    if (followUp)
        j["followed_up"] = {{"note", followUp->note}, {"by", followUp->actorName}, {"at", followUp->at}};
    return j;
}

nlohmann::json windowFiguresJson(const WindowFigures& w, std::int64_t now)
{
    return {{"window", windowJson(w.window, now)},
            {"trainees", tallyJson(w.trainees)},
            {"volunteers", tallyJson(w.volunteers)}};
}

Result<DateRange> rangeOf(const Request& request)
{
    auto param = [&](const char* name) -> std::optional<std::string_view> {
        const auto it = request.query.find(name);
        if (it == request.query.end())
            return std::nullopt;
        return std::string_view(it->second);
    };
    return parseDateRange(param("from"), param("to"));
}

nlohmann::json slackJson(const SlackStatus& s)
{
    const SlackOutboxState& o = s.outbox;
    nlohmann::json j = {{"webhook", s.maskedWebhook ? nlohmann::json(*s.maskedWebhook) : nlohmann::json(nullptr)},
                        {"delivered", o.delivered},
                        {"waiting", o.waiting},
                        {"given_up", o.givenUp},
                        {"last_delivered_at", o.lastDeliveredAt ? nlohmann::json(*o.lastDeliveredAt) : nlohmann::json(nullptr)},
                        {"last_failure", nullptr}};
    if (o.problem) {
        const SlackPostProblem& p = *o.problem;
        j["last_failure"] = {{"window", p.window},
                             {"attempts", p.attempts},
                             {"status", p.lastStatus ? nlohmann::json(*p.lastStatus) : nlohmann::json(nullptr)},
                             {"error", p.lastError},
                             {"at", p.at},
                             {"next_attempt_at", p.nextAttemptAt ? nlohmann::json(*p.nextAttemptAt) : nlohmann::json(nullptr)}};
    }
    return j;
}

Result<Response> getCourseReport(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(range, rangeOf(request));
    TRY_ASSIGN(report, courseReport(api.services, caller, id, range));
    const auto now = api.services.clock.nowMs();
    const CourseFigures& f = report.figures;
    nlohmann::json windows = nlohmann::json::array();
    for (const WindowFigures& w : f.windows)
        windows.push_back(windowFiguresJson(w, now));
    nlohmann::json people = nlohmann::json::array();
    for (const PersonFigures& p : f.people)
        people.push_back(personFiguresJson(p));
    nlohmann::json alerts = nlohmann::json::array();
    for (const Alert& a : f.alerts)
        alerts.push_back(alertJson(a, report.followUpOf(a), f.course.timezone));
    // Who of the volunteers (TAs and teachers) came, and how often.
    nlohmann::json participation = nlohmann::json::array();
    for (const PersonFigures& p : f.people)
        if (p.member.role != Role::Student)
            participation.push_back({{"person", p.member.publicId},
                                     {"name", p.member.displayName},
                                     {"role", sync::toString(p.member.role)},
                                     {"came", p.tally.present},
                                     {"classes", p.tally.counted()},
                                     {"percent", rounded(p.tally.attendancePercent())}});
    TRY_ASSIGN(slack, slackStatus(api.services, caller, id));
    return jsonResponse(200, {{"report",
                               {{"course", courseJson(f.course, std::nullopt)},
                                {"slack", slackJson(slack)},
                                {"volunteer_participation", participation},
                                {"range", rangeJson(f.range)},
                                {"trainees", tallyJson(f.trainees)},
                                {"volunteers", tallyJson(f.volunteers)},
                                {"weeks", weeksJson(f.weeks)},
                                {"windows", windows},
                                {"people", people},
                                {"alerts", alerts}}}});
}

Result<Response> getWindowReport(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(report, windowReport(api.services, caller, id));
    nlohmann::json j = windowFiguresJson(report.figures, api.services.clock.nowMs());
    nlohmann::json alerts = nlohmann::json::array();
    for (const Alert& a : report.alerts)
        alerts.push_back(alertJson(a, nullptr, report.course.timezone));
    j["alerts"] = alerts;
    j["summary"] = windowSummary(report);
    return jsonResponse(200, {{"report", j}});
}

Result<Response> getPersonRecord(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(course, uuidParam(request, "course"));
    TRY_ASSIGN(person, publicIdParam(request, "person"));
    TRY_ASSIGN(report, personReport(api.services, caller, course, person));
    nlohmann::json records = nlohmann::json::array();
    nlohmann::json notes = nlohmann::json::array();
    for (const AttendanceRecord& r : report.records) {
        records.push_back(recordJson(r));
        for (Flag f : r.flags)
            if (const auto it = report.flagNotes.find({r.window, f}); it != report.flagNotes.end())
                notes.push_back({{"window", r.window}, {"flag", sync::toString(f)}, {"note", it->second}});
    }
    nlohmann::json history = nlohmann::json::array();
    for (const HistoryEntry& h : report.history) {
        nlohmann::json j = {{"id", h.event.id},
                            {"window", h.event.window},
                            {"window_title", h.windowTitle},
                            {"at", h.event.at},
                            {"by", h.event.actorName},
                            {"from_kiosk", h.event.fromKiosk}};
        if (h.event.kind == HistoryEvent::Kind::Correction) {
            j["kind"] = "correction";
            j["reason"] = h.event.text;
            j["status"] = h.event.present ? "present" : (h.event.excused ? "excused" : "absent");
            j["before"] = h.before ? nlohmann::json(toString(*h.before)) : nlohmann::json(nullptr);
        } else {
            j["kind"] = "flag";
            j["note"] = h.event.text;
            j["flag"] = sync::toString(h.event.flag);
            j["set"] = h.event.set;
            j["was_set"] = h.wasSet;
        }
        history.push_back(std::move(j));
    }
    nlohmann::json out = personFiguresJson(report.figures);
    out["course"] = courseJson(report.course, std::nullopt);
    out["records"] = records;
    out["flag_notes"] = notes;
    out["history"] = history;
    return jsonResponse(200, {{"record", out}});
}

Result<Response> getCohort(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(view, cohortView(api.services, caller, id));
    return jsonResponse(200, {{"cohort",
                               {{"course", courseJson(view.course, std::nullopt)},
                                {"trainees", tallyJson(view.trainees)},
                                {"weeks", weeksJson(view.weeks)},
                                {"mine", view.mine ? personFiguresJson(*view.mine) : nlohmann::json(nullptr)}}}});
}

Result<Response> getOverview(ApiContext& api, const Request& request, bool csv)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(range, rangeOf(request));
    TRY_ASSIGN(o, overview(api.services, caller, range));
    if (csv) {
        Response response{200, "text/csv; charset=utf-8", overviewCsv(o), {}};
        response.withHeader("Content-Disposition", "attachment; filename=\"overview.csv\"");
        return response;
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const OverviewRow& r : o.rows)
        rows.push_back({{"course", courseJson(r.course, std::nullopt)},
                        {"trainees", tallyJson(r.trainees)},
                        {"needing_attention", r.needingAttention},
                        {"previous_attendance_percent", rounded(r.previousAttendance)},
                        {"trend_points", rounded(r.trend)}});
    nlohmann::json volunteers = nlohmann::json::array();
    for (const VolunteerRow& v : o.volunteers)
        volunteers.push_back({{"person", v.member.publicId},
                              {"name", v.member.displayName},
                              {"courses", v.courses},
                              {"came", v.tally.present},
                              {"classes", v.tally.counted()},
                              {"percent", rounded(v.tally.attendancePercent())}});
    return jsonResponse(200, {{"overview", {{"range", rangeJson(o.range)}, {"courses", rows}, {"volunteers", volunteers}}}});
}

Result<Response> getRecordsCsv(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(range, rangeOf(request));
    TRY_ASSIGN(text, recordsCsv(api.services, caller, id, range));
    Response response{200, "text/csv; charset=utf-8", std::move(text), {}};
    response.withHeader("Content-Disposition", "attachment; filename=\"records.csv\"");
    return response;
}

Result<Response> postFollowUp(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"person", "kind", "since", "note"});
    const std::string person = r.text("person", 64);
    const std::string kind = r.text("kind", 32);
    const std::string since = r.text("since", 10);
    const std::string note = r.text("note", imhere::limits::k_maxReasonBytes);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY(followUpAlert(api.services, caller, id, person, kind, since, note));
    return getCourseReport(api, request);
}

Result<Response> patchCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"name", "late_after_min", "absent_after_min", "window_length_min", "close_grace_min",
                 "alert_below_percent", "alert_absent_run", "slack_webhook_url"});
    // A webhook URL, or null to stop posting to Slack; checked before
    // anything changes.
    std::optional<std::optional<std::string>> webhook;
    if (const auto it = body.find("slack_webhook_url"); it != body.end()) {
        if (it->is_null())
            webhook.emplace();
        else
            webhook.emplace(r.text("slack_webhook_url", limits::k_slackMaxWebhookBytes));
    }
    CourseSettings s;
    s.name = r.optionalText("name", imhere::limits::k_maxNameBytes);
    auto integer = [&](const char* key, std::int64_t min, std::int64_t max) -> std::optional<int> {
        const auto v = r.optionalInteger(key, min, max);
        return v ? std::optional(static_cast<int>(*v)) : std::nullopt;
    };
    s.lateAfterMin = integer("late_after_min", 0, 24 * 60);
    s.absentAfterMin = integer("absent_after_min", 0, 24 * 60);
    s.windowLengthMin = integer("window_length_min", 1, 24 * 60);
    s.closeGraceMin = integer("close_grace_min", 0, 24 * 60);
    s.alertBelowPercent = integer("alert_below_percent", 0, 100);
    s.alertAbsentRun = integer("alert_absent_run", 0, 50);
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    if (webhook && *webhook)
        TRY(checkSlackWebhook(**webhook, api.services.slackLoopback));
    TRY_ASSIGN(course, changeCourseSettings(api.services, caller, id, s));
    if (webhook)
        TRY(setSlackWebhook(api.services, caller, id, *webhook));
    TRY_ASSIGN(access, api.services.access(caller, id));
    TRY_ASSIGN(stored, api.services.store.outbox().slackWebhook(id));
    nlohmann::json j = courseJson(course, access.role);
    j["slack_webhook"] = stored ? nlohmann::json(maskSlackWebhook(*stored)) : nlohmann::json(nullptr);
    return jsonResponse(200, {{"course", j}});
}

Result<Response> postReopen(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(window, reopenWindow(api.services, caller, id));
    return jsonResponse(200, {{"window", windowJson(window, api.services.clock.nowMs())}});
}

Result<Response> putLead(ApiContext& api, const Request& request, bool lead)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(person, publicIdParam(request, "person"));
    TRY(setLead(api.services, caller, person, lead));
    TRY_ASSIGN(p, api.services.personById(person));
    return jsonResponse(200, {{"person", personJson(p, true)}});
}

} // namespace

void addReportRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/courses/{course}/report",
               wrap([&api](const Request& r) { return getCourseReport(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/cohort", wrap([&api](const Request& r) { return getCohort(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/records.csv",
               wrap([&api](const Request& r) { return getRecordsCsv(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/people/{person}/record",
               wrap([&api](const Request& r) { return getPersonRecord(api, r); }));
    router.add("POST", "/api/v1/courses/{course}/alerts/follow-ups",
               wrap([&api](const Request& r) { return postFollowUp(api, r); }));
    router.add("PATCH", "/api/v1/courses/{course}", wrap([&api](const Request& r) { return patchCourse(api, r); }));
    router.add("GET", "/api/v1/windows/{window}/report",
               wrap([&api](const Request& r) { return getWindowReport(api, r); }));
    router.add("POST", "/api/v1/windows/{window}/reopen", wrap([&api](const Request& r) { return postReopen(api, r); }));
    router.add("GET", "/api/v1/reports/overview", wrap([&api](const Request& r) { return getOverview(api, r, false); }));
    router.add("GET", "/api/v1/reports/overview.csv",
               wrap([&api](const Request& r) { return getOverview(api, r, true); }));
    router.add("PUT", "/api/v1/people/{person}/lead", wrap([&api](const Request& r) { return putLead(api, r, true); }));
    router.add("DELETE", "/api/v1/people/{person}/lead",
               wrap([&api](const Request& r) { return putLead(api, r, false); }));
}

} // namespace imhere::server
