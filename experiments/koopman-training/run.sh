#!/usr/bin/env bash
# Runs both sweeps and prints the paper's table columns (medians over seeds).
# Usage: experiments/koopman-training/run.sh [build folder]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
out="${OUT:-/tmp/kooplab-koopman-training}"
for name in yinyang mnist; do
  "$build/kooplab" run "$here/$name.yaml" --out "$out/$name"
  echo "## $name"
  python3 - "$out/$name/results.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def value(row, key):
    return float(row[key]) if row.get(key) not in (None, "", "nan") else None
print("| rank | runs | success | median T_eq/T | median speedup | median weight_error | Koopman test acc. | optimizer test acc. |")
print("|---|---|---|---|---|---|---|---|")
for rank in dict.fromkeys(r["application.rank"] for r in rows):
    group = [r for r in rows if r["application.rank"] == rank and r["status"] == "ok"]
    def median(key):
        values = [v for v in (value(r, key) for r in group) if v is not None]
        return f"{statistics.median(values):.3g}" if values else "—"
    success = sum(value(r, "success") for r in group) / len(group) if group else 0
    print(f"| {rank} | {len(group)} | {success:.0%} | {median('equivalent_ratio')} | {median('speedup')} | "
          f"{median('weight_error')} | {median('koopman_test_accuracy')} | {median('optimizer_test_accuracy')} |")
PY
done
