// GET /api/public/v1/...: courses, a course's windows with their counts, its
// attendance entry by entry, its weekly summary, its milestones, and the
// trainee object with their milestones.
// People appear only by public id; suppressed figures are null beside
// "suppressed": true (service/publicview.h).

#include "publichttp.h"

#include "sync-server/service/milestones.h"
#include "sync-server/service/publicview.h"

#include "core/timezone.h"

#include <cmath>

namespace imhere::server {

namespace {

// Per cent with one decimal.
nlohmann::json pct(const std::optional<double>& v)
{
    return v ? nlohmann::json(std::round(*v * 10.0) / 10.0) : nlohmann::json(nullptr);
}

std::string dateOf(const Course& course, const std::optional<std::int64_t>& startMs)
{
    if (!startMs)
        return {};
    const auto day = localDate(course.timezone, *startMs);
    return day ? isoDate(*day) : std::string();
}

nlohmann::json orNull(const std::string& text)
{
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json flagsJson(const std::vector<Flag>& flags)
{
    nlohmann::json out = nlohmann::json::array();
    for (const Flag f : flags)
        out.push_back(std::string(toString(f)));
    return out;
}

// Status, lateness, where and flags of one record.
void describeRecord(nlohmann::json& out, const AttendanceRecord& r)
{
    out["status"] = r.status ? nlohmann::json(std::string(toString(*r.status))) : nlohmann::json(nullptr);
    out["minutes_late"] = r.status == AttendanceStatus::Late ? nlohmann::json(r.minutesLate) : nlohmann::json(nullptr);
    out["where"] = r.present ? nlohmann::json(r.remote ? "remote" : "room") : nlohmann::json(nullptr);
    out["flags"] = flagsJson(r.flags);
}

std::string courseLink(const std::string& id)
{
    return "/api/public/v1/courses/" + id;
}

Result<Response> courses(PublicApi& api, const Request& request)
{
    TRY_ASSIGN(page, pageRequest(request, {}));
    TRY_ASSIGN(all, publicCourses(api.services));
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = page.offset; i < all.size() && i < page.offset + page.limit; ++i) {
        const auto& c = all[i];
        items.push_back({{"id", c.course.id},
                         {"name", c.course.name},
                         {"timezone", c.course.timezone},
                         {"schedule",
                          {{"late_after_min", c.course.lateAfterMin},
                           {"absent_after_min", c.course.absentAfterMin},
                           {"window_length_min", c.course.windowLengthMin}}},
                         {"windows", c.windows},
                         {"trainees", c.trainees ? nlohmann::json(*c.trainees) : nlohmann::json(nullptr)},
                         {"suppressed", !c.trainees},
                         {"links",
                          {{"windows", courseLink(c.course.id) + "/windows"},
                           {"attendance", courseLink(c.course.id) + "/attendance"},
                           {"summary", courseLink(c.course.id) + "/summary"}}}});
    }
    const auto body = pageOf(request, page, "courses", std::move(items), all.size());
    Response r = jsonResponse(200, body);
    linkNext(r, body);
    return r;
}

Result<Response> windows(PublicApi& api, const Request& request)
{
    TRY_ASSIGN(course, uuidParam(request, "course"));
    TRY_ASSIGN(page, pageRequest(request, {}));
    TRY_ASSIGN(c, api.services.liveCourse(course));
    TRY_ASSIGN(found, publicWindows(api.services, course, page));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& w : found.items) {
        const auto start = w.window.startMs();
        nlohmann::json counts = nullptr;
        if (w.counts)
            counts = {{"trainees", w.counts->people}, {"present", w.counts->present}, {"on_time", w.counts->onTime},
                      {"late", w.counts->late},       {"absent", w.counts->absent},   {"excused", w.counts->excused},
                      {"remote", w.counts->remote}};
        items.push_back({{"id", w.window.id},
                         {"title", w.window.title},
                         {"date", orNull(dateOf(c, start))},
                         {"start", start ? nlohmann::json(formatRfc3339(*start)) : nlohmann::json(nullptr)},
                         {"state", std::string(toString(w.phase))},
                         {"counts", counts},
                         {"suppressed", !w.counts}});
    }
    const auto body = pageOf(request, page, "windows", std::move(items), found.total);
    Response r = jsonResponse(200, body);
    linkNext(r, body);
    return r;
}

// ?from= and ?to= as days in the course's time zone, `to` included.
Result<std::optional<std::int64_t>> dayParam(const Request& request, const Course& course, const char* name,
                                             int addDays)
{
    const auto it = request.query.find(name);
    if (it == request.query.end())
        return std::optional<std::int64_t>();
    const auto day = parseIsoDate(it->second);
    if (!day)
        return std::unexpected(invalid(std::string(name) + ": a date as YYYY-MM-DD"));
    const auto next = civilFromDays(daysFromCivil(day->y, day->m, day->d) + addDays);
    TRY_ASSIGN(ms, utcFromLocal(course.timezone, LocalDateTime{next.y, next.m, next.d, 0, 0, 0}));
    return std::optional(ms);
}

Result<Response> attendance(PublicApi& api, const Request& request)
{
    TRY_ASSIGN(course, uuidParam(request, "course"));
    TRY_ASSIGN(page, pageRequest(request, {"from", "to"}));
    TRY_ASSIGN(c, api.services.liveCourse(course));
    TRY_ASSIGN(from, dayParam(request, c, "from", 0));
    TRY_ASSIGN(to, dayParam(request, c, "to", 1));
    if (from && to && *from >= *to)
        return std::unexpected(invalid("to: on or after from"));
    TRY_ASSIGN(found, publicAttendance(api.services, course, from, to, page));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : found.items) {
        nlohmann::json entry = {{"trainee", r.person}, {"window", r.window}, {"date", orNull(dateOf(c, r.windowStart))}};
        describeRecord(entry, r);
        items.push_back(std::move(entry));
    }
    const auto body = pageOf(request, page, "attendance", std::move(items), found.total);
    Response r = jsonResponse(200, body);
    linkNext(r, body);
    return r;
}

