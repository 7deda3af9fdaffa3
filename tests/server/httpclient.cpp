#include "httpclient.h"

#include "contract.h"

#include <algorithm>

namespace imhere::test {

namespace {

constexpr long k_timeoutMs = 20'000;

std::size_t appendBody(char* data, std::size_t size, std::size_t count, void* out)
{
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::size_t appendHeader(char* data, std::size_t size, std::size_t count, void* out)
{
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
    if (!line.empty())
        static_cast<std::vector<std::string>*>(out)->push_back(line);
    return size * count;
}

struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

nlohmann::json HttpResult::json() const
{
    return nlohmann::json::parse(body, nullptr, false);
}

std::string HttpResult::header(std::string_view lowerName) const
{
    for (const auto& h : headers) {
        const auto colon = h.find(':');
        if (colon == std::string::npos)
            continue;
        std::string name = h.substr(0, colon);
        std::ranges::transform(name, name.begin(), [](char c) {
            return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        });
        if (name == lowerName)
            return h.substr(h.find_first_not_of(' ', colon + 1));
    }
    return {};
}

std::string HttpResult::errorCode() const
{
    const auto j = json();
    if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("code"))
        return j["error"]["code"].get<std::string>();
    return {};
}

HttpClient::HttpClient(std::string baseUrl) : m_base(std::move(baseUrl)), m_curl(curl_easy_init()) {}

HttpResult HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                               const std::vector<std::string>& headers)
{
    HttpResult result;
    CURL* c = m_curl.get();
    curl_easy_reset(c);
    const std::string url = m_base + path;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, k_timeoutMs);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); // send "../" as written
    // A body over 1 MiB waits for "100 Continue" before it is sent, as long
    // as for any answer: the server refuses an oversized body from its
    // Content-Length and closes the connection, and a body already on its
    // way would be cut off by a reset that can overtake the 413.
    curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, k_timeoutMs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, appendHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &result.headers);
    if (method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L); // the answer has a length but no body
    } else if (method != "GET") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    curl_slist* list = curl_slist_append(nullptr, body.size() > (1u << 20) ? "Expect: 100-continue" : "Expect:");
    for (const auto& h : headers)
        list = curl_slist_append(list, h.c_str());
    std::unique_ptr<curl_slist, SlistFree> owned(list);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
    // HEAD is GET's answer without its body (the router's rule), not a contract of its own.
    if (result.status != 0 && m_checkContract && method != "HEAD")
        contract::hold({method, path, result.status, result.header("content-type"), result.body, result.headers});
    return result;
}

HttpResult HttpClient::json(const std::string& method, const std::string& path, const std::string& body,
                            std::vector<std::string> headers)
{
    headers.emplace_back("Content-Type: application/json");
    return request(method, path, body, headers);
}

} // namespace imhere::test
