// Courses and rosters: teachers add and remove courses, students and TAs;
// org admins also name teachers.

#include "apijson.h"
#include "routes.h"

#include "sync-server/serverlimits.h"
#include "sync-server/service/attendance.h"
#include "sync-server/service/courseviews.h"
#include "sync-server/service/people.h"
#include "core/result.h"

#include "core/jsonreader.h"
#include "core/random.h"

namespace imhere::server {

namespace {

Result<Response> listCourses(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(courses, coursesOf(api.services, caller));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : courses)
        list.push_back(courseJson(c.course, c.role));
    return jsonResponse(200, {{"courses", list}});
}

Result<Response> postCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(allowed, mayCreateCourse(api.services, caller));
    TRY(allow(allowed, "only teachers and org admins add courses"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"name", "timezone", "late_after_min", "absent_after_min", "window_length_min", "close_grace_min",
                 "students"});
    NewCourse c;
    c.name = r.text("name", imhere::limits::k_maxNameBytes);
    c.timezone = r.text("timezone", imhere::limits::k_maxTimezoneBytes);
    c.lateAfterMin = static_cast<int>(r.optionalInteger("late_after_min", 0, 24 * 60)
                                          .value_or(imhere::limits::k_defaultLateAfterMin));
    c.absentAfterMin = static_cast<int>(r.optionalInteger("absent_after_min", 0, 24 * 60)
                                            .value_or(imhere::limits::k_defaultAbsentAfterMin));
    c.windowLengthMin = static_cast<int>(r.optionalInteger("window_length_min", 1, 24 * 60)
                                             .value_or(imhere::limits::k_defaultWindowLengthMin));
    c.closeGraceMin = static_cast<int>(r.optionalInteger("close_grace_min", 0, 24 * 60)
                                           .value_or(imhere::limits::k_defaultCloseGraceMin));
    const auto& students = r.array("students", limits::k_maxStudentsAtCreation, true);
    for (std::size_t i = 0; r.ok() && i < students.size(); ++i) {
        if (!students[i].is_string() || !isPublicId(students[i].get_ref<const std::string&>()))
            r.failAt("students[" + std::to_string(i) + "]", "expected a public id");
    }
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    for (const auto& s : students) {
        auto person = findPerson(api.services, s.get_ref<const std::string&>());
        if (!person && person.error().code == Errc::NotFound)
            return std::unexpected(invalid("students: no person " + s.get<std::string>()));
        if (!person)
            return std::unexpected(person.error());
        c.students.push_back(person->id);
    }
    TRY_ASSIGN(created, createCourse(api.services, caller, std::move(c)));
    return jsonResponse(201, {{"course", courseJson(created, Role::Teacher)}});
}

Result<Response> getCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(view, courseAs(api.services, caller, id, Standing::Member, "you are not in this course"));
    return jsonResponse(200, {{"course", courseJson(view.course, view.access.role)}});
}

Result<Response> deleteCourse(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY(removeCourse(api.services, caller, id));
    return jsonResponse(200, {{"removed", true}});
}

Result<Response> listMembers(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(members, rosterOf(api.services, caller, id));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : members)
        list.push_back(memberJson(m));
    return jsonResponse(200, {{"members", list}});
}

Result<Response> putMember(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    TRY(courseAs(api.services, caller, id, Standing::Teaches, "only the course's teachers change its roster"));
    TRY_ASSIGN(body, jsonBody(request));
    JsonReader r(body, "");
    r.allowOnly({"role"});
    const auto role = sync::roleFromString(r.text("role", 20, TextKind::Token));
    if (r.ok() && !role)
        r.failAt("role", "expected student, ta or teacher");
    if (!r.ok())
        return std::unexpected(invalid(r.error()));
    TRY_ASSIGN(added, assignMember(api.services, caller, id, personId, *role));
    TRY_ASSIGN(person, api.services.personById(personId));
    return jsonResponse(added ? 201 : 200, {{"member", memberJson({person.publicId, person.displayName, *role})}});
}

Result<Response> deleteMember(ApiContext& api, const Request& request)
{
    TRY_ASSIGN(caller, api.caller(request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    TRY_ASSIGN(personId, publicIdParam(request, "person"));
    TRY(removeMember(api.services, caller, id, personId));
    return jsonResponse(200, {{"removed", true}});
}

} // namespace

void addCourseRoutes(Router& router, ApiContext& api)
{
    router.add("GET", "/api/v1/courses", wrap([&api](const Request& r) { return listCourses(api, r); }));
    router.add("POST", "/api/v1/courses", wrap([&api](const Request& r) { return postCourse(api, r); }));
    router.add("GET", "/api/v1/courses/{course}", wrap([&api](const Request& r) { return getCourse(api, r); }));
    router.add("DELETE", "/api/v1/courses/{course}", wrap([&api](const Request& r) { return deleteCourse(api, r); }));
    router.add("GET", "/api/v1/courses/{course}/members",
               wrap([&api](const Request& r) { return listMembers(api, r); }));
    router.add("PUT", "/api/v1/courses/{course}/members/{person}",
               wrap([&api](const Request& r) { return putMember(api, r); }));
    router.add("DELETE", "/api/v1/courses/{course}/members/{person}",
               wrap([&api](const Request& r) { return deleteMember(api, r); }));
}

} // namespace imhere::server
