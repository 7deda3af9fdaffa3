#include "people.h"

#include "sync-server/auth/passwordpolicy.h"
#include "sync-server/auth/passwords.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/limits.h"

#include <algorithm>
#include <map>

namespace imhere::server {

namespace {

bool isControl(char c)
{
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

// Deliberately loose: one '@' with something on both sides, a dot in the
// domain, no spaces. Whether the address works is for the person to find out.
bool looksLikeEmail(std::string_view e)
{
    const auto at = e.find('@');
    if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos)
        return false;
    const auto domain = e.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.back() == '.')
        return false;
    return std::ranges::none_of(e, [](char c) { return c == ' ' || isControl(c) || c == '<' || c == '>' || c == ','; });
}

bool isUsername(std::string_view u)
{
    return !u.empty() && u.size() <= limits::k_maxUsernameBytes && std::ranges::all_of(u, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.';
    });
}

void normalise(PersonDetails& d)
{
    for (auto* name : {&d.github, &d.codewars}) {
        if (*name && name->value().starts_with('@'))
            name->value().erase(0, 1);
        if (*name && name->value().empty())
            name->reset();
    }
    if (d.email && d.email->empty())
        d.email.reset();
}

} // namespace

Result<std::vector<std::pair<std::string, std::string>>> personProblems(Services& services, const PersonDetails& given)
{
    PersonDetails d = given;
    normalise(d);
    std::vector<std::pair<std::string, std::string>> problems;
    if (d.displayName.empty())
        problems.emplace_back("display_name", "enter the person's name");
    else if (d.displayName.size() > imhere::limits::k_maxNameBytes
             || std::ranges::any_of(d.displayName, isControl))
        problems.emplace_back("display_name", "enter a name of at most 200 bytes on one line");
    if (d.email) {
        if (d.email->size() > limits::k_maxEmailBytes || !looksLikeEmail(*d.email)) {
            problems.emplace_back("email", "enter an email address like name@example.org");
        } else {
            TRY_ASSIGN(existing, services.store.people().personByEmail(*d.email));
            if (existing)
                problems.emplace_back("email", "someone already has this email address");
        }
    }
    if (d.github && !isUsername(*d.github))
        problems.emplace_back("github", "enter a GitHub username: letters, digits and hyphens");
    if (d.codewars && !isUsername(*d.codewars))
        problems.emplace_back("codewars", "enter a Codewars username: letters, digits, hyphens and underscores");
    if (d.password)
        if (auto problem = passwordProblem(*d.password))
            problems.emplace_back("password", *problem);
    return problems;
}

Result<AddedPerson> addPerson(Services& services, const Caller& caller, PersonDetails d)
{
    TRY(allow(caller.person.isAdmin, "only an org admin adds people"));
    normalise(d);
    TRY_ASSIGN(problems, personProblems(services, d));
    if (!problems.empty()) {
        const auto& [field, message] = problems.front();
        const bool taken = field == "email" && message.starts_with("someone already");
        return fail(taken ? Errc::AlreadyExists : Errc::InvalidRequest, field + ": " + message);
    }
    NewPerson p{d.displayName, d.email, d.github, d.codewars, std::nullopt, std::nullopt, d.isAdmin};
    std::optional<std::string> generated;
    if (p.email) {
        if (!d.password)
            generated = d.password = generatePassword();
        TRY_ASSIGN(hash, hashSecret(*d.password, k_passwordCost));
        p.passwordHash = std::move(hash);
    }
    auto created = services.store.people().createPerson(p);
    if (!created && created.error().code == Errc::AlreadyExists) // added by someone else meanwhile
        return fail(Errc::AlreadyExists, "email: someone already has this email address");
    TRY_ASSIGN(person, std::move(created));
    return AddedPerson{std::move(person), std::move(generated)};
}

Result<Person> setOrgAdmin(Services& services, const Caller& caller, std::string_view personPublicId, bool admin)
{
    TRY(allow(caller.person.isAdmin, "only an org admin changes who is an org admin"));
    TRY_ASSIGN(person, services.personById(personPublicId));
    if (!admin && person.id == caller.person.id)
        return fail(Errc::Conflict, "you cannot remove your own admin rights; ask another org admin");
    TRY(services.store.people().setAdmin(person.id, admin, caller.person.id));
    person.isAdmin = admin;
    return person;
}

Result<std::vector<PersonWithCourses>> peopleWithCourses(Services& services, const Caller& caller)
{
    TRY(allow(caller.person.isAdmin, "only an org admin lists people"));
    TRY_ASSIGN(people, services.store.people().listPeople());
    TRY_ASSIGN(courses, services.store.courses().listCourses(std::nullopt));
    TRY_ASSIGN(enrollments, services.store.courses().listEnrollments());
    std::map<std::string, const Course*> courseById;
    for (const auto& c : courses)
        courseById[c.course.id] = &c.course;
    std::map<PersonId, std::size_t> index;
    std::vector<PersonWithCourses> out;
    out.reserve(people.size());
    for (auto& p : people) {
        index[p.id] = out.size();
        out.push_back({std::move(p), {}});
    }
    for (const auto& e : enrollments) {
        const auto person = index.find(e.person);
        const auto course = courseById.find(e.course);
        if (person != index.end() && course != courseById.end())
            out[person->second].courses.emplace_back(*course->second, e.role);
    }
    return out;
}

Result<std::vector<Person>> listPeople(Services& services, const Caller& caller)
{
    TRY(allow(caller.person.isAdmin, "only an org admin lists people"));
    return services.store.people().listPeople();
}

Result<Person> findPerson(Services& services, std::string_view text)
{
    auto& people = services.store.people();
    TRY_ASSIGN(found, text.find('@') != std::string_view::npos ? people.personByEmail(text) : people.personByPublicId(text));
    if (!found)
        return fail(Errc::NotFound, "nobody has the id or email \"" + std::string(text.substr(0, 80)) + "\"");
    return std::move(*found);
}

} // namespace imhere::server
