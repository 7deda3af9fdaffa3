#!/usr/bin/env bash
# Runs the demo from an existing build directory (called by demo.sh): a demo
# school in a data directory, imhere-server in the background, and a kiosk
# attached to it in the foreground. With a display ($DISPLAY or
# $WAYLAND_DISPLAY) the kiosk opens its window; without one it runs offscreen
# and prints what its screen says. Either way, taps are typed on this
# terminal: a badge UID in hex, then Enter. Ctrl-C stops everything.
#
#   IMHERE_DEMO_DIR   data directory (default ~/.local/share/imhere-demo)
#   IMHERE_DEMO_PORT  server port on 127.0.0.1 (default 8080); the demo's
#                     stand-in for GitHub and Codewars listens on the next one
#   IMHERE_DEMO_SLACK_PORT  the local Slack sink's port (default the server's + 2)
#   IMHERE_DEMO_MAIL_PORT   the local mail sink's port (default the server's + 3)
set -euo pipefail
build="${1:-build/release}"
server="$build/sync-server/imhere-server"
kiosk="$build/kiosk/imhere-kiosk"
code_sites="$build/sync-server/imhere-demo-code-sites"
data="${IMHERE_DEMO_DIR:-$HOME/.local/share/imhere-demo}"
port="${IMHERE_DEMO_PORT:-8080}"
db="$data/imhere.db"
url="http://127.0.0.1:$port"
badges="$data/demo-badges.txt"
token_file="$data/demo-kiosk-token.txt"
coders="$data/demo-code-sites.tsv"
code_port=$((port + 1))
kiosk_data="$data/kiosk"
slack_port="${IMHERE_DEMO_SLACK_PORT:-$((port + 2))}"
mail_port="${IMHERE_DEMO_MAIL_PORT:-$((port + 3))}"
mail_log="$data/mail/mail.log"
slack_log="$data/slack.log"
# Each course's Slack webhook points at a local sink (scripts/slack-sink.py),
# which writes every message it gets to slack.log.
slack_url="http://127.0.0.1:$slack_port/services/TDEMO/BDEMO/demo"

for program in "$server" "$kiosk"; do
  if [[ ! -x "$program" ]]; then
    echo "run-demo: $program is missing; build first (scripts/demo.sh does)" >&2
    exit 1
  fi
done
mkdir -p "$data"

# The demo school is made once; delete the data directory to start afresh.
# demo-data registers a kiosk for all its courses and writes its token.
if [[ ! -f "$db" ]]; then
  echo "Creating the demo school in $data ..."
  rm -rf "$kiosk_data" # a kiosk belongs to one server's database
  "$server" demo-data --db "$db" --slack-webhook "$slack_url"
fi
if [[ ! -s "$token_file" ]]; then
  # A database from elsewhere: register a kiosk for every course in it.
  courses=()
  while IFS= read -r id; do courses+=(--course "$id"); done \
    < <(sqlite3 -readonly "$db" "SELECT id FROM course WHERE removed = 0")
  "$server" kiosk add --db "$db" --name "Demo classroom door" "${courses[@]}" \
    | sed -n 's/^token: //p' > "$token_file"
  rm -rf "$kiosk_data"
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

slack=""
if command -v python3 >/dev/null; then
  python3 "$(dirname "$0")/slack-sink.py" "$slack_port" "$slack_log" 2>> "$data/slack-sink.err" &
  pids+=($!)
  slack=1
  # Listening before the server starts, so the first posts find it.
  for _ in $(seq 50); do
    if curl -s -o /dev/null "http://127.0.0.1:$slack_port/"; then break; fi
    sleep 0.1
  done
fi

# Mail: invitations and password links go by SMTP to a local sink
# (scripts/mail-sink.py), which writes one line per message, with its link,
# to mail/mail.log and keeps each message beside it.
mail=(--public-url "$url")
if [[ -n "$slack" ]]; then
  mkdir -p "$data/mail"
  python3 "$(dirname "$0")/mail-sink.py" "$mail_port" "$mail_log" 2>> "$data/mail/mail-sink.err" &
  pids+=($!)
  mail+=(--smtp-host 127.0.0.1 --smtp-port "$mail_port" --smtp-starttls no --mail-from imhere@imhere.demo)
fi

