#include "storeschema.h"

#include <array>

namespace imhere::kiosk {

namespace {

// No foreign keys between these tables: the kiosk works offline, so an event
// may name a person or window whose row arrives with a later sync.
constexpr std::string_view k_v1 = R"sql(
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE people (
    public_id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    pin_hash TEXT
) STRICT;

CREATE TABLE badges (
    uid_hash TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE courses (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    late_after_min INTEGER NOT NULL,
    absent_after_min INTEGER NOT NULL
) STRICT;

CREATE TABLE windows (
    id TEXT PRIMARY KEY,
    course TEXT NOT NULL,
    title TEXT NOT NULL,
    scheduled_start INTEGER,
    opened_at INTEGER,
    closed_at INTEGER
) STRICT;
CREATE INDEX windows_open ON windows (closed_at, course);

CREATE TABLE enrollments (
    person TEXT NOT NULL,
    course TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('student', 'ta', 'teacher')),
    PRIMARY KEY (person, course)
) STRICT;

-- Check-ins made here (local = 1) and those pulled from the server.
CREATE TABLE check_ins (
    id TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    window TEXT NOT NULL,
    at INTEGER NOT NULL,
    source TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 1,
    local INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX check_ins_window ON check_ins (window, person, at);

-- The latest presence correction per record, for the roster screen.
CREATE TABLE corrections (
    person TEXT NOT NULL,
    window TEXT NOT NULL,
    present INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (person, window)
) STRICT;

CREATE TABLE flags (
    person TEXT NOT NULL,
    window TEXT NOT NULL,
    flag TEXT NOT NULL,
    PRIMARY KEY (person, window, flag)
) STRICT;

-- Events waiting for the server's ack, in the order they happened.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    json TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- Events the server refused, kept with its reason for the admin screen.
CREATE TABLE rejected (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    json TEXT NOT NULL,
    reason TEXT NOT NULL,
    rejected_at INTEGER NOT NULL
) STRICT;
)sql";

// The idle screen is re-read after every tap: the last few check-ins of the
// window and the remote ones waiting for a mentor come off an index instead
// of a sort of the whole window (bench/kiosk, docs/PERFORMANCE.md).
constexpr std::string_view k_v2 = R"sql(
CREATE INDEX check_ins_recent ON check_ins (window, at);
CREATE INDEX check_ins_unconfirmed_remote ON check_ins (window, at) WHERE source = 'qr_remote' AND confirmed = 0;
CREATE INDEX corrections_window ON corrections (window, present);
)sql";

constexpr std::array k_migrations{Migration{1, k_v1}, Migration{2, k_v2}};

} // namespace

std::span<const Migration> kioskMigrations()
{
    return k_migrations;
}

} // namespace imhere::kiosk
