#pragma once
// What every server-rendered page shares: the signed-in person from the
// session cookie, CSRF checked from the form's hidden field, HTML responses
// with strict security headers, 303 redirects after a POST with a one-shot
// flash message, and error pages that say what to do next.
//
// Thread rules: handlers run on the HTTP pool threads; nothing here keeps state.

#include "sync-server/http/router.h"
#include "sync-server/service/services.h"
#include "sync-server/web/formdata.h"
#include "sync-server/web/layout.h"

#include <optional>

namespace imhere::server {

using PageHandler = std::function<Result<Response>(const Request&)>;
// Turns an Error into an HTML page with its status; unauthenticated becomes a
// redirect to the sign-in page.
[[nodiscard]] Handler page(Services& services, PageHandler handler);

// Errors the router or the HTTP layer answer (no such page, too large, busy)
// as pages in the site's layout, for browsers (Router::setErrorPage).
[[nodiscard]] ErrorPage errorPages(Services& services);

// The admission (sync-server/http/router.h) of pages for signed-in people:
// a form is read only with a valid session; otherwise the redirect to the
// sign-in page comes before the body is read.
[[nodiscard]] Admission admitSignedIn(Services& services);

// The signed-in person, or nullopt. API keys and kiosk tokens do not sign in
// to pages.
[[nodiscard]] Result<std::optional<Caller>> sessionCaller(Services& services, const Request& request);
// Like sessionCaller, but unauthenticated when nobody is signed in.
[[nodiscard]] Result<Caller> requireSignedIn(Services& services, const Request& request);

struct FormPost {
    Caller caller;
    web::FormData form;
};
// A form POST from a signed-in person: 415 unless urlencoded, 400 for a bad
// body, 403 csrf_required unless the form's csrf field matches the session.
[[nodiscard]] Result<FormPost> signedInPost(Services& services, const Request& request);
// The form of an anonymous POST (sign-in, remote check-in).
[[nodiscard]] Result<web::FormData> formBody(const Request& request);

[[nodiscard]] Response htmlResponse(int status, const std::string& html);
[[nodiscard]] Response redirect(const std::string& location, std::optional<web::Flash> flash = std::nullopt);
// After a form post: a redirect to `back` with a success flash, or, for a
// refusal people can act on (403, 404, 409, 422 ...), with that refusal as an
// error flash. Unexpected failures stay errors for page() to show.
[[nodiscard]] Result<Response> redirectWithOutcome(Result<std::string> done, const std::string& back);

// Renders `frame` as a 200 page, showing (and clearing) the flash message the
// redirect before it left.
[[nodiscard]] Response pageResponse(const Request& request, web::PageFrame frame, int status = 200);

// Frame with the navigation for this person; `current` is the href of the page.
[[nodiscard]] web::PageFrame frameFor(const Caller& caller, std::string title, const std::string& current);

} // namespace imhere::server
