#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer) into build-fuzz/ and runs each from its seed
# corpus. Exits non-zero when a target crashes or hangs, leaving the input as
# build-fuzz/crash-<target>-*.
#   scripts/fuzz.sh [SECONDS]  each target for SECONDS (default 60), new random inputs every time
#   scripts/fuzz.sh --smoke    CI's run: a fixed seed and a fixed number of inputs per target
#                              (under a minute each); coverage feedback is not fully
#                              deterministic, so it is a bounded fuzz run, not an exact replay
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A smoke_runs=([config]=40000 [expression]=300000 [csv]=300000 [idx]=40000)
limit=(-max_total_time="${1:-60}")
scripts/install-deps.sh
CXX=clang++ cmake -S tests/fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)"
for target in config expression csv idx; do
  corpus=build-fuzz/corpus/$target  # what the fuzzer adds; the seeds stay as they are
  mkdir -p "$corpus"
  [[ ${1:-} == --smoke ]] && limit=(-seed=1 -runs="${smoke_runs[$target]}")
  echo "fuzz: $target ${limit[*]}"
  build-fuzz/fuzz_$target "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crash-$target-" "$corpus" "tests/fuzz/corpus/$target" \
    2>"build-fuzz/$target.log" || { tail -n 40 "build-fuzz/$target.log"; exit 1; }
  grep -E '^(Done|stat::number_of_executed_units)' "build-fuzz/$target.log" || true
done
