#include "curltransport.h"

#include <curl/curl.h>

#include <stdexcept>

namespace imhere::kiosk {

namespace {

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Sink {
    std::string body;
    std::size_t limit = 0;
    bool overflow = false;
};

std::size_t writeBody(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * count;
    if (sink->body.size() + bytes > sink->limit) {
        sink->overflow = true;
        return 0; // aborts the transfer
    }
    sink->body.append(data, bytes);
    return bytes;
}

bool append(Slist& list, const std::string& header)
{
    curl_slist* grown = curl_slist_append(list.get(), header.c_str());
    if (!grown)
        return false;
    (void)list.release();
    list.reset(grown);
    return true;
}

} // namespace

CurlGlobal::CurlGlobal()
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        throw std::runtime_error("curl_global_init failed");
}

CurlGlobal::~CurlGlobal()
{
    curl_global_cleanup();
}

void CurlTransport::EasyDeleter::operator()(CURL* handle) const
{
    curl_easy_cleanup(handle);
}

CurlTransport::CurlTransport(Options options) : m_options(std::move(options)), m_handle(curl_easy_init())
{
    if (!m_handle)
        throw std::runtime_error("curl_easy_init failed");
}

CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::post(const HttpRequest& request)
{
    CURL* h = m_handle.get();
    curl_easy_reset(h);
    Slist headers;
    if (!append(headers, "Content-Type: application/json") || !append(headers, "Accept: application/json") ||
        !append(headers, "Authorization: Bearer " + request.bearerToken) || !append(headers, "Expect:"))
        return fail(Errc::OutOfMemory, "cannot build request headers");

    Sink sink;
    sink.limit = m_options.maxResponseBytes;
    char errorText[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_USERAGENT, "imhere-kiosk/0.1");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, m_options.connectTimeoutMs);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, m_options.totalTimeoutMs);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caFile.empty())
        curl_easy_setopt(h, CURLOPT_CAINFO, m_options.caFile.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, writeBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorText);

    const CURLcode rc = curl_easy_perform(h);
    if (sink.overflow)
        return fail(Errc::ReplyTooLarge, "the server's reply is larger than the kiosk accepts");
    if (rc != CURLE_OK) {
        std::string message = errorText[0] ? errorText : curl_easy_strerror(rc);
        return fail(rc == CURLE_OPERATION_TIMEDOUT ? Errc::Timeout : Errc::Network, std::move(message));
    }
    HttpResponse response;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    response.body = std::move(sink.body);
    return response;
}

} // namespace imhere::kiosk