# Milestones: the demo has no internet, so a stand-in for GitHub's and
# Codewars' APIs answers for the demo's trainees on loopback, and the server
# harvests from it every minute (docs/MILESTONES.md).
harvest=(--harvest-interval 0)
if [[ -x "$code_sites" && -f "$coders" ]]; then
  "$code_sites" --coders "$coders" --port "$code_port" > "$data/code-sites.log" 2>&1 &
  pids+=($!)
  harvest=(--harvest-interval 1 --github-api-url "http://127.0.0.1:$code_port"
           --codewars-api-url "http://127.0.0.1:$code_port")
fi
"$server" serve --db "$db" --listen "127.0.0.1:$port" --slack-loopback yes "${harvest[@]}" "${mail[@]}" \
  > "$data/server.log" 2>&1 &
pids+=($!)
server_pid=$!
up=0
for _ in $(seq 100); do
  if curl -fsS "$url/healthz" >/dev/null 2>&1; then up=1; break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if ((up == 0)); then
  echo "run-demo: imhere-server did not start; see $data/server.log:" >&2
  tail -5 "$data/server.log" >&2
  exit 1
fi

kiosk_args=(--data "$kiosk_data" --reader sim)
if [[ ! -f "$kiosk_data/kiosk.db" ]]; then
  # First start: provision. The token goes through the environment, not argv.
  kiosk_args+=(--server "$url")
  IMHERE_TOKEN="$(cat "$token_file")"
  export IMHERE_TOKEN
fi
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  screen="a window on this display"
else
  export QT_QPA_PLATFORM=offscreen
  kiosk_args+=(--print-taps)
  screen="offscreen (no display): results are printed here"
fi

mail_lines() {
  if [[ -z "$slack" ]]; then
    echo "  mail       no python3 for the local mail sink: invitation and password links"
    echo "             are shown on the page to the admin or teacher who makes them"
    return
  fi
  echo "  mail       goes to a local mail sink on port $mail_port: one line per message,"
  echo "             with its link, in $mail_log. Invite a class on a course's"
  echo "             People page (\"Invite everyone without a password\"), then open"
  echo "             each link there in a private window to choose that trainee's password."
}

# The courses' latest classes wait in the Slack outbox of a new demo school;
# the server posts them as it starts.
slack_lines() {
  if [[ -z "$slack" ]]; then
    echo "  slack      no python3 for the local Slack sink: posts wait in the outbox"
    return
  fi
  for _ in $(seq 50); do
    [[ -s "$slack_log" ]] && break
    sleep 0.1
  done
  echo "  slack      closed windows' summaries go to a local Slack sink on port $slack_port;"
  echo "             every message lands in $slack_log. The latest:"
  if [[ -s "$slack_log" ]]; then
    tail -3 "$slack_log" | sed 's/^/               /'
  else
    echo "               none yet: close a window (a course page, or a kiosk) to post one"
  fi
}

# A few people to be, from the badge file (UID, public id, role, PIN, name).
samples() {
  awk -F'\t' -v role="$1" -v n="$2" '!/^#/ && $3 == role && c < n { c++; printf "  %-16s %s%s\n", $1, $5, ($4 != "-" ? "  (PIN " $4 ")" : "") }' "$badges"
}

cat <<INFO

imhere demo is running.
  dashboard  $url/   (admin@imhere.demo / imhere-demo-admin)
  API        $url/api/v1/...   health: $url/healthz
  server log $data/server.log
  milestones a trainee: $(sqlite3 -readonly "$db" "SELECT email FROM person WHERE password_hash IS NOT NULL AND is_admin = 0 AND id IN (SELECT person FROM enrollment WHERE role = 'student') LIMIT 1" 2>/dev/null || echo "see demo-data's output") / imhere-demo-trainee
             $url/me/milestones; a teacher sees a course's at /courses/ID/milestones.
             GitHub and Codewars are a stand-in on 127.0.0.1:$code_port; the
             server asks it every minute (its log line "milestone progress harvested").
$(mail_lines)
$(slack_lines)
  kiosk      $screen
  badges     $badges

Tap a badge by typing its UID and pressing Enter, e.g.
$(samples student 3)
  04ffffffffff80   (nobody's badge)
A teacher or TA opens the volunteer screen with their badge and PIN:
$(samples teacher 1)

Press Ctrl-C to stop.
INFO

# In the foreground, so that it reads the taps typed on this terminal.
"$kiosk" "${kiosk_args[@]}"
