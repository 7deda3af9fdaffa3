#!/usr/bin/env bash
# The server benches on PostgreSQL, each next to its floor measured through
# libpq on the same cluster in the same run (bench_server_pg_floor): sync
# ingest (bench_server_pg_sync, beside SQLite), and single check-ins over
# HTTP with wrk against one imhere-server instance and then two instances
# over the one database, 64 connections in all. Run through bench_with_pg,
# which starts a throwaway cluster:
#
#   build/release/bench/server/bench_with_pg bench/server/run-pg.sh [build-dir] [seconds] [batches]
#
# (bench/run.sh does this.) The SQLite side of single check-ins is run-wrk.sh's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build/release}"
seconds="${2:-5}"
batches="${3:-200}"
: "${IMHERE_BENCH_PG:?run through bench_with_pg, which sets IMHERE_BENCH_PG}"
dir="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"' EXIT

table_row() {
  awk -v fig="$1" -v v="$2" -v fl="$3" -v f="$4" -v u="$5" '
    function fmt(x,  a) { a = x < 0 ? -x : x
      return a >= 1000 ? sprintf("%.0f", x) : a >= 10 ? sprintf("%.1f", x) : a >= 1 ? sprintf("%.2f", x) : sprintf("%.3g", x) }
    BEGIN { printf "TABLE|%s|%s %s|%s|%s %s|%s\n", fig, fmt(v), u, fl, fmt(f), u, (f > 0 ? fmt(v / f) : "") }'
}
field() { awk -v n="$2" '{ print $n }' <<<"$1"; }

floors=$("$build/bench/server/bench_server_pg_floor" "${IMHERE_BENCH_PG}wrk" 500)
grep -v '^FLOOR' <<<"$floors"
floor_of() { awk -v k="$1" '$1 == "FLOOR" && $2 == k { print $3 }' <<<"$floors"; }
single_p50=$(floor_of single_p50_ms)
single_p99=$(floor_of single_p99_ms)
batched=$(floor_of batched_rows_per_s)

echo "== sync ingest"
"$build/bench/server/bench_server_pg_sync" "${IMHERE_BENCH_PG}sync" "$batches"

echo "== single check-ins over HTTP"
"$build/bench/server/bench_server_setup" "${IMHERE_BENCH_PG}wrk" "$dir/school.txt"
serve() { # port
  "$build/sync-server/imhere-server" serve --db "${IMHERE_BENCH_PG}wrk" --listen "127.0.0.1:$1" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "run-pg.sh: imhere-server on port $1 did not start" >&2
  return 1
}
export WRK_SCHOOL="$dir/school.txt"
serve 18556
# One instance, 64 connections; each run starts on fresh (window, person) pairs.
one=$(WRK_THREADS=2 WRK_OFFSET=0 wrk -t2 -c64 -d"${seconds}s" -s "$here/checkin.lua" http://127.0.0.1:18556 | tail -1)
echo "POST check-ins, PostgreSQL, one instance, 64 connections: $one"
table_row "single check-ins on PostgreSQL, one instance, 64 connections, p50" "$(field "$one" 2)" \
  "one INSERT committed alone through libpq, p50" "$single_p50" ms
table_row "single check-ins on PostgreSQL, one instance, 64 connections, p99" "$(field "$one" 5)" \
  "one INSERT committed alone through libpq, p99" "$single_p99" ms
table_row "single check-ins on PostgreSQL, one instance, 64 connections, throughput" "$(field "$one" 7)" \
  "INSERTs 100 to a transaction through libpq" "$batched" rows/s

# Two instances over the one database, 32 connections each, at once.
serve 18557
WRK_THREADS=1 WRK_OFFSET=60000 wrk -t1 -c32 -d"${seconds}s" -s "$here/checkin.lua" http://127.0.0.1:18556 \
  | tail -1 >"$dir/a.txt" &
first=$!
WRK_THREADS=1 WRK_OFFSET=120000 wrk -t1 -c32 -d"${seconds}s" -s "$here/checkin.lua" http://127.0.0.1:18557 \
  | tail -1 >"$dir/b.txt"
wait "$first"
a=$(cat "$dir/a.txt")
b=$(cat "$dir/b.txt")
echo "POST check-ins, PostgreSQL, instance A of two, 32 connections: $a"
echo "POST check-ins, PostgreSQL, instance B of two, 32 connections: $b"
p50=$(awk -v x="$(field "$a" 2)" -v y="$(field "$b" 2)" 'BEGIN { print (x > y ? x : y) }')
p99=$(awk -v x="$(field "$a" 5)" -v y="$(field "$b" 5)" 'BEGIN { print (x > y ? x : y) }')
both=$(awk -v x="$(field "$a" 7)" -v y="$(field "$b" 7)" 'BEGIN { print x + y }')
table_row "single check-ins on PostgreSQL, two instances, 32 connections each, p50 (the slower)" "$p50" \
  "one INSERT committed alone through libpq, p50" "$single_p50" ms
table_row "single check-ins on PostgreSQL, two instances, 32 connections each, p99 (the slower)" "$p99" \
  "one INSERT committed alone through libpq, p99" "$single_p99" ms
table_row "single check-ins on PostgreSQL, two instances together, throughput" "$both" \
  "INSERTs 100 to a transaction through libpq" "$batched" rows/s
