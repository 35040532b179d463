#!/usr/bin/env bash
# Runs every config (scripts/run-experiment.sh: --check, reports into
# report/<config>/) and puts their generated paper comparisons and summaries
# into README.md between its marker comments.
#   experiments/layers-as-linear-operations/run.sh [build folder]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
status=0
nice -n 10 "$root/scripts/run-experiment.sh" layers-as-linear-operations "${1:-$root/build}" || status=$?
"$here/table.sh"
exit "$status"
