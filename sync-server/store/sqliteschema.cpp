#include "sqliteschema.h"

namespace imhere::server {

namespace {

// Events (check_in, correction, flag_event, window_event, remote_confirm)
// are append-only and keyed by the UUID made where they happened, so a
// replayed event is one `ON CONFLICT DO NOTHING`. change_log feeds the sync
// cursor: every change a kiosk may need appends a row; `course` scopes it.
constexpr std::string_view k_v1 = R"sql(
CREATE TABLE org(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  badge_key BLOB NOT NULL CHECK (length(badge_key) = 32)
) STRICT;

CREATE TABLE person(
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT UNIQUE COLLATE NOCASE,
  github TEXT,
  codewars TEXT,
  pin_hash TEXT,
  password_hash TEXT,
  is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE badge(
  uid_hash TEXT PRIMARY KEY CHECK (length(uid_hash) = 64),
  person INTEGER NOT NULL REFERENCES person(id),
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX badge_person ON badge(person);

CREATE TABLE course(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  late_after_min INTEGER NOT NULL,
  absent_after_min INTEGER NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE enrollment(
  person INTEGER NOT NULL REFERENCES person(id),
  course TEXT NOT NULL REFERENCES course(id),
  role TEXT NOT NULL CHECK (role IN ('student', 'ta', 'teacher')),
  PRIMARY KEY (person, course)
) STRICT, WITHOUT ROWID;
CREATE INDEX enrollment_course ON enrollment(course);

-- Who was enrolled when, and by whom: role NULL records a removal.
CREATE TABLE enrollment_history(
  seq INTEGER PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  course TEXT NOT NULL REFERENCES course(id),
  role TEXT CHECK (role IN ('student', 'ta', 'teacher')),
  actor INTEGER REFERENCES person(id),
  at INTEGER NOT NULL
) STRICT;

CREATE TABLE attendance_window(
  id TEXT PRIMARY KEY,
  course TEXT NOT NULL REFERENCES course(id),
  title TEXT NOT NULL,
  scheduled_start INTEGER,
  opened_at INTEGER,
  closed_at INTEGER,
  opened_by INTEGER REFERENCES person(id)
) STRICT;
CREATE INDEX window_course ON attendance_window(course, scheduled_start);

CREATE TABLE window_event(
  id TEXT PRIMARY KEY,
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  kind TEXT NOT NULL CHECK (kind IN ('open', 'close')),
  actor INTEGER REFERENCES person(id),
  at INTEGER NOT NULL,
  kiosk INTEGER,
  received_at INTEGER NOT NULL
) STRICT;

CREATE TABLE check_in(
  id TEXT PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('nfc', 'wedge', 'qr_badge', 'qr_remote', 'manual')),
  kiosk INTEGER,
  actor INTEGER NOT NULL REFERENCES person(id),
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX check_in_window ON check_in(window_id, person);

CREATE TABLE correction(
  id TEXT PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  present INTEGER NOT NULL CHECK (present IN (0, 1)),
  reason TEXT NOT NULL,
  base TEXT,
  actor INTEGER NOT NULL REFERENCES person(id),
  at INTEGER NOT NULL,
  kiosk INTEGER,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX correction_window ON correction(window_id, person);

CREATE TABLE flag_event(
  id TEXT PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  flag TEXT NOT NULL CHECK (flag IN ('LEFT_EARLY', 'CAMERA_OFF', 'LOW_PARTICIPATION', 'ABSENT')),
  is_set INTEGER NOT NULL CHECK (is_set IN (0, 1)),
  note TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES person(id),
  at INTEGER NOT NULL,
  kiosk INTEGER,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX flag_event_window ON flag_event(window_id, person);

CREATE TABLE remote_confirm(
  id TEXT PRIMARY KEY,
  check_in TEXT NOT NULL REFERENCES check_in(id),
  actor INTEGER NOT NULL REFERENCES person(id),
  at INTEGER NOT NULL,
  kiosk INTEGER,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX remote_confirm_check_in ON remote_confirm(check_in);

CREATE TABLE api_key(
  id INTEGER PRIMARY KEY,
  prefix TEXT NOT NULL UNIQUE,
  hash BLOB NOT NULL,
  person INTEGER NOT NULL REFERENCES person(id),
  scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE session(
  token_hash BLOB PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  csrf TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE kiosk(
  id INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 4294967295),
  name TEXT NOT NULL,
  token_prefix TEXT NOT NULL UNIQUE,
  token_hash BLOB NOT NULL,
  secret BLOB NOT NULL CHECK (length(secret) = 32),
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE kiosk_course(
  kiosk INTEGER NOT NULL REFERENCES kiosk(id),
  course TEXT NOT NULL REFERENCES course(id),
  PRIMARY KEY (kiosk, course)
) STRICT, WITHOUT ROWID;

-- The first outcome of every event id a kiosk sent, so a replay is answered
-- the same way.
CREATE TABLE sync_receipt(
  event_id TEXT PRIMARY KEY,
  kiosk INTEGER NOT NULL REFERENCES kiosk(id),
  status TEXT NOT NULL CHECK (status IN ('stored', 'rejected')),
  reason TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;

CREATE TABLE change_log(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'badge', 'course', 'window', 'enrollment', 'check_in')),
  ref TEXT NOT NULL,
  course TEXT
) STRICT;
CREATE INDEX change_log_course ON change_log(course, seq);
)sql";

// Sync ingest at kiosk batch sizes (docs/PERFORMANCE.md):
// - change_log.kiosk is the kiosk a change came from, so a kiosk's pull
//   skips its own check-ins in SQL instead of reading each one back;
// - a check-in stored through sync gets no sync_receipt row: its check_in
//   row (same id) is the receipt, and a replay looks in both tables. One
//   random-key index write per event fewer, and no id is stored twice.
constexpr std::string_view k_v2 = R"sql(
ALTER TABLE change_log ADD COLUMN kiosk INTEGER;
)sql";

// Sync ingest, continued (docs/PERFORMANCE.md):
// - a CHECK with an IN list makes SQLite 3.40 build a temporary b-tree of the
//   list for every row it checks, which cost as much as the insert itself;
//   the same rules written with OR are checked in place. check_in is rebuilt
//   to change its CHECK, and remote_confirm with it because it refers to
//   check_in (a table with children cannot be dropped while foreign keys are
//   on); rowids are kept;
// - a kiosk batch's check-ins are one change_log row per (batch, course) of
//   kind 'check_ins': `ref` is the first check_in rowid, `ref_last` the last,
//   and the pull filters the range by course. Single check-ins and
//   confirmations keep one 'check_in' row each, by id.
constexpr std::string_view k_v3 = R"sql(
CREATE TABLE check_in_v3(
  id TEXT PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source = 'nfc' OR source = 'wedge' OR source = 'qr_badge' OR source = 'qr_remote'
                              OR source = 'manual'),
  kiosk INTEGER,
  actor INTEGER NOT NULL REFERENCES person(id),
  received_at INTEGER NOT NULL
) STRICT;
INSERT INTO check_in_v3(rowid, id, person, window_id, at, source, kiosk, actor, received_at)
  SELECT rowid, id, person, window_id, at, source, kiosk, actor, received_at FROM check_in ORDER BY rowid;

CREATE TABLE remote_confirm_v3(
  id TEXT PRIMARY KEY,
  check_in TEXT NOT NULL REFERENCES check_in_v3(id),
  actor INTEGER NOT NULL REFERENCES person(id),
  at INTEGER NOT NULL,
  kiosk INTEGER,
  received_at INTEGER NOT NULL
) STRICT;
INSERT INTO remote_confirm_v3(rowid, id, check_in, actor, at, kiosk, received_at)
  SELECT rowid, id, check_in, actor, at, kiosk, received_at FROM remote_confirm ORDER BY rowid;

DROP TABLE remote_confirm;
DROP TABLE check_in;
-- Renaming also points remote_confirm_v3's reference at the new name.
ALTER TABLE check_in_v3 RENAME TO check_in;
ALTER TABLE remote_confirm_v3 RENAME TO remote_confirm;
CREATE INDEX check_in_window ON check_in(window_id, person);
CREATE INDEX remote_confirm_check_in ON remote_confirm(check_in);

CREATE TABLE change_log_v3(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind = 'person' OR kind = 'badge' OR kind = 'course' OR kind = 'window'
                            OR kind = 'enrollment' OR kind = 'check_in' OR kind = 'check_ins'),
  ref TEXT NOT NULL,
  course TEXT,
  kiosk INTEGER,
  ref_last INTEGER,
  CHECK ((kind = 'check_ins') = (ref_last IS NOT NULL))
) STRICT;
INSERT INTO change_log_v3(seq, kind, ref, course, kiosk)
  SELECT seq, kind, ref, course, kiosk FROM change_log ORDER BY seq;
-- Keep the sequence where it was, so cursors the kiosks hold stay valid.
DELETE FROM sqlite_sequence WHERE name = 'change_log_v3';
INSERT INTO sqlite_sequence(name, seq) SELECT 'change_log_v3', seq FROM sqlite_sequence WHERE name = 'change_log';
DROP TABLE change_log;
ALTER TABLE change_log_v3 RENAME TO change_log;
CREATE INDEX change_log_course ON change_log(course, seq);
)sql";

// The org admin pages (pages/adminpages.cpp): who provisioned and revoked a
// kiosk and when, when it last synced (to within a minute, so a kiosk's
// sync costs at most one extra write a minute), and every change of the
// admin flag (nothing about a person's rights changes without a trace).
constexpr std::string_view k_v4 = R"sql(
ALTER TABLE kiosk ADD COLUMN created_by INTEGER REFERENCES person(id);
ALTER TABLE kiosk ADD COLUMN revoked_at INTEGER;
ALTER TABLE kiosk ADD COLUMN revoked_by INTEGER REFERENCES person(id);
ALTER TABLE kiosk ADD COLUMN last_sync_at INTEGER;

CREATE TABLE admin_history(
  seq INTEGER PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  is_admin INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
  actor INTEGER REFERENCES person(id),
  at INTEGER NOT NULL
) STRICT;
)sql";

// Remote check-in from phones (DESIGN §4) and personal QR badges.
constexpr std::string_view k_v5 = R"sql(
CREATE TABLE remote_device(
  id INTEGER PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  person INTEGER NOT NULL REFERENCES person(id),
  linked_at INTEGER NOT NULL
) STRICT;

CREATE TABLE link_code(
  code_hash BLOB PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  issued_by INTEGER REFERENCES person(id),
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  device INTEGER REFERENCES remote_device(id)
) STRICT;
CREATE INDEX link_code_person ON link_code(person);

-- Where each qr_remote check-in came from; address_hash is a keyed hash of
-- the client address, so addresses are compared but never kept.
CREATE TABLE remote_check_in(
  check_in TEXT PRIMARY KEY REFERENCES check_in(id),
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  device INTEGER NOT NULL REFERENCES remote_device(id),
  address_hash TEXT NOT NULL,
  kiosk INTEGER NOT NULL
) STRICT;
CREATE INDEX remote_check_in_window ON remote_check_in(window_id);

ALTER TABLE badge ADD COLUMN kind TEXT NOT NULL DEFAULT 'card' CHECK (kind = 'card' OR kind = 'qr');
)sql";

// The school's trainee tracker (docs/INTEROP.md): a course's names in the
// tracker's register, trainees' regions, windows' sprint numbers, and the
// register imports with the line each imported check-in came from. Kept
// beside the tables they describe, so that nothing else reads them.
constexpr std::string_view k_v6 = R"sql(
CREATE TABLE course_tracker(
  course TEXT PRIMARY KEY REFERENCES course(id),
  tracker_course TEXT NOT NULL,
  module TEXT NOT NULL,
  first_sprint_day TEXT CHECK (first_sprint_day IS NULL OR first_sprint_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;

CREATE TABLE person_region(
  person INTEGER PRIMARY KEY REFERENCES person(id),
  region TEXT NOT NULL
) STRICT;

CREATE TABLE window_sprint(
  window_id TEXT PRIMARY KEY REFERENCES attendance_window(id),
  sprint INTEGER NOT NULL CHECK (sprint BETWEEN 1 AND 20)
) STRICT;

CREATE TABLE register_import(
  id INTEGER PRIMARY KEY,
  course TEXT NOT NULL REFERENCES course(id),
  actor INTEGER REFERENCES person(id),
  at INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  sha256 TEXT NOT NULL
) STRICT;

CREATE TABLE imported_check_in(
  check_in TEXT PRIMARY KEY REFERENCES check_in(id),
  import INTEGER NOT NULL REFERENCES register_import(id),
  line INTEGER NOT NULL
) STRICT;
CREATE INDEX imported_check_in_import ON imported_check_in(import);
)sql";

// Windows close themselves (service/windowrules.h): a course's window
// length and the grace after a window's end, a window's own end when it was
// given one, and the open windows found without reading the closed ones.
// Corrections that excuse.
constexpr std::string_view k_v7 = R"sql(
ALTER TABLE course ADD COLUMN window_length_min INTEGER NOT NULL DEFAULT 120
  CHECK (window_length_min BETWEEN 1 AND 1440);
ALTER TABLE course ADD COLUMN close_grace_min INTEGER NOT NULL DEFAULT 15
  CHECK (close_grace_min BETWEEN 0 AND 1440);
ALTER TABLE attendance_window ADD COLUMN scheduled_end INTEGER;
CREATE INDEX window_open ON attendance_window(opened_at) WHERE closed_at IS NULL AND opened_at IS NOT NULL;

-- A correction may mark someone excused: not present, and counted apart
-- from absent (the attendance fold).
ALTER TABLE correction ADD COLUMN excused INTEGER NOT NULL DEFAULT 0
  CHECK ((excused = 0 OR excused = 1) AND (excused = 0 OR present = 0));
)sql";

// Reports (service/reports.h): each course's alert thresholds, alerts a
// volunteer has followed up, and the org-wide lead role that reads the
// overview across courses.
constexpr std::string_view k_v8 = R"sql(
ALTER TABLE course ADD COLUMN alert_below_percent INTEGER NOT NULL DEFAULT 70
  CHECK (alert_below_percent BETWEEN 0 AND 100);
ALTER TABLE course ADD COLUMN alert_absent_run INTEGER NOT NULL DEFAULT 2
  CHECK (alert_absent_run BETWEEN 0 AND 50);
ALTER TABLE person ADD COLUMN is_lead INTEGER NOT NULL DEFAULT 0 CHECK (is_lead IN (0, 1));
CREATE TABLE lead_history (
  person INTEGER NOT NULL REFERENCES person(id),
  is_lead INTEGER NOT NULL CHECK (is_lead IN (0, 1)),
  actor INTEGER REFERENCES person(id),
  at INTEGER NOT NULL
);
CREATE TABLE alert_follow_up (
  course TEXT NOT NULL REFERENCES course(id),
  person INTEGER NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL CHECK (kind IN ('low_attendance', 'absent_run')),
  since TEXT NOT NULL,
  note TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES person(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (course, person, kind, since)
) WITHOUT ROWID;

-- A teacher may reopen a window closed by mistake.
CREATE TABLE window_event_v8(
  id TEXT PRIMARY KEY,
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  kind TEXT NOT NULL CHECK (kind IN ('open', 'close', 'reopen')),
  actor INTEGER REFERENCES person(id),
  at INTEGER NOT NULL,
  kiosk INTEGER,
  received_at INTEGER NOT NULL
) STRICT;
INSERT INTO window_event_v8 SELECT id, window_id, kind, actor, at, kiosk, received_at FROM window_event;
DROP TABLE window_event;
ALTER TABLE window_event_v8 RENAME TO window_event;
)sql";

// The master key the server's own keys are derived from (link codes, device
// tokens, client addresses: service/serverkeys.h). Unlike badge_key it is
// never sent to a kiosk. SqliteStore::open fills it from the system's random
// source. A link code from a course's team links a phone for that course
// only; a linked phone can be unlinked (kept for the check-ins that name it).
constexpr std::string_view k_v9 = R"sql(
ALTER TABLE org ADD COLUMN master_key BLOB CHECK (master_key IS NULL OR length(master_key) = 32);
ALTER TABLE link_code ADD COLUMN course TEXT REFERENCES course(id);
ALTER TABLE remote_device ADD COLUMN course TEXT REFERENCES course(id);
ALTER TABLE remote_device ADD COLUMN unlinked_at INTEGER;
CREATE INDEX remote_device_person ON remote_device(person);
CREATE INDEX remote_check_in_device ON remote_check_in(device);
)sql";

// Accounts people can get into (docs/SECURITY.md, "Accounts"):
// - account_link: single-use links to set a password, an invitation (7
//   days) or a reset (24 hours), kept as SHA-256 hashes like every token;
// - mail_outbox: mail waiting for the periodic sender of `serve`, with its
//   attempts and the time of the next one. A sent message's body (which
//   holds the link) is blanked once it is handed to the mail server;
// - session.last_used_at, for the idle timeout beside the 12-hour limit.
constexpr std::string_view k_v10 = R"sql(
CREATE TABLE account_link(
  token_hash BLOB PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  purpose TEXT NOT NULL CHECK (purpose = 'invitation' OR purpose = 'reset'),
  issued_by INTEGER REFERENCES person(id),
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT;
CREATE INDEX account_link_person ON account_link(person);

CREATE TABLE mail_outbox(
  id INTEGER PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  sent_at INTEGER,
  given_up_at INTEGER
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;

ALTER TABLE session ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
-- Sessions from before count as used when they began (12 hours before they end).
UPDATE session SET last_used_at = expires_at - 43200000;
CREATE INDEX session_person ON session(person);
)sql";

// API keys people manage (service/apikeys.h): a name, an expiry, when a
// key was last used (to within a minute, so a busy key costs one write a
// minute), and who revoked it when. Keys made before have no expiry.
// The public API (docs/PUBLIC-API.md): who opted out of per-person answers,
// and the log of personal data erased on request (the one exception to
// nothing being deleted, DESIGN §3 audit).
constexpr std::string_view k_v11 = R"sql(
ALTER TABLE api_key ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE api_key ADD COLUMN expires_at INTEGER;
ALTER TABLE api_key ADD COLUMN last_used_at INTEGER;
ALTER TABLE api_key ADD COLUMN revoked_at INTEGER;
ALTER TABLE api_key ADD COLUMN revoked_by INTEGER REFERENCES person(id);
CREATE INDEX api_key_person ON api_key(person);

CREATE TABLE public_opt_out(
  person INTEGER PRIMARY KEY REFERENCES person(id),
  at INTEGER NOT NULL
) STRICT;

-- Opt-outs and erasures in order: the public API's answers change with them.
CREATE TABLE privacy_log(
  seq INTEGER PRIMARY KEY,
  person INTEGER NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL CHECK (kind = 'opt_out' OR kind = 'opt_in' OR kind = 'erase'),
  actor TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
)sql";

// Records read each member's joins and removals to tell the windows they
// were enrolled in (service/attendancefold.h).
constexpr std::string_view k_v12 = R"sql(
CREATE INDEX enrollment_history_course ON enrollment_history(course, person, seq);
)sql";

// Slack (docs/REPORTS.md, "Slack"): a course's incoming-webhook URL, and
// the posts waiting for the sender of `serve`. Closing a window queues one
// post in the same transaction as the close. A sender claims a row with a
// lease (lease_until) before posting and marks it delivered in the
// transaction that records Slack's answer, so a row recorded as delivered
// is never posted again, and a claim left by a stopped server ends with
// its lease.
constexpr std::string_view k_v13 = R"sql(
ALTER TABLE course ADD COLUMN slack_webhook TEXT;

CREATE TABLE slack_outbox(
  id INTEGER PRIMARY KEY,
  course TEXT NOT NULL REFERENCES course(id),
  window_id TEXT NOT NULL REFERENCES attendance_window(id),
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_attempt_at INTEGER,
  last_status INTEGER,
  last_error TEXT,
  delivered_at INTEGER,
  given_up_at INTEGER
) STRICT;
CREATE INDEX slack_outbox_due ON slack_outbox(next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX slack_outbox_course ON slack_outbox(course, id);
)sql";

// Milestones (docs/MILESTONES.md): a course's (course set) or a person's own
// (owner set), kept when deleted; the confirmations of manual ones; the
// values the harvester saw (stored when changed, and once a day); its last
// failure per person and source; and replies kept with their ETag for
// conditional requests.
constexpr std::string_view k_v14 = R"sql(
CREATE TABLE milestone(
  id INTEGER PRIMARY KEY,
  course TEXT REFERENCES course(id),
  owner INTEGER REFERENCES person(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  metric TEXT NOT NULL CHECK (metric IN ('codewars_honor', 'codewars_rank', 'codewars_katas', 'github_prs_merged',
                                         'attendance_percent', 'on_time_percent', 'manual')),
  scope TEXT NOT NULL DEFAULT '',
  target REAL NOT NULL,
  starts_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES person(id),
  removed_at INTEGER,
  CHECK ((course IS NULL) <> (owner IS NULL))
) STRICT;
CREATE INDEX milestone_course ON milestone(course) WHERE removed_at IS NULL;
CREATE INDEX milestone_owner ON milestone(owner) WHERE removed_at IS NULL;

CREATE TABLE milestone_confirmation(
  milestone INTEGER NOT NULL REFERENCES milestone(id),
  person INTEGER NOT NULL REFERENCES person(id),
  note TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES person(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (milestone, person)
) STRICT;

CREATE TABLE metric_snapshot(
  person INTEGER NOT NULL REFERENCES person(id),
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (person, metric, at)
) STRICT, WITHOUT ROWID;

CREATE TABLE harvest_error(
  person INTEGER NOT NULL REFERENCES person(id),
  source TEXT NOT NULL CHECK (source IN ('github', 'codewars')),
  message TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (person, source)
) STRICT;

CREATE TABLE harvest_reply(
  url TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  body TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;

-- Counts every change to milestones, confirmations and snapshots: part of
-- the public API's ETag (publicDataMark), read in one step.
CREATE TABLE milestone_mark(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
) STRICT;
INSERT INTO milestone_mark(id, seq) VALUES(1, 0);
)sql";

// How far each kiosk's clock was from the server's at its last sync, for
// the admins' kiosk page.
constexpr std::string_view k_v15 = R"sql(
ALTER TABLE kiosk ADD COLUMN clock_skew_ms INTEGER;
)sql";

constexpr Migration k_migrations[] = {{1, k_v1},   {2, k_v2},   {3, k_v3},   {4, k_v4},   {5, k_v5},
                                      {6, k_v6},   {7, k_v7},   {8, k_v8},   {9, k_v9},   {10, k_v10},
                                      {11, k_v11}, {12, k_v12}, {13, k_v13}, {14, k_v14}, {15, k_v15}};

} // namespace

std::span<const Migration> sqliteMigrations()
{
    return k_migrations;
}

} // namespace imhere::server
