#pragma once
// Links to set one's own password (issue "accounts people can get into"):
// an invitation (7 days) or a reset (24 hours), each working once, kept as
// SHA-256 hashes like every token. An org admin may send one to anyone; a
// course's teacher to the students and TAs of their courses. Where mail is
// set up (Services::mail) the link goes out by mail through the outbox;
// otherwise it comes back to the caller to pass on by hand. "Forgot your
// password?" sends a reset link to an address without telling whether the
// address has an account: the same answer and the same statements either way.
//
// Thread rules: any thread.

#include "services.h"

#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

struct PasswordLink {
    Person person;
    AccountLinkPurpose purpose = AccountLinkPurpose::Reset;
    std::string path; // "/password/<token>"; holds the secret
    std::int64_t expiresAt = 0;
    bool mailed = false; // queued for mail; otherwise pass it on by hand
};

// The path of the page a link's token opens.
[[nodiscard]] std::string passwordLinkPath(std::string_view token);

// A link for one person (by public id): forbidden unless the caller may
// send one (see above). Someone without an email gets it by hand.
[[nodiscard]] Result<PasswordLink> sendPasswordLink(Services& services, const Caller& caller,
                                                    std::string_view personPublicId, AccountLinkPurpose purpose);

// An invitation for every student and TA of the course who has no password
// yet (after an import of the roster, say); only its teachers and org admins.
[[nodiscard]] Result<std::vector<PasswordLink>> inviteCourse(Services& services, const Caller& caller,
                                                            std::string_view course);

// "Forgot your password?": a reset link mailed to the address if it has an
// account. rate_limited when asked too often for the address or from the
// client; otherwise success whatever the address.
[[nodiscard]] Result<void> requestPasswordReset(Services& services, std::string_view email,
                                                std::string_view remoteIp);

// The link a token opens while it still works; code_expired ("this link has
// been used or has expired") otherwise.
[[nodiscard]] Result<AccountLink> openPasswordLink(Services& services, std::string_view token);

// Sets the password through the link and uses it up; every session of the
// person ends. invalid_request "password: ..." for a password that will not
// do (the link still works), code_expired for a used or expired link.
[[nodiscard]] Result<Person> setPasswordWithLink(Services& services, std::string_view token,
                                                 std::string_view password);

} // namespace imhere::server
