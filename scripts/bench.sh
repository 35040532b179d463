#!/usr/bin/env bash
# The benchmark suite in one command: builds the bench_* executables into
# BUILD_DIR (default build/) and runs them, bench_core first with the NumPy
# anchor column when Debian's python3-numpy is present (skipped otherwise),
# then every other bench_<topic>. BLAS runs on one thread, as inside a
# sweep's runs, for kooplab and NumPy alike.
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
anchor=""
if [[ " ${topics[*]} " == *" bench_core "* ]]; then
  if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
    anchor=$(mktemp)
    trap 'rm -f "$anchor"' EXIT
    /usr/bin/python3 bench/dmd_numpy.py >"$anchor"
  else
    echo "bench: python3-numpy is not installed; the NumPy column stays empty" >&2
  fi
  "$build/bench/bench_core" ${anchor:+"$anchor"}
fi
for topic in "${topics[@]}"; do
  [[ $topic == bench_core ]] && continue
  echo
  echo "## $topic"
  "$build/bench/$topic"
done
uptime
