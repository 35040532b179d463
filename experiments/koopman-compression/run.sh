#!/usr/bin/env bash
# Runs the MNIST and Fashion-MNIST sweeps (5 ranks × 5 seeds each) and prints
# the tables of the README.
# Usage: experiments/koopman-compression/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-koopman-compression}"
for stem in mnist fashion_mnist; do
  "$build/kooplab" run "$here/$stem.yaml" --out "$out/$stem" --jobs "${JOBS:-2}"
  echo "### $stem.yaml"
  python3 "$here/table.py" "$out/$stem/results.csv"
  echo
done
