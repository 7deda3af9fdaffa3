#!/usr/bin/env bash
# Long coverage-guided fuzzing (libFuzzer, ASan + UBSan) of everything that
# reads bytes from outside: the sync codec, rotating codes, the HTTP router,
# form bodies and cookies, roster CSV, keyboard-wedge keys, PN532 frames and
# JSON API bodies. Builds tests/fuzz/libfuzzer with clang 16 and libc++ 16
# into build/fuzz, keeps each target's corpus in build/fuzz/corpus/NAME
# between runs, and appends one row per target (CPU seconds, executions,
# coverage, corpus, findings) to the table in docs/RELIABILITY.md.
#
#   scripts/fuzz.sh [--minutes N] [--parallel P] [--no-record] [target...]
#
#   --minutes N    minutes per target (default 10)
#   --parallel P   targets run at once (default 1; one core each)
#   --no-record    leave docs/RELIABILITY.md alone
#   target         any of: sync rotatingcode router formcookie rostercsv wedge pn532 apibody
#                  (default: all)
#
# A finding stops that target: its input is saved as build/fuzz/findings/NAME-*
# and the script exits non-zero. Fix it, then copy the input into
# tests/fuzz/corpus/NAME/ so every test run replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

all=(sync rotatingcode router formcookie rostercsv wedge pn532 apibody)
minutes=10
parallel=1
record=1
targets=()
while (($#)); do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    --no-record) record=0; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *)
      if [[ " ${all[*]} " != *" $1 "* ]]; then echo "fuzz.sh: no target $1 (${all[*]})" >&2; exit 2; fi
      targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${all[@]}")
seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
((seconds > 0)) || { echo "fuzz.sh: --minutes must be positive" >&2; exit 2; }

scripts/install-deps.sh test
build=build/fuzz
ccache=()
if command -v ccache >/dev/null; then ccache=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S tests/fuzz/libfuzzer -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_C_COMPILER=clang-16 \
  "${ccache[@]}" >/dev/null
cmake --build "$build"
mkdir -p "$build/corpus" "$build/findings" "$build/logs"

# Runs one target; prints its figures as one line: name cpu_s execs cov ft corpus findings rc.
run_one() {
  local t="$1" log="$build/logs/$1.log" dict=() rc=0
  [[ -f tests/fuzz/dict/$t.dict ]] && dict=(-dict="tests/fuzz/dict/$t.dict")
  mkdir -p "$build/corpus/$t"
  local before after
  before=$(find "$build/findings" -name "$t-*" | wc -l)
  # CPU time of the fuzzer process itself (user + system), from bash's `times`.
  local cpu
  cpu=$( { TIMEFORMAT='%U %S'; time "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/findings/$t-" "${dict[@]}" \
      "$build/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1 || echo "rc=$?" >>"$log"; } 2>&1 )
  after=$(find "$build/findings" -name "$t-*" | wc -l)
  grep -q '^rc=' "$log" && rc=1
  local stats execs cov ft corp
  stats=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1 || true)
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
  [[ -n "$execs" ]] || execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$stats")
  cov=$(grep -Eo 'cov: [0-9]+' <<<"$stats" | grep -Eo '[0-9]+' || echo "?")
  ft=$(grep -Eo 'ft: [0-9]+' <<<"$stats" | grep -Eo '[0-9]+' || echo "?")
  corp=$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$stats" | sed 's/corp: //' || echo "?")
  cpu=$(awk '{ printf "%.0f", $1 + $2 }' <<<"$cpu")
  echo "$t $cpu ${execs:-?} $cov $ft $corp $((after - before)) $rc"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
running=0
for t in "${targets[@]}"; do
  echo "fuzz.sh: $t for $minutes min" >&2
  run_one "$t" >>"$results" &
  running=$((running + 1))
  if ((running >= parallel)); then wait -n || true; running=$((running - 1)); fi
done
wait

printf '%-13s %8s %12s %6s %7s %12s %8s\n' target cpu_s execs cov ft corpus findings
failed=0
today=$(date -u +%F)
host="$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
rows=""
while read -r t cpu execs cov ft corp found rc; do
  printf '%-13s %8s %12s %6s %7s %12s %8s\n' "$t" "$cpu" "$execs" "$cov" "$ft" "$corp" "$found"
  verdict="none"
  if ((found > 0)); then
    failed=1
    verdict="**finding**: build/fuzz/findings/$t-*, log build/fuzz/logs/$t.log"
  elif ((rc != 0)); then
    # No input saved: the fuzzer did not get going (a dictionary it cannot
    # read, a bad option), which is not a finding but not a run either.
    failed=1
    verdict="**stopped without a finding**: see build/fuzz/logs/$t.log"
  fi
  rows+="| $today | $t | $minutes | $cpu | $execs | $cov | $ft | $corp | $verdict |"$'\n'
done <"$results"

if ((record)); then
  doc=docs/RELIABILITY.md
  marker='<!-- scripts/fuzz.sh adds its rows above this line -->'
  ROWS="$rows" MARKER="$marker" awk '
    index($0, ENVIRON["MARKER"]) == 1 { printf "%s", ENVIRON["ROWS"] }
    { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
  echo "fuzz.sh: recorded in $doc ($host)" >&2
fi
if ((failed)); then
  echo "fuzz.sh: findings or a target that did not run; see build/fuzz/findings/ and build/fuzz/logs/" >&2
  exit 1
fi
