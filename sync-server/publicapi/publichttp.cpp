#include "publichttp.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/service/publicview.h"
#include "sync-server/serverlimits.h"

#include "core/encoding.h"

#include <charconv>

namespace imhere::server {

namespace {

constexpr std::string_view k_exposed = "ETag, Link, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After";

void addCors(Response& r)
{
    r.withHeader("Access-Control-Allow-Origin", "*");
    r.withHeader("Access-Control-Expose-Headers", std::string(k_exposed));
}

void addBudget(Response& r, const ClientLimiter::Verdict& v)
{
    r.withHeader("RateLimit-Limit", std::to_string(v.limit));
    r.withHeader("RateLimit-Remaining", std::to_string(v.remaining));
    r.withHeader("RateLimit-Reset", std::to_string((v.resetMs + 999) / 1000));
}

// Who the request counts against: its API key, or else its client address
// (the one a trusted proxy names, http/trustedproxies.h). Anonymous unless a
// key is sent; 401 for a bad key, or for none when the settings want one.
Result<std::string> clientOf(PublicApi& api, const Request& request)
{
    const auto authorization = request.header("authorization");
    if (!authorization) {
        if (api.settings.requireKey)
            return fail(Errc::Unauthenticated, "this server's public API needs an API key: send "
                                               "'Authorization: Bearer <key>' (a read-only key is enough)");
        return "address " + request.remoteIp;
    }
    Credentials credentials;
    credentials.authorization = std::string(*authorization);
    TRY_ASSIGN(principal, api.services.auth.identify(credentials));
    if (principal.kind != PrincipalKind::ApiKey)
        return fail(Errc::Unauthenticated, "the public API takes an API key ('ak_…') or nothing");
    return "key " + principal.apiKeyPrefix;
}

std::string etagOf(const std::string& mark, const Request& request)
{
    std::string basis = mark + "\n" + request.path;
    for (const auto& [name, value] : request.query)
        basis += "\n" + name + "=" + value;
    const Bytes digest = sha256(basis);
    return "\"" + hexEncode(std::span(digest).first(16)) + "\"";
}

bool matches(std::string_view ifNoneMatch, const std::string& etag)
{
    // A list of tags, each perhaps weak ("W/"); "*" matches any.
    std::size_t at = 0;
    while (at < ifNoneMatch.size()) {
        std::size_t end = ifNoneMatch.find(',', at);
        if (end == std::string_view::npos)
            end = ifNoneMatch.size();
        std::string_view tag = trimBlanks(ifNoneMatch.substr(at, end - at));
        if (tag.starts_with("W/"))
            tag.remove_prefix(2);
        if (tag == "*" || tag == etag)
            return true;
        at = end + 1;
    }
    return false;
}

std::string cacheControl(const PublicApi& api)
{
    // With a key required, shared caches must not hand one client's answer to another.
    return std::string(api.settings.requireKey ? "private" : "public") + ", max-age="
        + std::to_string(limits::k_publicCacheMaxAgeSec);
}

std::string query(const Request& request, const std::map<std::string, std::string>& params)
{
    std::string out;
    auto encode = [](std::string_view text) {
        std::string e;
        for (const char ch : text) {
            const auto c = static_cast<unsigned char>(ch);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '~') {
                e += ch;
            } else {
                constexpr char hex[] = "0123456789ABCDEF";
                e += '%';
                e += hex[c >> 4];
                e += hex[c & 15];
            }
        }
        return e;
    };
    for (const auto& [name, value] : params)
        out += (out.empty() ? "?" : "&") + encode(name) + "=" + encode(value);
    return request.path + out;
}

} // namespace

PublicApi::PublicApi(Services& s, PublicApiSettings chosen)
    : services(s), settings(chosen),
      limiter(chosen.requestsPerMinute > 0 ? chosen.requestsPerMinute : limits::k_publicRequestsPerMinute,
              limits::k_publicRateWindowMs)
{
}

