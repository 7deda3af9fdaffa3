#include "pins.h"

#include "courseviews.h"

#include "sync-server/auth/passwords.h"

#include <algorithm>

namespace imhere::server {

Result<std::string> makeNewPin(Services& services, const Caller& caller)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "a PIN is made from a signed-in session"));
    TRY_ASSIGN(courses, enrolledCourses(services, caller));
    const bool staff = caller.person.isAdmin || std::ranges::any_of(courses, [](const CourseWithRole& c) {
                           return c.role == Role::Teacher || c.role == Role::Ta;
                       });
    TRY(allow(staff, "kiosk PINs are for teachers and TAs"));
    std::string pin = generatePin();
    TRY_ASSIGN(hash, hashSecret(pin, k_pinCost));
    TRY(services.store.people().setPinHash(caller.person.id, hash));
    return pin;
}

bool pinIsOutdated(const Caller& caller)
{
    return caller.person.pinHash && needsRehash(*caller.person.pinHash, k_pinCost);
}

} // namespace imhere::server
