#!/usr/bin/env bash
# Builds kooplab and runs the whole test suite.
#   scripts/test.sh             the Release build in build/ and every test
#   scripts/test.sh --sanitize  an AddressSanitizer + UndefinedBehaviorSanitizer
#                               build in build-sanitize/ and every test but the
#                               paper checks and the install check (too slow
#                               instrumented, and no different in what they parse)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --sanitize ]]; then
  scripts/install-deps.sh
  # -O1 with line tables only: instrumented code stays fast enough to test, and
  # a report still names file and line.
  # Every file compiled on its own (no unity batches): a file that does not
  # include what it uses fails here even when its batch hides it.
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DKOOPLAB_SANITIZE=ON -DKOOPLAB_UNITY_BUILD=OFF
  cmake --build build-sanitize -j"$(nproc)"
  # Leaks are not checked: oneTBB and OpenBLAS keep their thread pools to the end.
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)" -LE 'paper|install'
  exit
fi
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
