#pragma once
// What the KioskStore source files share to read and write SQL; not part of
// the store's interface.

#include "core/database.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace imhere::kiosk {

// Prepares `sql`, binds `args` to its parameters in order and runs it.
// (No TRY in a header: see Statement::collect.)
[[nodiscard]] inline Result<void> run(Database& db, std::string_view sql, const auto&... args)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    return stmt->bindAll(args...).run();
}

// The first column of a row, as text.
[[nodiscard]] inline std::string readText(const Statement& s)
{
    return s.textAt(0);
}

// Moves outbox row `id` to the events kept aside, with the reason it cannot
// be sent (storeoutbox.cpp). The caller holds the transaction.
[[nodiscard]] Result<void> moveOutboxRowAside(Database& db, std::string_view id, std::string_view reason,
                                              std::int64_t nowMs);

} // namespace imhere::kiosk
