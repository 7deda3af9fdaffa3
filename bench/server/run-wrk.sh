#!/usr/bin/env bash
# Single check-ins over 64 and 256 keep-alive connections with wrk, next to
# the same server's GET /healthz as the ceiling. Each run is short (the
# machine is shared); figures go to docs/PERFORMANCE.md.
#
#   bench/server/run-wrk.sh [build-dir] [seconds]    (default build/release, 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build/release}"
seconds="${2:-5}"
dir="$(mktemp -d)"
port=18555
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT

"$build/bench/server/bench_server_setup" "$dir/bench.db" "$dir/school.txt"
"$build/sync-server/imhere-server" serve --db "$dir/bench.db" --listen "127.0.0.1:$port" >/dev/null &
pid=$!
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

export WRK_SCHOOL="$dir/school.txt" WRK_THREADS=2
for connections in 64 256; do
  printf 'GET /healthz,        %3d connections: ' "$connections"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/latency.lua" "http://127.0.0.1:$port/healthz" | tail -1
  # each run starts on fresh (window, person) pairs: 200000 exist
  export WRK_OFFSET=$(( connections == 64 ? 0 : 100000 ))
  printf 'POST check-ins,      %3d connections: ' "$connections"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/checkin.lua" "http://127.0.0.1:$port" | tail -1
done
