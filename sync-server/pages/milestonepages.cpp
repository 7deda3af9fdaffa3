// Milestones (service/milestones.h): My milestones (my own and my courses',
// my GitHub and Codewars names, progress over time), a mentor's view of one
// trainee, a course's overview with its milestones, and the forms that set,
// change, delete and confirm them.

#include "pages.h"

#include "sync-server/service/milestones.h"
#include "sync-server/service/sheetcells.h"
#include "sync-server/web/charts.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include "core/result.h"

#include <charconv>
#include <cmath>

namespace imhere::server {

namespace {

// The points a chart draws: the latest ones.
constexpr std::size_t k_chartPoints = 20;

using Problems = std::vector<std::pair<std::string, std::string>>;

std::string number(double v)
{
    if (v == std::floor(v) && std::fabs(v) < 1e12)
        return std::to_string(static_cast<long long>(v));
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

std::string dayText(std::int64_t ms)
{
    return isoDate(civilFromDays(floorDiv(ms, 24LL * 3'600'000)));
}

// "120 honor", "6 kyu", "7 pull requests", "72 %".
std::string valueText(MilestoneMetric metric, double v)
{
    switch (metric) {
    case MilestoneMetric::CodewarsHonor: return number(v) + " honor";
    case MilestoneMetric::CodewarsRank: return v == 0 ? "unranked" : rankName(static_cast<int>(v));
    case MilestoneMetric::CodewarsKatas: return number(v) + (v == 1 ? " kata" : " katas");
    case MilestoneMetric::GithubPrsMerged: return number(v) + (v == 1 ? " pull request" : " pull requests");
    case MilestoneMetric::AttendancePercent:
    case MilestoneMetric::OnTimePercent: return number(std::round(v * 10) / 10) + " %";
    case MilestoneMetric::Manual: return v >= 1 ? "confirmed" : "not confirmed yet";
    }
    return number(v);
}

std::string whatText(const Milestone& m, const std::map<std::string, std::string>& courseNames)
{
    std::string text(labelOf(m.fields.metric));
    if (!m.fields.scope.empty()) {
        if (isRate(m.fields.metric)) {
            const auto it = courseNames.find(m.fields.scope);
            text += " in " + (it == courseNames.end() ? std::string("a course") : it->second);
        } else {
            text += (m.fields.metric == MilestoneMetric::GithubPrsMerged ? " in " : " in ") + m.fields.scope;
        }
    }
    if (m.fields.metric != MilestoneMetric::Manual)
        text += ": " + valueText(m.fields.metric, m.fields.target);
    return text + ", due " + dayText(m.fields.dueAt);
}

std::string stateTag(MilestoneState state)
{
    return "<span class=\"tag " + std::string(tokenOf(state)) + "\">" + std::string(labelOf(state)) + "</span>";
}

// One milestone as a card: what it measures, where it stands, its chart.
std::string progressCard(const MilestoneProgress& p, const std::map<std::string, std::string>& courseNames,
                         const std::map<std::string, std::vector<MetricSnapshot>>& history, const std::string& actions)
{
    const Milestone& m = p.milestone;
    std::string html = "<li class=\"card\"><h3>" + web::escape(m.fields.title) + "</h3>";
    if (p.courseName)
        html += "<p class=\"muted\">Set by " + web::escape(*p.courseName) + "</p>";
    if (!m.fields.description.empty())
        html += "<p>" + web::escape(m.fields.description) + "</p>";
    html += "<p>" + web::escape(whatText(m, courseNames)) + "</p><p>" + stateTag(p.state) + " ";
    if (p.value)
        html += web::escape(valueText(m.fields.metric, *p.value)) + " · " + number(std::round(p.percent)) + " %";
    else
        html += "not measured yet";
    html += "</p><span class=\"meter\" aria-hidden=\"true\"><span style=\"width:" + number(std::round(p.percent))
        + "%\"></span></span>";
    if (p.confirmation)
        html += "<p>Confirmed by " + web::escape(p.confirmation->actorName) + " on " + dayText(p.confirmation->at)
            + ": " + web::escape(p.confirmation->note) + "</p>";
    const std::string key = metricKey(m.fields);
    if (const auto it = history.find(key); it != history.end() && it->second.size() >= 2) {
        const auto& all = it->second;
        const std::size_t from = all.size() > k_chartPoints ? all.size() - k_chartPoints : 0;
        std::vector<std::string> labels;
        web::ChartSeries series{"Progress", {}, "#1d70b8", false};
        std::string rows;
        for (std::size_t i = from; i < all.size(); ++i) {
            const double percent = progressPercent(m.fields.metric, all[i].value, m.fields.target);
            labels.push_back(dayText(all[i].at).substr(5));
            series.values.emplace_back(percent);
            rows += "<tr><th scope=\"row\">" + dayText(all[i].at) + "</th><td>"
                + web::escape(valueText(m.fields.metric, all[i].value)) + "</td><td>" + number(std::round(percent))
                + " %</td></tr>";
        }
        const std::string id = "m" + std::to_string(m.id);
        html += "<div class=\"chart\">"
            + web::lineChart(id, "Progress over time", "Progress towards \"" + m.fields.title + "\" by date, 0 to 100 %",
                             labels, {series})
            + "</div><details><summary>Progress over time as a table</summary><div class=\"table-wrap\"><table>"
              "<caption>Values measured for " + web::escape(m.fields.title)
            + "</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Value</th><th scope=\"col\">Progress"
              "</th></tr></thead><tbody>" + rows + "</tbody></table></div></details>";
    }
    return html + actions + "</li>";
}

std::string errorsSection(const std::vector<HarvestError>& errors, bool own)
{
    if (errors.empty())
        return {};
    std::string html = "<div class=\"error-summary\" role=\"region\" aria-labelledby=\"harvest-errors\"><h2 "
                       "id=\"harvest-errors\">Progress could not be checked</h2><ul>";
    for (const HarvestError& e : errors)
        html += "<li>" + web::escape(e.message) + " (" + dayText(e.at) + ")</li>";
    html += "</ul>";
    if (own)
        html += "<p>Check your usernames below; the next check runs within the hour.</p>";
    return html + "</div>";
}

// The form that sets or changes a milestone.
struct FormValues {
    MilestoneInput input;
    std::string course; // a personal attendance milestone's course
};

FormValues valuesOf(const Milestone& m)
{
    FormValues v;
    v.input = {m.fields.title, m.fields.description, std::string(tokenOf(m.fields.metric)),
               isRate(m.fields.metric) ? "" : m.fields.scope,
               m.fields.metric == MilestoneMetric::CodewarsRank ? rankName(static_cast<int>(m.fields.target))
                                                               : number(m.fields.target),
               dayText(m.fields.dueAt)};
    if (m.owner && isRate(m.fields.metric))
        v.course = m.fields.scope;
    return v;
}

FormValues valuesOf(const web::FormData& form)
{
    return {{form.text("title"), form.text("description"), form.text("metric"), form.text("scope"), form.text("target"),
             form.text("due")},
            form.text("course")};
}

// The input with a personal attendance milestone's course as its scope.
MilestoneInput inputOf(const FormValues& v, bool personal)
{
    MilestoneInput in = v.input;
    const auto metric = milestoneMetricFrom(in.metric);
    if (personal && metric && isRate(*metric))
        in.scope = v.course;
    return in;
}

std::string milestoneForm(const std::string& action, const std::string& submit, const Caller& caller,
                          const FormValues& v, const Problems& problems, const std::vector<Course>* courses)
{
    auto errorFor = [&](const std::string& name) {
        for (const auto& [field, message] : problems)
            if (field == name || (name == "course" && field == "scope" && courses
                                  && milestoneMetricFrom(v.input.metric)
                                  && isRate(*milestoneMetricFrom(v.input.metric))))
                return message;
        return std::string();
    };
    std::vector<web::Choice> metrics;
    for (const MilestoneMetric m : {MilestoneMetric::CodewarsHonor, MilestoneMetric::CodewarsRank,
                                    MilestoneMetric::CodewarsKatas, MilestoneMetric::GithubPrsMerged,
                                    MilestoneMetric::AttendancePercent, MilestoneMetric::OnTimePercent,
                                    MilestoneMetric::Manual})
        metrics.push_back({std::string(tokenOf(m)), std::string(labelOf(m))});
    std::string html = "<form method=\"post\" action=\"" + web::escape(action) + "\" novalidate>"
        + web::csrfInput(caller.principal.csrfToken)
        + web::renderField({.name = "title", .label = "Title", .value = v.input.title,
                            .hint = "For example: Reach 5 kyu on Codewars", .error = errorFor("title"),
                            .required = true})
        + web::renderField({.name = "description", .label = "Description (optional)", .type = "textarea",
                            .value = v.input.description, .error = errorFor("description")})
        + web::renderSelect({.name = "metric", .label = "What it measures", .value = v.input.metric,
                             .error = errorFor("metric")},
                            metrics)
        + web::renderField({.name = "scope", .label = "Language or organisation (optional)", .value = v.input.scope,
                            .hint = "Codewars katas: one language, e.g. python. GitHub: one organisation, "
                                    "e.g. CodeYourFuture. Empty: all of them",
                            .error = courses ? std::string() : errorFor("scope")});
    if (courses) {
        std::vector<web::Choice> choices{{"", "Not about attendance"}};
        for (const Course& c : *courses)
            choices.push_back({c.id, c.name});
        html += web::renderSelect({.name = "course", .label = "Course (attendance and on time only)",
                                   .value = v.course, .error = errorFor("course")},
                                  choices);
    }
    html += web::renderField({.name = "target", .label = "Target", .value = v.input.target,
                              .hint = "A number (honor, katas, pull requests, a percentage), or a rank such as "
                                      "5 kyu. Not needed for a milestone a mentor confirms",
                              .error = errorFor("target")})
        + web::renderField({.name = "due", .label = "Due date", .type = "date", .value = v.input.due,
                            .hint = "YYYY-MM-DD", .error = errorFor("due"), .required = true})
        + "<button type=\"submit\">" + web::escape(submit) + "</button></form>";
    return html;
}

std::map<std::string, std::string> namesOf(const std::vector<Course>& courses)
{
    std::map<std::string, std::string> out;
    for (const Course& c : courses)
        out.emplace(c.id, c.name);
    return out;
}

Result<std::int64_t> idOf(const Request& request)
{
    const std::string& text = request.param("id");
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return fail(Errc::NotFound, "no such milestone");
    return id;
}

Problems problemsOf(const Error& error)
{
    const auto colon = error.message.find(':');
    if (colon == std::string::npos)
        return {{"title", error.message}};
    return {{error.message.substr(0, colon), error.message.substr(colon + 2)}};
}

// ---- My milestones ----

Result<Response> myPage(Services& services, const Request& request, const Caller& caller, const FormValues& add,
                        const Problems& addProblems, const Problems& nameProblems, int status)
{
    TRY_ASSIGN(mine, myMilestones(services, caller));
    const auto names = namesOf(mine.courses);
    auto frame = frameFor(caller, "My milestones", "/me/milestones");
    std::string& m = frame.main;
    m += web::errorSummary(status == 422 ? (addProblems.empty() ? nameProblems : addProblems) : Problems{})
        + "<h1>My milestones</h1><p class=\"lead\">Set your own goals beside your course's. Progress on GitHub and "
          "Codewars is checked every hour; attendance comes from your records.</p>";
    m += errorsSection(mine.errors, true);
    m += "<h2>My own milestones</h2>";
    if (mine.personal.empty())
        m += "<p>You have not set any yet. Add one below.</p>";
    else {
        m += "<ul class=\"cards\">";
        for (const MilestoneProgress& p : mine.personal) {
            const std::string id = std::to_string(p.milestone.id);
            const std::string actions =
                "<div class=\"actions\"><a class=\"button\" href=\"/milestones/" + id + "/edit\" aria-label=\"Change "
                + web::escape(p.milestone.fields.title) + "\">Change</a>"
                + web::renderButtonForm({.action = "/milestones/" + id + "/delete", .label = "Delete",
                                         .csrfToken = caller.principal.csrfToken, .style = "warning",
                                         .accessibleLabel = "Delete " + p.milestone.fields.title})
                + "</div>";
            m += progressCard(p, names, mine.history, actions);
        }
        m += "</ul>";
    }
    m += "<h2>My courses' milestones</h2>";
    if (mine.course.empty())
        m += "<p>Your courses have not set any milestones yet.</p>";
    else {
        m += "<ul class=\"cards\">";
        for (const MilestoneProgress& p : mine.course)
            m += progressCard(p, names, mine.history, "");
        m += "</ul>";
    }
    m += "<h2>Add a milestone</h2>"
        + milestoneForm("/me/milestones", "Add milestone", caller, add, addProblems, &mine.courses);
    auto nameError = [&](const std::string& field) {
        for (const auto& [f, message] : nameProblems)
            if (f == field)
                return message;
        return std::string();
    };
    m += "<h2>My GitHub and Codewars names</h2><form method=\"post\" action=\"/me/usernames\" novalidate>"
        + web::csrfInput(caller.principal.csrfToken)
        + web::renderField({.name = "github", .label = "GitHub username",
                            .value = caller.person.github.value_or(""), .hint = "Empty: not checked",
                            .error = nameError("github"), .autocomplete = "off"})
        + web::renderField({.name = "codewars", .label = "Codewars username",
                            .value = caller.person.codewars.value_or(""), .hint = "Empty: not checked",
                            .error = nameError("codewars"), .autocomplete = "off"})
        + "<button type=\"submit\" class=\"secondary\">Save usernames</button></form>";
    return pageResponse(request, std::move(frame), status);
}

Result<Response> getMine(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    return myPage(services, request, caller, {}, {}, {}, 200);
}

Result<Response> postMine(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    const FormValues v = valuesOf(post.form);
    const auto added = addPersonalMilestone(services, post.caller, inputOf(v, true));
    if (added)
        return redirect("/me/milestones", web::Flash{web::Flash::Kind::Success, "\"" + added->fields.title + "\" is added."});
    if (statusForErrorCode(added.error().code) != 422)
        return std::unexpected(added.error());
    return myPage(services, request, post.caller, v, problemsOf(added.error()), {}, 422);
}

Result<Response> postUsernames(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    const auto set = setMyUsernames(services, post.caller, post.form.text("github"), post.form.text("codewars"));
    if (set)
        return redirect("/me/milestones", web::Flash{web::Flash::Kind::Success, "Your usernames are saved."});
    if (statusForErrorCode(set.error().code) != 422)
        return std::unexpected(set.error());
    return myPage(services, request, post.caller, {}, {}, problemsOf(set.error()), 422);
}

// ---- changing one ----

std::string backOf(const Milestone& m)
{
    return m.course ? "/courses/" + *m.course + "/milestones" : "/me/milestones";
}

Result<Response> editPage(Services& services, const Request& request, const Caller& caller, const Milestone& m,
                          const FormValues& v, const Problems& problems, int status)
{
    auto frame = frameFor(caller, "Change a milestone", m.course ? "" : "/me/milestones");
    std::vector<Course> courses;
    if (m.owner) {
        TRY_ASSIGN(mine, myMilestones(services, caller));
        courses = mine.courses;
    }
    frame.main += web::errorSummary(problems) + "<h1>Change \"" + web::escape(m.fields.title) + "\"</h1>"
        + milestoneForm("/milestones/" + std::to_string(m.id), "Save changes", caller, v, problems,
                        m.owner ? &courses : nullptr)
        + "<p><a href=\"" + web::escape(backOf(m)) + "\">Back without changing</a></p>";
    return pageResponse(request, std::move(frame), status);
}

Result<Milestone> changeableMilestone(Services& services, const Caller& caller, std::int64_t id)
{
    TRY_ASSIGN(m, services.store.milestones().milestone(id));
    if (m.owner && *m.owner != caller.person.id)
        return fail(Errc::NotFound, "no such milestone");
    if (m.course) {
        TRY_ASSIGN(access, services.access(caller, *m.course));
        if (!access.member())
            return fail(Errc::NotFound, "no such milestone");
        TRY(allow(access.teaches(), "only the course's teachers change its milestones"));
    }
    return m;
}

Result<Response> getEdit(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, idOf(request));
    TRY_ASSIGN(m, changeableMilestone(services, caller, id));
    return editPage(services, request, caller, m, valuesOf(m), {}, 200);
}

Result<Response> postEdit(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, idOf(request));
    TRY_ASSIGN(m, changeableMilestone(services, post.caller, id));
    const FormValues v = valuesOf(post.form);
    const auto edited = editMilestone(services, post.caller, id, inputOf(v, m.owner.has_value()));
    if (edited)
        return redirect(backOf(m), web::Flash{web::Flash::Kind::Success, "\"" + edited->fields.title + "\" is changed."});
    if (statusForErrorCode(edited.error().code) != 422)
        return std::unexpected(edited.error());
    return editPage(services, request, post.caller, m, v, problemsOf(edited.error()), 422);
}

Result<Response> postDelete(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, idOf(request));
    TRY_ASSIGN(m, changeableMilestone(services, post.caller, id));
    TRY(deleteMilestone(services, post.caller, id));
    return redirect(backOf(m), web::Flash{web::Flash::Kind::Success, "\"" + m.fields.title + "\" is deleted."});
}

