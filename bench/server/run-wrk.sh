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
rss_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
idle_kib=$(rss_kib VmRSS)
# "p50 0.37 ms  p99 6.20 ms  106940 req/s  errors(non-2xx) 0" -> field N
field() { awk -v n="$2" '{ print $n }' <<<"$1"; }
# A line of bench/run.sh's table (bench/benchtable.h): figure, value, floor, floor value, unit.
table_row() {
  awk -v fig="$1" -v v="$2" -v fl="$3" -v f="$4" -v u="$5" '
    function fmt(x,  a) { a = x < 0 ? -x : x
      return a >= 1000 ? sprintf("%.0f", x) : a >= 10 ? sprintf("%.1f", x) : a >= 1 ? sprintf("%.2f", x) : sprintf("%.3g", x) }
    BEGIN { printf "TABLE|%s|%s %s|%s|%s %s|%s\n", fig, fmt(v), u, fl, fmt(f), u, (f > 0 ? fmt(v / f) : "") }'
}
for connections in 64 256; do
  health=$(wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/latency.lua" "http://127.0.0.1:$port/healthz" | tail -1)
  printf 'GET /healthz,        %3d connections: %s\n' "$connections" "$health"
  # each run starts on fresh (window, person) pairs: 200000 exist
  export WRK_OFFSET=$(( connections == 64 ? 0 : 100000 ))
  checkin=$(wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/checkin.lua" "http://127.0.0.1:$port" | tail -1)
  printf 'POST check-ins,      %3d connections: %s\n' "$connections" "$checkin"
  table_row "single check-ins, $connections connections, p50" "$(field "$checkin" 2)" \
    "GET /healthz, same connections, p50" "$(field "$health" 2)" ms
  table_row "single check-ins, $connections connections, p99" "$(field "$checkin" 5)" \
    "GET /healthz, same connections, p99" "$(field "$health" 5)" ms
  table_row "single check-ins, $connections connections, throughput" "$(field "$checkin" 7)" \
    "GET /healthz, same connections" "$(field "$health" 7)" req/s
done
peak_kib=$(rss_kib VmHWM)
echo "imhere-server resident memory: idle after start $((idle_kib / 1024)) MiB, peak under load $((peak_kib / 1024)) MiB"
table_row "server peak resident memory, 64 then 256 connections" "$((peak_kib / 1024))" \
  "the same server idle after start" "$((idle_kib / 1024))" MiB
