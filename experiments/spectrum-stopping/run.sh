#!/usr/bin/env bash
# Runs the stopping comparison, the CNN (reduced) and the initialization
# sweeps and prints the README's tables. PILOT=1 also reruns the pilot.
# Usage: experiments/spectrum-stopping/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-spectrum-stopping}"
names="yinyang mnist_cnn init init_mnist init_cnn"
[ "${PILOT:-0}" = 1 ] && names="pilot $names"
for name in $names; do
  "$build/kooplab" run "$here/$name.yaml" --out "$out/$name"
done
[ "${PILOT:-0}" = 1 ] && python3 "$here/tables.py" history "$out/pilot"
echo "## Yin-Yang MLP"; python3 "$here/tables.py" stopping "$out/yinyang"
echo "## CNN (reduced)"; python3 "$here/tables.py" verdicts "$out/mnist_cnn"
echo "## Initialization, Yin-Yang MLP"; python3 "$here/tables.py" init "$out/init"
echo "## Initialization, MNIST MLP"; python3 "$here/tables.py" init "$out/init_mnist"
echo "## Initialization, the paper's CNN (shortened)"; python3 "$here/tables.py" init "$out/init_cnn"
