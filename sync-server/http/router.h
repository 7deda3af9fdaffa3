#pragma once
// Method + path pattern → handler. Patterns are '/'-separated literals and
// {name} segments; a {name} matches one non-empty segment and lands in
// Request::params. A path that matches a pattern under another method is a
// 405, one that matches nothing a 404.
//
// Thread rules: routes are added before the server starts; after that the
// router is read-only and match() may be called from any thread.

#include "request.h"
#include "response.h"

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace imhere::server {

// A reply that is not ready when the handler returns, because it waits for
// work done on another thread (a group commit). The server sets the
// connection aside, so no HTTP thread waits, and calls `start` once with a
// `ready` function; whatever `start` set going must call `ready` exactly
// once, from any thread, when the work is done. Then `finish` makes the
// response on an HTTP thread.
struct Deferred {
    std::function<void(std::function<void()> ready)> start;
    std::function<Response()> finish;
};
using Reply = std::variant<Response, Deferred>;

using Handler = std::function<Reply(const Request&)>;

// Asked with the request's headers only (the body is empty and not yet
// read) whenever a body is announced: an answer refuses the request at once
// and the connection is closed without reading the body; nullopt admits it.
// It must be cheap (a token or session lookup) and is the domain's, so the
// HTTP layer only calls it.
using Admission = std::function<std::optional<Response>(const Request&)>;

struct RouteOptions {
    std::size_t maxBodyBytes = 0; // 0: core limits::k_maxBodyBytes
    Admission admit;              // empty: every body is read
};

struct Route {
    std::string method;
    std::string pattern;
    std::size_t maxBodyBytes;
    Handler handler;
    // nullopt until decided, by the route's options or by admitUnder(); an
    // empty Admission is a route open to anonymous bodies.
    std::optional<Admission> admit;
};

// Renders an error answer made as JSON (by the router, the HTTP layer or a
// handler) as a page in the site's layout, keeping its status and headers.
using ErrorPage = std::function<Response(const Request&, const Response& jsonError)>;

// A browser, not a JSON client: a path outside /api/ (and not /healthz or
// /metrics), or any request whose Accept names text/html.
[[nodiscard]] bool wantsPage(const Request& request);

struct RouteMatch {
    const Route* route;
    std::map<std::string, std::string, std::less<>> params;
};

class Router {
public:
    void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
    // Gives `admission` to every route added so far whose pattern starts
    // with `prefix` and whose admission is not yet decided, except the
    // patterns in `open`, which stay open to anonymous bodies.
    void admitUnder(std::string_view prefix, const Admission& admission, std::initializer_list<std::string_view> open);

    // A match, or the 404/405 error response to send.
    [[nodiscard]] std::variant<RouteMatch, Response> match(std::string_view method, std::string_view path) const;
    [[nodiscard]] const std::vector<Route>& routes() const { return m_routes; }

    // Set once, before the server starts.
    void setErrorPage(ErrorPage render) { m_errorPage = std::move(render); }
    // The page to send instead of `answer`, when it is a JSON error, the
    // request wantsPage() and an error page is set; nullopt otherwise.
    [[nodiscard]] std::optional<Response> pageInsteadOf(const Request& request, const Response& answer) const;

private:
    std::vector<Route> m_routes;
    ErrorPage m_errorPage;
};

} // namespace imhere::server
