#!/usr/bin/env bash
# Runs every config of one experiment folder and writes its reports beside
# them: for experiments/NAME/CONFIG.yaml, the results go to OUT/CONFIG
# (OUT defaults to /tmp/kooplab-NAME) and the report to
# experiments/NAME/report/CONFIG/ (report.md, report.html, comparison.csv,
# figures/; report.html and the figures' .gp/.dat are not committed). Each
# config with paper values (report.reference) runs with `kooplab run --check`:
# the exit code is 3 when a paper value leaves its tolerance. Under GNU time (Debian package `time`), the peak
# memory and the times of each run go to report/CONFIG/resources.txt.
#   scripts/run-experiment.sh NAME [build folder]      e.g. scripts/run-experiment.sh hsvr-depth
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="${1:?usage: scripts/run-experiment.sh NAME [build folder]}"
folder="$root/experiments/$name"
kooplab="${2:-$root/build}/kooplab"
out="${OUT:-/tmp/kooplab-$name}"
[ -d "$folder" ] || { echo "no experiment folder $folder" >&2; exit 2; }
[ -x "$kooplab" ] || { echo "no kooplab executable at $kooplab; build first or pass the build folder" >&2; exit 2; }

status=0
for config in "$folder"/*.yaml; do
  case "$config" in *reference.yaml) continue ;; esac
  stem="$(basename "$config" .yaml)"
  report="$folder/report/$stem"
  mkdir -p "$report"
  command=("$kooplab" run "$config" --out "$out/$stem" --report-to "$report")
  # --check needs paper values (as the paper tests in tests/CMakeLists.txt).
  if grep -q '^ *reference:' "$config"; then command+=(--check); fi
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "peak memory %M kB, wall %e s, user %U s, system %S s" -o "$report/resources.txt" "${command[@]}" || status=$?
  else
    "${command[@]}" || status=$?
  fi
done
exit "$status"
