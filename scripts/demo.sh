#!/usr/bin/env bash
# Installs what is missing, builds, and runs the imhere demo on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh demo
cmake --preset release -DIMHERE_BUILD_TESTS=OFF -DIMHERE_BUILD_BENCH=ON >/dev/null
cmake --build --preset release

exec scripts/run-demo.sh build/release
