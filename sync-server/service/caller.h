#pragma once
// Who is asking, and what they may do in one course (DESIGN §3 roles): the
// vocabulary every rule of the domain is written in. An org admin may do
// what a course's teacher may.

#include "sync-server/auth/authenticator.h"
#include "sync-server/store/model.h"

#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace imhere::server {

// A person calling through a session or an API key.
struct Caller {
    Person person;
    PrincipalKind kind = PrincipalKind::Session;
    Principal principal;
};

// The caller's standing in one course.
struct CourseAccess {
    std::optional<Role> role;
    bool admin = false;
    [[nodiscard]] bool member() const { return role || admin; }
    // Opens and closes windows, flags, confirms remote check-ins.
    [[nodiscard]] bool runsClass() const { return admin || role == Role::Teacher || role == Role::Ta; }
    // Toggles presence, changes the roster, removes the course.
    [[nodiscard]] bool teaches() const { return admin || role == Role::Teacher; }
    // Checks in and has an attendance record: the trainees (students) and
    // the volunteers (TAs and teachers), whose records are counted apart
    // (service/reports.h).
    [[nodiscard]] bool participates() const { return takesPart(role); }

    [[nodiscard]] static bool takesPart(std::optional<Role> role)
    {
        return role == Role::Student || role == Role::Ta || role == Role::Teacher;
    }
};

// forbidden unless `allowed`.
[[nodiscard]] Result<void> allow(bool allowed, std::string_view message = "not allowed for your role");
// invalid_request with a "field: message" text.
[[nodiscard]] Error invalid(std::string message);

} // namespace imhere::server
