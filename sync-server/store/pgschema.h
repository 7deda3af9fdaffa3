#pragma once
// PgStore's schema: numbered migrations recorded in schema_version, applied
// when the store opens (pgschema.cpp).

#include "pgconnection.h"

#include "core/result.h"

#include <span>
#include <string_view>

namespace imhere::server {

struct PgMigration {
    int version;
    std::string_view sql;
};

[[nodiscard]] std::span<const PgMigration> pgMigrations();
// Migration 1: the tables as SQLite's migrations 1 to 14 leave them (pgschemav1.cpp).
[[nodiscard]] std::string_view pgSchemaV1();

// Applies the migrations above the database's version, each in its own
// transaction with its schema_version row, under an advisory lock so that
// instances starting together migrate once. SchemaTooNew when the database
// has a version this build does not know.
[[nodiscard]] Result<void> migratePg(PgConnection& connection, std::span<const PgMigration> migrations);

// The database's schema version (0 for an empty database).
[[nodiscard]] Result<int> pgSchemaVersion(PgConnection& connection);

} // namespace imhere::server
