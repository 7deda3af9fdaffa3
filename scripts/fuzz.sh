#!/usr/bin/env bash
# Long fuzzing of everything that parses network bytes (sync requests and
# responses, outbox events, rotating codes) under AddressSanitizer + UBSan.
#
#   scripts/fuzz.sh [SECONDS] [SEED]    default 600 s, seed 1
#
# The targets are libFuzzer-shaped (LLVMFuzzerTestOneInput) and run here
# through tests/fuzz/fuzzdriver.cpp, a mutation driver built with g++: Debian
# 12's clang 14 cannot compile libstdc++ 12's std::expected, which core uses,
# so coverage-guided libFuzzer waits for a newer clang. See docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
seed="${2:-1}"
scripts/install-deps.sh build
cmake --preset asan -DIMHERE_BUILD_TESTS=ON >/dev/null
cmake --build --preset asan --target fuzz_sync
build/asan/tests/fuzz/fuzz_sync tests/fuzz/corpus --iterations 1000000000 --seconds "$seconds" --seed "$seed"
