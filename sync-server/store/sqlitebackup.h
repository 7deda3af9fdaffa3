#pragma once
// Whole-database copies of a SQLite file through SQLite's online backup API,
// for `imhere-server backup` and `restore` (docs/OPERATIONS.md). The source
// is opened read-only and copied from one read snapshot, so a backup taken
// while the server writes holds every transaction committed before it began
// and none half-done.
//
// Thread rules: any thread; each call has connections of its own.

#include "core/result.h"

#include <string>

namespace imhere::server {

// Copies `from` into a new file `to` (written beside it, then renamed into
// place; an existing `to` is replaced). The copy is checked with
// PRAGMA integrity_check before it is renamed.
[[nodiscard]] Result<void> backupDatabase(const std::string& from, const std::string& to);

// Replaces the contents of the database `to` (made when missing) with the
// backup `from`, once `from` passes PRAGMA integrity_check and has a schema
// this build knows. The caller makes sure no server has `to` open.
[[nodiscard]] Result<void> restoreDatabase(const std::string& from, const std::string& to);

// "ok", or what PRAGMA integrity_check says is wrong.
[[nodiscard]] Result<std::string> integrityCheck(const std::string& path);

// The schema version (user_version) of an existing database file, and the
// newest this build knows.
[[nodiscard]] Result<int> schemaVersionOf(const std::string& path);
[[nodiscard]] int latestSchemaVersion();

} // namespace imhere::server
