#pragma once
// The server's SQLite schema as numbered migrations (DESIGN §9).

#include "core/database.h"

#include <span>

namespace imhere::server {

[[nodiscard]] std::span<const Migration> sqliteMigrations();

} // namespace imhere::server
