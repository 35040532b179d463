#!/usr/bin/env bash
# The benchmark suite in one command: builds the bench_* executables into
# BUILD_DIR (default build/) and runs every bench_<topic>, each with its Python
# anchor (NumPy for bench_core, PyTorch for bench_cnn and bench_training) when
# Debian's package is present; KOOPLAB_NO_ANCHOR=1 leaves the anchors out. BLAS
# runs on one thread, as inside a sweep's runs, for kooplab and the anchors alike.
#   scripts/bench.sh [BUILD_DIR] [TOPIC...]   e.g. scripts/bench.sh build core
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
sources=(bench/bench_*.cpp)
topics=()
for source in "${sources[@]}"; do topics+=("$(basename "${source%.cpp}")"); done
if (($#)); then topics=(); for topic in "$@"; do topics+=("bench_$topic"); done; fi
# The CMake target `bench` has built them already.
[[ ${KOOPLAB_BENCH_BUILT:-0} == 1 ]] || cmake --build "$build" -j2 --target "${topics[@]}"

uptime
for topic in "${topics[@]}"; do
  echo
  echo "## $topic"
  "$build/bench/$topic"
done
uptime
