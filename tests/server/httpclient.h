#pragma once
// A small libcurl client for the server tests: one easy handle, keep-alive,
// every call bounded by a timeout.
//
// Every answer is held against docs/openapi.yaml (contract.h) unless the
// client is told otherwise: only for a server that is not imhere's.
//
// Thread rules: one HttpClient per thread.

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace imhere::test {

struct HttpResult {
    long status = 0; // 0: no response (connection failed or was closed)
    std::string body;
    std::vector<std::string> headers; // raw "Name: value" lines
    [[nodiscard]] nlohmann::json json() const;
    [[nodiscard]] std::string header(std::string_view lowerName) const;
    [[nodiscard]] std::string errorCode() const; // error.code of a JSON error body
};

class HttpClient {
public:
    explicit HttpClient(std::string baseUrl);
    HttpResult request(const std::string& method, const std::string& path, const std::string& body = {},
                       const std::vector<std::string>& headers = {});
    HttpResult get(const std::string& path, const std::vector<std::string>& headers = {})
    {
        return request("GET", path, {}, headers);
    }
    // POST/PUT a JSON body with Content-Type: application/json.
    HttpResult json(const std::string& method, const std::string& path, const std::string& body,
                    std::vector<std::string> headers = {});

    // For talking to a server that docs/openapi.yaml does not describe.
    void skipContract() { m_checkContract = false; }

private:
    struct Cleanup {
        void operator()(CURL* c) const { curl_easy_cleanup(c); }
    };
    std::string m_base;
    std::unique_ptr<CURL, Cleanup> m_curl;
    bool m_checkContract = true;
};

} // namespace imhere::test
