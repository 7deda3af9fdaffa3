#include "response.h"

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

int statusForErrorCode(Errc code)
{
    switch (code) {
    case Errc::MalformedJson:
    case Errc::InvalidId:
    case Errc::InvalidCode:
    case Errc::InvalidForm:
    case Errc::UnsupportedProtocol: return 400;
    case Errc::Unauthenticated:
    case Errc::BadCredentials: return 401;
    case Errc::Forbidden:
    case Errc::CsrfRequired:
    case Errc::InsufficientScope: return 403;
    case Errc::NotFound: return 404;
    case Errc::MethodNotAllowed: return 405;
    case Errc::Conflict:
    case Errc::AlreadyExists:
    case Errc::WindowClosed:
    case Errc::AlreadyCheckedIn: return 409;
    case Errc::CodeExpired: return 410;
    case Errc::TooLarge: return 413;
    case Errc::UnsupportedMediaType: return 415;
    case Errc::InvalidRequest: return 422;
    case Errc::RateLimited: return 429;
    case Errc::Unavailable:
    // The store cannot write for now (a full disk, a read-only file system,
    // a lock held too long); the request changed nothing and may be retried.
    case Errc::Busy:
    case Errc::DiskFull:
    case Errc::ReadOnly:
    case Errc::IoError: return 503;
    default: return 500; // storage, start-up, network and device failures are the server's
    }
}

Response errorResponse(const Error& error)
{
    const int status = statusForErrorCode(error.code);
    // Internal details (SQL text, file paths) stay in the server's log.
    if (status == 500) {
        std::fprintf(stderr, "imhere-server: internal error %s: %s\n", errorCodeName(error.code).data(), error.message.c_str());
        return errorResponse(500, "internal", "the server could not complete the request");
    }
    if (status == 503 && error.code != Errc::Unavailable) {
        std::fprintf(stderr, "imhere-server: storage unavailable %s: %s\n", errorCodeName(error.code).data(),
                     error.message.c_str());
        return errorResponse(503, "unavailable", "the server cannot store anything right now; nothing was stored, try again shortly")
            .withHeader("Retry-After", "5");
    }
    Response r = errorResponse(status, errorCodeName(error.code), error.message);
    // Busy or a failed commit: nothing was stored, and trying again soon is right.
    if (status == 503)
        r.withHeader("Retry-After", "1");
    return r;
}

} // namespace imhere::server
