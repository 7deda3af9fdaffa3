// The course's trainee tracker page (docs/INTEROP.md): imhere's figures and
// the tracker's score side by side, the register sheet to download, the
// tracker's names for the course, trainees' regions and windows' sprints to
// edit, and an old register to import.

#include "pages.h"

#include "sync-server/service/courseviews.h"
#include "sync-server/service/tracker.h"

#include "core/crypto.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"
#include "sync-server/web/multipart.h"

#include <charconv>
#include <cmath>

namespace imhere::server {

namespace {

std::string percent(int part, int whole)
{
    if (whole == 0)
        return "—";
    return std::to_string(static_cast<int>(std::lround(100.0 * part / whole))) + " %";
}

std::string scoreText(const TrackerScore& score)
{
    if (!score.basisPoints)
        return "—";
    return std::to_string(static_cast<int>(std::lround(*score.basisPoints / 100.0))) + " %";
}

std::string labelTag(const TrackerScore& score)
{
    if (!score.label)
        return "—";
    const char* kind = *score.label == TrackerLabel::OnTrack ? "present"
        : *score.label == TrackerLabel::Behind               ? "late"
                                                             : "absent";
    return "<span class=\"tag " + std::string(kind) + "\">" + std::string(toString(*score.label)) + "</span>";
}

std::string scoresSection(const TrackerView& view)
{
    std::string html = "<h2 id=\"scores\">Trainees</h2>";
    if (view.trainees.empty())
        return html + "<p>No students yet.</p>";
    html += "<p>Attendance and on time are imhere's figures over every closed window. The tracker's score counts one "
            "class a sprint: on time 10, late (more than 10 minutes) 8, signed in on another day 3, absent 0; on track "
            "from 50 %, behind from 25 %, at risk below.</p>";
    html += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Trainees with imhere's figures and the "
            "tracker's score</caption>"
            "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Region</th><th scope=\"col\">Attendance</th>"
            "<th scope=\"col\">On time</th><th scope=\"col\">Tracker score</th><th scope=\"col\">Tracker says</th>"
            "</tr></thead><tbody>";
    for (const auto& t : view.trainees) {
        html += "<tr><th scope=\"row\">" + web::escape(t.person.displayName) + "</th><td data-label=\"Region\">"
            + web::escape(t.person.region.value_or("—")) + "</td><td data-label=\"Attendance\">"
            + percent(t.present, t.counted) + "</td><td data-label=\"On time\">" + percent(t.onTime, t.counted)
            + "</td><td data-label=\"Tracker score\">" + scoreText(t.score) + "</td><td data-label=\"Tracker says\">"
            + labelTag(t.score) + "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

std::string registerSection(const TrackerView& view)
{
    std::string html = "<h2 id=\"register\">Register sheet</h2><p>One row per trainee and sprint with their first "
                       "check-in, in the tracker's format (Name, Email, Timestamp, Course, Module, Day, Location). "
                       + std::to_string(view.rows.size()) + " row(s) today.</p>";
    html += "<p><a href=\"/api/v1/courses/" + view.course.id + "/register.csv\" download>Download the register "
            "(CSV)</a></p>";
    if (!view.withoutEmail.empty()) {
        std::string names;
        for (const auto& n : view.withoutEmail)
            names += (names.empty() ? "" : ", ") + web::escape(n);
        html += "<p>Left out because imhere has no email address for them: " + names + ".</p>";
    }
    return html;
}

std::string namesForm(const TrackerView& view, const std::string& csrf)
{
    const auto& id = view.identity;
    std::string html = "<h2 id=\"names\">Names in the tracker</h2>";
    html += "<form method=\"post\" action=\"/courses/" + view.course.id + "/tracker\">" + web::csrfInput(csrf);
    html += web::renderField({.name = "tracker-course", .label = "Course name in the tracker",
                              .value = id ? id->course : std::string(), .hint = "Such as ITP-2026-01"});
    html += web::renderField({.name = "module", .label = "Module",
                              .value = id ? id->module : std::string(),
                              .hint = "The register sheet's title, such as JS1"});
    html += web::renderField({.name = "first-sprint-day", .label = "First day of sprint 1",
                              .value = id && id->firstSprintDay ? *id->firstSprintDay : std::string(),
                              .hint = "YYYY-MM-DD; leave empty to count weeks from the first window ("
                                  + (view.firstSprintDay.empty() ? std::string("none yet") : view.firstSprintDay) + ")",
                              .inputmode = "numeric"});
    std::string regions;
    for (const auto& t : view.trainees) {
        regions += "<tr><th scope=\"row\"><label for=\"" + web::fieldId("region-" + t.person.publicId) + "\">"
            + web::escape(t.person.displayName) + "</label></th><td><input type=\"text\" id=\""
            + web::fieldId("region-" + t.person.publicId) + "\" name=\"region-" + t.person.publicId + "\" value=\""
            + web::escape(t.person.region.value_or("")) + "\" autocomplete=\"off\"></td></tr>";
    }
    if (!regions.empty()) {
        html += "<details><summary>Regions of " + std::to_string(view.trainees.size())
            + " trainees</summary><div class=\"table-wrap\"><table><caption>Regions (the register's Location)"
              "</caption><thead><tr><th scope=\"col\">Trainee</th><th scope=\"col\">Region</th></tr></thead><tbody>"
            + regions + "</tbody></table></div></details>";
    }
    std::string sprints;
    for (const auto& w : view.windows) {
        const auto set = view.explicitSprint.find(w.id);
        const auto counted = view.windowSprint.find(w.id);
        const std::string field = web::fieldId("sprint-" + w.id);
        sprints += "<tr><th scope=\"row\"><label for=\"" + field + "\">" + web::escape(w.title) + "</label></th><td>"
            + (w.startMs() ? web::escape(web::dateTimeText(view.course.timezone, *w.startMs())) : std::string("—"))
            + "</td><td><input type=\"number\" min=\"1\" max=\"20\" id=\"" + field + "\" name=\"sprint-" + w.id
            + "\" value=\"" + (set == view.explicitSprint.end() ? std::string() : std::to_string(set->second))
            + "\" placeholder=\""
            + (counted == view.windowSprint.end() ? std::string() : std::to_string(counted->second)) + "\"></td></tr>";
    }
    if (!sprints.empty()) {
        html += "<details><summary>Sprints of " + std::to_string(view.windows.size())
            + " windows</summary><div class=\"table-wrap\"><table><caption>Sprints: empty means the window's week "
              "counted from sprint 1's first day (shown greyed)</caption><thead><tr><th scope=\"col\">Window</th>"
              "<th scope=\"col\">Starts</th><th scope=\"col\">Sprint</th></tr></thead><tbody>"
            + sprints + "</tbody></table></div></details>";
    }
    return html + "<button type=\"submit\">Save tracker names</button></form>";
}

std::string importForm(const TrackerView& view, const std::string& csrf)
{
    return "<h2 id=\"import\">Import an old register</h2><p>A register sheet saved as CSV, with the same headings (in "
           "any order, or Date and Time in place of Timestamp). Each row becomes the trainee's check-in in that "
           "sprint's window; a past sprint with no window gets one. Rows for unknown emails or people who are not "
           "students here are listed and skipped; importing the same sheet again changes nothing.</p>"
           "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/courses/"
        + view.course.id + "/tracker/import\">" + web::csrfInput(csrf)
        + "<div class=\"field\"><label for=\"f-register\">Register file (CSV)</label><input type=\"file\" "
          "id=\"f-register\" name=\"register\" accept=\".csv,text/csv\" required></div>"
        + web::renderField({.name = "class-start", .label = "Class start time for new windows (optional)",
                            .hint = "HH:MM in " + view.course.timezone
                                + "; needed when the course has no window yet, else its latest window's time is used",
                            .inputmode = "numeric"})
        + "<button type=\"submit\" name=\"mode\" value=\"check\" class=\"secondary\">Check it first</button> "
          "<button type=\"submit\" name=\"mode\" value=\"import\">Import</button></form>";
}

Result<Response> trackerPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(access, courseAs(services, caller, id, Standing::RunsClass,
                                "only the course's teachers and TAs see its tracker page"));
    TRY_ASSIGN(view, trackerViewOf(services, caller, id));
    auto frame = frameFor(caller, "Trainee tracker · " + view.course.name, "");
    std::string& m = frame.main;
    m += "<p><a href=\"/courses/" + id + "\">← " + web::escape(view.course.name) + "</a></p>";
    m += "<h1>Trainee tracker</h1><p class=\"lead\">" + web::escape(view.course.name);
    if (view.identity)
        m += " is " + web::escape(view.identity->course) + ", module " + web::escape(view.identity->module)
            + ", in the tracker.";
    else
        m += " has no tracker names yet; the register uses its imhere name.";
    m += "</p>";
    m += scoresSection(view);
    m += registerSection(view);
    if (access.access.teaches()) {
        m += namesForm(view, caller.principal.csrfToken);
        m += importForm(view, caller.principal.csrfToken);
    }
    return pageResponse(request, std::move(frame));
}

Result<Response> saveTracker(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    const std::string back = "/courses/" + id + "/tracker";
    TRY_ASSIGN(view, trackerViewOf(services, post.caller, id));
    TrackerChange change;
    const auto course = post.form.text("tracker-course");
    const auto module = post.form.text("module");
    const auto firstDay = post.form.text("first-sprint-day");
    if (course.empty() && module.empty() && firstDay.empty())
        change.clearIdentity = view.identity.has_value();
    else if (course.empty() || module.empty())
        return redirectWithOutcome(fail(Errc::InvalidRequest, "give both the tracker's course name and the module"),
                                   back);
    else
        change.identity = TrackerIdentity{course, module, firstDay.empty() ? std::nullopt : std::optional(firstDay)};
    for (const auto& t : view.trainees) {
        const auto region = post.form.get("region-" + t.person.publicId);
        if (!region)
            continue;
        const auto value = post.form.text("region-" + t.person.publicId);
        if (value != t.person.region.value_or(""))
            change.regions[t.person.publicId] = value.empty() ? std::nullopt : std::optional(value);
    }
    for (const auto& w : view.windows) {
        if (!post.form.get("sprint-" + w.id))
            continue;
        const auto text = post.form.text("sprint-" + w.id);
        std::optional<int> sprint;
        if (!text.empty()) {
            int n = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (ec != std::errc{} || end != text.data() + text.size())
                return redirectWithOutcome(
                    fail(Errc::InvalidRequest, "the sprint of " + w.title + " must be a number from 1 to 20"), back);
            sprint = n;
        }
        const auto was = view.explicitSprint.find(w.id);
        const bool hadSprint = was != view.explicitSprint.end();
        const bool same = hadSprint ? (sprint && *sprint == was->second) : !sprint;
        if (!same)
            change.sprints[w.id] = sprint;
    }
    auto done = changeTracker(services, post.caller, id, change);
    return redirectWithOutcome(done ? Result<std::string>("The tracker names are saved.") : std::unexpected(done.error()),
                               back);
}

Result<Response> importPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(form, web::Multipart::parse(request.header("content-type").value_or(""), request.body));
    if (!constantTimeEqual(asBytes(form.text("csrf")), asBytes(caller.principal.csrfToken)))
        return fail(Errc::CsrfRequired, "this form has expired; go back, reload the page and try again");
    const web::Part* file = form.part("register");
    if (!file || file->body.empty())
        return fail(Errc::InvalidRequest, "choose a register file (CSV) to import");
    const bool dryRun = form.text("mode") != "import";
    std::optional<int> classStart;
    if (const auto start = form.text("class-start"); !start.empty()) {
        classStart = parseClassStart(start);
        if (!classStart)
            return fail(Errc::InvalidRequest, "the class start time must be HH:MM, such as 18:00");
    }
    TRY_ASSIGN(report, importRegisterAs(services, caller, id, file->body, dryRun, classStart));
    TRY_ASSIGN(course, services.liveCourse(id));

    auto frame = frameFor(caller, "Register import · " + course.name, "");
    std::string& m = frame.main;
    m += "<p><a href=\"/courses/" + id + "/tracker\">← Trainee tracker</a></p>";
    m += std::string("<h1>") + (dryRun ? "Register checked" : "Register imported") + "</h1>";
    m += std::string("<p class=\"lead\">") + (dryRun ? "Nothing was changed. " : "") + "From "
        + web::escape(file->filename.value_or("the file")) + " into " + web::escape(course.name) + ":</p><ul>";
    for (const auto& line : describeImport(report))
        m += "<li>" + web::escape(line) + "</li>";
    m += "</ul>";
    if (dryRun)
        m += "<p>To import it, choose the file again and press Import on the <a href=\"/courses/" + id
            + "/tracker#import\">tracker page</a>.</p>";
    else
        m += "<p><a href=\"/courses/" + id + "\">See the course's attendance</a></p>";
    return pageResponse(request, std::move(frame));
}

} // namespace

void addTrackerPages(Router& router, Services& services)
{
    router.add("GET", "/courses/{course}/tracker",
               page(services, [&services](const Request& r) { return trackerPage(services, r); }));
    router.add("POST", "/courses/{course}/tracker",
               page(services, [&services](const Request& r) { return saveTracker(services, r); }));
    router.add("POST", "/courses/{course}/tracker/import",
               page(services, [&services](const Request& r) { return importPage(services, r); }),
               RouteOptions{(2 << 20) + (64 << 10)});
}

} // namespace imhere::server
