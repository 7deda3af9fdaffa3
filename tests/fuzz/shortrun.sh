#!/usr/bin/env bash
# One short libFuzzer run for the test suite: replays tests/fuzz/corpus/NAME
# (seeds and the input of every finding so far), then fuzzes for SECONDS,
# growing a working corpus under WORKDIR/NAME. Fails on any finding; the
# input that caused it is left in WORKDIR/findings/.
#
#   shortrun.sh FUZZER NAME WORKDIR SECONDS
set -euo pipefail
fuzzer="$1" name="$2" work="$3" seconds="$4"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$work/$name" "$work/findings"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
      -artifact_prefix="$work/findings/$name-")
if [[ -f "$here/dict/$name.dict" ]]; then args+=(-dict="$here/dict/$name.dict"); fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
exec "$fuzzer" "${args[@]}" "$work/$name" "$here/corpus/$name"