// ---- a mentor's view ----

Result<Response> getTrainee(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(seen, traineeMilestones(services, caller, request.param("person")));
    const auto names = namesOf(seen.courses);
    auto frame = frameFor(caller, seen.person.displayName + "'s milestones", "");
    std::string& m = frame.main;
    m += "<h1>" + web::escape(seen.person.displayName) + "'s milestones</h1><p class=\"lead\">GitHub: "
        + web::escape(seen.person.github.value_or("not given")) + " · Codewars: "
        + web::escape(seen.person.codewars.value_or("not given")) + "</p>";
    m += errorsSection(seen.errors, false);
    auto actionsFor = [&](const MilestoneProgress& p) -> std::string {
        if (!seen.mayConfirm || p.milestone.fields.metric != MilestoneMetric::Manual || p.confirmation)
            return "";
        const std::string field = "note-" + std::to_string(p.milestone.id);
        return "<form method=\"post\" action=\"/milestones/" + std::to_string(p.milestone.id) + "/confirm\" novalidate>"
            + web::csrfInput(caller.principal.csrfToken) + web::hiddenInput("person", seen.person.publicId)
            + web::renderField({.name = field, .label = "What did you see?", .hint = "Confirms this milestone"})
            + "<button type=\"submit\" class=\"secondary\">Confirm</button></form>";
    };
    for (const auto& [heading, list] : {std::pair{"Their own milestones", &seen.personal},
                                        std::pair{"Their courses' milestones", &seen.course}}) {
        m += "<h2>" + std::string(heading) + "</h2>";
        if (list->empty()) {
            m += "<p>None yet.</p>";
            continue;
        }
        m += "<ul class=\"cards\">";
        for (const MilestoneProgress& p : *list)
            m += progressCard(p, names, seen.history, actionsFor(p));
        m += "</ul>";
    }
    return pageResponse(request, std::move(frame));
}

