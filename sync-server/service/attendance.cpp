#include "attendance.h"
#include "records.h"
#include "windowrules.h"

#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/random.h"
#include "core/timezone.h"

#include <algorithm>
#include <map>

namespace imhere::server {

Result<Window> openNewWindow(Services& services, const Caller& caller, std::string_view course, std::string title,
                             std::optional<std::int64_t> scheduledStart, bool openNow, std::optional<int> sprint,
                             std::optional<int> lengthMin, bool alongside)
{
    TRY_ASSIGN(live, services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, course));
    TRY(allow(access.runsClass(), "only teachers and TAs open windows"));
    if (title.empty() || title.size() > imhere::limits::k_maxNameBytes)
        return std::unexpected(invalid("title: give the window a title of at most 200 bytes"));
    if (!openNow && !scheduledStart)
        return std::unexpected(invalid("scheduled_start: a window that is not opened now needs a scheduled start"));
    if (sprint && (*sprint < 1 || *sprint > 20))
        return std::unexpected(invalid("sprint: a sprint from 1 to 20"));
    if (lengthMin && (*lengthMin < 1 || *lengthMin > 24 * 60))
        return std::unexpected(invalid("length_min: a length from 1 to 1440 minutes"));
    NewWindow w{newUuidV4(), std::string(course), std::move(title), scheduledStart, std::nullopt, caller.person.id};
    if (openNow)
        w.openAt = services.clock.nowMs();
    const auto start = scheduledStart ? scheduledStart : w.openAt;
    w.scheduledEnd = *start + std::int64_t{lengthMin.value_or(live.windowLengthMin)} * 60'000;
    // One transaction: two teachers opening at once cannot both pass the
    // one-open-window check.
    Window created;
    TRY(services.store.inTransaction([&]() -> Result<void> {
        if (openNow && !alongside) {
            TRY_ASSIGN(open, openWindowsOf(services, course));
            if (!open.empty())
                return fail(Errc::Conflict, "\"" + open.front().title + "\" is open: close it first, or open this one "
                                            "alongside it on purpose");
        }
        TRY_ASSIGN(made, services.store.attendance().createWindow(w));
        created = std::move(made);
        return sprint ? services.store.tracker().setWindowSprint(created.id, *sprint) : Result<void>();
    }));
    return created;
}

Result<std::vector<Window>> openWindowsOf(Services& services, std::string_view course)
{
    TRY_ASSIGN(windows, services.store.attendance().windowsOf(course));
    const auto now = services.clock.nowMs();
    std::erase_if(windows, [&](const Window& w) { return !isOpenAt(w, now); });
    return windows;
}

Result<std::vector<Window>> closeDueWindows(Services& services)
{
    TRY_ASSIGN(open, services.store.attendance().openWindows());
    const auto now = services.clock.nowMs();
    std::map<std::string, Course> courses;
    std::vector<Window> closed;
    for (const Window& w : open) {
        auto known = courses.find(w.course);
        if (known == courses.end()) {
            TRY_ASSIGN(course, services.store.courses().course(w.course));
            if (!course)
                continue;
            known = courses.emplace(w.course, *course).first;
        }
        const auto at = closesAt(w, known->second);
        if (!at || *at > now)
            continue;
        TRY_ASSIGN(done, services.store.attendance().closeWindow(w.id, *at, 0));
        closed.push_back(std::move(done));
    }
    return closed;
}

Result<Window> setWindowOpen(Services& services, const Caller& caller, std::string_view id, bool open)
{
    TRY_ASSIGN(window, services.windowById(id));
    TRY_ASSIGN(access, services.access(caller, window.course));
    TRY(allow(access.runsClass(), "only teachers and TAs open and close windows"));
    if (open && window.closedAt)
        return fail(Errc::WindowClosed, "this window has been closed; open a new one");
    const auto now = services.clock.nowMs();
    if (open)
        return services.store.attendance().openWindow(id, now, caller.person.id);
    TRY_ASSIGN(closed, services.store.attendance().closeWindow(id, now, caller.person.id));
    if (services.slackQueued)
        services.slackQueued(); // the close may have queued a Slack post
    return closed;
}

