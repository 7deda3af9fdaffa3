#!/usr/bin/env bash
# Runs the demo from an existing build directory (called by demo.sh): a demo
# school in a data directory, imhere-server in the foreground, and (later) the
# kiosk beside it. Ctrl-C stops everything.
#
#   IMHERE_DEMO_DIR   data directory (default ~/.local/share/imhere-demo)
#   IMHERE_DEMO_PORT  server port on 127.0.0.1 (default 8080)
set -euo pipefail
build="${1:-build/release}"
server="$build/sync-server/imhere-server"
data="${IMHERE_DEMO_DIR:-$HOME/.local/share/imhere-demo}"
port="${IMHERE_DEMO_PORT:-8080}"
db="$data/imhere.db"
url="http://127.0.0.1:$port"

if [[ ! -x "$server" ]]; then
  echo "run-demo: $server is missing; build first (scripts/demo.sh does)" >&2
  exit 1
fi
mkdir -p "$data"

# The demo school is made once; delete the data directory to start afresh.
if [[ ! -f "$db" ]]; then
  echo "Creating the demo school in $data ..."
  "$server" demo-data --db "$db"
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$server" serve --db "$db" --listen "127.0.0.1:$port" &
pids+=($!)
for _ in $(seq 50); do
  curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# ---- start the kiosk here -------------------------------------------------
# The kiosk talks to "$url" with the token in "$data/demo-kiosk-token.txt";
# the badges to tap (raw UID hex, public id, role, PIN, name; tab-separated)
# are in "$data/demo-badges.txt". Append its pid to pids so Ctrl-C stops it.
# ---------------------------------------------------------------------------

cat <<INFO

imhere demo is running.
  server     $url   (health: $url/healthz, API: $url/api/v1/...)
  admin      admin@imhere.demo / imhere-demo-admin
  staff      any teacher or TA email (GET /api/v1/people) / imhere-demo-staff
  badges     $data/demo-badges.txt
  kiosk      token in $data/demo-kiosk-token.txt

Try:  curl -s -c /tmp/imhere.jar -H 'Content-Type: application/json' \\
        -d '{"email":"admin@imhere.demo","password":"imhere-demo-admin"}' $url/api/v1/login
      curl -s -b /tmp/imhere.jar $url/api/v1/courses

Press Ctrl-C to stop.
INFO
wait "${pids[0]}"
