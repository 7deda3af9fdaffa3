#include "request.h"

#include "securecookies.h"

#include "core/random.h"

namespace imhere::server {

std::optional<std::string_view> Request::header(std::string_view lowerName) const
{
    const auto it = headers.find(lowerName);
    if (it == headers.end())
        return std::nullopt;
    return std::string_view(it->second);
}

std::optional<std::string> Request::cookie(std::string_view name) const
{
    const auto value = header("cookie");
    if (!value)
        return std::nullopt;
    const std::string wanted = secure ? std::string(k_hostCookiePrefix) + std::string(name) : std::string(name);
    std::string_view rest = *value;
    while (!rest.empty()) {
        const auto end = rest.find(';');
        std::string_view pair = rest.substr(0, end);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == wanted)
            return std::string(pair.substr(eq + 1));
        if (end == std::string_view::npos)
            break;
        rest.remove_prefix(end + 1);
    }
    return std::nullopt;
}

const std::string& Request::param(std::string_view name) const
{
    static const std::string empty;
    const auto it = params.find(name);
    return it == params.end() ? empty : it->second;
}

bool Request::changesState() const
{
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

Result<std::string> uuidParam(const Request& request, std::string_view name)
{
    const auto& value = request.param(name);
    if (!isUuid(value))
        return fail(Errc::InvalidId, std::string(name) + " must be a lowercase UUID");
    return value;
}

Result<std::string> publicIdParam(const Request& request, std::string_view name)
{
    const auto& value = request.param(name);
    if (!isPublicId(value))
        return fail(Errc::InvalidId, std::string(name) + " must be a 10-character public id");
    return value;
}

} // namespace imhere::server
