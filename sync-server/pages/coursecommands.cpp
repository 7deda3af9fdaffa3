// The form posts behind the home and course pages: open and close windows,
// check in, add and remove students and TAs, add and remove courses. Each
// answers with a redirect back and a one-line flash saying what happened.

#include "pages.h"

#include "sync-server/service/people.h"

#include "sync-server/service/attendance.h"
#include "core/result.h"
#include "sync-server/web/html.h"

#include "core/random.h"

#include <charconv>
#include "core/timezone.h"

namespace imhere::server {

namespace {

// Only local paths are followed, so a form cannot send people elsewhere.
std::string backTo(const web::FormData& form, const std::string& fallback)
{
    const std::string back = form.text("back");
    const bool local = back.size() > 0 && back.size() < 200 && back[0] == '/' && (back.size() == 1 || back[1] != '/')
        && back.find_first_of("\\\r\n") == std::string::npos;
    return local ? back : fallback;
}

Result<Response> openNew(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    const std::string back = backTo(post.form, "/courses/" + id);
    std::string title = post.form.text("title");
    if (title.empty()) {
        TRY_ASSIGN(course, services.liveCourse(id));
        title = "Class on " + formatLocalDateTime(course.timezone, services.clock.nowMs()).substr(0, 10);
    }
    std::optional<int> sprint;
    if (const auto text = post.form.text("sprint"); !text.empty()) {
        int n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc{} || end != text.data() + text.size() || n < 1 || n > 20)
            return redirectWithOutcome(fail(Errc::InvalidRequest, "the sprint must be a number from 1 to 20"), back);
        sprint = n;
    }
    auto done = openNewWindow(services, post.caller, id, title, std::nullopt, true, sprint, std::nullopt,
                              post.form.text("alongside") == "yes");
    return redirectWithOutcome(done ? Result<std::string>("Attendance window \"" + done->title + "\" is open.")
                        : std::unexpected(done.error()),
                   back);
}

Result<Response> openOrClose(Services& services, const Request& request, bool open)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    auto done = setWindowOpen(services, post.caller, id, open);
    const std::string back = backTo(post.form, done ? "/courses/" + done->course : "/");
    return redirectWithOutcome(done ? Result<std::string>(std::string("Attendance window \"") + done->title + "\" is "
                                              + (open ? "open." : "closed. Everyone who did not check in is absent."))
                        : std::unexpected(done.error()),
                   back);
}

Result<Response> selfCheckIn(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "window"));
    auto done = checkIn(services, post.caller, id, std::nullopt);
    return redirectWithOutcome(done ? Result<std::string>("You are checked in"
                                              + std::string(done->status == AttendanceStatus::Late
                                                                ? ", " + std::to_string(done->minutesLate) + " minutes late."
                                                                : ", on time."))
                        : std::unexpected(done.error()),
                   backTo(post.form, "/"));
}

Result<Response> dropMember(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    auto person = services.personById(personId);
    auto done = removeMember(services, post.caller, id, personId);
    return redirectWithOutcome(done ? Result<std::string>((person ? person->displayName : personId) + " is no longer in this course.")
                        : std::unexpected(done.error()),
                   "/courses/" + id + "/roster");
}

Result<Response> dropCourse(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(course, services.liveCourse(id));
    auto done = removeCourse(services, post.caller, id);
    if (!done)
        return redirectWithOutcome(std::unexpected(done.error()), "/courses/" + id);
    return redirect("/", web::Flash{web::Flash::Kind::Success,
                                    "\"" + course.name + "\" is removed. Its attendance records are kept."});
}

} // namespace

void addCourseForms(Router& router, Services& services)
{
    router.add("POST", "/courses/{course}/windows", page(services, [&services](const Request& r) { return openNew(services, r); }));
    router.add("POST", "/windows/{window}/open", page(services, [&services](const Request& r) { return openOrClose(services, r, true); }));
    router.add("POST", "/windows/{window}/close",
               page(services, [&services](const Request& r) { return openOrClose(services, r, false); }));
    router.add("POST", "/windows/{window}/check-in", page(services, [&services](const Request& r) { return selfCheckIn(services, r); }));
    router.add("POST", "/courses/{course}/members/{person}/remove",
               page(services, [&services](const Request& r) { return dropMember(services, r); }));
    router.add("POST", "/courses/{course}/remove", page(services, [&services](const Request& r) { return dropCourse(services, r); }));
}

} // namespace imhere::server
