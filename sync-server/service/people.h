#pragma once
// People as an org admin manages them (DESIGN §3): adding a person with
// their contact details, and the org admin flag. Shared by the JSON API
// (POST /api/v1/people) and the admin pages.
//
// Thread rules: any thread, like the Store.

#include "services.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imhere::server {

struct PersonDetails {
    std::string displayName;
    std::optional<std::string> email;
    std::optional<std::string> github;   // a leading '@' is dropped
    std::optional<std::string> codewars; // a leading '@' is dropped
    bool isAdmin = false;
    std::optional<std::string> password; // with an email: generated when not given
};

struct AddedPerson {
    Person person;
    std::optional<std::string> generatedPassword; // shown once
};

// Every problem with the details, as (field, message) pairs: display_name,
// email (malformed, or someone has it already), github, codewars, password.
// Empty when addPerson would take them.
[[nodiscard]] Result<std::vector<std::pair<std::string, std::string>>> personProblems(Services& services,
                                                                                     const PersonDetails& details);

// An org admin adds a person; forbidden for anyone else. invalid_request
// "field: message" for bad details, already_exists "email: ..." for an email
// someone has.
[[nodiscard]] Result<AddedPerson> addPerson(Services& services, const Caller& caller, PersonDetails details);

// An org admin makes someone an org admin or stops them being one; nobody
// removes their own admin rights (so there is always one admin left).
[[nodiscard]] Result<Person> setOrgAdmin(Services& services, const Caller& caller, std::string_view personPublicId,
                                         bool admin);

// The person with this email (when it has an '@') or public id; not_found
// naming what was typed.
[[nodiscard]] Result<Person> findPerson(Services& services, std::string_view emailOrPublicId);

// Everyone, for an org admin.
[[nodiscard]] Result<std::vector<Person>> listPeople(Services& services, const Caller& caller);

// A person's courses and roles, for the people list.
struct PersonWithCourses {
    Person person;
    std::vector<std::pair<Course, Role>> courses;
};
[[nodiscard]] Result<std::vector<PersonWithCourses>> peopleWithCourses(Services& services, const Caller& caller);

} // namespace imhere::server