Result<Response> summary(PublicApi& api, const Request& request)
{
    TRY_ASSIGN(course, uuidParam(request, "course"));
    if (!request.query.empty())
        return std::unexpected(invalid(request.query.begin()->first.substr(0, 40)
                                       + ": the summary is one answer and takes no parameters"));
    TRY(api.services.liveCourse(course));
    TRY_ASSIGN(weeks, publicSummary(api.services, course));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& w : weeks) {
        items.push_back({{"week_of", isoDate(w.monday)},
                         {"windows", w.windows},
                         {"trainees", w.trainees ? nlohmann::json(w.trainees->people) : nlohmann::json(nullptr)},
                         {"attendance_pct", w.trainees ? pct(w.trainees->attendancePercent()) : nlohmann::json(nullptr)},
                         {"on_time_pct", w.trainees ? pct(w.trainees->onTimePercent()) : nlohmann::json(nullptr)},
                         {"suppressed", !w.trainees}});
    }
    return jsonResponse(200, {{"course", course}, {"weeks", items}});
}

std::string dayOf(std::int64_t ms)
{
    return isoDate(civilFromDays(floorDiv(ms, 24LL * 3'600'000)));
}

// A milestone as the public API shows it: a trainee's own without its title.
nlohmann::json publicMilestoneJson(const Milestone& m)
{
    nlohmann::json j = {{"milestone", m.id},
                        {"kind", m.course ? "course" : "personal"},
                        {"title", m.course ? nlohmann::json(m.fields.title) : nlohmann::json(nullptr)},
                        {"metric", tokenOf(m.fields.metric)},
                        {"scope", m.fields.scope},
                        {"target", m.fields.target},
                        {"due", dayOf(m.fields.dueAt)}};
    if (m.course)
        j["course"] = *m.course;
    return j;
}

nlohmann::json publicProgressJson(const MilestoneProgress& p)
{
    nlohmann::json j = publicMilestoneJson(p.milestone);
    j["percent"] = std::round(p.percent * 10) / 10;
    j["reached"] = p.reached;
    j["state"] = tokenOf(p.state);
    return j;
}

