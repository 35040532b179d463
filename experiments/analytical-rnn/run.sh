#!/usr/bin/env bash
# Runs the paper's example, the rank sweep and the family-two check with the
# built kooplab, and prints the reports and the sweep's summary.
#   experiments/analytical-rnn/run.sh [build folder] [output folder]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${2:-$here/../../results/analytical-rnn}"
kooplab="$build/kooplab"
[ -x "$kooplab" ] || { echo "no kooplab executable at $kooplab; build first or pass the build folder" >&2; exit 1; }

for experiment in example rank_sweep tolerance_sweep family2; do
  "$kooplab" run "$here/$experiment.yaml" --out "$out/$experiment"
done
for experiment in example family2; do
  for report in "$out/$experiment"/runs/*/report.md; do
    cat "$report"
    echo
  done
done
cat "$out/rank_sweep/summary.md"
echo
cat "$out/tolerance_sweep/summary.md"