Result<Response> postConfirm(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, idOf(request));
    const std::string person = post.form.text("person");
    const std::string back = "/people/" + person + "/milestones";
    const auto done = confirmManualMilestone(services, post.caller, id, person,
                                             post.form.text("note-" + std::to_string(id)));
    if (done)
        return redirect(back, web::Flash{web::Flash::Kind::Success, "The milestone is confirmed."});
    if (statusForErrorCode(done.error().code) != 422)
        return std::unexpected(done.error());
    return redirect(back, web::Flash{web::Flash::Kind::Error, "Say what you saw to confirm it."});
}

// ---- a course's overview ----

Result<Response> coursePage(Services& services, const Request& request, const Caller& caller, const FormValues& add,
                            const Problems& problems, int status)
{
    const auto sort = request.query.find("sort");
    const bool byName = sort != request.query.end() && sort->second == "name";
    TRY_ASSIGN(overview, courseMilestoneOverview(services, caller, request.param("course"), byName));
    const std::string base = "/courses/" + overview.course.id + "/milestones";
    auto frame = frameFor(caller, "Milestones · " + overview.course.name, "");
    std::string& m = frame.main;
    m += web::errorSummary(problems) + "<h1>Milestones</h1><p class=\"lead\">Milestones of <a href=\"/courses/"
        + overview.course.id + "\">" + web::escape(overview.course.name) + "</a> and how each trainee stands.</p>";
    if (overview.milestones.empty())
        m += "<p>The course has not set any milestones yet.</p>";
    else {
        m += "<ul class=\"plain\">";
        for (const Milestone& ms : overview.milestones) {
            m += "<li><strong>" + web::escape(ms.fields.title) + "</strong>: "
                + web::escape(whatText(ms, {{overview.course.id, overview.course.name}}));
            if (overview.mayEdit)
                m += " <a href=\"/milestones/" + std::to_string(ms.id) + "/edit\" aria-label=\"Change "
                    + web::escape(ms.fields.title) + "\">Change</a>";
            m += "</li>";
        }
        m += "</ul>";
    }
    m += "<h2>Trainees</h2><p>" + std::string(byName ? "By name. <a href=\"" + base + "\">Who needs help first</a>"
                                                     : "Who needs help first. <a href=\"" + base
                                                           + "?sort=name\">By name</a>")
        + "</p><div class=\"table-wrap\"><table class=\"stack\"><caption>Milestones of each trainee</caption><thead><tr>"
          "<th scope=\"col\">Trainee</th>";
    for (const Milestone& ms : overview.milestones)
        m += "<th scope=\"col\">" + web::escape(ms.fields.title) + "</th>";
    m += "<th scope=\"col\">Their own</th></tr></thead><tbody>";
    for (const MilestoneRow& row : overview.rows) {
        m += "<tr><th scope=\"row\"><a href=\"/people/" + row.member.publicId + "/milestones\">"
            + web::escape(row.member.displayName) + "</a></th>";
        for (const MilestoneProgress& p : row.progress)
            m += "<td data-label=\"" + web::escape(p.milestone.fields.title) + "\">" + stateTag(p.state) + " "
                + (p.value ? number(std::round(p.percent)) + " %" : std::string("not measured")) + "</td>";
        m += "<td data-label=\"Their own\">" + std::to_string(row.personalOnTrack) + " of "
            + std::to_string(row.personalCount) + " on track</td></tr>";
    }
    m += "</tbody></table></div>";
    if (overview.mayEdit)
        m += "<h2>Add a course milestone</h2>"
            + milestoneForm(base, "Add course milestone", caller, add, problems, nullptr);
    return pageResponse(request, std::move(frame), status);
}

