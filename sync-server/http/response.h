#pragma once
// What a handler returns: a status, a body and its headers. Errors use the
// DESIGN §6 shape {"error":{"code":"snake_case","message":"..."}}.

#include "core/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace imhere::server {

struct Response {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    Response& withHeader(std::string name, std::string value)
    {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

[[nodiscard]] Response jsonResponse(int status, const nlohmann::json& body);
[[nodiscard]] Response errorResponse(int status, std::string_view code, std::string_view message);
// Maps a store or service Error to its HTTP status by its code.
[[nodiscard]] Response errorResponse(const Error& error);
[[nodiscard]] int statusForErrorCode(Errc code);

} // namespace imhere::server
