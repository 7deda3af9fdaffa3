#include "jsonbody.h"

#include "core/jsonreader.h"
#include "core/limits.h"

namespace imhere::server {

Result<void> requireJsonContentType(const Request& request)
{
    const auto type = request.header("content-type");
    if (type || !request.body.empty()) {
        std::string lower(type.value_or(""));
        for (char& ch : lower)
            ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        constexpr std::string_view json = "application/json";
        const bool ok = lower.starts_with(json) && (lower.size() == json.size() || lower[json.size()] == ';'
                                                    || lower[json.size()] == ' ');
        if (!ok)
            return fail(Errc::UnsupportedMediaType, "send the body as application/json");
    }
    return {};
}

Result<nlohmann::json> jsonBody(const Request& request)
{
    TRY(requireJsonContentType(request));
    if (request.body.empty())
        return nlohmann::json::object();
    if (!jsonDepthWithin(request.body, imhere::limits::k_maxJsonDepth))
        return fail(Errc::MalformedJson, "the body is nested too deeply");
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::exception& e) {
        return fail(Errc::MalformedJson, "the body is " + describeJsonFailure(e));
    }
    if (!parsed.is_object())
        return fail(Errc::InvalidRequest, "the body must be a JSON object");
    return parsed;
}

} // namespace imhere::server
