#include "accountlinks.h"

#include "sync-server/auth/passwordpolicy.h"
#include "sync-server/auth/passwords.h"
#include "sync-server/auth/tokens.h"
#include "sync-server/serverlimits.h"

#include "core/encoding.h"
#include "core/random.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_linkPrefix = "/password/";

std::int64_t lifetimeOf(AccountLinkPurpose purpose)
{
    return purpose == AccountLinkPurpose::Invitation ? limits::k_invitationLinkLifetimeMs
                                                     : limits::k_resetLinkLifetimeMs;
}

std::string linkUrl(const Services& services, const std::string& path)
{
    return services.mail.siteUrl + path;
}

NewMail linkMail(const Services& services, const Person& person, const Caller& caller, AccountLinkPurpose purpose,
                 const std::string& path)
{
    const std::string url = linkUrl(services, path);
    if (purpose == AccountLinkPurpose::Invitation)
        return NewMail{*person.email, "Your imhere account: choose a password",
                       "Hello " + person.displayName + ",\n\n" + caller.person.displayName
                           + " invited you to imhere, where your course takes attendance.\n"
                             "Choose your password here (the link works once, for 7 days):\n\n"
                           + url + "\n\nYou sign in with this email address, " + *person.email
                           + ".\nIf you did not expect this message, you can ignore it.\n"};
    return NewMail{*person.email, "Your imhere password: a link to choose a new one",
                   "Hello " + person.displayName + ",\n\n" + caller.person.displayName
                       + " sent you a link to choose a new password for imhere\n"
                         "(it works once, for 24 hours):\n\n"
                       + url + "\n\nUntil you use it, your password stays as it is.\n"};
}

// An org admin may send a link to anyone; a teacher to the students and
// TAs of their courses (not to an org admin).
Result<bool> maySendLink(Services& services, const Caller& caller, const Person& person)
{
    if (caller.person.isAdmin)
        return true;
    if (person.isAdmin)
        return false;
    TRY_ASSIGN(courses, services.store.courses().listCourses(caller.person.id));
    for (const auto& c : courses) {
        if (c.role != Role::Teacher || c.course.removed)
            continue;
        TRY_ASSIGN(role, services.store.courses().roleIn(person.id, c.course.id));
        if (role == Role::Student || role == Role::Ta) // not a fellow teacher
            return true;
    }
    return false;
}

Result<PasswordLink> issueLink(Services& services, const Caller& caller, const Person& person,
                               AccountLinkPurpose purpose)
{
    const std::string token = randomToken(limits::k_secretTokenBytes);
    PasswordLink link{person, purpose, passwordLinkPath(token), services.clock.nowMs() + lifetimeOf(purpose), false};
    link.mailed = services.mail.enabled && person.email.has_value();
    std::optional<NewMail> mail;
    if (link.mailed)
        mail = linkMail(services, person, caller, purpose, link.path);
    TRY(services.store.credentials().createAccountLink(sha256(token), person.id, purpose, caller.person.id,
                                                       link.expiresAt, mail));
    return link;
}

void wakeMailSender(Services& services)
{
    if (services.mailQueued)
        services.mailQueued();
}

Error linkGone()
{
    return Error{Errc::CodeExpired, "this link has been used or has expired; ask for a new one"};
}

} // namespace

std::string passwordLinkPath(std::string_view token)
{
    return std::string(k_linkPrefix) + std::string(token);
}

Result<PasswordLink> sendPasswordLink(Services& services, const Caller& caller, std::string_view personPublicId,
                                      AccountLinkPurpose purpose)
{
    TRY_ASSIGN(person, services.personById(personPublicId));
    TRY_ASSIGN(allowed, maySendLink(services, caller, person));
    TRY(allow(allowed, "only org admins and the teachers of a person's course send them a password link"));
    TRY_ASSIGN(link, issueLink(services, caller, person, purpose));
    if (link.mailed)
        wakeMailSender(services);
    return link;
}

Result<std::vector<PasswordLink>> inviteCourse(Services& services, const Caller& caller, std::string_view course)
{
    TRY(services.liveCourse(course));
    TRY_ASSIGN(access, services.access(caller, course));
    TRY(allow(access.teaches(), "only the course's teachers invite its people"));
    TRY_ASSIGN(members, services.store.courses().roster(course));
    std::vector<PasswordLink> links;
    for (const Member& m : members) {
        // Its students and TAs; fellow teachers are not the teacher's to invite.
        if ((m.role != Role::Student && m.role != Role::Ta) || links.size() >= limits::k_maxInvitationsAtOnce)
            continue;
        TRY_ASSIGN(person, services.personById(m.publicId));
        if (person.passwordHash || person.isAdmin)
            continue;
        TRY_ASSIGN(link, issueLink(services, caller, person, AccountLinkPurpose::Invitation));
        links.push_back(std::move(link));
    }
    wakeMailSender(services);
    return links;
}

Result<void> requestPasswordReset(Services& services, std::string_view email, std::string_view remoteIp)
{
    const std::int64_t now = services.clock.nowMs();
    if (services.resetAddressLimiter.admit("address:" + std::string(remoteIp), now) > 0
        || services.resetAccountLimiter.admit("account:" + asciiLowercase(email), now) > 0)
        return fail(Errc::RateLimited, "too many reset requests; wait an hour and try again");
    if (!services.mail.enabled || email.empty() || email.size() > limits::k_maxEmailBytes)
        return {};
    const std::string token = randomToken(limits::k_secretTokenBytes);
    const NewMail mail{std::string(email), "Your imhere password: a link to choose a new one",
                       "Hello,\n\nSomeone, hopefully you, asked to reset the password of the imhere account\n"
                       "of this email address. Choose a new password here (the link works once, for 24 hours):\n\n"
                           + linkUrl(services, passwordLinkPath(token))
                           + "\n\nIf it was not you, ignore this message: your password stays as it is.\n"};
    TRY(services.store.credentials().createResetLinkByEmail(email, sha256(token), now + limits::k_resetLinkLifetimeMs,
                                                            mail));
    wakeMailSender(services);
    return {};
}

Result<AccountLink> openPasswordLink(Services& services, std::string_view token)
{
    if (token.empty() || token.size() > limits::k_maxTokenChars)
        return std::unexpected(linkGone());
    TRY_ASSIGN(link, services.store.credentials().accountLink(sha256(token), services.clock.nowMs()));
    if (!link)
        return std::unexpected(linkGone());
    return *link;
}

Result<Person> setPasswordWithLink(Services& services, std::string_view token, std::string_view password)
{
    TRY(openPasswordLink(services, token));
    if (auto problem = passwordProblem(password))
        return fail(Errc::InvalidRequest, "password: " + *problem);
    TRY_ASSIGN(hash, hashSecret(password, k_passwordCost));
    TRY_ASSIGN(person, services.store.credentials().useAccountLink(sha256(token), services.clock.nowMs(), hash));
    if (!person) // used by a parallel request meanwhile
        return std::unexpected(linkGone());
    TRY_ASSIGN(found, services.store.people().personById(*person));
    if (!found)
        return fail(Errc::NotFound, "no such person");
    return *found;
}

} // namespace imhere::server
