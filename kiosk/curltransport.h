#pragma once
// HttpTransport over libcurl: TLS verification always on (a CA file may be
// named), named connect and total timeouts, no redirects, bounded replies.
//
// Thread rules: one CurlTransport per thread; it keeps one easy handle so the
// connection to the server is reused between syncs.

#include "httptransport.h"
#include "kiosklimits.h"

#include <memory>

using CURL = void;

namespace imhere::kiosk {

// curl_global_init/cleanup for the life of main(); construct before threads start.
class CurlGlobal {
public:
    CurlGlobal();
    ~CurlGlobal();
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

class CurlTransport final : public HttpTransport {
public:
    struct Options {
        std::string caFile; // empty: the system's CA bundle
        long connectTimeoutMs = limits::k_connectTimeoutMs;
        long totalTimeoutMs = limits::k_requestTimeoutMs;
        std::size_t maxResponseBytes = limits::k_maxResponseBytes;
    };

    explicit CurlTransport(Options options);
    ~CurlTransport() override;
    [[nodiscard]] Result<HttpResponse> post(const HttpRequest& request) override;

private:
    struct EasyDeleter {
        void operator()(CURL* handle) const;
    };
    Options m_options;
    std::unique_ptr<CURL, EasyDeleter> m_handle;
};

} // namespace imhere::kiosk
