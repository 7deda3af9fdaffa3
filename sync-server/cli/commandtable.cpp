// The command table: names, one-line summaries and --help texts.

#include "commands.h"

#include <array>

namespace imhere::server::cli {

namespace {

constexpr std::string_view k_common = R"(
Common options:
  --db PATH          the SQLite database file (env IMHERE_DB, config [server] db)
  --config FILE      an INI file; keys in [server] match the long option names
                     (default /etc/imhere/server.conf when it exists;
                     env IMHERE_CONFIG)
  --help             this text
  --version          the version
Settings are taken from the command line, then IMHERE_<NAME> environment
variables, then the config file. A bad value stops the command with exit
status 2, naming the setting, its value and what is wrong with it.
)";

// Sized by its entries, so adding a command cannot leave a count behind.
const auto k_commands = std::to_array<Command>({
    {"serve", "run the HTTP server in the foreground",
     R"(usage: imhere-server serve --db PATH|URL [--listen HOST:PORT] [--config FILE]
                          [--threads N] [--connection-timeout SECONDS]
                          [--trusted-proxies LIST] [--tls-cert FILE --tls-key FILE]
                          [--tls-proxy yes|no] [--phone-link-days N]
                          [--public-api open|key] [--public-rate-limit N]
                          [--slack-loopback yes|no]
                          [--harvest-interval MINUTES] [--harvest-timeout SECONDS]
                          [--github-api-url URL] [--codewars-api-url URL]
                          [--github-token TOKEN]

Serves the JSON API, the public API, kiosk sync, the pages, /healthz and
/metrics until SIGTERM or SIGINT, then finishes running requests and exits 0.
With a certificate and key it serves HTTPS, and SIGHUP reads them again. Prints the
bound address on start (port 0 picks a free port). Holds a lock on
PATH.lock while serving, so a second server or a restore cannot use the same
database. Migrates an older database at start, after copying it to
PATH.before-vN. Under systemd (Type=notify) it reports READY=1 once the
port answers, WATCHDOG=1 while the store and /healthz pass a health check,
and STOPPING=1; logs go to the journal.
  --db PATH|URL             a SQLite file, or a PostgreSQL database as a
                            postgresql:// URL shared by several instances: no
                            lock file and no copy before migrating (back it up
                            with pg_dump); the background jobs run on one
                            instance at a time
  --listen HOST:PORT        default 127.0.0.1:8080 (IMHERE_LISTEN)
  --threads N               HTTP worker threads, 1 to 64, default 4
  --connection-timeout S    drop idle or slow clients after S seconds, default 15
  --metrics MODE            who may read /metrics: off, loopback (default) or
                            token (Authorization: Bearer, see --metrics-token-file)
  --metrics-token-file FILE the token for --metrics token, one line
  --trusted-proxies LIST    addresses and CIDR blocks of reverse proxies whose
                            Forwarded / X-Forwarded-For name the client;
                            default none (the peer is the client)
  --tls-cert FILE           serve HTTPS with this PEM certificate (and chain)
  --tls-key FILE            and this PEM private key; both absolute paths
  --tls-proxy yes|no        a proxy in front ends TLS (default no): cookies are
                            Secure __Host- ones and HSTS is sent, as with HTTPS
  --phone-link-days N       a linked phone checks in for N days (1 to 400,
                            default 180), then needs a new link code
  --public-api MODE         who may read /api/public/v1: open (default, anyone)
                            or key (an API key, a read-only one is enough)
  --public-rate-limit N     public API requests per client (key or address) a
                            minute, default 120
  --slack-loopback yes|no   accept Slack webhooks on loopback
                            (http://127.0.0.1:PORT/...) beside Slack's own,
                            for tests and the demo; default no
  --harvest-interval M      ask GitHub and Codewars for milestone progress every
                            M minutes (default 0: never; the packaged config: 60)
  --harvest-timeout S       give up on one of their replies after S seconds
                            (default 10)
  --github-api-url URL      default https://api.github.com
  --codewars-api-url URL    default https://www.codewars.com
  --github-token TOKEN      sent to GitHub for its higher rate limit
)",
     serveCommand},
    {"init", "create or migrate the database, optionally with an admin",
     R"(usage: imhere-server init --db PATH [--admin-email EMAIL] [--admin-name NAME]

Creates the database (or migrates an older one) and the organisation's badge
key. With --admin-email, adds an org admin and prints a generated password once.
)",
     initCommand},
    {"user add", "add a person",
     R"(usage: imhere-server user add --db PATH --name NAME [--email EMAIL] [--admin]
                             [--github USER] [--codewars USER]
                             [--password-stdin] [--with-pin]

Adds a person and prints their public id. With --email they can sign in: a
password is generated and printed once, or read from stdin with
--password-stdin. --with-pin generates an 8-digit kiosk PIN for a teacher or TA
(printed once; stored as an argon2id hash). --admin makes an org admin.
)",
     userAddCommand},
    {"import-roster", "enrol people from a CSV file",
     R"(usage: imhere-server import-roster FILE.csv --course ID --db PATH

FILE.csv has a header naming the columns display_name, email, role (student,
ta or teacher) and optionally github, codewars. People are matched by email
and created when new. Every bad row is reported with its line number, and if
any row is bad nothing is imported.
)",
     importRosterCommand},
    {"import-register", "bring an old register sheet's attendance in",
     R"(usage: imhere-server import-register FILE.csv --course ID --db PATH [--dry-run]
                                       [--class-start HH:MM]

FILE.csv is a register sheet in the trainee tracker's format: the headings
Name, Email, Timestamp, Course, Module, Day, Location in any order (or Date
and Time in place of Timestamp; a time without an offset is in the course's
time zone), Day being sprint-1 to sprint-20. Each row becomes a check-in of
the trainee with that email (case-insensitive) in the sprint's window; a
sprint with no window gets a closed one on the day most of its rows fall on,
at --class-start (local time; default: the time of the course's latest
window, and a course with no window needs it). Unknown emails, people who are not students of the course and a
second row for a sprint are reported and skipped; a trainee already checked
in for the sprint is left as they are, so importing twice changes nothing.
If any row is malformed nothing is imported. --dry-run prints the same
report and changes nothing.
)",
     importRegisterCommand},
    {"kiosk add", "register a kiosk and print its token",
     R"(usage: imhere-server kiosk add --db PATH --name NAME --course ID [--course ID ...]

Registers a kiosk for the given courses (the courses it serves and syncs) and
prints its id and its token once. Start the kiosk with --token TOKEN; on its
first sync it receives its rotating-code key and the badge key.
)",
     kioskAddCommand},
    {"person erase", "remove a person's personal data on request",
     R"(usage: imhere-server person erase PUBLIC_ID --db PATH [--requested-by TEXT]

Removes the personal data of the person with this public id, as a data
protection request asks: the name becomes "Erased person"; email, GitHub and
Codewars names, password and PIN are cleared; badges are revoked (kiosks
forget them on their next sync) and linked phones stop working; sessions, API
keys and link codes are deleted. Their attendance, corrections and flags stay,
under the public id only. The erasure is logged in the database with
--requested-by (who asked, a ticket number ...) and in the server log.
)",
     personEraseCommand},
    {"demo-data", "fill the database with a synthetic school",
     R"(usage: imhere-server demo-data --db PATH [--badges FILE] [--slack-webhook URL]

Writes 3 courses, 66 trainees, 6 TAs, 3 teachers and an admin, 8 weeks of
classes with check-ins (some late, some remote), flags and corrections, an
open class today in each course, and one kiosk serving all three. Writes the
badge file (default: demo-badges.txt beside the database; tab-separated raw
UID hex, public id, role, PIN, name) and demo-kiosk-token.txt. Prints the demo
admin login. With --slack-webhook (Slack's, or http://127.0.0.1:PORT/... for
a server started with --slack-loopback yes) every course posts to it, and
each course's latest class waits in the outbox to be posted.
)",
     demoDataCommand},
    {"migrate", "copy a SQLite database into an empty PostgreSQL one",
     R"(usage: imhere-server migrate --from sqlite:PATH --to postgresql://USER@HOST:PORT/DATABASE

Copies every row of the SQLite database PATH into the PostgreSQL database
named by the URL (libpq's connection URI; a password can also come from
PGPASSWORD or ~/.pgpass), in one transaction, keeping every id and sequence
number, so kiosks carry on syncing from where they were. PATH is opened
read-only and must have this version's schema (run `imhere-server init --db
PATH` first to bring an older file up to date). The PostgreSQL database gets
the schema if it has none, and must hold no rows and no tables but imhere's:
any other is refused and left as it was. Refuses while an imhere-server
serves PATH (it holds PATH.lock): stop the server first.

Prints each table as it is copied, then verifies before committing: the
number of rows in every table, and a SHA-256 of the event log (window
events, check-ins, corrections, flags, remote confirmations and the change
log, in the order they were stored, every column), read from both
databases. Any difference rolls everything back, leaves the PostgreSQL
database empty and exits 1. Exit status 2: --from or --to is missing or not
of the form above.
)",
     migrateCommand},
    {"backup", "copy the database while the server runs",
     R"(usage: imhere-server backup --db PATH --to FILE
       imhere-server backup --db PATH --backup-dir DIR [--backup-keep N]

Copies the database with SQLite's online backup API: a consistent snapshot,
safe while `serve` is running, checked with PRAGMA integrity_check before it
is put in place. With --backup-dir, the copy is DIR/imhere-YYYYMMDDTHHMMSSZ.db
and only the newest N backups there are kept (default 14).
)",
     backupCommand},
    {"restore", "replace the database with a backup (server stopped)",
     R"(usage: imhere-server restore --db PATH --from FILE

Replaces the database with the backup FILE, once FILE passes PRAGMA
integrity_check and has a schema this version knows. Refuses while an
imhere-server serves PATH (it holds PATH.lock): stop the server first.
)",
     restoreCommand},
});

} // namespace

std::span<const Command> commands()
{
    return k_commands;
}

std::string_view commonHelp()
{
    return k_common;
}

} // namespace imhere::server::cli
