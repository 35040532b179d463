#!/usr/bin/env bash
# Runs the sweep (3 noise levels × 3 losses × 5 seeds), then writes the table
# into README.md and Fig. 5 into this folder.
# Usage: experiments/sobolev-loss/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-sobolev-loss}"
"$build/kooplab" run "$here/config.yaml" --out "$out" --jobs "${JOBS:-2}"
python3 "$here/report.py" "$out" "$here/README.md"
cp "$out/fig5.png" "$here/fig5.png"
