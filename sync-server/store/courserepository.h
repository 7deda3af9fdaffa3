#pragma once
// Courses and who is enrolled in them with which role.
// Persistence only: the rules are the services' (sync-server/service/).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/result.h"

#include <optional>
#include <string_view>
#include <vector>

namespace imhere::server {

class CourseRepository {
public:
    virtual ~CourseRepository() = default;

    [[nodiscard]] virtual Result<Course> createCourse(const NewCourse& course, PersonId creator) = 0;
    // Removed courses are returned with removed = true.
    [[nodiscard]] virtual Result<std::optional<Course>> course(std::string_view id) = 0;
    // All live courses (admin view), or those `person` is enrolled in.
    [[nodiscard]] virtual Result<std::vector<CourseWithRole>> listCourses(std::optional<PersonId> person) = 0;
    [[nodiscard]] virtual Result<void> removeCourse(std::string_view id, PersonId actor) = 0;
    // Its settings (name, timing, alert thresholds); not_found for no live course.
    [[nodiscard]] virtual Result<void> updateCourse(const Course& course, PersonId actor) = 0;
    // already_exists when that alert was followed up before.
    [[nodiscard]] virtual Result<void> followUpAlert(std::string_view course, PersonId person, std::string_view kind,
                                                     std::string_view since, std::string_view note, PersonId actor) = 0;
    [[nodiscard]] virtual Result<std::vector<AlertFollowUp>> alertFollowUps(std::string_view course) = 0;
    [[nodiscard]] virtual Result<std::optional<Role>> roleIn(PersonId person, std::string_view course) = 0;
    // `actor` 0: done from the command line rather than by a person.
    [[nodiscard]] virtual Result<void> setEnrollment(PersonId person, std::string_view course, Role role,
                                                     PersonId actor) = 0;
    // false when the person was not enrolled.
    [[nodiscard]] virtual Result<bool> removeEnrollment(PersonId person, std::string_view course, PersonId actor) = 0;
    [[nodiscard]] virtual Result<std::vector<Member>> roster(std::string_view course) = 0;
    // Every enrollment in a live course.
    [[nodiscard]] virtual Result<std::vector<Enrollment>> listEnrollments() = 0;
};

} // namespace imhere::server
