// Courses and rosters: teachers add and remove courses, students and TAs;
// org admins also name teachers.

#include "apijson.h"
#include "routes.h"

#include "sync-server/serverlimits.h"
#include "sync-server/tryresult.h"

#include "core/jsonreader.h"
#include "core/random.h"
#include "core/timezone.h"

namespace imhere::server {

namespace {

Result<Response> listCourses(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(courses, api.store.listCourses(caller.person.isAdmin ? std::nullopt
                                                                    : std::optional(caller.person.id)));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : courses) {
        auto role = c.role;
        if (caller.person.isAdmin && !role) {
            TRY_ASSIGN(own, api.store.roleIn(caller.person.id, c.course.id));
            role = own;
        }
        list.push_back(courseJson(c.course, role));
    }
    return jsonResponse(200, {{"courses", list}});
}

// Who may add a course: an org admin, or a person who already teaches one.
Result<bool> mayCreateCourse(ApiContext& api, const Caller& caller)
{
    if (caller.person.isAdmin)
        return true;
    TRY_ASSIGN(courses, api.store.listCourses(caller.person.id));
    return std::ranges::any_of(courses, [](const CourseWithRole& c) { return c.role == Role::Teacher; });
}

Result<Response> createCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(allowed, mayCreateCourse(api, caller));
    TRY(allow(allowed, "only teachers and org admins add courses"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"name", "timezone", "late_after_min", "absent_after_min", "students"});
    NewCourse c;
    c.name = r.text("name", imhere::limits::k_maxNameBytes);
    c.timezone = r.text("timezone", imhere::limits::k_maxTimezoneBytes);
    c.lateAfterMin = static_cast<int>(r.optionalInteger("late_after_min", 0, 24 * 60)
                                          .value_or(imhere::limits::k_defaultLateAfterMin));
    c.absentAfterMin = static_cast<int>(r.optionalInteger("absent_after_min", 0, 24 * 60)
                                            .value_or(imhere::limits::k_defaultAbsentAfterMin));
    const auto& students = r.array("students", limits::k_maxStudentsAtCreation, true);
    if (r.ok() && !isKnownTimezone(c.timezone))
        r.failAt("timezone", "unknown IANA time zone");
    if (r.ok() && c.absentAfterMin < c.lateAfterMin)
        r.failAt("absent_after_min", "must not be less than late_after_min");
    for (std::size_t i = 0; r.ok() && i < students.size(); ++i) {
        if (!students[i].is_string() || !isPublicId(students[i].get_ref<const std::string&>()))
            r.failAt("students[" + std::to_string(i) + "]", "expected a public id");
    }
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    for (const auto& s : students) {
        TRY_ASSIGN(person, api.store.personByPublicId(s.get_ref<const std::string&>()));
        if (!person)
            return std::unexpected(invalid("students: no person " + s.get<std::string>()));
        c.students.push_back(person->id);
    }
    TRY_ASSIGN(created, api.store.createCourse(c, caller.person.id));
    return jsonResponse(201, {{"course", courseJson(created, Role::Teacher)}});
}

Result<Response> getCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(course, api.liveCourse(id));
    TRY_ASSIGN(access, api.access(caller, id));
    TRY(allow(access.member(), "you are not in this course"));
    return jsonResponse(200, {{"course", courseJson(course, access.role)}});
}

Result<Response> removeCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY(api.liveCourse(id));
    TRY_ASSIGN(access, api.access(caller, id));
    TRY(allow(access.teaches(), "only the course's teachers remove it"));
    TRY(api.store.removeCourse(id, caller.person.id));
    return jsonResponse(200, {{"removed", true}});
}

Result<Response> listMembers(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY(api.liveCourse(id));
    TRY_ASSIGN(access, api.access(caller, id));
    TRY(allow(access.runsClass(), "only teachers and TAs see the roster"));
    TRY_ASSIGN(members, api.store.roster(id));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : members)
        list.push_back(memberJson(m));
    return jsonResponse(200, {{"members", list}});
}

// Teachers add students and TAs; naming a teacher is an org admin's call.
Result<void> mayAssign(const CourseAccess& access, const Caller& caller, Role from, Role to)
{
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    const bool touchesTeacher = from == Role::Teacher || to == Role::Teacher;
    return allow(!touchesTeacher || caller.person.isAdmin, "only an org admin adds or removes teachers");
}

Result<Response> putMember(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    TRY(api.liveCourse(id));
    TRY_ASSIGN(access, api.access(caller, id));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"role"});
    const auto role = sync::roleFromString(r.text("role", 20, TextKind::Token));
    if (r.ok() && !role)
        r.failAt("role", "expected student, ta or teacher");
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(person, api.personById(personId));
    TRY_ASSIGN(current, api.store.roleIn(person.id, id));
    TRY(mayAssign(access, caller, current.value_or(Role::Student), *role));
    TRY(api.store.setEnrollment(person.id, id, *role, caller.person.id));
    return jsonResponse(current ? 200 : 201, {{"member", memberJson({person.publicId, person.displayName, *role})}});
}

Result<Response> removeMember(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    TRY(api.liveCourse(id));
    TRY_ASSIGN(access, api.access(caller, id));
    TRY(allow(access.teaches(), "only the course's teachers change its roster"));
    TRY_ASSIGN(person, api.personById(personId));
    TRY_ASSIGN(current, api.store.roleIn(person.id, id));
    if (!current)
        return fail("not_found", "this person is not in the course");
    TRY(mayAssign(access, caller, *current, *current));
    TRY(api.store.removeEnrollment(person.id, id, caller.person.id));
    return jsonResponse(200, {{"removed", true}});
}

} // namespace

void addCourseRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/courses", wrap([&api](const Request& r) { return listCourses(api, r); }));
    router.add("POST", "/api/v1/courses", wrap([&api](const Request& r) { return createCourse(api, r); }));
    router.add("GET", "/api/v1/courses/{course}", wrap([&api](const Request& r) { return getCourse(api, r); }));
    router.add("DELETE", "/api/v1/courses/{course}", wrap([&api](const Request& r) { return removeCourse(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/members",
               wrap([&api](const Request& r) { return listMembers(api, r); }));
    router.add("PUT", "/api/v1/courses/{course}/members/{person}",
               wrap([&api](const Request& r) { return putMember(api, r); }));
    router.add("DELETE", "/api/v1/courses/{course}/members/{person}",
               wrap([&api](const Request& r) { return removeMember(api, r); }));
}

} // namespace imhere::server
