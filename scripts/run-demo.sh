#!/usr/bin/env bash
# Runs the demo from an existing build directory (called by demo.sh).
set -euo pipefail
build="${1:-build/release}"

echo
echo "imhere core is built. Rotating-code speed on this machine:"
"$build/bench/core/bench_core" 20000
echo
echo "The server and kiosk are not built yet in this checkout; see README.md."
