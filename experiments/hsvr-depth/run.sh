#!/usr/bin/env bash
# Runs the sweep and prints Table 1's columns (kooplab's numbers).
# Usage: experiments/hsvr-depth/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-hsvr-depth}"
"$build/kooplab" run "$here/config.yaml" --out "$out"
python3 - "$out/results.csv" <<'PY'
import csv, sys
print("| function | layers (FFT) | ε | max error (FFT) | layers (DMD) | max error (DMD) |")
print("|---|---|---|---|---|---|")
for r in csv.DictReader(open(sys.argv[1])):
    if r["status"] != "ok":
        print(f"| {r['dataset.function']} | failed: {r['error']} |||||")
        continue
    f = lambda key, digits=3: f"{float(r[key]):.{digits}g}"
    print(f"| {r['dataset.function']} | {f('fft_layers')} | {f('epsilon')} | {f('fft_train_max_error')} | "
          f"{f('dmd_layers')} | {f('dmd_train_max_error')} |")
PY