Handler publicGet(PublicApi& api, PublicHandler handler)
{
    return [&api, handler = std::move(handler)](const Request& request) -> Reply {
        auto client = clientOf(api, request);
        if (!client) {
            Response r = errorResponse(client.error());
            addCors(r);
            return r;
        }
        const auto verdict = api.limiter.take(*client, api.services.clock.nowMs());
        if (!verdict.allowed) {
            Response r = errorResponse(429, "rate_limited", "too many requests; try again after Retry-After seconds");
            r.withHeader("Retry-After", std::to_string((verdict.resetMs + 999) / 1000));
            addBudget(r, verdict);
            addCors(r);
            return r;
        }
        auto mark = publicDataMark(api.services);
        Response r;
        std::string etag;
        if (!mark) {
            r = errorResponse(mark.error());
        } else {
            etag = etagOf(*mark, request);
            const auto ifNoneMatch = request.header("if-none-match");
            if (ifNoneMatch && matches(*ifNoneMatch, etag)) {
                r.status = 304;
                r.contentType = "";
            } else {
                auto answer = handler(request);
                r = answer ? std::move(*answer) : errorResponse(answer.error());
            }
        }
        if (r.status == 200 || r.status == 304) {
            r.withHeader("ETag", etag);
            r.withHeader("Cache-Control", cacheControl(api));
        }
        if (api.settings.requireKey)
            r.withHeader("Vary", "Authorization");
        addBudget(r, verdict);
        addCors(r);
        return r;
    };
}

Handler publicPreflight()
{
    return [](const Request&) -> Reply {
        Response r;
        r.status = 204;
        r.contentType = "";
        r.withHeader("Access-Control-Allow-Origin", "*");
        r.withHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
        r.withHeader("Access-Control-Allow-Headers", "Authorization, If-None-Match");
        r.withHeader("Access-Control-Max-Age", "86400");
        return r;
    };
}

Admission refuseBodies()
{
    return [](const Request&) -> std::optional<Response> {
        Response r = errorResponse(400, "unexpected_body", "the public API takes no request body");
        addCors(r);
        return r;
    };
}

Result<PageRequest> pageRequest(const Request& request, std::initializer_list<std::string_view> allowed)
{
    for (const auto& [name, value] : request.query) {
        if (name != "cursor" && name != "limit" && std::ranges::find(allowed, name) == allowed.end())
            return std::unexpected(invalid(name.substr(0, 40) + ": not a parameter of this route"));
    }
    PageRequest page{0, static_cast<std::size_t>(limits::k_publicDefaultPageSize)};
    auto number = [](const std::string& text, std::size_t& out) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return !text.empty() && ec == std::errc() && end == text.data() + text.size();
    };
    if (const auto limit = request.query.find("limit"); limit != request.query.end()) {
        if (!number(limit->second, page.limit) || page.limit < 1
            || page.limit > static_cast<std::size_t>(limits::k_publicMaxPageSize))
            return std::unexpected(
                invalid("limit: a whole number from 1 to " + std::to_string(limits::k_publicMaxPageSize)));
    }
    if (const auto cursor = request.query.find("cursor"); cursor != request.query.end()) {
        const auto decoded = base64UrlDecode(cursor->second);
        const std::string text = decoded ? std::string(decoded->begin(), decoded->end()) : std::string();
        if (!text.starts_with("o") || !number(text.substr(1), page.offset))
            return std::unexpected(invalid("cursor: use the cursor of a next link as it is"));
    }
    return page;
}

nlohmann::json pageOf(const Request& request, const PageRequest& page, std::string_view name, nlohmann::json items,
                      std::size_t total)
{
    nlohmann::json out = {{std::string(name), std::move(items)}, {"next", nullptr}};
    if (page.offset + page.limit < total) {
        std::map<std::string, std::string> params(request.query.begin(), request.query.end());
        const std::string next = "o" + std::to_string(page.offset + page.limit);
        params["cursor"] = base64UrlEncode(std::span(reinterpret_cast<const std::uint8_t*>(next.data()), next.size()));
        params["limit"] = std::to_string(page.limit);
        out["next"] = query(request, params);
    }
    return out;
}

void linkNext(Response& response, const nlohmann::json& page)
{
    if (page.contains("next") && page["next"].is_string())
        response.withHeader("Link", "<" + page["next"].get<std::string>() + ">; rel=\"next\"");
}

} // namespace imhere::server
