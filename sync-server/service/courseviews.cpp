#include "courseviews.h"
#include "records.h"

#include "attendance.h"

namespace imhere::server {

namespace {

bool has(const CourseAccess& access, Standing need)
{
    switch (need) {
    case Standing::Member: return access.member();
    case Standing::RunsClass: return access.runsClass();
    case Standing::Teaches: return access.teaches();
    }
    return false;
}

} // namespace

Result<CourseInView> courseAs(Services& services, const Caller& caller, std::string_view id, Standing need,
                              std::string_view refusal)
{
    TRY_ASSIGN(course, services.liveCourse(id));
    TRY_ASSIGN(access, services.access(caller, id));
    TRY(allow(has(access, need), refusal));
    return CourseInView{std::move(course), access};
}

Result<WindowInView> windowAs(Services& services, const Caller& caller, std::string_view id, Standing need,
                              std::string_view refusal)
{
    TRY_ASSIGN(window, services.windowById(id));
    TRY_ASSIGN(access, services.access(caller, window.course));
    TRY(allow(has(access, need), refusal));
    return WindowInView{std::move(window), access};
}

Result<std::vector<CourseWithRole>> enrolledCourses(Services& services, const Caller& caller)
{
    return services.store.courses().listCourses(caller.person.id);
}

Result<std::vector<CourseWithRole>> allCourses(Services& services, const Caller& caller)
{
    TRY(allow(caller.person.isAdmin, "only org admins see every course"));
    return services.store.courses().listCourses(std::nullopt);
}

Result<std::optional<Course>> anyCourse(Services& services, const Caller& caller, std::string_view id)
{
    TRY(allow(caller.person.isAdmin, "only org admins see removed courses"));
    return services.store.courses().course(id);
}

Result<std::vector<Enrollment>> allEnrollments(Services& services, const Caller& caller)
{
    TRY(allow(caller.person.isAdmin, "only org admins see every enrollment"));
    return services.store.courses().listEnrollments();
}

Result<std::vector<CourseWithRole>> coursesOfPerson(Services& services, const Caller& caller, const Person& person)
{
    TRY(allow(caller.person.isAdmin || caller.person.id == person.id, "only org admins see someone's courses"));
    return services.store.courses().listCourses(person.id);
}

Result<std::vector<CourseWithRole>> coursesOf(Services& services, const Caller& caller)
{
    auto& courses = services.store.courses();
    if (!caller.person.isAdmin)
        return courses.listCourses(caller.person.id);
    TRY_ASSIGN(all, courses.listCourses(std::nullopt));
    for (auto& c : all) {
        TRY_ASSIGN(own, courses.roleIn(caller.person.id, c.course.id));
        c.role = own;
    }
    return all;
}

Result<std::vector<Window>> windowsOf(Services& services, const Caller& caller, std::string_view course)
{
    TRY(courseAs(services, caller, course, Standing::Member, "you are not in this course"));
    return services.store.attendance().windowsOf(course);
}

Result<std::vector<Member>> rosterOf(Services& services, const Caller& caller, std::string_view course)
{
    TRY(courseAs(services, caller, course, Standing::RunsClass, "only teachers and TAs see the roster"));
    return services.store.courses().roster(course);
}

Result<std::vector<AttendanceRecord>> windowRecords(Services& services, const Caller& caller, std::string_view window)
{
    TRY(windowAs(services, caller, window, Standing::RunsClass, "only teachers and TAs see everyone's records"));
    return recordsOfWindow(services, window);
}

Result<std::vector<AttendanceRecord>> courseRecords(Services& services, const Caller& caller, std::string_view course)
{
    TRY(courseAs(services, caller, course, Standing::RunsClass, "only teachers and TAs see everyone's records"));
    return recordsOfCourse(services, course);
}

Result<std::vector<AttendanceRecord>> personRecords(Services& services, const Caller& caller, std::string_view course,
                                                    std::string_view personPublicId)
{
    TRY(services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, course));
    const bool self = personPublicId == caller.person.publicId;
    TRY(allow(access.runsClass() || (self && access.member()), "you may only see your own records"));
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(role, services.store.courses().roleIn(person.id, course));
    if (!CourseAccess::takesPart(role))
        return fail(Errc::NotFound, "this person does not take part in the course");
    return recordsOfPerson(services, course, person.id);
}

Result<std::vector<RemoteReview>> remoteReviewsOf(Services& services, const Caller& caller, std::string_view window)
{
    TRY(windowAs(services, caller, window, Standing::RunsClass, "only teachers and TAs review remote check-ins"));
    return services.store.remote().remoteReviews(window);
}

Result<std::map<std::string, std::size_t>> remoteReviewCountsOf(Services& services, const Caller& caller,
                                                               std::string_view course)
{
    TRY(courseAs(services, caller, course, Standing::RunsClass, "only teachers and TAs review remote check-ins"));
    return services.store.remote().remoteReviewCounts(course);
}

} // namespace imhere::server
