#include "response.h"

#include <array>
#include <cstdio>

namespace imhere::server {

Response jsonResponse(int status, const nlohmann::json& body)
{
    // Replace rather than throw on invalid UTF-8: stored text is validated on
    // the way in, so this only guards against a programming error.
    return Response{status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    {}};
}

Response errorResponse(int status, std::string_view code, std::string_view message)
{
    return jsonResponse(status, {{"error", {{"code", code}, {"message", message}}}});
}

int statusForErrorCode(std::string_view code)
{
    struct Entry {
        std::string_view code;
        int status;
    };
    static constexpr std::array<Entry, 22> k_table{{
        {"malformed_json", 400},
        {"invalid_id", 400},
        {"invalid_code", 400},
        {"invalid_form", 400},
        {"unsupported_protocol", 400},
        {"unauthenticated", 401},
        {"bad_credentials", 401},
        {"forbidden", 403},
        {"csrf_required", 403},
        {"insufficient_scope", 403},
        {"not_found", 404},
        {"method_not_allowed", 405},
        {"conflict", 409},
        {"already_exists", 409},
        {"window_closed", 409},
        {"already_checked_in", 409},
        {"code_expired", 410},
        {"too_large", 413},
        {"unsupported_media_type", 415},
        {"invalid_request", 422},
        {"rate_limited", 429},
        {"unavailable", 503},
    }};
    for (const auto& e : k_table) {
        if (e.code == code)
            return e.status;
    }
    return 500;
}

Response errorResponse(const Error& error)
{
    const int status = statusForErrorCode(error.code);
    // Internal details (SQL text, file paths) stay in the server's log.
    if (status == 500) {
        std::fprintf(stderr, "imhere-server: internal error %s: %s\n", error.code.c_str(), error.message.c_str());
        return errorResponse(500, "internal", "the server could not complete the request");
    }
    Response r = errorResponse(status, error.code, error.message);
    // Busy or a failed commit: nothing was stored, and trying again soon is right.
    if (status == 503)
        r.withHeader("Retry-After", "1");
    return r;
}

} // namespace imhere::server
