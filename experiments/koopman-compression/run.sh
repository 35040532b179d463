#!/usr/bin/env bash
# Runs the MNIST sweep (5 ranks × 5 seeds) and prints the table of the README.
# Usage: experiments/koopman-compression/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-koopman-compression}"
"$build/kooplab" run "$here/mnist.yaml" --out "$out/mnist" --jobs "${JOBS:-2}"
python3 "$here/table.py" "$out/mnist/results.csv"
