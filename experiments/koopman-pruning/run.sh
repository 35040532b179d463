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
# The CNN pruned at epoch 10 (the earlier shortened protocol): the decomposition alone is traced.
"$build/kooplab" run "$here/mnist_cnn.yaml" application.epochs=10 application.after=1 application.restart=false \
  application.controls=false --out "$out/mnist_cnn_epoch10"
# The same CNN runs with the projection rebuild.
"$build/kooplab" run "$here/mnist_cnn.yaml" application.coefficients=projection application.controls=false \
  --out "$out/mnist_cnn_projection"
python3 "$here/tables.py" "$out/diagnosis" "$out/threshold" "$out/mnist_cnn"
echo "### The CNN pruned at epoch 10"
python3 "$here/tables.py" --trace "$out/mnist_cnn_epoch10"
echo "### The CNN's rebuild rules"
python3 "$here/tables.py" --projection "$out/mnist_cnn" "$out/mnist_cnn_projection" "$out/mnist_cnn_epoch10"
