#pragma once
// Reading a JSON API request body, apart from the rest of the API context so
// the fuzzer can build it alone (tests/fuzz).

#include "sync-server/http/request.h"

#include "core/result.h"

#include <nlohmann/json.hpp>

namespace imhere::server {

// The request body as a JSON object: 415 for another content type, 400 for
// malformed JSON or invalid UTF-8, 422 when it is not an object. An empty
// body reads as {}.
[[nodiscard]] Result<nlohmann::json> jsonBody(const Request& request);
// Only the content-type half of jsonBody (415), for bodies a codec parses.
[[nodiscard]] Result<void> requireJsonContentType(const Request& request);

} // namespace imhere::server
