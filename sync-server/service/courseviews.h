#pragma once
// What each person may read in a course (DESIGN §6: checked per route and per
// object): its windows, roster and attendance records. The JSON API and the
// pages read through these, so one rule decides who sees what.
//
// Thread rules: any thread, like Services.

#include "services.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

// How much standing in a course a use case needs (CourseAccess).
enum class Standing { Member, RunsClass, Teaches };

// A live course and the caller's access to it: not_found for no such course,
// forbidden with `refusal` when the caller lacks `need`.
struct CourseInView {
    Course course;
    CourseAccess access;
};
[[nodiscard]] Result<CourseInView> courseAs(Services& services, const Caller& caller, std::string_view course,
                                            Standing need, std::string_view refusal);

// The same for a window of a live course.
struct WindowInView {
    Window window;
    CourseAccess access;
};
[[nodiscard]] Result<WindowInView> windowAs(Services& services, const Caller& caller, std::string_view window,
                                            Standing need, std::string_view refusal);

// The courses the caller is enrolled in, with their role in each.
[[nodiscard]] Result<std::vector<CourseWithRole>> enrolledCourses(Services& services, const Caller& caller);
// For an org admin: every live course; one course, removed or not; every
// enrollment in a live course; a person's courses.
[[nodiscard]] Result<std::vector<CourseWithRole>> allCourses(Services& services, const Caller& caller);
[[nodiscard]] Result<std::optional<Course>> anyCourse(Services& services, const Caller& caller, std::string_view id);
[[nodiscard]] Result<std::vector<Enrollment>> allEnrollments(Services& services, const Caller& caller);
[[nodiscard]] Result<std::vector<CourseWithRole>> coursesOfPerson(Services& services, const Caller& caller,
                                                                  const Person& person);

// The caller's courses with their role in each; every live course for an org admin.
[[nodiscard]] Result<std::vector<CourseWithRole>> coursesOf(Services& services, const Caller& caller);
// Members see a course's windows; teachers and TAs its roster and everyone's records.
[[nodiscard]] Result<std::vector<Window>> windowsOf(Services& services, const Caller& caller, std::string_view course);
[[nodiscard]] Result<std::vector<Member>> rosterOf(Services& services, const Caller& caller, std::string_view course);
[[nodiscard]] Result<std::vector<AttendanceRecord>> windowRecords(Services& services, const Caller& caller,
                                                                  std::string_view window);
[[nodiscard]] Result<std::vector<AttendanceRecord>> courseRecords(Services& services, const Caller& caller,
                                                                  std::string_view course);
// One participant's records in a course: theirs to see, and their teachers' and TAs'.
[[nodiscard]] Result<std::vector<AttendanceRecord>> personRecords(Services& services, const Caller& caller,
                                                                  std::string_view course,
                                                                  std::string_view personPublicId);

// Phones and networks that checked in several people (DESIGN §4), for the
// course's teachers and TAs: per window, and counted per window of a course.
[[nodiscard]] Result<std::vector<RemoteReview>> remoteReviewsOf(Services& services, const Caller& caller,
                                                                std::string_view window);
[[nodiscard]] Result<std::map<std::string, std::size_t>> remoteReviewCountsOf(Services& services, const Caller& caller,
                                                                             std::string_view course);

} // namespace imhere::server
