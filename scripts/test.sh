#!/usr/bin/env bash
# Installs what is missing, builds and runs every test. Exits non-zero on any
# failure. Run from anywhere; works as root on a fresh Debian 12 machine.
#
#   scripts/test.sh            dev preset (debug, warnings as errors)
#   scripts/test.sh --asan     AddressSanitizer + UBSan build of the same tests
#   scripts/test.sh --long     also the long fuzz and soak runs (label "long")
set -euo pipefail
cd "$(dirname "$0")/.."

preset=dev
long=0
for arg in "$@"; do
  case "$arg" in
    --asan) preset=asan ;;
    --release) preset=release ;;
    --long) long=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh test
if [[ -x scripts/install-web-deps.sh ]]; then scripts/install-web-deps.sh; fi

cmake --preset "$preset" -DIMHERE_BUILD_TESTS=ON -DIMHERE_BUILD_BENCH=ON
cmake --build --preset "$preset"

exclude=()
if ((long == 0)); then exclude=(--label-exclude long); fi
# Tests start servers on loopback ports of their own; run two at a time on
# two cores, with a per-test timeout from ctest.
ctest --preset "$preset" -j2 "${exclude[@]}"
