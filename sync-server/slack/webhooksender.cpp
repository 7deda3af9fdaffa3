#include "webhooksender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace imhere::server {

namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

constexpr std::size_t k_maxAnswerBytes = 4096; // Slack answers a word or two

std::size_t keepBody(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* body = static_cast<std::string*>(user);
    const std::size_t n = size * count;
    body->append(data, std::min(n, k_maxAnswerBytes - std::min(k_maxAnswerBytes, body->size())));
    return n;
}

std::size_t readHeader(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* retryAfter = static_cast<std::optional<long>*>(user);
    const std::string line(data, size * count);
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size()) {
        std::string lower = line.substr(0, name.size());
        std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower == name) {
            // Slack sends seconds; an HTTP date is not worth a parser here.
            std::size_t i = name.size();
            while (i < line.size() && line[i] == ' ')
                ++i;
            long seconds = 0;
            bool digits = false;
            for (; i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) && seconds < 1'000'000; ++i) {
                seconds = seconds * 10 + (line[i] - '0');
                digits = true;
            }
            if (digits)
                *retryAfter = seconds;
        }
    }
    return size * count;
}

} // namespace

WebhookOutcome WebhookSender::post(const std::string& url, const std::string& json) const
{
    WebhookOutcome outcome;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        outcome.error = "libcurl could not start";
        return outcome;
    }
    std::unique_ptr<curl_slist, ListDeleter> headers(
        curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8"));
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keepBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &outcome.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, readHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &outcome.retryAfter);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, m_timeoutSec);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, m_timeoutSec);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "imhere-server");
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    const CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
        outcome.status = 0;
        outcome.retryAfter.reset();
        outcome.error = std::string(curl_easy_strerror(code)) + (errorBuffer[0] ? std::string(": ") + errorBuffer : "");
        return outcome;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &outcome.status);
    return outcome;
}

} // namespace imhere::server