Result<Response> getCourse(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    return coursePage(services, request, caller, {}, {}, 200);
}

Result<Response> postCourse(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    const FormValues v = valuesOf(post.form);
    const auto added = addCourseMilestone(services, post.caller, request.param("course"), inputOf(v, false));
    if (added)
        return redirect("/courses/" + *added->course + "/milestones",
                        web::Flash{web::Flash::Kind::Success, "\"" + added->fields.title + "\" is added."});
    if (statusForErrorCode(added.error().code) != 422)
        return std::unexpected(added.error());
    return coursePage(services, request, post.caller, v, problemsOf(added.error()), 422);
}

} // namespace

Result<std::string> programmeMilestonesSection(Services& services, const Caller& caller)
{
    TRY_ASSIGN(rows, programmeMilestones(services, caller));
    std::string html = "<h2 id=\"milestones\">Milestones</h2><p>How trainees stand on their course's milestones and "
                       "on the ones they set themselves.</p>";
    if (rows.empty())
        return html + "<p>No courses yet.</p>";
    auto counts = [](const StateCounts& c) {
        if (c.total() == 0)
            return std::string("—");
        return std::to_string(c.onTrack) + " on track, " + std::to_string(c.behind) + " behind, "
            + std::to_string(c.atRisk) + " at risk";
    };
    html += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Milestones by course</caption><thead><tr>"
            "<th scope=\"col\">Course</th><th scope=\"col\">Course milestones</th><th scope=\"col\">Trainees' own"
            "</th></tr></thead><tbody>";
    for (const ProgrammeMilestoneRow& r : rows)
        html += "<tr><th scope=\"row\"><a href=\"/courses/" + r.course.id + "/milestones\">" + web::escape(r.course.name)
            + "</a></th><td data-label=\"Course milestones\">" + std::to_string(r.courseMilestones) + " set: "
            + counts(r.ofCourse) + "</td><td data-label=\"Trainees' own\">" + std::to_string(r.traineesWithOwn)
            + " of " + std::to_string(r.trainees) + " trainees set some: " + counts(r.own) + "</td></tr>";
    return html + "</tbody></table></div>";
}

