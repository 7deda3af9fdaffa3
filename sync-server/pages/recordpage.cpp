// One person's record in one attendance window and the forms that change it:
// teachers mark present or absent with a reason; teachers and TAs set and
// clear mentor flags. The forms live on their own page, reached from the
// window page's "Change" link, because a form per row made the window page
// of a 24-person class weigh 49 KB (budget: 50 KB) and grow with the class.

#include "pages.h"
#include "sync-server/service/attendance.h"
#include "sync-server/service/courseviews.h"
#include "sync-server/service/records.h"

#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

constexpr Flag k_flags[] = {Flag::LeftEarly, Flag::CameraOff, Flag::LowParticipation, Flag::Absent};

std::string presenceForm(const AttendanceRecord& r, const std::string& action, const std::string& csrf)
{
    const bool makePresent = !r.present;
    return "<h2>Presence</h2><form method=\"post\" action=\"" + action + "/presence\">" + web::csrfInput(csrf)
        + web::hiddenInput("present", makePresent ? "1" : "0") + web::hiddenInput("base", r.lastEvent.value_or(""))
        + web::renderField({.name = "reason-" + r.person, .label = "Reason",
                            .hint = makePresent ? "For example: forgot to clock in" : "For example: left after ten minutes",
                            .required = true})
        + "<button type=\"submit\">" + (makePresent ? "Mark present" : "Mark absent") + "</button>"
        + (r.status == AttendanceStatus::Excused
               ? std::string()
               : std::string("<button type=\"submit\" name=\"excused\" value=\"1\" class=\"secondary\">Mark absent, "
                             "excused</button>"))
        + "</form>";
}

std::string flagForm(const AttendanceRecord& r, const std::string& action, const std::string& csrf)
{
    // No flag is chosen until someone chooses one: "Set flag" on an
    // untouched form must not set the first flag in the list.
    std::vector<web::Choice> choices{{"", "Choose a flag"}};
    for (const Flag f : k_flags)
        choices.push_back({std::string(sync::toString(f)), flagLabel(f)});
    return "<h2>Flags</h2><form method=\"post\" action=\"" + action + "/flags\">" + web::csrfInput(csrf)
        + web::renderSelect({.name = "flag-" + r.person, .label = "Flag"}, choices)
        + web::renderField({.name = "note-" + r.person, .label = "Note (optional)"})
        + "<button type=\"submit\" name=\"set\" value=\"1\">Set flag</button>"
          "<button type=\"submit\" name=\"set\" value=\"0\" class=\"secondary\">Clear flag</button></form>";
}

Result<Response> recordPage(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireSignedIn(services, request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    TRY_ASSIGN(publicId, publicIdParam(request, "person"));
    TRY_ASSIGN(view, windowAs(services, caller, id, Standing::RunsClass, "only teachers and TAs change records"));
    const Window& window = view.window;
    const CourseAccess& access = view.access;
    TRY_ASSIGN(course, services.liveCourse(window.course));
    TRY_ASSIGN(person, participantOf(services, window, publicId));
    TRY_ASSIGN(record, recordOf(services, id, person.id));

    const std::string action = "/windows/" + id + "/people/" + record.person;
    auto frame = frameFor(caller, record.displayName + " · " + window.title, "");
    std::string& m = frame.main;
    m += "<p><a href=\"/windows/" + id + "\">" + web::escape(window.title) + "</a> · " + web::escape(course.name)
        + "</p><h1>" + web::escape(record.displayName) + "</h1><p class=\"lead\">" + roleLabel(record.role) + ". "
        + web::escape(recordSummary(record, course.timezone)) + ".</p><p>" + recordTags(record) + "</p>";
    if (access.teaches())
        m += presenceForm(record, action, caller.principal.csrfToken);
    m += flagForm(record, action, caller.principal.csrfToken);
    return pageResponse(request, std::move(frame));
}

} // namespace

void addRecordPage(Router& router, Services& services)
{
    router.add("GET", "/windows/{window}/people/{person}", page(services, [&services](const Request& r) { return recordPage(services, r); }));
}

} // namespace imhere::server
