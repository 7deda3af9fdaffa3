#!/usr/bin/env bash
# Builds the release preset and runs every benchmark, then prints one table:
# each figure beside the floor it is held against, measured in the same run,
# and their ratio. Each bench's own report is kept in the log directory.
#
#   bench/run.sh [--quick] [--no-build [--dir BUILD]] [--log DIR]
#
#   --quick     small sizes (a smoke run of every bench: minutes, not an hour)
#   --no-build  use build/release (or --dir BUILD) as it is
#   --log DIR   keep each bench's output there (default: a new temporary dir)
#
# The figures move with the machine and its load: run it on a quiet machine
# and read the ratios, which hold better than the times. The load average is
# printed beside the table.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
build=1
log=""
out=build/release
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --log) log="$2"; shift ;;
    --dir) out="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
log="${log:-$(mktemp -d -t imhere-bench.XXXXXX)}"
mkdir -p "$log"

if ((build)); then
  scripts/install-deps.sh test >/dev/null
  cmake --preset release -DIMHERE_BUILD_TESTS=ON -DIMHERE_BUILD_BENCH=ON >/dev/null
  cmake --build "$out" -j"$(nproc)"
fi

# name, then the command; sizes shrink with --quick.
if ((quick)); then
  core=5000 drain=2000 sync=20 reports=5 public=20 kiosk=(--taps 1000 --starts 2) camera=50 nfc=50 pin=3 wrk=2
else
  core=50000 drain=10000 sync=200 reports=30 public=200 kiosk=(--taps 10000 --starts 5) camera=500 nfc=200 pin=20 wrk=5
fi
benches=(
  "core|$out/bench/core/bench_core $core"
  "sync|$out/bench/server/bench_server_sync $sync"
  "wrk|bench/server/run-wrk.sh $out $wrk"
  "pg|$out/bench/server/bench_with_pg bench/server/run-pg.sh $out $wrk $sync"
  "reports|$out/bench/server/bench_with_pg $out/bench/server/bench_server_reports $reports"
  "public|$out/bench/server/bench_server_public $public"
  "pin|$out/bench/server/bench_server_pin_guess $pin"
  "drain|$out/bench/kiosk/bench_kiosk_drain $drain"
  "kiosk|env QT_QPA_PLATFORM=offscreen $out/bench/kiosk/bench_kiosk ${kiosk[*]}"
  "camera|env QT_QPA_PLATFORM=offscreen $out/bench/hardware/bench_hardware_camera $camera"
  "nfc|$out/bench/hardware/bench_hardware_nfc $nfc"
)

failed=()
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for entry in "${benches[@]}"; do
  name="${entry%%|*}"
  cmd="${entry#*|}"
  bin="${cmd#env QT_QPA_PLATFORM=offscreen }"; bin="${bin%% *}"
  if [[ ! -x "$bin" ]]; then
    echo "bench/run.sh: $name: $bin was not built, skipped" >&2
    failed+=("$name (not built)")
    continue
  fi
  echo "bench/run.sh: $name ..." >&2
  t0=$(date +%s)
  if ! $cmd >"$log/$name.txt" 2>&1; then
    failed+=("$name (exit status; see $log/$name.txt)")
  fi
  echo "bench/run.sh: $name took $(($(date +%s) - t0)) s" >&2
done

echo
echo "imhere benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load average before ${load_before}, after $(cut -d' ' -f1-3 /proc/loadavg); $(($(date +%s) - started)) s; $( ((quick)) && echo 'quick sizes' || echo 'full sizes'); logs in $log"
echo
echo "| figure | value | floor (same run) | floor value | ratio |"
echo "|---|---:|---|---:|---:|"
for entry in "${benches[@]}"; do
  name="${entry%%|*}"
  [[ -f "$log/$name.txt" ]] || continue
  { grep '^TABLE|' "$log/$name.txt" || true; } | cut -d'|' -f2- | awk -F'|' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, ($5 == "" ? "" : "×" $5) }'
done
if ((${#failed[@]})); then
  echo
  echo "did not finish: ${failed[*]}"
  exit 1
fi
