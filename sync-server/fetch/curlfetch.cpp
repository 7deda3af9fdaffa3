#include "curlfetch.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

namespace imhere::server {

namespace {

// A reply bigger than this is cut off and counted as a failure.
constexpr std::size_t k_maxReplyBytes = 4 * 1024 * 1024;

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* out)
{
    auto* body = static_cast<std::string*>(out);
    const std::size_t n = size * count;
    if (body->size() + n > k_maxReplyBytes)
        return 0; // curl stops with CURLE_WRITE_ERROR
    body->append(data, n);
    return n;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* out)
{
    auto* headers = static_cast<std::map<std::string, std::string>*>(out);
    const std::size_t n = size * count;
    std::string line(data, n);
    if (line.starts_with("HTTP/"))
        headers->clear(); // a new reply (after a redirect or a 100)
    const auto colon = line.find(':');
    if (colon == std::string::npos)
        return n;
    std::string name = line.substr(0, colon);
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.pop_back();
    (*headers)[name] = value;
    return n;
}

} // namespace

FetchReply CurlFetch::operator()(const FetchRequest& request) const
{
    FetchReply reply;
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) {
        reply.error = "libcurl could not start";
        return reply;
    }
    std::unique_ptr<curl_slist, ListFree> headers;
    for (const std::string& h : request.headers)
        headers.reset(curl_slist_append(headers.release(), h.c_str()));
    curl_easy_setopt(curl.get(), CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, m_timeoutMs);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, m_timeoutMs);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &reply.headers);
    const CURLcode done = curl_easy_perform(curl.get());
    if (done != CURLE_OK) {
        reply.error = done == CURLE_OPERATION_TIMEDOUT ? "timed out" : curl_easy_strerror(done);
        reply.status = 0;
        reply.body.clear();
        return reply;
    }
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

} // namespace imhere::server