Result<Person> participantOf(Services& services, const Window& window, std::string_view personPublicId)
{
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(role, services.store.courses().roleIn(person.id, window.course));
    if (!CourseAccess::takesPart(role))
        return fail(Errc::NotFound, "this person does not take part in the course");
    return person;
}

Result<PreparedCheckIn> prepareCheckIn(Services& services, const Caller& caller, const Window& window,
                                       const CourseAccess& access, std::optional<std::string> otherPublicId)
{
    TRY(allow(access.member(), "you are not in this course"));
    Person person = caller.person;
    if (otherPublicId && *otherPublicId != caller.person.publicId) {
        TRY(allow(access.runsClass(), "only teachers and TAs check in someone else"));
        TRY_ASSIGN(target, services.personById(*otherPublicId));
        person = std::move(target);
    } else {
        TRY(allow(access.participates(), "only the course's trainees and volunteers check in"));
    }
    // Open window, participation and "already checked in" are decided by the
    // writer, inside the transaction that stores the check-in.
    CheckInEvent event{newUuidV4(), person.id, window.id, services.clock.nowMs(), CheckInSource::Manual,
                       caller.person.id, std::nullopt};
    return PreparedCheckIn{std::move(event), std::move(person)};
}

Result<AttendanceRecord> checkIn(Services& services, const Caller& caller, std::string_view id,
                                 std::optional<std::string> otherPublicId)
{
    TRY_ASSIGN(window, services.windowById(id));
    TRY_ASSIGN(access, services.access(caller, window.course));
    TRY_ASSIGN(prepared, prepareCheckIn(services, caller, window, access, std::move(otherPublicId)));
    // Waits on this thread for the group commit (the API route does not).
    TRY_ASSIGN(outcome, services.checkIns.commit(prepared.event));
    return checkedInRecord(services, outcome, prepared.person, id);
}

Result<AttendanceRecord> checkedInRecord(Services& services, CheckInOutcome outcome, const Person& person,
                                         std::string_view window)
{
    TRY(checkInStored(outcome, person));
    return recordOf(services, window, person.id);
}

Result<void> checkInStored(CheckInOutcome outcome, const Person& person)
{
    switch (outcome) {
    case CheckInOutcome::Stored: return {};
    case CheckInOutcome::AlreadyCheckedIn:
        return fail(Errc::AlreadyCheckedIn, person.displayName + " is already checked in");
    case CheckInOutcome::WindowNotOpen: return fail(Errc::WindowClosed, "this window is not open");
    case CheckInOutcome::NotParticipant:
        return std::unexpected(invalid("person: not a student or TA of this course"));
    case CheckInOutcome::UnknownWindow: return fail(Errc::NotFound, "no such window");
    }
    return fail(Errc::Internal, "unknown check-in outcome");
}

namespace {

// The window of a record the caller may change, shared by corrections and flags.
Result<Window> windowToChange(Services& services, const Caller& caller, std::string_view window, bool teachersOnly,
                              std::string_view refusal)
{
    TRY_ASSIGN(w, services.windowById(window));
    TRY_ASSIGN(access, services.access(caller, w.course));
    TRY(allow(teachersOnly ? access.teaches() : access.runsClass(), refusal));
    return w;
}

// Stores the event with `add` and answers with the record it changed.
template <class Event, class Add>
Result<RecordChange> storeChange(Services& services, const Event& event, Add add)
{
    TRY(add(services.store.attendance(), event));
    TRY_ASSIGN(record, recordOf(services, event.window, event.person));
    return RecordChange{std::move(record), event.id};
}

} // namespace

