#include "attendance.h"

#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/random.h"
#include "core/timezone.h"

#include <algorithm>

namespace imhere::server {

Result<Window> openNewWindow(ApiContext& api, const Caller& caller, std::string_view course, std::string title,
                             std::optional<std::int64_t> scheduledStart, bool openNow)
{
    TRY(api.liveCourse(course));
    TRY_ASSIGN(access, api.access(caller, course));
    TRY(allow(access.runsClass(), "only teachers and TAs open windows"));
    if (title.empty() || title.size() > imhere::limits::k_maxNameBytes)
        return std::unexpected(invalid("title: give the window a title of at most 200 bytes"));
    if (!openNow && !scheduledStart)
        return std::unexpected(invalid("scheduled_start: a window that is not opened now needs a scheduled start"));
    NewWindow w{newUuidV4(), std::string(course), std::move(title), scheduledStart, std::nullopt, caller.person.id};
    if (openNow)
        w.openAt = api.clock.nowMs();
    return api.store.createWindow(w);
}

Result<Window> setWindowOpen(ApiContext& api, const Caller& caller, std::string_view id, bool open)
{
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY(allow(access.runsClass(), "only teachers and TAs open and close windows"));
    if (open && window.closedAt)
        return fail("window_closed", "this window has been closed; open a new one");
    const auto now = api.clock.nowMs();
    return open ? api.store.openWindow(id, now, caller.person.id) : api.store.closeWindow(id, now, caller.person.id);
}

Result<Person> participantOf(ApiContext& api, const Window& window, std::string_view personPublicId)
{
    TRY_ASSIGN(person, api.personById(personPublicId));
    TRY_ASSIGN(role, api.store.roleIn(person.id, window.course));
    if (role != Role::Student && role != Role::Ta)
        return fail("not_found", "this person does not take part in the course");
    return person;
}

Result<PreparedCheckIn> prepareCheckIn(ApiContext& api, const Caller& caller, const Window& window,
                                       const CourseAccess& access, std::optional<std::string> otherPublicId)
{
    TRY(allow(access.member(), "you are not in this course"));
    Person person = caller.person;
    if (otherPublicId && *otherPublicId != caller.person.publicId) {
        TRY(allow(access.runsClass(), "only teachers and TAs check in someone else"));
        TRY_ASSIGN(target, api.personById(*otherPublicId));
        person = std::move(target);
    } else {
        TRY(allow(access.participates(), "only students and TAs check in"));
    }
    // Open window, participation and "already checked in" are decided by the
    // writer, inside the transaction that stores the check-in.
    CheckInEvent event{newUuidV4(), person.id, window.id, api.clock.nowMs(), CheckInSource::Manual,
                       caller.person.id, std::nullopt};
    return PreparedCheckIn{std::move(event), std::move(person)};
}

Result<AttendanceRecord> checkIn(ApiContext& api, const Caller& caller, std::string_view id,
                                 std::optional<std::string> otherPublicId)
{
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY_ASSIGN(prepared, prepareCheckIn(api, caller, window, access, std::move(otherPublicId)));
    // Waits on this thread for the group commit (the API route does not).
    TRY_ASSIGN(outcome, api.checkIns.commit(prepared.event));
    TRY(checkInStored(outcome, prepared.person));
    return api.store.record(id, prepared.person.id);
}

Result<void> checkInStored(CheckInOutcome outcome, const Person& person)
{
    switch (outcome) {
    case CheckInOutcome::Stored: return {};
    case CheckInOutcome::AlreadyCheckedIn:
        return fail("already_checked_in", person.displayName + " is already checked in");
    case CheckInOutcome::WindowNotOpen: return fail("window_closed", "this window is not open");
    case CheckInOutcome::NotParticipant:
        return std::unexpected(invalid("person: not a student or TA of this course"));
    case CheckInOutcome::UnknownWindow: return fail("not_found", "no such window");
    }
    return fail("internal", "unknown check-in outcome");
}

Result<AttendanceRecord> correctPresence(ApiContext& api, const Caller& caller, std::string_view id,
                                         std::string_view personPublicId, bool present, std::string reason,
                                         std::optional<std::string> base)
{
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY(allow(access.teaches(), "only the course's teachers change attendance"));
    if (reason.empty() || reason.size() > imhere::limits::k_maxReasonBytes)
        return std::unexpected(invalid("reason: say why, in at most 500 bytes"));
    if (base && !isUuid(*base))
        return std::unexpected(invalid("base: expected a UUID"));
    TRY_ASSIGN(person, participantOf(api, window, personPublicId));
    const CorrectionEvent e{newUuidV4(), person.id,          window.id,       present,     std::move(reason),
                            std::move(base), caller.person.id, api.clock.nowMs(), std::nullopt};
    TRY(api.store.addCorrection(e));
    return api.store.record(window.id, person.id);
}

Result<AttendanceRecord> changeFlag(ApiContext& api, const Caller& caller, std::string_view id,
                                    std::string_view personPublicId, Flag flag, bool set, std::string note)
{
    TRY_ASSIGN(window, api.windowById(id));
    TRY_ASSIGN(access, api.access(caller, window.course));
    TRY(allow(access.runsClass(), "only teachers and TAs set flags"));
    if (note.size() > imhere::limits::k_maxNoteBytes)
        return std::unexpected(invalid("note: at most 1000 bytes"));
    TRY_ASSIGN(person, participantOf(api, window, personPublicId));
    const FlagEvent e{newUuidV4(), person.id, window.id, flag, set, std::move(note), caller.person.id,
                      api.clock.nowMs(), std::nullopt};
    TRY(api.store.addFlag(e));
    return api.store.record(window.id, person.id);
}

Result<bool> mayCreateCourse(ApiContext& api, const Caller& caller)
{
    if (caller.person.isAdmin)
        return true;
    TRY_ASSIGN(courses, api.store.listCourses(caller.person.id));
    return std::ranges::any_of(courses, [](const CourseWithRole& c) { return c.role == Role::Teacher; });
}

Result<Course> createCourse(ApiContext& api, const Caller& caller, NewCourse course)
{
    TRY_ASSIGN(allowed, mayCreateCourse(api, caller));
    TRY(allow(allowed, "only teachers and org admins add courses"));
    if (course.name.empty() || course.name.size() > imhere::limits::k_maxNameBytes)
        return std::unexpected(invalid("name: give the course a name of at most 200 bytes"));
    if (!isKnownTimezone(course.timezone))
        return std::unexpected(invalid("timezone: unknown IANA time zone"));
    if (course.lateAfterMin < 0 || course.absentAfterMin < course.lateAfterMin || course.absentAfterMin > 24 * 60)
        return std::unexpected(invalid("absent_after_min: must be between late_after_min and 1440"));
    return api.store.createCourse(course, caller.person.id);
}

Result<void> removeCourse(ApiContext& api, const Caller& caller, std::string_view course)
{
    TRY(api.liveCourse(course));
    TRY_ASSIGN(access, api.access(caller, course));
    TRY(allow(access.teaches(), "only the course's teachers remove it"));
    return api.store.removeCourse(course, caller.person.id);
}

namespace {
// Teachers add students and TAs; naming a teacher is an org admin's call.
Result<void> mayAssign(const CourseAccess& access, const Caller& caller, Role from, Role to)
{
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    const bool touchesTeacher = from == Role::Teacher || to == Role::Teacher;
    return allow(!touchesTeacher || caller.person.isAdmin, "only an org admin adds or removes teachers");
}
} // namespace

Result<bool> assignMember(ApiContext& api, const Caller& caller, std::string_view course,
                          std::string_view personPublicId, Role role)
{
    TRY(api.liveCourse(course));
    TRY_ASSIGN(access, api.access(caller, course));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    TRY_ASSIGN(person, api.personById(personPublicId));
    TRY_ASSIGN(current, api.store.roleIn(person.id, course));
    TRY(mayAssign(access, caller, current.value_or(Role::Student), role));
    TRY(api.store.setEnrollment(person.id, course, role, caller.person.id));
    return !current.has_value();
}

Result<void> removeMember(ApiContext& api, const Caller& caller, std::string_view course,
                          std::string_view personPublicId)
{
    TRY(api.liveCourse(course));
    TRY_ASSIGN(access, api.access(caller, course));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    TRY_ASSIGN(person, api.personById(personPublicId));
    TRY_ASSIGN(current, api.store.roleIn(person.id, course));
    if (!current)
        return fail("not_found", "this person is not in the course");
    TRY(mayAssign(access, caller, *current, *current));
    return withoutValue(api.store.removeEnrollment(person.id, course, caller.person.id));
}

} // namespace imhere::server
