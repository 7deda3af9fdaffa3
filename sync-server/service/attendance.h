#pragma once
// The user stories of the register as functions (seed: ImHere TA role and
// attendance editing): who may do what in a course, checked here once for the
// JSON API and the web pages alike. Each takes the already-identified caller
// and parsed arguments and returns the result or an Error whose code maps to
// an HTTP status (forbidden, not_found, invalid_request, window_closed, ...).
//
// Thread rules: any thread, like ApiContext.

#include "services.h"

#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

// Teachers and TAs open an ad hoc window now, or schedule one. It ends
// `lengthMin` minutes after its start (by default the course's window
// length); `sprint` (1 to 20) is its sprint in the trainee tracker's register
// when it is not the window's week (service/tracker.h).
// A course has one open window at a time: opening one while another is open
// is a conflict naming the open one, unless `alongside` says it is meant.
[[nodiscard]] Result<Window> openNewWindow(Services& services, const Caller& caller, std::string_view course,
                                           std::string title, std::optional<std::int64_t> scheduledStart,
                                           bool openNow, std::optional<int> sprint = std::nullopt,
                                           std::optional<int> lengthMin = std::nullopt, bool alongside = false);
// The course's windows open now, oldest first.
[[nodiscard]] Result<std::vector<Window>> openWindowsOf(Services& services, std::string_view course);
// Closes every open window whose end plus its course's grace has passed, as
// of that moment and as the server (no person). Idempotent: it runs at the
// server's start, for what passed while it was down, and then on a timer.
// Returns the windows it closed.
[[nodiscard]] Result<std::vector<Window>> closeDueWindows(Services& services);

// Teachers and TAs open a scheduled window or close an open one. A closed
// window stays closed: open a new one instead.
[[nodiscard]] Result<Window> setWindowOpen(Services& services, const Caller& caller, std::string_view window, bool open);

// A student or TA checks themself in while the window is open; a teacher or
// TA may check in a participant by public id (source manual). The check-in
// is stored by the group commit (services.checkIns); this waits for it.
[[nodiscard]] Result<AttendanceRecord> checkIn(Services& services, const Caller& caller, std::string_view window,
                                               std::optional<std::string> otherPublicId);

// checkIn() in its two halves, for callers that do not wait on their thread
// and have already read the window and the caller's access to its course:
// the caller's rights and the person, checked before the writer is asked;
// then the outcome the writer decided, as the refusal to answer with
// (already_checked_in or window_closed 409, invalid_request for someone who
// does not take part in the course, not_found for no window) or nothing.
struct PreparedCheckIn {
    CheckInEvent event;
    Person person;
};
[[nodiscard]] Result<PreparedCheckIn> prepareCheckIn(Services& services, const Caller& caller, const Window& window,
                                                     const CourseAccess& access,
                                                     std::optional<std::string> otherPublicId);
[[nodiscard]] Result<void> checkInStored(CheckInOutcome outcome, const Person& person);
// checkInStored, then the person's record in the window once stored.
[[nodiscard]] Result<AttendanceRecord> checkedInRecord(Services& services, CheckInOutcome outcome, const Person& person,
                                                       std::string_view window);

// A stored correction or flag: the record it changed, and the event's id.
struct RecordChange {
    AttendanceRecord record;
    std::string event;
};

// "Toggle": a teacher marks a participant present or absent for one window,
// with a reason; or absent and excused (an excused absence counts apart from
// an absence). `base` is the record's last event the teacher saw.
[[nodiscard]] Result<RecordChange> correctPresence(Services& services, const Caller& caller, std::string_view window,
                                                       std::string_view personPublicId, bool present,
                                                       std::string reason, std::optional<std::string> base,
                                                       bool excused = false);

// Teachers and TAs set or clear a mentor flag on one record.
[[nodiscard]] Result<RecordChange> changeFlag(Services& services, const Caller& caller, std::string_view window,
                                                  std::string_view personPublicId, Flag flag, bool set,
                                                  std::string note);

// Org admins and people who teach a course add courses, with students.
[[nodiscard]] Result<bool> mayCreateCourse(Services& services, const Caller& caller);
[[nodiscard]] Result<Course> createCourse(Services& services, const Caller& caller, NewCourse course);
[[nodiscard]] Result<void> removeCourse(Services& services, const Caller& caller, std::string_view course);

// Teachers add or change students and TAs ("Add TA to Class"); only an org
// admin names or removes teachers. Returns true when the person was new to
// the course.
[[nodiscard]] Result<bool> assignMember(Services& services, const Caller& caller, std::string_view course,
                                        std::string_view personPublicId, Role role);
[[nodiscard]] Result<void> removeMember(Services& services, const Caller& caller, std::string_view course,
                                        std::string_view personPublicId);

// A participant (student or TA) of the window's course; not_found otherwise.
[[nodiscard]] Result<Person> participantOf(Services& services, const Window& window, std::string_view personPublicId);

} // namespace imhere::server
