#include "services.h"

#include "sync-server/serverlimits.h"

namespace imhere::server {

Services::Services(Store& s, const Clock& c)
    : store(s), clock(c), auth(s, c),
      // Counted in the database when several servers share it (store.h).
      accountLimiter(limits::k_loginFailuresPerAccount, limits::k_loginFailureWindowMs, s.sharedAttempts(),
                     "sign-in"),
      addressLimiter(limits::k_loginFailuresPerIp, limits::k_loginFailureWindowMs, s.sharedAttempts(), "sign-in"),
      remoteLimiter(limits::k_remoteRequestsPerIp, limits::k_remoteRequestWindowMs, s.sharedAttempts(), "remote"),
      linkCodeLimiter(limits::k_linkCodeFailuresPerIp, limits::k_linkCodeFailureWindowMs, s.sharedAttempts(),
                      "link-code"),
      resetAccountLimiter(limits::k_resetRequestsPerAccount, limits::k_resetRequestWindowMs, s.sharedAttempts(),
                          "reset"),
      resetAddressLimiter(limits::k_resetRequestsPerIp, limits::k_resetRequestWindowMs, s.sharedAttempts(), "reset"),
      checkIns(s, &metrics),
      phoneLinkLifetimeMs(limits::k_phoneLinkLifetimeMs)
{
}

Result<CourseAccess> Services::access(const Caller& c, std::string_view course) const
{
    TRY_ASSIGN(role, store.courses().roleIn(c.person.id, course));
    return CourseAccess{role, c.person.isAdmin};
}

Result<Course> Services::liveCourse(std::string_view id) const
{
    TRY_ASSIGN(course, store.courses().course(id));
    if (!course || course->removed)
        return fail(Errc::NotFound, "no such course");
    return *course;
}

Result<Window> Services::windowById(std::string_view id) const
{
    TRY_ASSIGN(window, store.attendance().window(id));
    if (!window)
        return fail(Errc::NotFound, "no such window");
    TRY(liveCourse(window->course));
    return *window;
}

Result<Person> Services::personById(std::string_view publicId) const
{
    TRY_ASSIGN(person, store.people().personByPublicId(publicId));
    if (!person)
        return fail(Errc::NotFound, "no such person");
    return *person;
}

Result<void> allow(bool allowed, std::string_view message)
{
    if (!allowed)
        return fail(Errc::Forbidden, std::string(message));
    return {};
}

Error invalid(std::string message)
{
    return Error{Errc::InvalidRequest, std::move(message)};
}

} // namespace imhere::server
