#!/usr/bin/env bash
# Runs Table 1 (de_solver.yaml: three optimizers × 25 seeds) and Table 2
# (mnist.yaml) and prints their tables (tables.py).
# Usage: experiments/koopman-training/run.sh [build folder]   (default: build)
# OUT sets the results folder (default /tmp/kooplab-koopman-training); a
# stopped run resumes where it stopped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-koopman-training}"
"$build/kooplab" run "$here/de_solver.yaml" --out "$out/de_solver"
echo "## Table 1: the DE solver"
python3 "$here/tables.py" "$out/de_solver" application.optimizer.name
"$build/kooplab" run "$here/mnist.yaml" --out "$out/mnist"
echo "## Table 2: MNIST"
python3 "$here/tables.py" "$out/mnist" application.rank
