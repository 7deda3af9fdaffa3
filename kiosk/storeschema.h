#pragma once
// The kiosk store's numbered migrations (DESIGN §9).

#include "core/database.h"

#include <span>

namespace imhere::kiosk {

[[nodiscard]] std::span<const Migration> kioskMigrations();

} // namespace imhere::kiosk
