#!/usr/bin/env bash
# Runs the diagnosis, the threshold sweep and the CNN and prints the README's tables.
# Usage: experiments/koopman-pruning/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-koopman-pruning}"
for name in diagnosis threshold mnist_cnn; do
  "$build/kooplab" run "$here/$name.yaml" --out "$out/$name"
done
python3 "$here/tables.py" "$out/diagnosis" "$out/threshold" "$out/mnist_cnn"