void addMilestonePages(Router& router, Services& services)
{
    router.add("GET", "/me/milestones", page(services, [&services](const Request& r) { return getMine(services, r); }));
    router.add("POST", "/me/milestones", page(services, [&services](const Request& r) { return postMine(services, r); }));
    router.add("POST", "/me/usernames",
               page(services, [&services](const Request& r) { return postUsernames(services, r); }));
    router.add("GET", "/milestones/{id}/edit", page(services, [&services](const Request& r) { return getEdit(services, r); }));
    router.add("POST", "/milestones/{id}", page(services, [&services](const Request& r) { return postEdit(services, r); }));
    router.add("POST", "/milestones/{id}/delete",
               page(services, [&services](const Request& r) { return postDelete(services, r); }));
    router.add("POST", "/milestones/{id}/confirm",
               page(services, [&services](const Request& r) { return postConfirm(services, r); }));
    router.add("GET", "/people/{person}/milestones",
               page(services, [&services](const Request& r) { return getTrainee(services, r); }));
    router.add("GET", "/courses/{course}/milestones",
               page(services, [&services](const Request& r) { return getCourse(services, r); }));
    router.add("POST", "/courses/{course}/milestones",
               page(services, [&services](const Request& r) { return postCourse(services, r); }));
}

} // namespace imhere::server
