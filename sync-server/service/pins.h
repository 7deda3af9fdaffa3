#pragma once
// A staff member's kiosk PIN, made new on the web: a random 8-digit PIN
// shown once, kept as an argon2id hash (auth/passwords.h k_pinCost), and
// reaching the kiosks of their courses at their next sync (the old one
// stops working there then). For someone who forgot theirs, or after a
// kiosk holding its hash was stolen.
//
// Thread rules: any thread.

#include "services.h"

#include <string>

namespace imhere::server {

// The new PIN, for the caller to note; forbidden unless they are a teacher
// or TA of a course (kiosks ask only them for a PIN), or an org admin.
[[nodiscard]] Result<std::string> makeNewPin(Services& services, const Caller& caller);

// True when the caller's PIN was made before PINs had k_pinDigits digits
// and k_pinCost: it still works, and they are asked to make a new one.
[[nodiscard]] bool pinIsOutdated(const Caller& caller);

} // namespace imhere::server
