#pragma once
// The harvester's transport (service/harvest.h): one HTTP GET with libcurl,
// bounded in time and size, answering with the status, the headers (names
// in lower case) and the body, or why there was no answer.
//
// Thread rules: operator() from one thread at a time per CurlFetch (the
// harvester's); curl_global_init must have run.

#include "sync-server/service/harvest.h"

namespace imhere::server {

class CurlFetch {
public:
    explicit CurlFetch(long timeoutMs) : m_timeoutMs(timeoutMs) {}
    [[nodiscard]] FetchReply operator()(const FetchRequest& request) const;

private:
    long m_timeoutMs;
};

} // namespace imhere::server
