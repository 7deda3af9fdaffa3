// Fuzz target: the HTTP request path and the router (sync-server/http), with
// every route pattern of docs/openapi.yaml (fuzzroutes.h is generated from it)
// added under GET and POST. Input: method, path, Accept and Cookie header,
// one per line.
//
// Properties: a match names a route of the asked method (or GET for HEAD,
// which is answered wherever GET is) whose pattern has as
// many segments as the path, with each {name} filled by the non-empty,
// slash-free segment at its place and every literal equal; a miss is a 404
// or 405 JSON error; cookie lookup returns a value that was in the header.

#include "fuzzroutes.h"

#include "sync-server/http/request.h"
#include "sync-server/http/router.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace imhere::server;

namespace {

std::vector<std::string_view> segmentsOf(std::string_view path)
{
    std::vector<std::string_view> out;
    path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            return out;
        path.remove_prefix(slash + 1);
    }
}

const Router& router()
{
    static const Router r = [] {
        Router made;
        for (const auto pattern : imhere::fuzz::k_routePatterns) {
            made.add("GET", std::string(pattern), [](const Request&) -> Reply { return Response{}; });
            made.add("POST", std::string(pattern), [](const Request&) -> Reply { return Response{}; });
        }
        made.setErrorPage([](const Request&, const Response& json) {
            Response page = json;
            page.contentType = "text/html";
            return page;
        });
        return made;
    }();
    return r;
}

std::string_view line(std::string_view& rest)
{
    const auto end = rest.find('\n');
    const auto out = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    Request request;
    request.method = std::string(line(rest));
    request.path = std::string(line(rest));
    request.headers.emplace("accept", std::string(line(rest)));
    const std::string cookieHeader(line(rest));
    request.headers.emplace("cookie", cookieHeader);
    request.secure = !rest.empty() && rest.front() == 's';

    const auto result = router().match(request.method, request.path);
    if (const auto* found = std::get_if<RouteMatch>(&result)) {
        const bool headOfGet = request.method == "HEAD" && found->route->method == "GET";
        if (found->route->method != request.method && !headOfGet)
            std::abort();
        const auto pathSegments = segmentsOf(request.path);
        const auto patternSegments = segmentsOf(found->route->pattern);
        if (pathSegments.size() != patternSegments.size())
            std::abort();
        for (std::size_t i = 0; i < pathSegments.size(); ++i) {
            const auto pattern = patternSegments[i];
            if (pattern.starts_with('{')) {
                const auto name = pattern.substr(1, pattern.size() - 2);
                const auto it = found->params.find(name);
                if (it == found->params.end() || it->second != pathSegments[i] || it->second.empty())
                    std::abort();
            } else if (pattern != pathSegments[i]) {
                std::abort();
            }
        }
        request.params = found->params;
        for (const auto& [name, value] : request.params) {
            (void)uuidParam(request, name);
            (void)publicIdParam(request, name);
        }
    } else {
        const auto& answer = std::get<Response>(result);
        if (answer.status != 404 && answer.status != 405)
            std::abort();
        if (const auto page = router().pageInsteadOf(request, answer); page && page->status != answer.status)
            std::abort();
    }
    (void)wantsPage(request);
    for (const std::string_view name : {"session", "csrf", "imhere_session", ""}) {
        if (const auto value = request.cookie(name); value && cookieHeader.find(*value) == std::string::npos)
            std::abort();
    }
    return 0;
}
