#pragma once
// Attendance records (DESIGN §3): folded from the stored events by the
// domain's rules (attendancefold.h), for the participants of a course —
// students and TAs; teachers run the class and have no record. These read
// without asking who is calling: the use cases check that first
// (courseviews.h, attendance.h, remote.h).
//
// Thread rules: any thread, like Services.

#include "services.h"

#include <string_view>
#include <vector>

namespace imhere::server {

// Every participant's record for every window of the course, window by window.
[[nodiscard]] Result<std::vector<AttendanceRecord>> recordsOfCourse(Services& services, std::string_view course);
// The same for the windows that start between two instants (both included).
[[nodiscard]] Result<std::vector<AttendanceRecord>> recordsOfCourseBetween(Services& services, std::string_view course,
                                                                           std::int64_t fromMs, std::int64_t toMs);
// Every participant's record for one window; not_found for no such window.
[[nodiscard]] Result<std::vector<AttendanceRecord>> recordsOfWindow(Services& services, std::string_view window);
// One person's record for every window of the course (none unless they take part).
[[nodiscard]] Result<std::vector<AttendanceRecord>> recordsOfPerson(Services& services, std::string_view course,
                                                                    PersonId person);
// One record; not_found unless the person takes part in the window's course.
[[nodiscard]] Result<AttendanceRecord> recordOf(Services& services, std::string_view window, PersonId person);

} // namespace imhere::server