Result<RecordChange> correctPresence(Services& services, const Caller& caller, std::string_view id,
                                     std::string_view personPublicId, bool present, std::string reason,
                                     std::optional<std::string> base, bool excused)
{
    TRY_ASSIGN(window, windowToChange(services, caller, id, true, "only the course's teachers change attendance"));
    if (reason.empty() || reason.size() > imhere::limits::k_maxReasonBytes)
        return std::unexpected(invalid("reason: say why, in at most 500 bytes"));
    if (base && !isUuid(*base))
        return std::unexpected(invalid("base: expected a UUID"));
    if (excused && present)
        return std::unexpected(invalid("excused: only an absence is excused (present must be false)"));
    TRY_ASSIGN(person, participantOf(services, window, personPublicId));
    const CorrectionEvent e{newUuidV4(),     person.id,        window.id,       present,     std::move(reason),
                            std::move(base), caller.person.id, services.clock.nowMs(), std::nullopt, excused};
    return storeChange(services, e, [](AttendanceRepository& r, const CorrectionEvent& c) { return r.addCorrection(c); });
}

Result<RecordChange> changeFlag(Services& services, const Caller& caller, std::string_view id,
                                std::string_view personPublicId, Flag flag, bool set, std::string note)
{
    TRY_ASSIGN(window, windowToChange(services, caller, id, false, "only teachers and TAs set flags"));
    if (note.size() > imhere::limits::k_maxNoteBytes)
        return std::unexpected(invalid("note: at most 1000 bytes"));
    TRY_ASSIGN(person, participantOf(services, window, personPublicId));
    const FlagEvent e{newUuidV4(),      person.id,        window.id,       flag, set,
                      std::move(note), caller.person.id, services.clock.nowMs(), std::nullopt};
    return storeChange(services, e, [](AttendanceRepository& r, const FlagEvent& f) { return r.addFlag(f); });
}

Result<bool> mayCreateCourse(Services& services, const Caller& caller)
{
    if (caller.person.isAdmin)
        return true;
    TRY_ASSIGN(courses, services.store.courses().listCourses(caller.person.id));
    return std::ranges::any_of(courses, [](const CourseWithRole& c) { return c.role == Role::Teacher; });
}

Result<Course> createCourse(Services& services, const Caller& caller, NewCourse course)
{
    TRY_ASSIGN(allowed, mayCreateCourse(services, caller));
    TRY(allow(allowed, "only teachers and org admins add courses"));
    if (course.name.empty() || course.name.size() > imhere::limits::k_maxNameBytes)
        return std::unexpected(invalid("name: give the course a name of at most 200 bytes"));
    if (!isKnownTimezone(course.timezone))
        return std::unexpected(invalid("timezone: unknown IANA time zone"));
    if (course.lateAfterMin < 0 || course.absentAfterMin < course.lateAfterMin || course.absentAfterMin > 24 * 60)
        return std::unexpected(invalid("absent_after_min: must be between late_after_min and 1440"));
    if (course.windowLengthMin < 1 || course.windowLengthMin > 24 * 60)
        return std::unexpected(invalid("window_length_min: a length from 1 to 1440 minutes"));
    if (course.closeGraceMin < 0 || course.closeGraceMin > 24 * 60)
        return std::unexpected(invalid("close_grace_min: from 0 to 1440 minutes"));
    return services.store.courses().createCourse(course, caller.person.id);
}

Result<void> removeCourse(Services& services, const Caller& caller, std::string_view course)
{
    TRY(services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, course));
    TRY(allow(access.teaches(), "only the course's teachers remove it"));
    return services.store.courses().removeCourse(course, caller.person.id);
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

Result<bool> assignMember(Services& services, const Caller& caller, std::string_view course,
                          std::string_view personPublicId, Role role)
{
    TRY(services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, course));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(current, services.store.courses().roleIn(person.id, course));
    TRY(mayAssign(access, caller, current.value_or(Role::Student), role));
    TRY(services.store.courses().setEnrollment(person.id, course, role, caller.person.id));
    return !current.has_value();
}

Result<void> removeMember(Services& services, const Caller& caller, std::string_view course,
                          std::string_view personPublicId)
{
    TRY(services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, course));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(current, services.store.courses().roleIn(person.id, course));
    if (!current)
        return fail(Errc::NotFound, "this person is not in the course");
    TRY(mayAssign(access, caller, *current, *current));
    return withoutValue(services.store.courses().removeEnrollment(person.id, course, caller.person.id));
}

} // namespace imhere::server
