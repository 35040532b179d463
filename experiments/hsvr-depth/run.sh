#!/usr/bin/env bash
# Runs the sweep with the published keep-by-ratio rule and with the span rule,
# and writes Table S1's columns beside the paper's into README.md.
# Usage: experiments/hsvr-depth/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-hsvr-depth}"
"$build/kooplab" run "$here/config.yaml" --out "$out/keep_by_ratio"
"$build/kooplab" run "$here/config.yaml" application.rule=span --out "$out/span"
python3 "$here/table.py" "$out/keep_by_ratio/results.csv" "$out/span/results.csv" "$here/README.md"
