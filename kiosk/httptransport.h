#pragma once
// The one network call the kiosk makes — POST a JSON body with a bearer token
// — behind an interface, so tests and the demo can stand in for the server.
//
// Thread rules: post() blocks (bounded by the transport's timeouts) and is
// called only from the sync thread; one transport serves one thread.

#include "core/result.h"

#include <string>

namespace imhere::kiosk {

struct HttpRequest {
    std::string url;
    std::string bearerToken;
    std::string body;
};

struct HttpResponse {
    long status = 0;
    std::string body;
};

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    // A reply with any HTTP status is a value; only a failure to get one
    // (connection refused, timeout, TLS failure, oversized reply) is an error.
    [[nodiscard]] virtual Result<HttpResponse> post(const HttpRequest& request) = 0;
};

} // namespace imhere::kiosk
