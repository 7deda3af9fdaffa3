#pragma once
// The public API's HTTP conventions, shared by its routes: who may call
// (open, or an API key when the settings say so), the request budget, the
// ETag answered with 304, Cache-Control, CORS, and cursor pagination.

#include "publicapi.h"

#include "sync-server/service/publicview.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace imhere::server {

using PublicHandler = std::function<Result<Response>(const Request&)>;

// A GET route: the caller is checked and counted first; a request whose
// If-None-Match names the current ETag gets 304 without `handler` running.
// Every answer, errors included, carries the CORS and RateLimit headers.
[[nodiscard]] Handler publicGet(PublicApi& api, PublicHandler handler);
// The OPTIONS preflight of a GET route.
[[nodiscard]] Handler publicPreflight();
// Refuses a request body before it is read: the public API takes none.
[[nodiscard]] Admission refuseBodies();

// Pages are asked for with `cursor` (an offset, opaque to clients) and
// `limit` (1..limits::k_publicMaxPageSize), and answered {"<name>": [...
// the page's items], "next": link or null}; the link repeats the request's
// other parameters.
using PageRequest = PageSpan; // service/publicview.h
// invalid_request for a malformed cursor or a limit out of range, and for
// any query parameter not in `allowed` (cursor and limit always are).
[[nodiscard]] Result<PageRequest> pageRequest(const Request& request, std::initializer_list<std::string_view> allowed);
[[nodiscard]] nlohmann::json pageOf(const Request& request, const PageRequest& page, std::string_view name,
                                    nlohmann::json items, std::size_t total);
// The Link header for a page's next link, when there is one.
void linkNext(Response& response, const nlohmann::json& page);

} // namespace imhere::server
