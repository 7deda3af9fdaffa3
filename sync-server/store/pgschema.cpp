#include "pgschema.h"

#include <string>

namespace imhere::server {

namespace {

// Any fixed number: the advisory lock every instance takes to migrate.
constexpr std::string_view k_migrateLock = "SELECT pg_advisory_xact_lock(7305218113)";

Result<int> versionIn(PgConnection& connection)
{
    TRY_ASSIGN(s, connection.query("SELECT coalesce(max(version), 0) FROM schema_version"));
    TRY(s->step());
    return s->intAt(0);
}

} // namespace

std::span<const PgMigration> pgMigrations()
{
    // A change to the schema is a new numbered step here, with the same
    // meaning as the SQLite migration that makes it (sqliteschema.cpp).
    static const PgMigration migrations[] = {
        {1, pgSchemaV1()},
        // SQLite's 15: how far each kiosk's clock was from the server's at its last sync.
        {2, "ALTER TABLE kiosk ADD COLUMN clock_skew_ms bigint;"},
        // PostgreSQL only: rate-limited attempts, counted once for every
        // instance over the database (attemptlog.h).
        {3, "CREATE TABLE attempt(key text NOT NULL, at bigint NOT NULL);"
            "CREATE INDEX attempt_by_key ON attempt(key, at);"},
    };
    return migrations;
}

Result<int> pgSchemaVersion(PgConnection& connection)
{
    TRY_ASSIGN(s, connection.query("SELECT to_regclass('schema_version') IS NOT NULL"));
    TRY(s->step());
    if (!s->boolAt(0))
        return 0;
    return versionIn(connection);
}

Result<void> migratePg(PgConnection& connection, std::span<const PgMigration> migrations)
{
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1)
            return fail(Errc::BadMigrations, "migrations must be numbered 1, 2, 3, ...");
    }
    const int newest = static_cast<int>(migrations.size());
    // Applies at most one migration a round, each in a transaction that
    // holds the lock, so that a second instance waits and then finds it done.
    for (;;) {
        TRY(connection.exec("BEGIN"));
        auto step = [&]() -> Result<bool> {
            TRY(connection.exec(k_migrateLock));
            TRY(connection.exec("CREATE TABLE IF NOT EXISTS schema_version("
                                "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
            TRY_ASSIGN(version, versionIn(connection));
            if (version > newest)
                return fail(Errc::SchemaTooNew, "the database's schema is version " + std::to_string(version)
                                                    + ", newer than this build knows (" + std::to_string(newest)
                                                    + "): upgrade imhere-server");
            if (version == newest)
                return false;
            if (auto applied = connection.exec(migrations[static_cast<std::size_t>(version)].sql); !applied) {
                return fail(Errc::MigrationFailed, "migration " + std::to_string(version + 1) + ": "
                                                       + applied.error().message);
            }
            TRY_ASSIGN(record, connection.query("INSERT INTO schema_version(version) VALUES($1)"));
            TRY(record->bind(1, version + 1).run());
            return true;
        };
        auto applied = step();
        if (!applied) {
            (void)connection.exec("ROLLBACK");
            return std::unexpected(std::move(applied.error()));
        }
        TRY(connection.exec("COMMIT"));
        if (!*applied)
            return {};
    }
}

} // namespace imhere::server
