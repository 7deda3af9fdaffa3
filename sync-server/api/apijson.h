#pragma once
// The JSON shapes of the /api/v1 resources (docs/openapi.yaml).

#include "sync-server/store/model.h"

#include <nlohmann/json.hpp>

namespace imhere::server {

// Emails only go to the person themself and to org admins.
[[nodiscard]] nlohmann::json personJson(const Person& person, bool withContact);
[[nodiscard]] nlohmann::json courseJson(const Course& course, std::optional<Role> role);
[[nodiscard]] nlohmann::json memberJson(const Member& member);
[[nodiscard]] nlohmann::json windowJson(const Window& window, std::int64_t nowMs);
[[nodiscard]] nlohmann::json recordJson(const AttendanceRecord& record);

} // namespace imhere::server
