#include "router.h"

#include "core/limits.h"

#include <algorithm>
#include <optional>

namespace imhere::server {

namespace {

std::vector<std::string_view> segments(std::string_view path)
{
    std::vector<std::string_view> out;
    std::size_t start = 1; // paths begin with '/'
    while (start <= path.size()) {
        const auto end = path.find('/', start);
        out.push_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return out;
}

std::optional<std::map<std::string, std::string, std::less<>>> matchPattern(std::string_view pattern,
                                                                            std::string_view path)
{
    const auto want = segments(pattern);
    const auto have = segments(path);
    if (want.size() != have.size())
        return std::nullopt;
    std::map<std::string, std::string, std::less<>> params;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const auto w = want[i];
        if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
            if (have[i].empty())
                return std::nullopt;
            params.emplace(std::string(w.substr(1, w.size() - 2)), std::string(have[i]));
        } else if (w != have[i]) {
            return std::nullopt;
        }
    }
    return params;
}

} // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options)
{
    const std::size_t maxBody = options.maxBodyBytes ? options.maxBodyBytes : imhere::limits::k_maxBodyBytes;
    std::optional<Admission> admit;
    if (options.admit)
        admit = std::move(options.admit);
    m_routes.push_back(Route{std::move(method), std::move(pattern), maxBody, std::move(handler), std::move(admit)});
}

void Router::admitUnder(std::string_view prefix, const Admission& admission, std::initializer_list<std::string_view> open)
{
    for (Route& route : m_routes) {
        if (route.admit || !route.pattern.starts_with(prefix))
            continue;
        const bool isOpen = std::find(open.begin(), open.end(), route.pattern) != open.end();
        route.admit = isOpen ? Admission() : admission;
    }
}

bool wantsPage(const Request& request)
{
    if (const auto accept = request.header("accept"); accept && accept->find("text/html") != std::string_view::npos)
        return true;
    const std::string_view path = request.path;
    return !path.starts_with("/api/") && path != "/api" && path != "/healthz" && path != "/metrics";
}

std::optional<Response> Router::pageInsteadOf(const Request& request, const Response& answer) const
{
    if (answer.status < 400 || !answer.contentType.starts_with("application/json") || !m_errorPage
        || !wantsPage(request))
        return std::nullopt;
    return m_errorPage(request, answer);
}

std::variant<RouteMatch, Response> Router::match(std::string_view method, std::string_view path) const
{
    if (path.empty() || path.front() != '/')
        return errorResponse(404, "not_found", "no such resource");
    std::string allowed;
    for (const Route& route : m_routes) {
        auto params = matchPattern(route.pattern, path);
        if (!params)
            continue;
        // HEAD is answered wherever GET is: the same answer, which the HTTP
        // layer sends without its body.
        if (route.method == method || (method == "HEAD" && route.method == "GET"))
            return RouteMatch{&route, std::move(*params)};
        if (!allowed.empty())
            allowed += ", ";
        allowed += route.method == "GET" ? std::string("GET, HEAD") : route.method;
    }
    if (allowed.empty())
        return errorResponse(404, "not_found", "no such resource");
    Response r = errorResponse(405, "method_not_allowed", "this resource allows " + allowed);
    r.withHeader("Allow", allowed);
    return r;
}

} // namespace imhere::server
