#pragma once
// What every /api/v1 handler shares: the store, the clock, who is calling,
// strict body reading, path parameters and per-course access checks.
// Handlers return Result<Response>; wrap() turns an Error into the DESIGN §6
// JSON error with its status.
//
// Thread rules: handlers run on the HTTP pool threads, several at once;
// everything here is safe for that (the store and limiters lock inside).

#include "sync-server/auth/authenticator.h"
#include "sync-server/auth/loginlimiter.h"
#include "sync-server/http/router.h"
#include "sync-server/service/checkinwriter.h"
#include "sync-server/store/store.h"

#include "core/clock.h"

#include <nlohmann/json.hpp>

namespace imhere::server {

using ApiHandler = std::function<Result<Response>(const Request&)>;
[[nodiscard]] Handler wrap(ApiHandler handler);
// The same for a handler that may answer later (a Deferred reply).
using DeferringApiHandler = std::function<Result<Reply>(const Request&)>;
[[nodiscard]] Handler wrapDeferring(DeferringApiHandler handler);

// A person calling through a session or an API key.
struct Caller {
    Person person;
    PrincipalKind kind = PrincipalKind::Session;
    Principal principal;
};

// The caller's standing in one course; an org admin may do what a teacher may.
struct CourseAccess {
    std::optional<Role> role;
    bool admin = false;
    [[nodiscard]] bool member() const { return role || admin; }
    [[nodiscard]] bool runsClass() const { return admin || role == Role::Teacher || role == Role::Ta; }
    [[nodiscard]] bool teaches() const { return admin || role == Role::Teacher; }
    [[nodiscard]] bool participates() const { return role == Role::Student || role == Role::Ta; }
};

class ApiContext {
public:
    ApiContext(Store& store, const Clock& clock);

    Store& store;
    const Clock& clock;
    Authenticator auth;
    LoginLimiter accountLimiter;
    LoginLimiter addressLimiter;
    LoginLimiter remoteLimiter;   // requests to /q/ per client address
    LoginLimiter linkCodeLimiter; // wrong phone link codes per client address
    CheckInWriter checkIns;       // group commit of single check-ins

    // 401 when anonymous; 403 for a kiosk token, for a read-only API key on a
    // state-changing request, and for a session request without its CSRF token.
    [[nodiscard]] Result<Caller> caller(const Request& request) const;
    [[nodiscard]] Result<CourseAccess> access(const Caller& caller, std::string_view course) const;
    // A live (not removed) course; 404 otherwise.
    [[nodiscard]] Result<Course> liveCourse(std::string_view id) const;
    [[nodiscard]] Result<Window> windowById(std::string_view id) const;
    [[nodiscard]] Result<Person> personById(std::string_view publicId) const;
};

[[nodiscard]] Result<void> allow(bool allowed, std::string_view message = "not allowed for your role");

// Path parameters: 400 invalid_id when malformed.
[[nodiscard]] Result<std::string> uuidParam(const Request& request, std::string_view name);
[[nodiscard]] Result<std::string> publicIdParam(const Request& request, std::string_view name);

// The request body as a JSON object: 415 for another content type, 400 for
// malformed JSON or invalid UTF-8, 422 when it is not an object. An empty
// body reads as {}.
[[nodiscard]] Result<nlohmann::json> jsonBody(const Request& request);
// Only the content-type half of jsonBody (415), for bodies a codec parses.
[[nodiscard]] Result<void> requireJsonContentType(const Request& request);
[[nodiscard]] Error invalid(std::string message);

} // namespace imhere::server