Result<Response> milestones(PublicApi& api, const Request& request)
{
    TRY_ASSIGN(course, uuidParam(request, "course"));
    if (!request.query.empty())
        return std::unexpected(invalid(request.query.begin()->first.substr(0, 40)
                                       + ": the milestones are one answer and take no parameters"));
    TRY_ASSIGN(view, publicCourseMilestones(api.services, course));
    nlohmann::json list = nlohmann::json::array();
    for (const PublicCourseMilestone& m : view.milestones) {
        nlohmann::json j = publicMilestoneJson(m.milestone);
        const auto count = [&](int PublicMilestoneCounts::*field) {
            return m.counts ? nlohmann::json((*m.counts).*field) : nlohmann::json(nullptr);
        };
        j["trainees"] = count(&PublicMilestoneCounts::trainees);
        j["on_track"] = count(&PublicMilestoneCounts::onTrack);
        j["behind"] = count(&PublicMilestoneCounts::behind);
        j["at_risk"] = count(&PublicMilestoneCounts::atRisk);
        j["reached"] = count(&PublicMilestoneCounts::reached);
        j["suppressed"] = !m.counts;
        list.push_back(std::move(j));
    }
    nlohmann::json personal = {{"trainees", view.personal ? nlohmann::json(view.personal->trainees) : nlohmann::json(nullptr)},
                               {"milestones", view.personal ? nlohmann::json(view.personal->milestones) : nlohmann::json(nullptr)},
                               {"on_track", view.personal ? nlohmann::json(view.personal->onTrack) : nlohmann::json(nullptr)},
                               {"suppressed", !view.personal}};
    nlohmann::json trainees = nlohmann::json::array();
    for (const PublicTraineeProgress& t : view.trainees) {
        nlohmann::json progress = nlohmann::json::array();
        for (const MilestoneProgress& p : t.progress)
            progress.push_back({{"milestone", p.milestone.id},
                                {"percent", std::round(p.percent * 10) / 10},
                                {"reached", p.reached},
                                {"state", tokenOf(p.state)}});
        trainees.push_back({{"trainee", t.publicId}, {"milestones", std::move(progress)}});
    }
    return jsonResponse(200, {{"course", course},
                              {"milestones", std::move(list)},
                              {"personal", std::move(personal)},
                              {"trainees", std::move(trainees)}});
}

Result<Response> trainee(PublicApi& api, const Request& request)
{
    TRY_ASSIGN(id, publicIdParam(request, "public_id"));
    if (!request.query.empty())
        return std::unexpected(invalid(request.query.begin()->first.substr(0, 40)
                                       + ": the trainee object takes no parameters"));
    TRY_ASSIGN(t, publicTrainee(api.services, id));
    nlohmann::json courseList = nlohmann::json::array();
    for (const auto& c : t.courses) {
        nlohmann::json windowList = nlohmann::json::array();
        for (const auto& r : c.records) {
            nlohmann::json w = {{"window", r.window},
                                {"title", r.windowTitle},
                                {"date", orNull(dateOf(c.course, r.windowStart))}};
            describeRecord(w, r);
            windowList.push_back(std::move(w));
        }
        courseList.push_back({{"id", c.course.id},
                              {"name", c.course.name},
                              {"attendance_pct", pct(c.tally.attendancePercent())},
                              {"on_time_pct", pct(c.tally.onTimePercent())},
                              {"windows", std::move(windowList)}});
    }
    TRY_ASSIGN(own, publicTraineeMilestones(api.services, id));
    nlohmann::json milestoneList = nlohmann::json::array();
    for (const auto* list : {&own.course, &own.personal})
        for (const MilestoneProgress& p : *list)
            milestoneList.push_back(publicProgressJson(p));
    return jsonResponse(200, {{"public_id", t.publicId},
                              {"courses", std::move(courseList)},
                              {"milestones", std::move(milestoneList)}});
}

} // namespace

void addPublicRoutes(Router& router, PublicApi& api)
{
    const RouteOptions noBody{0, refuseBodies()};
    auto get = [&](const std::string& pattern, std::function<Result<Response>(PublicApi&, const Request&)> f) {
        router.add("GET", pattern, publicGet(api, [&api, f](const Request& r) { return f(api, r); }), noBody);
        router.add("OPTIONS", pattern, publicPreflight(), noBody);
    };
    get("/api/public/v1/courses", courses);
    get("/api/public/v1/courses/{course}/windows", windows);
    get("/api/public/v1/courses/{course}/attendance", attendance);
    get("/api/public/v1/courses/{course}/summary", summary);
    get("/api/public/v1/courses/{course}/milestones", milestones);
    get("/api/public/v1/trainees/{public_id}", trainee);
}

} // namespace imhere::server
